/**
 * A fleet worker: a BullMQ Worker on the project's queue that runs jobs with run-job.ts, any
 * number of them per machine and any number of machines. BullMQ hands each job to one worker and
 * takes it back from a worker that stopped answering (`fleet.stalled_seconds`); the fleet locks
 * make sure one contract's flow runs in one job at a time. Shutdown (SIGTERM) stops taking jobs
 * and waits for the running ones to finish; past the grace time it aborts them, and an aborted run
 * commits nothing (it is retried by another worker).
 */
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { LoadedProject } from '../project/load.js';
import { fleetSettings } from '../project/model.js';
import type { Logger } from '../runtime/types.js';
import { connectRedis } from '../state/redis/connection.js';
import { DEFAULT_REDIS_PREFIX, openRedisStore } from '../state/redis/open.js';
import { openQueue, QUEUE_PREFIX, type FleetJobData } from './queue.js';
import { runFleetJob, type JobOutcome } from './run-job.js';

/** How to start a worker. */
export interface WorkerOptions {
  redisUrl: string;
  project: LoadedProject;
  concurrency?: number;
  log: Logger;
  /** Called when a job ends (done, failed, or failed for good). */
  onJobEnd?: (job: Job<FleetJobData>, outcome: JobOutcome | undefined, err?: Error) => void;
}

/** A running worker. */
export interface FleetWorker {
  /** Stops taking jobs, waits for the running ones up to `graceMs`, then aborts them; closes every connection. */
  close(graceMs: number): Promise<void>;
  /** Resolves once the worker has connected and waits for jobs. */
  ready: Promise<void>;
}

/** Why: `manoflow worker` and the tests start workers the same way. */
export async function startWorker(o: WorkerOptions): Promise<FleetWorker> {
  const f = fleetSettings(o.project.config);
  const projectState = o.project.config.state ?? {};
  const prefix = projectState.prefix ?? DEFAULT_REDIS_PREFIX;
  const store = { store: 'redis' as const, url: o.redisUrl, prefix };
  const locks = await openRedisStore(store);
  const budgetRedis: Redis = connectRedis(o.redisUrl, { name: 'manoflow-budget' });
  const q = openQueue(o.redisUrl, o.project);
  const stop = new AbortController();
  const workerConnection = connectRedis(o.redisUrl, { name: 'manoflow-worker', blocking: true });
  const ctx = { project: o.project, store, lockStore: locks.store, budgetRedis, queue: q.queue, log: o.log, stop: stop.signal };
  const worker = new Worker<FleetJobData, JobOutcome>(f.queue, (job, token) => runFleetJob(job, token, ctx), {
    connection: workerConnection,
    prefix: QUEUE_PREFIX,
    concurrency: o.concurrency ?? 1,
    lockDuration: f.stalledMs,
    stalledInterval: Math.max(500, Math.floor(f.stalledMs / 2)),
    maxStalledCount: f.attempts,
    autorun: true,
  });
  worker.on('error', (err) => o.log.warn(`worker: ${err.message}`));
  worker.on('completed', (job, outcome) => o.onJobEnd?.(job, outcome));
  worker.on('failed', (job, err) => { if (job) o.onJobEnd?.(job, (job.data as FleetJobData).outcome as JobOutcome | undefined, err); });
  await warnWithoutPersistence(budgetRedis, o.log);
  let closing: Promise<void> | undefined;
  return {
    ready: worker.waitUntilReady().then(() => {}),
    close(graceMs: number) {
      closing ??= (async () => {
        const timer = setTimeout(() => {
          o.log.warn(`worker ${hostname()}/${process.pid}: running jobs did not finish within ${Math.round(graceMs / 1000)} s: stopping them (nothing they did is committed; they are retried)`);
          stop.abort();
        }, graceMs);
        try {
          await worker.close();
        } finally {
          clearTimeout(timer);
          await q.close();
          await locks.release();
          await budgetRedis.quit().catch(() => budgetRedis.disconnect());
          await workerConnection.quit().catch(() => workerConnection.disconnect());
        }
      })();
      return closing;
    },
  };
}

/** Why: the journal's guarantee needs Redis to keep what it acknowledged; say so when it will not survive a restart. */
async function warnWithoutPersistence(redis: Redis, log: Logger): Promise<void> {
  try {
    const reply = await redis.config('GET', 'appendonly') as string[];
    if (reply[1] === 'no') log.warn('Redis runs without append-only persistence (appendonly no): a crash or restart of Redis loses the journal\'s latest entries and may let an order action be sent twice; set `appendonly yes` and `appendfsync always` (docs/scale-out.md)');
  } catch {
    // CONFIG is often disabled on managed Redis: nothing to say
  }
}
