/**
 * The fleet's queue on BullMQ: its name and key prefix, the job data, the options every job gets
 * (retries with exponential backoff, how many finished jobs are kept), and the names of jobs and
 * schedulers, so the scheduler, the workers and `manoflow jobs` agree on them.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { LoadedProject } from '../project/load.js';
import { fleetSettings, projectJobs } from '../project/model.js';
import { connectRedis } from '../state/redis/connection.js';

/** BullMQ's key prefix for manoflow's queues (the queue name comes from the project). */
export const QUEUE_PREFIX = 'manoflow-bull';

/** What a job carries: names only. Secrets and variables are read by the worker from its project file and environment. */
export interface FleetJobData {
  project: string;
  seller: string;
  pipeline: string;
  /** Why it runs: its schedule, `schedule --now`, or the success of another pipeline. */
  trigger: 'schedule' | 'now' | 'after';
  /** For `after`: the run that triggered it. */
  after?: { pipeline: string; job: string };
  /** Set on a failed job before it fails: what the run did, and where its reports are. */
  outcome?: unknown;
}

/** Why: one options object for every job added, whoever adds it. */
export function jobOptions(project: LoadedProject): JobsOptions {
  const f = fleetSettings(project.config);
  const keep = f.keepRuns * Math.max(1, projectJobs(project.config, project.dir).length);
  return {
    attempts: f.attempts,
    backoff: { type: 'exponential', delay: f.backoffMs },
    removeOnComplete: { count: keep },
    removeOnFail: { count: keep },
  };
}

/** Why: BullMQ refuses custom job ids with ":"; these use "/" and "-" only. */
export function safeId(...parts: string[]): string {
  return parts.join('/').replace(/:/g, '-');
}

/** A queue handle with its own connection, closed together. */
export interface FleetQueue {
  queue: Queue<FleetJobData>;
  connection: Redis;
  close(): Promise<void>;
}

/** Why: every command that adds or lists jobs opens the queue the same way. */
export function openQueue(redisUrl: string, project: LoadedProject): FleetQueue {
  const connection = connectRedis(redisUrl, { name: 'manoflow-queue' });
  const queue = new Queue<FleetJobData>(fleetSettings(project.config).queue, { connection, prefix: QUEUE_PREFIX });
  queue.on('error', () => {}); // surfaced by the calls that fail
  return {
    queue,
    connection,
    async close() {
      await queue.close().catch(() => {});
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
