/**
 * What a worker does with one job: find its (seller, pipeline) in the project, take the fleet lock
 * of its seller contract(s) and flow (a lease in Redis with a fencing token, renewed while the job
 * runs; busy: the job is put back, delayed, without using an attempt), run the pipeline with the
 * seller's environment, the shared state and the API key's shared request budget, report progress,
 * then either queue the pipelines that run after it (success) or fail: with a retry when the failure
 * is safe to retry (classify.ts), for good otherwise. The outcome (summary, report paths and the
 * first lines of the reject report) is the job's return value, or kept in its data when it fails.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { DelayedError, UnrecoverableError, type Job, type Queue } from 'bullmq';
import { ManoflowError, PipelineConfigError } from '../errors.js';
import { prepareJob } from '../project/job.js';
import type { LoadedProject } from '../project/load.js';
import { fleetSettings, jobName, projectJobs, requestsPerSecondOf } from '../project/model.js';
import { runPipeline, type RunSummary } from '../runtime/run.js';
import type { Logger, StateSettings } from '../runtime/types.js';
import { redact } from '../secrets.js';
import { acquireStateLock, type HeldStateLock } from '../state/lease.js';
import type { StateStore } from '../state/store.js';
import type { Redis } from 'ioredis';
import { budgetKey, RedisRequestBudget } from './budget.js';
import { decidingCode, isRetryable } from './classify.js';
import { jobLockNames } from './lock-key.js';
import { jobOptions, safeId, type FleetJobData } from './queue.js';

/** What every job of a worker shares. */
export interface WorkerContext {
  project: LoadedProject;
  /** The store settings jobs default to (the worker's Redis). */
  store: StateSettings & { store: 'redis'; url: string; prefix: string };
  /** Where the fleet's job locks live (always the worker's Redis). */
  lockStore: StateStore;
  /** The connection the API keys' budgets are drawn on. */
  budgetRedis: Redis;
  queue: Queue<FleetJobData>;
  log: Logger;
  /** Aborted when the worker must stop its running jobs (shutdown past its grace time). */
  stop: AbortSignal;
}

/** What a finished run leaves in the queue: enough to read without the worker's disk. */
export interface JobOutcome {
  ok: boolean;
  seller: string;
  pipeline: string;
  host: string;
  pid: number;
  attempt: number;
  startedAt: string;
  durationMs: number;
  summary?: Pick<RunSummary, 'read' | 'written' | 'rejected' | 'filtered' | 'rejectsByCode' | 'items' | 'itemProblemsByCode' | 'outputs' | 'rejectReport' | 'itemReport' | 'limited'>;
  error?: { code: string; message: string; hint?: string; retryable: boolean };
  /** The first lines of the reject report, when it has any. */
  rejects?: string[];
  queued?: string[];
}

/** Why: the BullMQ processor's body (worker.ts binds it); returns the outcome or throws what BullMQ must see. */
export async function runFleetJob(job: Job<FleetJobData>, token: string | undefined, ctx: WorkerContext): Promise<JobOutcome> {
  const { seller, pipeline } = job.data;
  if (job.data.project !== ctx.project.config.name) {
    throw new UnrecoverableError(`FLEET_WRONG_PROJECT job ${job.id} belongs to project "${job.data.project}", this worker runs "${ctx.project.config.name}" on the same queue: give each project its own fleet.queue (or Redis prefix)`);
  }
  const target = projectJobs(ctx.project.config, ctx.project.dir).find((j) => j.seller === seller && j.pipeline === pipeline);
  if (!target) {
    throw new UnrecoverableError(`FLEET_UNKNOWN_JOB ${jobName(seller, pipeline)} is not in this worker's project ${ctx.project.displayPath} (${ctx.project.config.name}): start the workers with the same project file as the scheduler`);
  }
  const started = Date.now();
  const base = { seller, pipeline, host: hostname(), pid: process.pid, attempt: job.attemptsMade + 1, startedAt: new Date(started).toISOString() };
  let prepared: ReturnType<typeof prepareJob>;
  try {
    prepared = prepareJob(ctx.project.config, target, { store: ctx.store });
  } catch (err) {
    return fail(job, ctx, { ...base, ok: false, durationMs: Date.now() - started }, err);
  }
  const locks = await lockJob(job, token, ctx, jobLockNames(prepared.pipeline, seller, pipeline));
  let outcome: JobOutcome;
  try {
    const rps = requestsPerSecondOf(ctx.project.config, seller);
    let lastProgress = 0;
    const summary = await runPipeline(prepared.pipeline, {
      stateOverride: prepared.stateOverride,
      signal: ctx.stop,
      log: prefixed(ctx.log, `[${jobName(seller, pipeline)}] `),
      rateBudget: ({ apiKey, baseUrl }) => new RedisRequestBudget(ctx.budgetRedis, budgetKey(ctx.store.prefix, apiKey, baseUrl), rps),
      onProgress: (p) => {
        if (Date.now() - lastProgress < 250) return;
        lastProgress = Date.now();
        void job.updateProgress({ read: p.read, written: p.written, rejected: p.rejected, filtered: p.filtered }).catch(() => {});
      },
    });
    await job.updateProgress({ read: summary.read, written: summary.written, rejected: summary.rejected, filtered: summary.filtered, done: true }).catch(() => {});
    outcome = { ...base, ok: summary.ok, durationMs: Date.now() - started, summary: pick(summary), ...rejectsHead(summary) };
    if (!summary.ok) {
      const failed = summary.items?.failed ?? 0;
      return await fail(job, ctx, outcome, new ManoflowError('FLEET_ITEMS_FAILED', `${failed} item(s) could not be sent after the client's retries`, { hint: 'the job is retried: the journal and the offers snapshot make a re-run send only what ManoMano did not confirm' }));
    }
  } catch (err) {
    const summary = (err as { summary?: RunSummary }).summary;
    return await fail(job, ctx, { ...base, ok: false, durationMs: Date.now() - started, ...(summary ? { summary: pick(summary), ...rejectsHead(summary) } : {}) }, err);
  } finally {
    for (const l of locks.reverse()) await l.release();
  }
  outcome.queued = await queueDependents(job, ctx);
  return JSON.parse(redact(JSON.stringify(outcome))) as JobOutcome;
}

