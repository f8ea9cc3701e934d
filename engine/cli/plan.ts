/**
 * `manoflow plan PIPELINE`: what a run would send, item by item (which offers change and how,
 * which orders get which action, what is skipped and why), with no side effect on ManoMano or on
 * manoflow's state. API destinations read from ManoMano (order statuses) but never write.
 */
import { ManoflowError } from '../errors.js';
import { runPipeline } from '../runtime/run.js';
import { redact } from '../secrets.js';
import { EXIT, intFlag, marketsFlag, parseCommandArgs, type CliCommand } from './command.js';
import { formatSummary, printJson, reportRunFailure } from './output.js';
import { terminalField, terminalSafe } from '../terminal.js';

const usage = 'manoflow plan PIPELINE [--market M[,M...]] [--limit N] [--full] [--force] [--retry-refused] [--json]';

export const command: CliCommand = {
  name: 'plan',
  summary: 'Show what a run would send, item by item, without sending anything or changing state.',
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      limit: { type: 'string' },
      market: { type: 'string', multiple: true },
      full: { type: 'boolean' },
      force: { type: 'boolean' },
      'retry-refused': { type: 'boolean' },
      json: { type: 'boolean' },
    }, usage);
    if (positionals.length !== 1) throw new ManoflowError('CLI_USAGE', 'expected exactly one pipeline file', { hint: `usage: ${usage}` });
    try {
      const summary = await runPipeline(positionals[0]!, {
        plan: true, limit: intFlag('limit', values.limit), markets: marketsFlag(values.market), full: values.full, force: values.force, retryRefused: values['retry-refused'],
        // Warnings (a tripped safety limit, a dropped column) go to stderr, as under `run`.
        log: { info: () => {}, warn: (m) => process.stderr.write(`warning: ${terminalSafe(m)}\n`), debug: () => {} },
      });
      if (values.json) {
        printJson(summary);
        return EXIT.ok;
      }
      for (const item of summary.plannedItems ?? []) {
        // the id and the texts come from the records: one line each, control characters shown escaped
        const tail = [item.change, item.code, item.message].filter(Boolean).map(terminalField).join(' · ');
        process.stdout.write(redact(`${item.outcome.padEnd(10)} ${item.action.padEnd(8)} ${terminalField(item.id)}${tail ? `  ${tail}` : ''}`) + '\n');
      }
      process.stdout.write(formatSummary(summary));
      return EXIT.ok;
    } catch (err) {
      return reportRunFailure(err, values.json === true);
    }
  },
};
