/**
 * A worker stopped while a job is still sending (SIGTERM, then its --grace runs out): the run is
 * aborted, commits nothing it had not confirmed, and the job goes back to the queue as a retryable
 * failure; another worker then finishes it, and no order action is sent twice (simulator's log).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { QUEUE_PREFIX } from '../../engine/fleet/queue.js';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';
import { connectRedis } from '../../engine/state/redis/connection.js';
import { spawnWorker, testQueue, until, type WorkerProcess } from '../helpers/fleet.js';
import { fleetEnv, fleetKeys, testSellers, writeFleetProject } from '../helpers/fleet-project.js';
import { HAS_REDIS, REDIS_SKIP_REASON, startRedis, type TestRedis } from '../helpers/redis.js';

describe.skipIf(!HAS_REDIS)(`fleet: a worker stopped past its grace time${REDIS_SKIP_REASON}`, () => {
  let redis: TestRedis;
  let sim: Simulator;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => { redis = await startRedis(); });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) { w.child.kill('SIGKILL'); await w.exited; }
    await sim?.close();
    await redis?.stop();
  });

  test('the aborted job is retried elsewhere and nothing is sent twice', async () => {
    const sellers = testSellers(1);
    // The accept request takes 6 s; the worker's grace is 1 s.
    sim = await startSimulator({ port: 0, keys: fleetKeys(sellers), ordersPerContract: 30, faults: [{ endpoint: 'POST /orders/v1/accept-orders', kind: 'latency', ms: 6000, times: 1 }] });
    const file = writeFleetProject(mkdtempSync(join(tmpdir(), 'mf-shutdown-')), sim, sellers, { pipelines: 'pipelines:\n  accept: { file: pipelines/accept.yaml }' });
    const env = fleetEnv(sellers, sim);
    const pending = sim.state.listOrders(sellers[0]!.contract).filter((o) => o.status === 'PENDING').map((o) => o.order_reference);
    const first = spawnWorker(['--redis', redis.url, file, '--grace', '1'], env);
    workers.push(first);
    await first.ready;
    const events = new QueueEvents('manoflow', { connection: connectRedis(redis.url, { blocking: true }), prefix: QUEUE_PREFIX });
    await events.waitUntilReady();
    events.on('progress', () => first.child.kill('SIGTERM'));
    const q = testQueue(redis.url);
    const job = await q.queue.add('s01/accept', { project: 'test-fleet', seller: 's01', pipeline: 'accept', trigger: 'now' }, { attempts: 3, backoff: { type: 'fixed', delay: 100 } });
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.stderr).toContain('running jobs did not finish within 1 s: stopping them');
    const stopped = (await q.queue.getJob(job.id!))!;
    expect(stopped.attemptsMade).toBe(1);
    expect(stopped.failedReason).toMatch(/^RUN_ABORTED /);
    const second = spawnWorker(['--redis', redis.url, file], env);
    workers.push(second);
    await until(async () => (await (await q.queue.getJob(job.id!))!.getState()) === 'completed', 'the job to complete on the second worker');
    const posts = sim.requests.filter((r) => r.method === 'POST' && r.path === '/orders/v1/accept-orders')
      .flatMap((r) => (r.body as { order_reference: string }[]).map((b) => b.order_reference));
    expect(posts.filter((r, i) => posts.indexOf(r) !== i)).toEqual([]);
    expect(new Set(posts)).toEqual(new Set(pending));
    await events.close();
    await q.close();
  }, 60_000);
});
