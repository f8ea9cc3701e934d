/**
 * `manoflow run PIPELINE`: runs a pipeline end to end and prints its summary.
 * Exit 0: all records written; 1: some records rejected; 2: invalid pipeline; 3: the run failed.
 */
import { resolve } from 'node:path';
import { loadPipeline } from '../config/load.js';
import { terminalSafe } from '../terminal.js';
import { ManoflowError } from '../errors.js';
import { runPipeline, type RunSummary } from '../runtime/run.js';
import { EXIT, intFlag, marketsFlag, parseCommandArgs, type CliCommand, type Flags } from './command.js';
import { formatSummary, progressPrinter, printJson, reportRunFailure } from './output.js';

const usage = 'manoflow run PIPELINE|--project [FILE] [--market M[,M...]] [--limit N] [--output PATH|-] [--report html] [--full] [--force] [--retry-refused] [--no-fast-path] [--workers N|auto] [--allow-rejects] [--json] [--quiet]';

const flags = {
  market: { type: 'string', multiple: true, value: 'M[,M...]', description: 'run only these markets of a pipeline that declares markets (repeatable, or comma-separated)' },
  limit: { type: 'string', value: 'N', description: 'stop after N source records: a sample (it never replaces the feed ManoMano fetches: write it elsewhere with --output)' },
  output: { type: 'string', short: 'o', value: 'PATH', description: 'write the output here instead of destination.output (relative to the working directory); "-" writes it to stdout, with logs and the summary on stderr' },
  report: { type: 'string', value: 'html', description: 'also write the HTML run report (a self-contained page beside the reject report); report.html in the pipeline does the same' },
  full: { type: 'boolean', description: 'price & stock: send every offer, not only what changed since the last confirmed run' },
  'retry-refused': { type: 'boolean', description: 'send again the payloads ManoMano refused before (they are not resent otherwise)' },
  force: { type: 'boolean', description: 'commit even when a guard trips: every record rejected, an empty or --limit feed, options.max_reject_percent, price & stock safety limits' },
  'no-fast-path': { type: 'boolean', description: 'run every expression on the stock JSONata interpreter (to compare outputs with the fast path)' },
  workers: { type: 'string', value: 'N|auto', description: 'mapping threads: a number (0 maps in the main thread) or auto; overrides options.workers' },
  'allow-rejects': { type: 'boolean', description: 'exit 0 even when records were rejected or ManoMano refused items (a failed run still exits 3)' },
  json: { type: 'boolean', description: 'print the summary as JSON on stdout' },
  quiet: { type: 'boolean', short: 'q', description: 'print nothing when everything was written or sent (for cron); the summary otherwise' },
  project: { type: 'boolean', description: 'run a project file (default manoflow.yaml): every pipeline of every seller, once, in dependency order' },
} satisfies Flags;

export const command: CliCommand = {
  name: 'run',
  summary: 'Run a pipeline: read the source, map every record, write the destination and the reject report.',
  usage,
  flags,
  notes: ['exit codes: 0 all written or sent; 1 records rejected or refused; 2 invalid pipeline or usage; 3 the run failed; 130 interrupted'],
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, flags, usage);
    if (values.project) {
      if (positionals.length > 1) throw new ManoflowError('CLI_USAGE', 'run --project takes at most one project file (default manoflow.yaml)', { hint: `usage: ${usage}` });
      const stop = interruptible();
      try {
        // a project's run (cron checks, the fleet's Redis) is loaded only for --project
        const { runProjectCommand } = await import('./project-run.js');
        const code = await runProjectCommand(positionals[0], { json: values.json, quiet: values.quiet, full: values.full, force: values.force, retryRefused: values['retry-refused'], allowRejects: values['allow-rejects'] }, stop.signal);
        return stop.signal.aborted ? stop.exitCode() : code;
      } finally {
        stop.dispose();
      }
    }
    if (positionals.length !== 1) throw new ManoflowError('CLI_USAGE', 'expected exactly one pipeline file', { hint: `usage: ${usage}` });
    // `--output -` (or `output: "-"` in the pipeline): the feed owns stdout; everything people read goes to stderr.
    const toStdout = values.output === '-' || (values.output === undefined && writesToStdout(positionals[0]!));
    const say = toStdout ? process.stderr : process.stdout;
    const progress = values.quiet || values.json ? { update() {}, done() {} } : progressPrinter();
    const stop = interruptible();
    let summary: RunSummary;
    try {
      summary = await runPipeline(positionals[0]!, {
        limit: intFlag('limit', values.limit),
        markets: marketsFlag(values.market),
        // --output is a path typed in a shell: relative to the working directory, not the pipeline.
        output: values.output === undefined || toStdout ? values.output : resolve(values.output),
        full: values.full,
        force: values.force,
        retryRefused: values['retry-refused'],
        fastPath: values['no-fast-path'] ? false : undefined,
        workers: workersFlag(values.workers),
        htmlReport: reportFlag(values.report),
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
      return reportRunFailure(err, values.json === true, say);
    }
    progress.done();
    stop.dispose();
    const code = exitCodeOf(summary, values['allow-rejects'] === true);
    // --quiet (cron): silence when all went well; the summary when there is something to read.
    if (values.json) printJson(summary, say);
    else if (!values.quiet || code !== EXIT.ok) say.write(formatSummary(summary, say));
    return code;
  },
};

/** True when the pipeline's destination writes to stdout (`output: "-"`); a broken file is for validation to report. */
function writesToStdout(file: string): boolean {
  const p = loadPipeline(file);
  return (p.config.destination as { output?: unknown } | undefined)?.output === '-';
}

/** `--report html`: the only report format so far (the reject report is always written). */
function reportFlag(value: string | undefined): true | undefined {
  if (value === undefined) return undefined;
  if (value === 'html') return true;
  throw new ManoflowError('CLI_USAGE', `--report expects "html", got "${value}"`, { hint: 'the HTML run report: --report html (the reject report CSV is always written)' });
}

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
