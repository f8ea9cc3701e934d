/**
 * `manoflow worker --redis URL [PROJECT] [--concurrency N] [--grace SECONDS]`: runs the project's
 * jobs from the BullMQ queue (engine/fleet/worker.ts), on as many machines as wanted. One line per
 * finished job on stdout. SIGTERM or Ctrl-C: no new job is taken, running ones finish (up to
 * --grace seconds, then they are stopped without committing and retried elsewhere); exit 0.
 */
import { hostname } from 'node:os';
import { ManoflowError } from '../errors.js';
import { startWorker } from '../fleet/worker.js';
import { DEFAULT_PROJECT_FILE, loadProject } from '../project/load.js';
import { validateProject } from '../project/validate.js';
import { redact } from '../secrets.js';
import { checkRedisReachable, checkRedisUrl, displayRedisUrl } from '../state/redis/connection.js';
import { EXIT, intFlag, parseCommandArgs, type CliCommand, type Flags } from './command.js';
import { printDiagnostics } from './output.js';
import { formatOutcome } from './jobs.js';

const usage = 'manoflow worker --redis URL [PROJECT] [--concurrency N] [--grace SECONDS] [--quiet]';

const flags = {
  redis: { type: 'string', value: 'URL', description: 'the Redis of the fleet: redis://HOST:PORT[/DB] (rediss:// for TLS); default MANOFLOW_REDIS_URL' },
  concurrency: { type: 'string', value: 'N', description: 'jobs this worker runs at once (default 1)' },
  grace: { type: 'string', value: 'SECONDS', description: 'on SIGTERM, how long running jobs may take to finish before they are stopped (default 60)' },
  quiet: { type: 'boolean', short: 'q', description: 'no log lines on stderr except warnings (one line per finished job stays on stdout)' },
} satisfies Flags;

/** Why: `--redis URL` (or MANOFLOW_REDIS_URL) for schedule, worker and jobs, checked the same way. */
export function redisFlag(value: string | undefined, usageText: string): string {
  const url = value ?? process.env.MANOFLOW_REDIS_URL;
  if (!url) throw new ManoflowError('CLI_USAGE', 'missing --redis URL (or MANOFLOW_REDIS_URL)', { hint: `usage: ${usageText}` });
  try {
    checkRedisUrl(url);
  } catch (err) {
    throw new ManoflowError('CLI_USAGE', (err as ManoflowError).message, { hint: (err as ManoflowError).hint });
  }
  return url;
}

export const command: CliCommand = {
  name: 'worker',
  summary: 'Run the project\'s jobs from the queue (any number of workers, on any number of machines).',
  usage,
  flags,
  notes: ['PROJECT defaults to manoflow.yaml. SIGTERM or Ctrl-C: no new job is taken, running ones finish, exit 0; a second signal quits at once.'],
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, flags, usage);
    if (positionals.length > 1) throw new ManoflowError('CLI_USAGE', 'expected at most one project file', { hint: `usage: ${usage}` });
    const url = redisFlag(values.redis, usage);
    const concurrency = intFlag('concurrency', values.concurrency) ?? 1;
    if (concurrency < 1) throw new ManoflowError('CLI_USAGE', '--concurrency must be 1 or more');
    const graceMs = (intFlag('grace', values.grace) ?? 60) * 1000;
    const project = loadProject(positionals[0] ?? DEFAULT_PROJECT_FILE);
    const diagnostics = validateProject(project);
    printDiagnostics(diagnostics);
    if (diagnostics.some((d) => d.severity === 'error')) return EXIT.config;
    const say = (m: string) => process.stderr.write(redact(`${m}\n`));
    const log = { info: (m: string) => { if (!values.quiet) say(m); }, warn: (m: string) => say(`warning: ${m}`), debug: () => {} };
    await checkRedisReachable(url);
    const worker = await startWorker({
      redisUrl: url, project, concurrency, log,
      onJobEnd: (job, outcome, err) => process.stdout.write(redact(`${new Date().toISOString()} ${formatOutcome(String(job.id), job.name, outcome, err?.message)}\n`)),
    });
    await worker.ready;
    say(`worker ${hostname()}/${process.pid}: project ${project.config.name}, queue on ${displayRedisUrl(url)}, concurrency ${concurrency}: waiting for jobs`);
    await new Promise<void>((resolve) => {
      let stopping = false;
      const onSignal = (signal: string) => {
        if (stopping) { say(`${signal} again: quitting now (running jobs are taken back by other workers)`); process.exit(EXIT.interrupted); }
        stopping = true;
        say(`${signal}: no new job is taken; waiting up to ${graceMs / 1000} s for the running ones to finish`);
        void worker.close(graceMs).then(resolve, (err: unknown) => { say(`error while stopping: ${(err as Error).message}`); resolve(); });
      };
      process.on('SIGTERM', () => onSignal('SIGTERM'));
      process.on('SIGINT', () => onSignal('SIGINT'));
    });
    say(`worker ${hostname()}/${process.pid}: stopped`);
    return EXIT.ok;
  },
};
