/**
 * The fleet on a real redis-server and the simulator over loopback, with `manoflow schedule`,
 * `manoflow worker` and `manoflow jobs` run as child processes: schedules registered idempotently
 * (again: nothing changes; removed from the project: removed), every job of `--now` run with
 * dependents after their pipeline, failures retried only when safe (a 503 is, a missing secret is
 * not) and kept with their outcome, progress visible while a job runs, a SIGTERM'd worker that
 * finishes its job and exits 0, and one job at a time per seller contract and flow.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueEvents, type Job } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { QUEUE_PREFIX } from '../../engine/fleet/queue.js';
import type { JobOutcome } from '../../engine/fleet/run-job.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../engine/manomano/simulator/index.js';
import { connectRedis } from '../../engine/state/redis/connection.js';
import { runCli } from '../helpers/cli.js';
import { spawnWorker, testQueue, until, type WorkerProcess } from '../helpers/fleet.js';
import { fleetEnv, fleetKeys, testSellers, writeFleetProject, type TestSeller } from '../helpers/fleet-project.js';
import { HAS_REDIS, REDIS_SKIP_REASON, startRedis, type TestRedis } from '../helpers/redis.js';

describe.skipIf(!HAS_REDIS)(`fleet: schedule, worker, jobs${REDIS_SKIP_REASON}`, () => {
  let redis: TestRedis;
  let sim: Simulator | undefined;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => { redis = await startRedis(); });
  afterAll(async () => { await redis?.stop(); });
  afterEach(async () => {
    for (const w of workers.splice(0)) { w.child.kill('SIGKILL'); await w.exited; }
    await sim?.close();
    sim = undefined;
    const r = connectRedis(redis.url);
    await r.flushall();
    await r.quit();
  });

  async function setup(n: number, o: { sim?: SimulatorOptions; project?: Parameters<typeof writeFleetProject>[3] } = {}): Promise<{ file: string; sellers: TestSeller[]; env: Record<string, string> }> {
    const sellers = testSellers(n);
    sim = await startSimulator({ port: 0, keys: fleetKeys(sellers), ordersPerContract: 10, offersPerContract: 12, ...o.sim });
    const file = writeFleetProject(mkdtempSync(join(tmpdir(), 'mf-fleet-')), sim, sellers, o.project);
    return { file, sellers, env: fleetEnv(sellers, sim) };
  }

  const worker = (file: string, env: Record<string, string>, extra: string[] = []) => {
    const w = spawnWorker(['--redis', redis.url, file, ...extra], env);
    workers.push(w);
    return w;
  };

  async function finished(n: number): Promise<Job[]> {
    const q = testQueue(redis.url);
    try {
      await until(async () => { const c = await q.queue.getJobCounts('completed', 'failed'); return (c.completed ?? 0) + (c.failed ?? 0) >= n; }, `${n} finished jobs`);
      return [...await q.queue.getJobs(['completed', 'failed'], 0, -1)];
    } finally {
      await q.close();
    }
  }

  test('schedule: registering again changes nothing; a schedule removed or changed in the project is removed or updated', async () => {
    const { file } = await setup(2);
    const first = await runCli(['schedule', '--redis', redis.url, file, '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ added: ['s01/accept', 's01/offers', 's02/accept', 's02/offers'], changed: [], removed: [], unchanged: [] });
    const q = testQueue(redis.url);
    const before = await q.queue.getJobSchedulers(0, -1, true);
    const again = await runCli(['schedule', '--redis', redis.url, file]);
    expect(again.stdout).toContain('schedules added 0\nschedules changed 0\nschedules removed 0\nschedules unchanged 4\n');
    expect(await q.queue.getJobSchedulers(0, -1, true)).toEqual(before);
    writeFileSync(file, readFileSync(file, 'utf8').replace('offers: { file: pipelines/offers.yaml, schedule: "0 4 29 2 *" }', 'offers: { file: pipelines/offers.yaml }').replace('"0 3 29 2 *"', '"0 3 28 2 *"'));
    const edited = JSON.parse((await runCli(['schedule', '--redis', redis.url, file, '--json'])).stdout);
    expect(edited).toMatchObject({ added: [], changed: ['s01/accept', 's02/accept'], removed: ['s01/offers', 's02/offers'], unchanged: [] });
    expect((await q.queue.getJobSchedulers(0, -1, true)).map((s) => [s.key, s.pattern])).toEqual([['s01/accept', '0 3 28 2 *'], ['s02/accept', '0 3 28 2 *']]);
    await q.close();
    const down = await runCli(['schedule', '--redis', 'redis://127.0.0.1:1', file]); // nothing listens on port 1: an error, not a hang
    expect([down.code, down.stderr]).toEqual([3, expect.stringMatching(/^manoflow schedule: STATE_REDIS_UNAVAILABLE Redis at redis:\/\/127\.0\.0\.1:1 is unreachable/)]);
  });

  test('schedule --now and one worker: every pipeline of every seller runs, ship after accept; `jobs` lists them with their summaries', async () => {
    const { file, sellers, env } = await setup(2);
    const pending = sellers.flatMap((s) => sim!.state.listOrders(s.contract).filter((o) => o.status === 'PENDING').map((o) => o.order_reference));
    const w = worker(file, env, ['--concurrency', '2']);
    await w.ready;
    const now = await runCli(['schedule', '--redis', redis.url, file, '--now']);
    expect(now.stdout).toContain('runs queued now 4: s01/accept, s01/offers, s02/accept, s02/offers');
    const jobs = await finished(6);
    expect(jobs.map((j) => [j.name, j.finishedOn !== undefined && j.failedReason === undefined]).sort()).toEqual(
      ['s01/accept', 's01/offers', 's01/ship', 's02/accept', 's02/offers', 's02/ship'].map((n) => [n, true]));
    const ship = jobs.find((j) => j.name === 's01/ship')!;
    expect(ship.data).toMatchObject({ trigger: 'after', after: { pipeline: 'accept' } });
    const accepted = sim!.requests.filter((r) => r.path === '/orders/v1/accept-orders' && r.status < 300).flatMap((r) => (r.body as { order_reference: string }[]).map((b) => b.order_reference));
    expect(accepted.sort()).toEqual([...pending].sort());
    const listed = await runCli(['jobs', '--redis', redis.url, file]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/queue manoflow: 0 active, 0 waiting, 0 prioritized, 4 delayed, 6 completed, 0 failed/);
    expect(listed.stdout).toMatch(/^s01\/accept {2}\(schedule 0 3 29 2 \*, next \d{4}-02-29T03:00:00\.000Z\)$/m);
    expect(listed.stdout).toMatch(/^ {2}completed +job \S+ {2}\S+ {2}done in [\d.]+s: read \d+, to send \d+, rejected 0, filtered 0; ManoMano: sent \d+/m);
    expect(listed.stdout).toContain('queued s01/ship');
    expect(w.stdout).toMatch(/s02\/ship job \S+: done in/);
  });

  test('a 503 is retried (with backoff, up to fleet.attempts) and kept failed with its outcome; a missing secret fails at once; the dependents of a failed job never run', async () => {
    const { file, env } = await setup(2, {
      sim: { faults: [{ endpoint: 'PATCH /api/v2/offer-information/offers', kind: 'status', status: 503 }] },
      project: { fleet: 'fleet: { requests_per_second: 50, attempts: 3, backoff_seconds: 0.1, lock_ttl_seconds: 10, stalled_seconds: 4 }', maxRetries: 0 },
    });
    delete env.S02_API_KEY;
    worker(file, env);
    await runCli(['schedule', '--redis', redis.url, file, '--now']);
    const jobs = await finished(5); // s01: offers (failed), accept, ship; s02: offers, accept (failed)
    const by = new Map(jobs.map((j) => [j.name, j]));
    expect([...by.keys()].sort()).toEqual(['s01/accept', 's01/offers', 's01/ship', 's02/accept', 's02/offers']);
    const offers = by.get('s01/offers')!;
    expect(offers.attemptsMade).toBe(3);
    expect(offers.failedReason).toMatch(/^(OFFERS_SEND_INCOMPLETE|API_HTTP_503) /);
    expect(offers.data.outcome).toMatchObject({ ok: false, error: { retryable: true }, summary: { read: 12 } });
    for (const name of ['s02/offers', 's02/accept']) {
      const j = by.get(name)!;
      expect([name, j.attemptsMade, j.failedReason]).toEqual([name, 1, expect.stringMatching(/^CFG_SECRET_UNSET seller "s02": secret MANOMANO_API_KEY \(from \$\{S02_API_KEY\}\) is not set on this machine/)]);
      expect((j.data.outcome as JobOutcome).error).toMatchObject({ code: 'CFG_SECRET_UNSET', retryable: false });
    }
    const listed = await runCli(['jobs', '--redis', redis.url, file, '--seller', 's02']);
    expect(listed.stdout).toMatch(/failed +job \S+ {2}\S+ {2}FAILED \(attempt 1\): CFG_SECRET_UNSET/);
    expect(listed.stdout).not.toContain('fleet-key-');
  });

  test('progress is visible while a job runs; SIGTERM lets the worker finish its job and exit 0', async () => {
    const { file, env } = await setup(1, { sim: { faults: [{ endpoint: 'POST /orders/v1/accept-orders', kind: 'latency', ms: 700 }] } });
    const w = worker(file, env);
    await w.ready;
    const events = new QueueEvents('manoflow', { connection: connectRedis(redis.url, { blocking: true }), prefix: QUEUE_PREFIX });
    await events.waitUntilReady();
    const progress: unknown[] = [];
    let signalled = false;
    events.on('progress', ({ data }) => {
      progress.push(data);
      if (!signalled && (data as { read?: number }).read) { signalled = true; w.child.kill('SIGTERM'); }
    });
    const q = testQueue(redis.url);
    const job = await q.queue.add('s01/accept', { project: 'test-fleet', seller: 's01', pipeline: 'accept', trigger: 'now' });
    const exit = await w.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(w.stderr).toContain('SIGTERM: no new job is taken; waiting up to 60 s for the running ones to finish');
    expect(progress[0]).toMatchObject({ read: expect.any(Number), written: expect.any(Number) });
    expect(await (await q.queue.getJob(job.id!))!.getState()).toBe('completed');
    expect(await q.queue.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 1, delayed: 0 }); // ship, queued after accept, waits for a worker
    await events.close();
    await q.close();
  });

  test('two pipelines of one contract and flow never run at once, whatever the concurrency', async () => {
    const { file, env } = await setup(1, {
      sim: { faults: [{ endpoint: 'PATCH /api/v2/offer-information/offers', kind: 'latency', ms: 150 }] },
      project: { pipelines: ['pipelines:', '  offers: { file: pipelines/offers.yaml }', '  offers-again: { file: pipelines/offers.yaml }', '  accept: { file: pipelines/accept.yaml }'].join('\n') },
    });
    worker(file, env, ['--concurrency', '3']);
    worker(file, env, ['--concurrency', '3']);
    await runCli(['schedule', '--redis', redis.url, file, '--now']);
    const jobs = await finished(3);
    const span = (name: string) => {
      const o = jobs.find((j) => j.name === name)!.returnvalue as JobOutcome;
      const start = Date.parse(o.startedAt);
      return [start, start + o.durationMs] as const;
    };
    const [a, b] = [span('s01/offers'), span('s01/offers-again')];
    expect(a[1] <= b[0] || b[1] <= a[0]).toBe(true);
    expect(jobs.every((j) => j.failedReason === undefined)).toBe(true);
  });
});
