/**
 * `manoflow schedule`: the project's schedules as BullMQ job schedulers, one per (seller,
 * pipeline) with a `schedule`, id `<seller>/<pipeline>`. Registering is idempotent: a scheduler
 * whose pattern, time zone and job template are unchanged is left alone (its next run keeps its
 * time), a changed one is updated, and one the project no longer has is removed. `--now` also
 * queues one run of every pipeline that runs after no other (their dependents follow on success).
 */
import type { LoadedProject } from '../project/load.js';
import { jobName, projectJobs } from '../project/model.js';
import { jobOptions, safeId, type FleetJobData, type FleetQueue } from './queue.js';

/** What a registration changed (names of `<seller>/<pipeline>`). */
export interface ScheduleResult {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: string[];
  queued: string[];
}

/** Why: the comparison that makes registering twice a no-op: what a scheduler is made of (keys sorted: Redis hands them back in another order). */
function fingerprint(s: { pattern?: string; tz?: string; data?: unknown; opts?: unknown }): string {
  return canonical([s.pattern ?? '', s.tz ?? 'UTC', s.data ?? null, s.opts ?? null]);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v ?? null);
}

/** Why: one function for the CLI and the tests; `dryRun` computes the result without changing anything. */
export async function syncSchedules(q: FleetQueue, project: LoadedProject, o: { now?: boolean; dryRun?: boolean; stamp?: string } = {}): Promise<ScheduleResult> {
  const result: ScheduleResult = { added: [], changed: [], removed: [], unchanged: [], queued: [] };
  const opts = jobOptions(project);
  const existing = new Map((await q.queue.getJobSchedulers(0, -1, true)).map((s) => [s.key, s]));
  const jobs = projectJobs(project.config, project.dir);
  const wanted = new Set<string>();
  for (const job of jobs) {
    if (!job.schedule) continue;
    const id = jobName(job.seller, job.pipeline);
    wanted.add(id);
    const data: FleetJobData = { project: project.config.name, seller: job.seller, pipeline: job.pipeline, trigger: 'schedule' };
    const want = { pattern: job.schedule, tz: job.timezone ?? 'UTC', data, opts };
    const have = existing.get(id);
    if (have && fingerprint({ pattern: have.pattern, tz: have.tz, data: have.template?.data, opts: have.template?.opts }) === fingerprint(want)) {
      result.unchanged.push(id);
      continue;
    }
    (have ? result.changed : result.added).push(id);
    if (!o.dryRun) await q.queue.upsertJobScheduler(id, { pattern: job.schedule, tz: want.tz }, { name: id, data, opts });
  }
  for (const id of existing.keys()) {
    if (wanted.has(id)) continue;
    result.removed.push(id);
    if (!o.dryRun) await q.queue.removeJobScheduler(id);
  }
  if (o.now) {
    const stamp = o.stamp ?? new Date().toISOString().replace(/[:.]/g, '-');
    for (const job of jobs) {
      if (job.after.length) continue;
      const id = jobName(job.seller, job.pipeline);
      result.queued.push(id);
      if (!o.dryRun) {
        const data: FleetJobData = { project: project.config.name, seller: job.seller, pipeline: job.pipeline, trigger: 'now' };
        await q.queue.add(id, data, { ...opts, jobId: safeId(job.seller, job.pipeline, 'now', stamp) });
      }
    }
  }
  for (const list of Object.values(result)) list.sort();
  return result;
}
