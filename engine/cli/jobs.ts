/**
 * `manoflow jobs --redis URL [PROJECT]`: the fleet's recent runs per seller and pipeline, read from
 * the queue: running jobs with their progress (records read and written so far), waiting and
 * delayed ones, and the last finished ones with their summaries (failed ones with their error,
 * whether they will be retried, and the first lines of their reject report with --rejects).
 */
import { ManoflowError } from '../errors.js';
import { openQueue, type FleetJobData } from '../fleet/queue.js';
import type { JobOutcome } from '../fleet/run-job.js';
import { DEFAULT_PROJECT_FILE, loadProject } from '../project/load.js';
import { validateProject } from '../project/validate.js';
import { checkRedisReachable, displayRedisUrl } from '../state/redis/connection.js';
import { EXIT, intFlag, parseCommandArgs, type CliCommand, type Flags } from './command.js';
import { printDiagnostics, printJson } from './output.js';
import { redisFlag } from './worker.js';

const usage = 'manoflow jobs --redis URL [PROJECT] [--seller S] [--pipeline P] [--limit N] [--rejects] [--json]';
const flags = {
  redis: { type: 'string', value: 'URL', description: 'the Redis of the fleet: redis://HOST:PORT[/DB] (rediss:// for TLS); default MANOFLOW_REDIS_URL' },
  seller: { type: 'string', value: 'S', description: 'only this seller\'s jobs' },
  pipeline: { type: 'string', value: 'P', description: 'only this pipeline\'s jobs' },
  limit: { type: 'string', value: 'N', description: 'finished runs shown per seller and pipeline (default 5)' },
  rejects: { type: 'boolean', description: 'also print the first lines of each run\'s reject report' },
  json: { type: 'boolean', description: 'print the jobs as JSON' },
} satisfies Flags;
const STATES = ['active', 'waiting', 'prioritized', 'delayed', 'completed', 'failed'] as const;

/** One job as listed. */
export interface ListedJob {
  id: string;
  name: string;
  state: string;
  trigger: FleetJobData['trigger'];
  attempts: number;
  queuedAt: string;
  finishedAt?: string;
  progress?: unknown;
  outcome?: JobOutcome;
  failedReason?: string;
}