/**
 * Takes the job's locks; when one is held by another live job, releases what it took and puts the
 * job back in the queue, delayed (1, 2, 4... up to 30 s), without counting an attempt.
 */
async function lockJob(job: Job<FleetJobData>, token: string | undefined, ctx: WorkerContext, names: string[]): Promise<HeldStateLock[]> {
  const held: HeldStateLock[] = [];
  const ttlMs = fleetSettings(ctx.project.config).lockTtlMs;
  try {
    for (const name of names) held.push(await acquireStateLock(ctx.lockStore, name, { timeoutMs: 0, ttlMs, purpose: `running ${jobName(job.data.seller, job.data.pipeline)} (job ${job.id})` }));
    return held;
  } catch (err) {
    for (const l of held) await l.release();
    if (!(err instanceof ManoflowError) || err.code !== 'STATE_LOCKED') throw err;
    const postponed = ((job.data as { postponed?: number }).postponed ?? 0) + 1;
    await job.updateData({ ...job.data, postponed } as FleetJobData);
    const delay = Math.min(30_000, 500 * 2 ** Math.min(postponed, 6)) + Math.floor(Math.random() * 250);
    ctx.log.debug(`[${jobName(job.data.seller, job.data.pipeline)}] ${names.join(', ')} busy: job ${job.id} put back for ${delay} ms`);
    await job.moveToDelayed(Date.now() + delay, token);
    throw new DelayedError();
  }
}

/** Records the outcome in the job, then throws: a retryable error as is (BullMQ retries with backoff), any other as unrecoverable. */
async function fail(job: Job<FleetJobData>, ctx: WorkerContext, partial: Omit<JobOutcome, 'error'>, err: unknown): Promise<never> {
  if (err instanceof DelayedError || err instanceof UnrecoverableError) throw err;
  const retryable = isRetryable(err) && !(ctx.stop.aborted && decidingCode(err) !== 'RUN_ABORTED');
  const e = err instanceof PipelineConfigError
    ? { code: 'CFG_INVALID', message: err.message, hint: err.diagnostics.find((d) => d.severity === 'error')?.hint }
    : err instanceof ManoflowError ? { code: err.code, message: err.message, hint: err.hint } : { code: 'RUN_CRASHED', message: String((err as Error)?.stack ?? err) };
  const outcome: JobOutcome = JSON.parse(redact(JSON.stringify({ ...partial, error: { ...e, retryable } })));
  await job.updateData({ ...job.data, outcome }).catch(() => {});
  const message = `${e.code} ${redact(e.message)}`;
  ctx.log.warn(`[${jobName(job.data.seller, job.data.pipeline)}] job ${job.id} attempt ${partial.attempt} failed: ${message}${retryable ? ' (will be retried)' : ''}`);
  if (!retryable) throw new UnrecoverableError(message);
  throw Object.assign(new Error(message), { code: e.code });
}

/** Queues one run of each pipeline that runs after this one for the seller; its id makes a second queueing (a retried job) a no-op. */
async function queueDependents(job: Job<FleetJobData>, ctx: WorkerContext): Promise<string[]> {
  const { seller, pipeline } = job.data;
  const next = projectJobs(ctx.project.config, ctx.project.dir).filter((j) => j.seller === seller && j.after.includes(pipeline));
  const opts = jobOptions(ctx.project);
  for (const j of next) {
    const data: FleetJobData = { project: ctx.project.config.name, seller, pipeline: j.pipeline, trigger: 'after', after: { pipeline, job: String(job.id) } };
    await ctx.queue.add(jobName(seller, j.pipeline), data, { ...opts, jobId: safeId(seller, j.pipeline, 'after', String(job.id)) });
  }
  return next.map((j) => jobName(seller, j.pipeline));
}

function pick(s: RunSummary): JobOutcome['summary'] {
  return {
    read: s.read, written: s.written, rejected: s.rejected, filtered: s.filtered, rejectsByCode: s.rejectsByCode, limited: s.limited,
    outputs: s.outputs, rejectReport: s.rejectReport,
    ...(s.items ? { items: s.items, itemProblemsByCode: s.itemProblemsByCode } : {}),
    ...(s.itemReport ? { itemReport: s.itemReport } : {}),
  };
}

/** The header and first 20 rows of the reject report, when it has rows (it stays on the worker's disk). */
function rejectsHead(s: RunSummary): { rejects?: string[] } {
  if (!s.rejected) return {};
  try {
    return { rejects: readFileSync(s.rejectReport, 'utf8').split('\n').filter(Boolean).slice(0, 21) };
  } catch {
    return {};
  }
}

function prefixed(log: Logger, head: string): Logger {
  return { info: (m) => log.info(head + m), warn: (m) => log.warn(head + m), debug: (m) => log.debug(head + m) };
}
