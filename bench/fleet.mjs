#!/usr/bin/env node
// bench:fleet: N sellers × M pipelines (offers, accept, ship after accept, orders import) run
//   1. in one process, one after the other (runProject, the `run --project` code path), with the
//      state in the same Redis the fleet uses (and once with the default SQLite state, for scale);
//   2. through the BullMQ queue with 1, 2 and 4 `manoflow worker` processes (concurrency 1 each).
// Reports jobs per minute and the queue's overhead per job (queue with 1 worker vs one process).
// Workers are started before the clock starts; each round gets a fresh simulator, Redis and dirs.
// Usage: npm run bench:fleet [-- --sellers 10 --pipelines 3 --workers 1,2,4]   (needs redis-server)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const dist = (p) => import(join(root, 'dist/engine', p));
const { startSimulator } = await dist('manomano/simulator/index.js');
const { loadProject } = await dist('project/load.js');
const { runProject } = await dist('project/run.js');
const { openQueue } = await dist('fleet/queue.js');
const { syncSchedules } = await dist('fleet/schedule.js');
const { connectRedis } = await dist('state/redis/connection.js');

const { values } = parseArgs({ options: { sellers: { type: 'string' }, pipelines: { type: 'string' }, workers: { type: 'string' } } });
const N = Number(values.sellers ?? 10);
const M = Math.min(4, Number(values.pipelines ?? 3));
const WORKERS = (values.workers ?? '1,2,4').split(',').map(Number);
const sellers = Array.from({ length: N }, (_, i) => ({ id: `s${String(i + 1).padStart(3, '0')}`, key: `bench-key-${i + 1}-secret`, contract: 7001 + i }));

async function freePort() {
  return new Promise((resolve) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
}

async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'mf-bench-redis-'));
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { const r = connectRedis(url); await r.ping(); await r.quit(); break; } catch { await new Promise((r) => setTimeout(r, 50)); }
  }
  return { url, stop: () => { child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); } };
}

function writeProject(dir, sim, state) {
  mkdirSync(join(dir, 'pipelines'), { recursive: true });
  const api = ['  environment: local', '  base_url: ${SIM_URL}', '  api_key: ${MANOMANO_API_KEY}', '  seller_contract_id: ${MANOMANO_CONTRACT_ID}'].join('\n');
  const files = {
    offers: ['version: 1', 'name: offers', 'source: { type: ndjson, path: "../data/${MANOFLOW_SELLER}.ndjson" }', 'mapping: { automap: false, attributes: { sku: sku, quantity: quantity, price_vat_included: price } }', 'destination:', '  type: manomano-offers', api, '  batch_size: 50', '  feedback: false'],
    accept: ['version: 1', 'name: accept', 'source:', '  type: manomano-orders', api, '  statuses: [PENDING]', 'mapping: { automap: false, attributes: { order_reference: order_reference, decision: { value: accept } } }', 'destination:', '  type: manomano-order-decisions', api, '  feedback: false'],
    ship: ['version: 1', 'name: ship', 'source:', '  type: manomano-orders', api, '  statuses: [PREPARATION]', '  records: lines', 'mapping:', '  automap: false', '  attributes:', '    order_reference: order_reference', '    seller_sku: seller_sku', '    quantity: quantity', '    carrier: { value: Colissimo }', "    tracking_number: \"'6A' & $substring(order_reference, 1)\"", "    tracking_url: \"'https://example.com/t/' & order_reference\"", 'destination:', '  type: manomano-shipments', api, '  feedback: false'],
    import: ['version: 1', 'name: import', 'source:', '  type: manomano-orders', api, '  statuses: [SHIPPED]', '  records: lines', 'mapping: { automap: true, attributes: {} }', 'destination: { type: ndjson, output: "out/${MANOFLOW_SELLER}.orders.ndjson" }'],
  };
  const ids = Object.keys(files).slice(0, M);
  for (const id of ids) writeFileSync(join(dir, 'pipelines', `${id}.yaml`), files[id].join('\n') + '\n');
  mkdirSync(join(dir, 'data'), { recursive: true });
  for (const s of sellers) {
    writeFileSync(join(dir, 'data', `${s.id}.ndjson`), sim.state.listOffers(s.contract).map((o, i) => JSON.stringify({ sku: o.sku, price: Math.round((o.price + 1) * 100) / 100, quantity: (o.stock + i) % 40 })).join('\n') + '\n');
  }
  writeFileSync(join(dir, 'manoflow.yaml'), [
    'version: 1', 'name: bench', state,
    'fleet: { requests_per_second: 1000, attempts: 3, backoff_seconds: 0.5, stalled_seconds: 30 }',
    'pipelines:', ...ids.map((id) => `  ${id}: { file: pipelines/${id}.yaml${id === 'ship' ? ', after: [accept]' : ''} }`),
    'sellers:', ...sellers.map((s) => `  ${s.id}: { vars: { MANOMANO_CONTRACT_ID: ${s.contract} }, secrets: { MANOMANO_API_KEY: "\${K_${s.id.toUpperCase()}}" } }`),
  ].join('\n') + '\n');
  return join(dir, 'manoflow.yaml');
}

