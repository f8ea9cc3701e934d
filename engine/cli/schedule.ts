/**
 * `manoflow schedule --redis URL [PROJECT]`: registers the project's schedules as BullMQ job
 * schedulers (engine/fleet/schedule.ts). Idempotent: registering again changes nothing; a schedule
 * removed from the project is removed. `--now` also queues one run of every pipeline that runs
 * after no other; `--dry-run` says what would change.
 */
import { ManoflowError } from '../errors.js';
import { syncSchedules } from '../fleet/schedule.js';
import { openQueue } from '../fleet/queue.js';
import { DEFAULT_PROJECT_FILE, loadProject } from '../project/load.js';
import { validateProject } from '../project/validate.js';
import { checkRedisReachable, displayRedisUrl } from '../state/redis/connection.js';
import { EXIT, parseCommandArgs, type CliCommand, type Flags } from './command.js';
import { printDiagnostics, printJson } from './output.js';
import { redisFlag } from './worker.js';

const usage = 'manoflow schedule --redis URL [PROJECT] [--now] [--dry-run] [--json]';

const flags = {
  redis: { type: 'string', value: 'URL', description: 'the Redis of the fleet: redis://HOST:PORT[/DB] (rediss:// for TLS); default MANOFLOW_REDIS_URL' },
  now: { type: 'boolean', description: 'also queue one run of every pipeline that runs after no other (their dependents follow when they succeed)' },
  'dry-run': { type: 'boolean', description: 'say what would be added, changed or removed; change nothing' },
  json: { type: 'boolean', description: 'print the result as JSON' },
} satisfies Flags;

export const command: CliCommand = {
  name: 'schedule',
  summary: 'Register the project\'s schedules as repeatable jobs on BullMQ (idempotent); --now queues one run of everything.',
  usage,
  flags,
  notes: ['PROJECT defaults to manoflow.yaml. Registering again changes nothing; a schedule removed from the project is removed.'],
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, flags, usage);
    if (positionals.length > 1) throw new ManoflowError('CLI_USAGE', 'expected at most one project file', { hint: `usage: ${usage}` });
    const url = redisFlag(values.redis, usage);
    const project = loadProject(positionals[0] ?? DEFAULT_PROJECT_FILE);
    // The scheduler needs names and schedules only: secrets are read where jobs run.
    const diagnostics = validateProject(project);
    printDiagnostics(diagnostics);
    if (diagnostics.some((d) => d.severity === 'error')) return EXIT.config;
    await checkRedisReachable(url);
    const q = openQueue(url, project);
    try {
      const r = await syncSchedules(q, project, { now: values.now, dryRun: values['dry-run'] });
      if (values.json) printJson({ project: project.config.name, queue: q.queue.name, dry_run: values['dry-run'] === true, ...r });
      else {
        const verb = values['dry-run'] ? 'would be ' : '';
        const list = (names: string[]) => (names.length ? `: ${names.join(', ')}` : '');
        process.stdout.write([
          `project ${project.config.name} on ${displayRedisUrl(url)}, queue ${q.queue.name}`,
          `schedules ${verb}added ${r.added.length}${list(r.added)}`,
          `schedules ${verb}changed ${r.changed.length}${list(r.changed)}`,
          `schedules ${verb}removed ${r.removed.length}${list(r.removed)}`,
          `schedules unchanged ${r.unchanged.length}`,
          ...(values.now ? [`runs ${verb}queued now ${r.queued.length}${list(r.queued)} (the pipelines after them follow when they succeed)`] : []),
        ].join('\n') + '\n');
      }
      return EXIT.ok;
    } finally {
      await q.close();
    }
  },
};
