/**
 * `manoflow plan PIPELINE`: what a run would write or send, item by item (which offers change and
 * how, which orders get which action, what is skipped and why), with no side effect on ManoMano,
 * on manoflow's state or on the output file, and the exit code the run would give.
 * API destinations read from ManoMano (order statuses) but never write.
 */
import { ManoflowError } from '../errors.js';
import { runPipeline, type RunSummary } from '../runtime/run.js';
import { redact } from '../secrets.js';
import { terminalField, terminalSafe } from '../terminal.js';
import { EXIT, intFlag, marketsFlag, parseCommandArgs, type CliCommand, type Flags } from './command.js';
import { formatSummary, printJson, reportRunFailure } from './output.js';
import { exitCodeOf } from './run.js';

const usage = 'manoflow plan PIPELINE [--market M[,M...]] [--limit N] [--full] [--force] [--retry-refused] [--allow-rejects] [--json]';

const flags = {
  market: { type: 'string', multiple: true, value: 'M[,M...]', description: 'plan only these markets of a pipeline that declares markets (repeatable, or comma-separated)' },
  limit: { type: 'string', value: 'N', description: 'plan for the first N source records only' },
  full: { type: 'boolean', description: 'price & stock: plan every offer, not only what changed since the last confirmed run' },
  force: { type: 'boolean', description: 'plan as `run --force` would: guards that trip do not stop it' },
  'retry-refused': { type: 'boolean', description: 'plan to send again the payloads ManoMano refused before (they are not resent otherwise)' },
  'allow-rejects': { type: 'boolean', description: 'exit 0 even when records would be rejected or refused, as `run --allow-rejects`' },
  json: { type: 'boolean', description: 'print the plan (summary and every item) as JSON on stdout' },
} satisfies Flags;

/**
 * Why: `plan` answers "what would `run` do", exit code included: 3 when a guard or a safety limit
 * would stop the run, 1 when records would be rejected or items refused or skipped, else 0.
 */
export function planExitCode(summary: RunSummary, allowRejects: boolean): number {
  if (summary.wouldStop || summary.plannedItems?.some((i) => i.code === 'SAFETY_LIMIT')) return EXIT.failed;
  return exitCodeOf(summary, allowRejects);
}

export const command: CliCommand = {
  name: 'plan',
  summary: 'Show what a run would write or send, item by item, without writing, sending or changing state; exits with the code the run would give.',
  usage,
  flags,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, flags, usage);
    if (positionals.length !== 1) throw new ManoflowError('CLI_USAGE', 'expected exactly one pipeline file', { hint: `usage: ${usage}` });
    try {
      const summary = await runPipeline(positionals[0]!, {
        plan: true, limit: intFlag('limit', values.limit), markets: marketsFlag(values.market), full: values.full, force: values.force, retryRefused: values['retry-refused'],
        // Warnings (a tripped safety limit, a dropped column) go to stderr, as under `run`.
        log: { info: () => {}, warn: (m) => process.stderr.write(`warning: ${terminalSafe(m)}\n`), debug: () => {} },
      });
      const code = planExitCode(summary, values['allow-rejects'] === true);
      if (values.json) {
        printJson(summary);
        return code;
      }
      for (const item of summary.plannedItems ?? []) {
        // the id and the texts come from the records: one line each, control characters shown escaped
        const tail = [item.change, item.code, item.message].filter(Boolean).map(terminalField).join(' · ');
        process.stdout.write(redact(`${item.outcome.padEnd(10)} ${item.action.padEnd(8)} ${terminalField(item.id)}${tail ? `  ${tail}` : ''}`) + '\n');
      }
      process.stdout.write(formatSummary(summary, process.stdout, { plan: true }));
      return code;
    } catch (err) {
      return reportRunFailure(err, values.json === true);
    }
  },
};
