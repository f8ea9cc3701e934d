/**
 * kill -9 during a price & stock run at a seeded request (before a PATCH leaves, or after ManoMano
 * applied it but before the answer came back), then a re-run: no offer is lost (ManoMano and the
 * snapshot end with every value of the input), and only the batch in flight at the kill may be
 * sent again (a PATCH is idempotent; what was confirmed is never resent).
 */
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../../engine/manomano/simulator/index.js';
import { bin, runCli } from '../../helpers/cli.js';
import { startKillProxy, type KillMode, type KillProxy } from '../../helpers/kill-proxy.js';
import { prng } from '../../helpers/prng.js';
import { offersOf, stateOf } from '../../helpers/state.js';
import { C, patchedSkus, tempDir, writePipeline } from './helpers.js';

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

describe('kill -9 during a price & stock run, then re-run', () => {
  // One trial in npm test (the order-action kill test covers the three kill points); MANOFLOW_KILL_TRIALS adds the others.
  const modes: KillMode[] = ['after-apply', 'before-request', 'after-reply'];
  const trials = Array.from({ length: Math.max(1, Number(process.env.MANOFLOW_KILL_TRIALS ?? 1)) }, (_, i): [number, KillMode] => [2202 + i, modes[i % 3]!]);
  test.each(trials)('seed %i, killed %s: nothing lost, only the batch in flight resent', async (seed, mode) => {
    const dir = tempDir();
    const rows = sim.state.listOffers(C).slice(0, 60).map((o, i) => ({ sku: o.sku, quantity: (o.stock + 2 + i) % 80, price: (o.price + 3).toFixed(2) }));
    const file = writePipeline(dir, proxy.url, rows, ['batch_size: 10', 'feedback: false', 'max_retries: 0']);
    const at = 1 + Math.floor(prng(seed)() * 6); // six PATCHes
    const child = spawn(process.execPath, [bin, 'run', file], { stdio: 'ignore' });
    proxy.arm(() => child.kill('SIGKILL'), at, mode);
    expect(await new Promise((r) => child.on('close', (_c, s) => r(s)))).toBe('SIGKILL');
    proxy.disarm();
    const rerun = await runCli(['run', file]);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    for (const r of rows) expect(sim.state.getOffer(C, r.sku)).toMatchObject({ stock: r.quantity, price: Number(r.price) });
    expect(offersOf(stateOf(dir), `local-${C}`)).toEqual(Object.fromEntries(rows.map((r) => [r.sku, { price: Number(r.price), quantity: r.quantity }])));
    const patched = patchedSkus(sim);
    const twice = patched.filter((s, i) => patched.indexOf(s) !== i);
    // Killed after the reply: the batch was resent or not, depending on whether its confirm was written first.
    expect(mode === 'before-request' ? [0] : mode === 'after-apply' ? [10] : [0, 10]).toContain(twice.length);
    expect(new Set(patched)).toEqual(new Set(rows.map((r) => r.sku)));
  });
});
