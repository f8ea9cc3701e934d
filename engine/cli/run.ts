/**
 * `manoflow run PIPELINE`: runs a pipeline end to end and prints its summary. With `--project`,
 * every pipeline of a project file for every seller, once (project-run.ts).
 * Exit 0: all records written; 1: some records rejected; 2: invalid pipeline; 3: the run failed.
 */
import { resolve } from 'node:path';
import { ManoflowError } from '../errors.js';
import { runPipeline, type RunSummary } from '../runtime/run.js';
import { EXIT, intFlag, marketsFlag, parseCommandArgs, type CliCommand } from './command.js';
import { formatSummary, progressPrinter, printJson, reportRunFailure } from './output.js';
import { runProjectCommand } from './project-run.js';
import { terminalSafe } from '../terminal.js';

const usage = 'manoflow run PIPELINE|--project [FILE] [--market M[,M...]] [--limit N] [--output PATH] [--full] [--force] [--retry-refused] [--no-fast-path] [--workers N|auto] [--allow-rejects] [--json] [--quiet]';

export const command: CliCommand = {
  name: 'run',
  summary: 'Run a pipeline: read the source, map every record, write the destination and the reject report.',
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      limit: { type: 'string' },
      market: { type: 'string', multiple: true },
      output: { type: 'string', short: 'o' },
      full: { type: 'boolean' },
      force: { type: 'boolean' },
      'retry-refused': { type: 'boolean' },
      'no-fast-path': { type: 'boolean' },
      workers: { type: 'string' },
      json: { type: 'boolean' },
      'allow-rejects': { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      project: { type: 'boolean' },
    }, usage);
    if (values.project) {
      if (positionals.length > 1) throw new ManoflowError('CLI_USAGE', 'run --project takes at most one project file (default manoflow.yaml)', { hint: `usage: ${usage}` });
      const stop = interruptible();
      try {
        return await runProjectCommand(positionals[0], { json: values.json, quiet: values.quiet, full: values.full, force: values.force, retryRefused: values['retry-refused'], allowRejects: values['allow-rejects'] }, stop.signal);
      } finally {
        stop.dispose();
      }
    }
    if (positionals.length !== 1) throw new ManoflowError('CLI_USAGE', 'expected exactly one pipeline file', { hint: `usage: ${usage}` });
    const progress = values.quiet || values.json ? { update() {}, done() {} } : progressPrinter();
    const stop = interruptible();
    let summary: RunSummary;
    try {
      summary = await runPipeline(positionals[0]!, {
        limit: intFlag('limit', values.limit),
        markets: marketsFlag(values.market),
        // --output is a path typed in a shell: relative to the working directory, not the pipeline.
        output: values.output === undefined ? undefined : resolve(values.output),
        full: values.full,
        force: values.force,
        retryRefused: values['retry-refused'],
        fastPath: values['no-fast-path'] ? false : undefined,
        workers: workersFlag(values.workers),
        onProgress: progress.update,
        signal: stop.signal,
        log: {
          info: (m) => { if (!values.quiet && !values.json) process.stderr.write(`${terminalSafe(m)}\n`); },
          // a warning may name a source column: its control characters are shown, not sent
          warn: (m) => process.stderr.write(`warning: ${terminalSafe(m)}\n`),
          debug: () => {},
        },
      });
    } catch (err) {
      progress.done();
      stop.dispose();
      if (stop.signal.aborted) return stop.exitCode();
      return reportRunFailure(err, values.json === true);
    }
    progress.done();
    stop.dispose();
    const code = exitCodeOf(summary, values['allow-rejects'] === true);
    // --quiet (cron): silence when all went well; the summary when there is something to read.
    if (values.json) printJson(summary);
    else if (!values.quiet || code !== EXIT.ok) process.stdout.write(formatSummary(summary));
    return code;
  },
};

/** `--workers N|auto`: a whole number of mapping threads (0: none), or auto. */
function workersFlag(value: string | undefined): number | 'auto' | undefined {
  if (value === undefined || value === 'auto') return value;
  if (!/^\d+$/.test(value)) {
    throw new ManoflowError('CLI_USAGE', `--workers expects a whole number or "auto", got "${value}"`, { hint: 'e.g. --workers 2, --workers 0 (map in the main thread) or --workers auto (the default)' });
  }
  return Number(value);
}

/**
 * The exit code cron and scripts rely on: 3 when items could not be sent (after retries), 1 when
 * records were rejected or ManoMano refused or we skipped items for a reason (wrong status,
 * unknown order), 0 otherwise. --allow-rejects turns 1 into 0; it never hides a failure.
 */
export function exitCodeOf(summary: RunSummary, allowRejects: boolean): number {
  if (!summary.ok) return EXIT.failed;
  const problems = summary.rejected + (summary.itemProblems ?? 0);
  return problems > 0 && !allowRejects ? EXIT.rejected : EXIT.ok;
}

/**
 * Ctrl-C, or SIGTERM from a supervisor (cron's `timeout`, systemd), stops the run cleanly: the
 * record being mapped finishes (an evaluation gives control back within options.time_limit_ms),
 * nothing is committed, temporary files are removed. Exit 130 after Ctrl-C, 143 after SIGTERM
 * (what a shell reports for a process those signals ended). A second signal quits at once.
 */
function interruptible(): { signal: AbortSignal; exitCode(): number; dispose(): void } {
  const controller = new AbortController();
  let code: number = EXIT.interrupted;
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(code);
    code = name === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
    process.stderr.write(`\nstopping: no more records are read and no file is committed; order actions already sent are journalled (${name === 'SIGTERM' ? 'SIGTERM' : 'Ctrl-C'} again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    exitCode: () => code,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