const env = (sim) => ({ SIM_URL: sim.url, ...Object.fromEntries(sellers.map((s) => [`K_${s.id.toUpperCase()}`, s.key])) });
const newSim = (port = 0) => startSimulator({ port, keys: Object.fromEntries(sellers.map((s) => [s.key, [s.contract]])), ordersPerContract: 20, offersPerContract: 50 });
const JOBS = N * M;

async function inProcess(redisUrl) {
  const sim = await newSim();
  const dir = mkdtempSync(join(tmpdir(), 'mf-bench-fleet-'));
  const file = writeProject(dir, sim, redisUrl ? `state: { store: redis, url: "${redisUrl}", prefix: bench-local }` : '');
  const project = loadProject(file, { env: { ...process.env, ...env(sim) } });
  const t0 = performance.now();
  const steps = await runProject(project, { env: { ...process.env, ...env(sim) } });
  const ms = performance.now() - t0;
  const bad = steps.filter((s) => s.status !== 'done');
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
  if (bad.length) throw new Error(`in-process run: ${bad.length} step(s) did not succeed: ${JSON.stringify(bad[0].error)}`);
  return ms;
}

async function viaQueue(redisUrl, workers) {
  // The workers stay up across two rounds: a warm-up (JIT, connections) and the measured one. Each
  // round gets a fresh Redis, a fresh simulator on the same port and no state folders.
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mf-bench-fleet-'));
  let sim = await newSim(port);
  const file = writeProject(dir, sim, '');
  const procs = Array.from({ length: workers }, () => {
    const p = spawn(process.execPath, [join(root, 'bin/manoflow.js'), 'worker', '--redis', redisUrl, file, '--quiet'], { env: { ...process.env, ...env(sim) }, stdio: ['ignore', 'ignore', 'pipe'] });
    p.ready = new Promise((resolve) => { let e = ''; p.stderr.on('data', (d) => { e += d; if (e.includes('waiting for jobs')) resolve(); }); });
    return p;
  });
  await Promise.all(procs.map((p) => p.ready));
  const project = loadProject(file, { env: { ...process.env, ...env(sim) } });
  let result;
  for (const round of ['warm-up', 'measured']) {
    if (round === 'measured') {
      await sim.close();
      sim = await newSim(port);
      rmSync(join(dir, 'pipelines', '.manoflow'), { recursive: true, force: true });
      rmSync(join(dir, 'pipelines', 'out'), { recursive: true, force: true });
    }
    const r = connectRedis(redisUrl); await r.flushall(); await r.quit();
    const q = openQueue(redisUrl, project);
    const t0 = performance.now();
    await syncSchedules(q, project, { now: true, stamp: round });
    for (;;) {
      const c = await q.queue.getJobCounts('completed', 'failed');
      if (c.completed + c.failed >= JOBS) { if (c.failed) throw new Error(`${c.failed} job(s) failed`); break; }
      await new Promise((res) => setTimeout(res, 20));
    }
    const ms = performance.now() - t0;
    const jobs = await q.queue.getJobs(['completed'], 0, -1);
    result = {
      ms,
      postponed: jobs.filter((j) => j.data.postponed).length,
      busy: jobs.reduce((n, j) => n + (j.returnvalue?.durationMs ?? 0), 0),
    };
    await q.close();
  }
  for (const p of procs) p.kill('SIGTERM');
  await Promise.all(procs.map((p) => new Promise((res) => p.on('exit', res))));
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

if (spawnSync('redis-server', ['--version']).status !== 0) { console.error('bench:fleet needs redis-server (apt-get install -y redis-server)'); process.exit(2); }
const redis = await startRedis();
try {
  console.log(`bench:fleet: ${N} sellers × ${M} pipelines = ${JOBS} jobs per round; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  await inProcess(redis.url); // warm-up (JIT, caches), not reported
  const sqlite = await inProcess(undefined);
  const local = await inProcess(redis.url);
  const perJob = (ms) => ms / JOBS;
  const perMin = (ms) => (JOBS / ms) * 60_000;
  console.log(`one process, SQLite state:  ${(sqlite / 1000).toFixed(2)} s, ${perMin(sqlite).toFixed(0)} jobs/min, ${perJob(sqlite).toFixed(0)} ms/job`);
  console.log(`one process, Redis state:   ${(local / 1000).toFixed(2)} s, ${perMin(local).toFixed(0)} jobs/min, ${perJob(local).toFixed(0)} ms/job`);
  const rows = [];
  for (const w of WORKERS) {
    const { ms, postponed, busy } = await viaQueue(redis.url, w);
    rows.push({ w, ms });
    console.log(`queue, ${w} worker${w > 1 ? 's' : ' '}:         ${(ms / 1000).toFixed(2)} s, ${perMin(ms).toFixed(0)} jobs/min, ${perJob(ms).toFixed(0)} ms/job wall; runs took ${(busy / JOBS).toFixed(0)} ms each on average; ${postponed} job(s) put back for a busy lock`);
  }
  const one = rows.find((r) => r.w === 1);
  if (one) console.log(`queue overhead per job (1 worker vs one process, Redis state): ${(perJob(one.ms) - perJob(local)).toFixed(0)} ms (${(one.ms / local).toFixed(2)}x)`);
  console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
} finally {
  redis.stop();
}