export const command: CliCommand = {
  name: 'jobs',
  summary: 'List the fleet\'s recent runs per seller and pipeline, with progress and summaries.',
  usage,
  flags,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, flags, usage);
    if (positionals.length > 1) throw new ManoflowError('CLI_USAGE', 'expected at most one project file', { hint: `usage: ${usage}` });
    const url = redisFlag(values.redis, usage);
    const limit = intFlag('limit', values.limit) ?? 5;
    const project = loadProject(positionals[0] ?? DEFAULT_PROJECT_FILE);
    const diagnostics = validateProject(project);
    if (diagnostics.some((d) => d.severity === 'error')) { printDiagnostics(diagnostics); return EXIT.config; }
    await checkRedisReachable(url);
    const q = openQueue(url, project);
    try {
      const jobs: ListedJob[] = [];
      for (const state of STATES) {
        for (const j of await q.queue.getJobs(state, 0, -1)) {
          if (!j?.id) continue;
          const d = j.data as FleetJobData;
          if ((values.seller && d.seller !== values.seller) || (values.pipeline && d.pipeline !== values.pipeline)) continue;
          jobs.push({
            id: j.id, name: j.name, state, trigger: d.trigger, attempts: j.attemptsMade, queuedAt: new Date(j.timestamp).toISOString(),
            ...(j.finishedOn ? { finishedAt: new Date(j.finishedOn).toISOString() } : {}),
            ...(state === 'active' && j.progress ? { progress: j.progress } : {}),
            ...(j.returnvalue ? { outcome: j.returnvalue as JobOutcome } : d.outcome ? { outcome: d.outcome as JobOutcome } : {}),
            ...(j.failedReason ? { failedReason: j.failedReason } : {}),
          });
        }
      }
      const byName = new Map<string, ListedJob[]>();
      for (const j of jobs.sort((a, b) => (b.finishedAt ?? '9').localeCompare(a.finishedAt ?? '9') || b.queuedAt.localeCompare(a.queuedAt))) {
        const list = byName.get(j.name) ?? [];
        if (list.length < limit || j.finishedAt === undefined) list.push(j);
        byName.set(j.name, list);
      }
      const counts = await q.queue.getJobCounts(...STATES);
      const schedulers = new Map((await q.queue.getJobSchedulers(0, -1, true)).map((s) => [s.key, s]));
      if (values.json) {
        printJson({ project: project.config.name, queue: q.queue.name, counts, pipelines: Object.fromEntries([...byName].sort()) });
        return EXIT.ok;
      }
      const out = [`project ${project.config.name} on ${displayRedisUrl(url)}, queue ${q.queue.name}: ${STATES.map((s) => `${counts[s] ?? 0} ${s}`).join(', ')}`];
      for (const [name, list] of [...byName].sort()) {
        const s = schedulers.get(name);
        out.push(`${name}${s ? `  (schedule ${s.pattern}${s.tz && s.tz !== 'UTC' ? ` ${s.tz}` : ''}${s.next ? `, next ${new Date(s.next).toISOString()}` : ''})` : ''}`);
        for (const j of list) {
          out.push(`  ${formatListed(j)}`);
          if (values.rejects && j.outcome?.rejects) out.push(...j.outcome.rejects.map((l) => `      ${l}`));
        }
      }
      if (byName.size === 0) out.push('no jobs yet: `manoflow schedule --redis URL --now` queues one run of everything');
      process.stdout.write(out.join('\n') + '\n');
      return EXIT.ok;
    } finally {
      await q.close();
    }
  },
};

function formatListed(j: ListedJob): string {
  const head = `${j.state.padEnd(9)} job ${j.id}`;
  if (j.state === 'active') {
    const p = j.progress as { read?: number; written?: number; rejected?: number } | undefined;
    return `${head}  running (attempt ${j.attempts + 1})${p ? `: read ${p.read ?? 0}, written ${p.written ?? 0}, rejected ${p.rejected ?? 0} so far` : ''}`;
  }
  if (!j.finishedAt) return `${head}  ${j.trigger}, queued ${j.queuedAt}${j.attempts ? ` (attempt ${j.attempts + 1} after a retryable failure)` : ''}`;
  return `${head}  ${j.finishedAt}  ${describeOutcome(j.outcome, j.failedReason)}`;
}

/** The summary of a run in one line: counts, ManoMano's outcome, the error. */
export function describeOutcome(o: JobOutcome | undefined, failedReason?: string): string {
  if (!o) return failedReason ? `FAILED: ${failedReason}` : '';
  const parts: string[] = [];
  if (o.summary) {
    const s = o.summary;
    parts.push(`read ${s.read}, ${s.items ? 'to send' : 'written'} ${s.written}, rejected ${s.rejected}, filtered ${s.filtered}`);
    if (s.items) parts.push(`ManoMano: ${Object.entries(s.items).map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing to send'}`);
  }
  const secs = `${(o.durationMs / 1000).toFixed(1)}s`;
  if (o.error) return `FAILED (attempt ${o.attempt}${o.error.retryable ? ', retryable' : ''}): ${o.error.code} ${o.error.message.split('\n')[0]}${parts.length ? `; ${parts.join('; ')}` : ''} on ${o.host}`;
  return `done in ${secs}: ${parts.join('; ')} on ${o.host}${o.queued?.length ? `; queued ${o.queued.join(', ')}` : ''}`;
}

/** Why: the worker prints the same line when a job ends. */
export function formatOutcome(id: string, name: string, o: JobOutcome | undefined, err?: string): string {
  return `${name} job ${id}: ${o ? describeOutcome(o) : `FAILED: ${err ?? 'unknown error'}`}`;
}
