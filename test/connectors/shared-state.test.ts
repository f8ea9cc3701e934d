/**
 * Issue 11 item 1: runs that share one state dir but not their TMPDIR (systemd PrivateTmp, another
 * user, another container) used to take their locks in different temp folders, and both sent
 * everything. The locks now live in the state store: two CLI runs started together, each with its
 * own TMPDIR, against the simulator over loopback. Counted in the simulator's request log: every
 * order action is POSTed once, every offer PATCHed once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';
import { runCli } from '../helpers/cli.js';
import { patchedSkus, writePipeline as writeOffersPipeline } from './manomano-offers/helpers.js';
import { actionPosts, appliedCount, C, ordersIn, tempDir, writeNdjson, writePipeline } from './order-actions/helpers.js';

let sim: Simulator;
beforeEach(async () => { sim = await startSimulator({ port: 0 }); });
afterEach(async () => { await sim.close(); });

const twoTmpDirs = () => [mkdtempSync(join(tmpdir(), 'mf-tmp-a-')), mkdtempSync(join(tmpdir(), 'mf-tmp-b-'))];

describe('two runs sharing one state dir with different TMPDIRs', () => {
  test('order actions: started together, no order is POSTed twice; the second run skips what the first sent', async () => {
    const dir = tempDir('mf-shared-');
    const refs = ordersIn(sim, 'PENDING').map((o) => o.order_reference);
    const input = writeNdjson(dir, 'decisions.ndjson', refs.map((r) => ({ order_reference: r })));
    const file = writePipeline(dir, 'accept', sim, { source: `type: ndjson\npath: ${input}`, destination: 'type: manomano-order-decisions', connection: 'batch_size: 5' });
    const [a, b] = twoTmpDirs();
    const runs = await Promise.all([runCli(['run', file], { env: { TMPDIR: a } }), runCli(['run', file], { env: { TMPDIR: b } })]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const posted = actionPosts(sim, '/orders/v1/accept-orders').flatMap((p) => p.refs);
    expect(posted.sort()).toEqual([...refs].sort());
    expect([...appliedCount(sim, 'accept').values()].every((n) => n === 1)).toBe(true);
    const outs = runs.map((r) => r.stdout).sort();
    expect(outs.filter((o) => o.includes(`ManoMano: sent ${refs.length}\n`))).toHaveLength(1);
    expect(outs.filter((o) => o.includes(`ManoMano: skipped ${refs.length}\n`))).toHaveLength(1);
    // (Whether the second one had to wait depends on when each child got going: not asserted.)
  });

  test('price & stock: two runs of one contract started together, no SKU is PATCHed twice; the second finds them unchanged', async () => {
    const dir = tempDir('mf-shared-offers-');
    const offers = sim.state.listOffers(C);
    const rows = offers.map((o, i) => ({ sku: o.sku, quantity: (o.stock + 1 + i) % 90, price: (o.price + 1).toFixed(2) }));
    const file = writeOffersPipeline(dir, sim.url, rows, ['batch_size: 50']);
    const [a, b] = twoTmpDirs();
    const runs = await Promise.all([runCli(['run', file], { env: { TMPDIR: a } }), runCli(['run', file], { env: { TMPDIR: b } })]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const patched = patchedSkus(sim);
    expect(patched).toHaveLength(offers.length);
    expect(new Set(patched).size).toBe(offers.length);
    expect(runs.map((r) => r.stdout).filter((o) => o.includes(`unchanged: ${offers.length}\n`))).toHaveLength(1);
    for (const r of rows) expect(sim.state.getOffer(C, r.sku)).toMatchObject({ stock: r.quantity, price: Number(r.price) });
  });
});
