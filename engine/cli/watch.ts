/**
 * `manoflow watch PIPELINE`: the development loop. Every save re-validates; a valid pipeline
 * re-runs a preview on a sample (never the real output, API calls planned unless --live) and
 * prints what changed; an invalid one prints its diagnostics and keeps the last good result.
 * Ctrl-C or SIGTERM stops it with exit code 0. The logic lives in engine/watch/.
 */
import { ManoflowError } from '../errors.js';
import { DEFAULT_DEBOUNCE_MS, DEFAULT_WATCH_LIMIT, PRODUCTION_CODE, watchPipeline, type WatchHandle, type WatchInvalidEvent, type WatchRunEvent } from '../watch/index.js';
import { formatBanner, formatFailure, formatInvalid, formatRun, formatTargets, formatUnchanged, WAITING } from '../watch/format.js';
import { EXIT, intFlag, parseCommandArgs, type CliCommand, type Flags } from './command.js';
import { printDiagnostics } from './output.js';
import { terminalSafe } from '../terminal.js';

const usage = 'manoflow watch PIPELINE [--limit N] [--debounce MS] [--watch-source] [--live [--yes-production]] [--poll] [--verbose] [--no-fast-path]';

const flags = {
  limit: { type: 'string', value: 'N', description: `records per preview run (default ${DEFAULT_WATCH_LIMIT})` },
  debounce: { type: 'string', value: 'MS', description: `wait this long after the last save before re-running (default ${DEFAULT_DEBOUNCE_MS})` },
  'watch-source': { type: 'boolean', description: 'also re-run when the source file changes' },
  live: { type: 'boolean', description: 'API destinations: really send (default: plan only)' },
  'yes-production': { type: 'boolean', description: 'with --live, allow environment: production' },
  poll: { type: 'boolean', description: 'poll files instead of file-system events (network drives, containers)' },
  verbose: { type: 'boolean', description: 'print what is watched and the runs that changed nothing' },
  'no-fast-path': { type: 'boolean', description: 'run every expression on the stock JSONata interpreter' },
} satisfies Flags;

const out = (text: string) => process.stdout.write(text);

export const command: CliCommand = {
  name: 'watch',
  summary: `Re-validate and re-run a preview on every save: a sample (--limit, default ${DEFAULT_WATCH_LIMIT}) written to a preview folder, API calls planned unless --live.`,
  usage,
  flags,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, flags, usage);
    if (positionals.length !== 1) throw new ManoflowError('CLI_USAGE', 'expected exactly one pipeline file', { hint: `usage: ${usage}` });
    const verbose = values.verbose === true;
    let handle: WatchHandle;
    try {
      handle = await watchPipeline(positionals[0]!, {
        limit: intFlag('limit', values.limit) ?? DEFAULT_WATCH_LIMIT,
        debounceMs: intFlag('debounce', values.debounce) ?? DEFAULT_DEBOUNCE_MS,
        watchSource: values['watch-source'],
        live: values.live,
        yesProduction: values['yes-production'],
        poll: values.poll,
        fastPath: values['no-fast-path'] ? false : undefined,
        log: {
          info: (m) => { if (verbose) out(`${m}\n`); },
          warn: (m) => out(`warning: ${terminalSafe(m)}\n`),
          debug: () => {},
        },
      });
    } catch (err) {
      if (err instanceof ManoflowError && err.code === PRODUCTION_CODE) {
        process.stderr.write(`manoflow watch: ${err.code} ${err.message}\n  hint: ${err.hint}\n`);
        return EXIT.config;
      }
      throw err;
    }
    out(formatBanner({ pipeline: handle.pipeline, targets: handle.targets, limit: handle.limit, previewDir: handle.previewDir, mode: handle.mode, environment: handle.environment, verbose }));
    handle.on('run', (e: WatchRunEvent) => out(formatRun(e.summary, e) + `${WAITING}\n`));
    handle.on('invalid', (e: WatchInvalidEvent) => {
      out(formatInvalid(e.diagnostics.filter((d) => d.severity === 'error').length, e.lastGood));
      printDiagnostics(e.diagnostics, process.stdout);
      out(`${WAITING}\n`);
    });
    handle.on('error', (err: unknown) => out(formatFailure(err, handle.lastGood) + `${WAITING}\n`));
    if (verbose) {
      handle.on('targets', () => out(formatTargets(handle.targets, true)));
      handle.on('unchanged', (e: { changed: string[] }) => out(formatUnchanged(e.changed)));
    }
    return stopOnSignal(handle);
  },
};

/** Resolves with exit code 0 once SIGINT or SIGTERM arrives and the watch is closed; a second signal exits at once. */
function stopOnSignal(handle: WatchHandle): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) process.exit(EXIT.ok);
      stopping = true;
      handle.close().then(
        () => { out('stopped\n'); resolve(EXIT.ok); },
        () => resolve(EXIT.ok),
      ).finally(() => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        // Nothing should keep the process alive now; if a connector left a handle open, do not hang.
        setTimeout(() => process.exit(EXIT.ok), 2000).unref();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
