/**
 * kill -9 at seeded points of an order-action run (accept, then ship), then re-runs: zero
 * duplicates and zero losses, counted in the simulator's request log and in what it applied.
 * A loopback proxy between the CLI and the simulator kills the run at its k-th request (k from
 * the seed): before the request leaves, after ManoMano applied it but before the answer arrives,
 * or right after the answer arrived. The kill point covers the pending resolution, the status
 * pre-check, the sends and the feedback read-back. MANOFLOW_KILL_TRIALS=N runs more trials
 * (default 3, one per kill mode); a failure names its seed.
 */
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../../engine/manomano/simulator/index.js';
import { bin, runCli } from '../../helpers/cli.js';
import { KILL_MODES, startKillProxy, type KillProxy } from '../../helpers/kill-proxy.js';
import { prng } from '../../helpers/prng.js';
import { journalEntries, stateOf } from '../../helpers/state.js';
import { actionPosts, appliedCount, ordersIn, tempDir, writeNdjson, writePipeline } from './helpers.js';

const TRIALS = Number(process.env.MANOFLOW_KILL_TRIALS ?? 3);
const SEED = 1611;

let sim: Simulator;
let proxy: KillProxy;
beforeEach(async () => {
  sim = await startSimulator({ port: 0 });
  proxy = await startKillProxy(sim.url);
});
afterEach(async () => {
  await proxy.close();
  await sim.close();
});

/** The pipeline of a trial: accept 12 PENDING orders, or ship 12 PREPARATION ones, 3 per request, through the proxy. */
function trialPipeline(dir: string, action: 'accept' | 'ship'): { file: string; refs: string[]; path: string } {
  const viaProxy = { ...sim, url: proxy.url } as Simulator;
  if (action === 'accept') {
    const refs = ordersIn(sim, 'PENDING').slice(0, 12).map((o) => o.order_reference);
    const input = writeNdjson(dir, 'in.ndjson', refs.map((r) => ({ order_reference: r })));
    return { refs, path: '/orders/v1/accept-orders', file: writePipeline(dir, 'kill', viaProxy, { source: `type: ndjson\npath: ${input}`, destination: 'type: manomano-order-decisions', connection: 'batch_size: 3\nmax_retries: 0' }) };
  }
  const refs = ordersIn(sim, 'PREPARATION').slice(0, 12).map((o) => o.order_reference);
  const input = writeNdjson(dir, 'in.ndjson', refs.map((r) => ({ order_reference: r, carrier: 'DPD', tracking_number: `DPD${r}`, tracking_url: `https://tracking.dpd.de/status/${r}` })));
  return { refs, path: '/orders/v1/shippings', file: writePipeline(dir, 'kill', viaProxy, { source: `type: ndjson\npath: ${input}`, destination: 'type: manomano-shipments', connection: 'batch_size: 3\nmax_retries: 0' }) };
}

describe('kill -9 at seeded points of an order-action run, then re-run', () => {
  for (let trial = 0; trial < TRIALS; trial++) {
    const seed = SEED + trial;
    const mode = KILL_MODES[trial % KILL_MODES.length]!;
    const action = trial % 2 === 0 ? 'accept' : 'ship';
    test(`seed ${seed}: ${action}, killed ${mode}: every order acted on exactly once`, async () => {
      const at = 1 + Math.floor(prng(seed)() * 6); // a full run makes at least 6 requests
      const dir = tempDir('mf-kill-');
      const { file, refs, path } = trialPipeline(dir, action);
      const child = spawn(process.execPath, [bin, 'run', file], { stdio: ['ignore', 'ignore', 'pipe'] });
      proxy.arm(() => child.kill('SIGKILL'), at, mode);
      const ended = await new Promise<string>((r) => child.on('close', (c, s) => r(s ?? `code ${c}`)));
      expect([proxy.fired, ended]).toEqual([true, 'SIGKILL']);
      proxy.disarm();
      let rerun = await runCli(['run', file]);
      for (let i = 0; i < 2 && rerun.code !== 0; i++) rerun = await runCli(['run', file]);
      expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
      // Zero duplicates: the simulator received one request per order and applied each once.
      const posted = actionPosts(sim, path).flatMap((p) => p.refs);
      expect(posted.sort()).toEqual([...refs].sort());
      const applied = appliedCount(sim, action);
      expect([...applied.keys()].sort()).toEqual([...refs].sort()); // zero losses
      expect([...applied.values()].every((n) => n === 1)).toBe(true);
      expect(journalEntries(stateOf(dir)).filter((e) => e.action === action).map((e) => [e.order_reference, e.state]).sort()).toEqual(refs.map((r) => [r, 'done']).sort());
    });
  }
});
