/**
 * Safety limits stop a run before any PATCH (and --force lets it through); plan predicts exactly
 * what the run then sends, and changes nothing: no request that writes, no state written.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ManoflowError } from '../../../engine/errors.js';
import { runPipeline, type RunSummary } from '../../../engine/runtime/run.js';
import { startSimulator, type Simulator } from '../../../engine/manomano/simulator/index.js';
import { offersOf, stateOf } from '../../helpers/state.js';
import { C, patchBodies, tempDir, writePipeline, type StockRow } from './helpers.js';

let sim: Simulator;
beforeAll(async () => { sim = await startSimulator({ port: 0 }); });
afterAll(async () => { await sim?.close(); });
beforeEach(() => sim.clearRequests());

function rows(from: number, to: number): StockRow[] {
  return sim.state.listOffers(C).slice(from, to).map((o, i) => ({ sku: o.sku, quantity: 10 + i, price: o.price.toFixed(2) }));
}

async function failure(p: Promise<unknown>): Promise<ManoflowError & { summary: RunSummary }> {
  try {
    await p;
  } catch (err) {
    return err as ManoflowError & { summary: RunSummary };
  }
  throw new Error('the run was expected to fail');
}

const limits = ['safety:', '  max_zero_stock_percent: 20', '  max_price_drop_percent: 30'];

describe('safety limits', () => {
  it('a run zeroing too much stock sends nothing; --force sends it', async () => {
    const dir = tempDir();
    const base = rows(100, 110);
    const file = writePipeline(dir, sim.url, base, ['batch_size: 4', ...limits]);
    await runPipeline(file);
    const before = offersOf(stateOf(dir), `local-${C}`);
    expect(Object.keys(before)).toHaveLength(10);

    sim.clearRequests();
    const zeroed = base.map((r, i) => (i < 3 ? { ...r, quantity: 0 } : r));
    writePipeline(dir, sim.url, zeroed, ['batch_size: 4', ...limits]);
    const err = await failure(runPipeline(file));
    expect(err.code).toBe('SAFETY_LIMIT');
    expect(err.message).toContain('3 of 10 offers (30.0%) would go to zero stock; the limit is max_zero_stock_percent: 20');
    expect(err.hint).toContain('--force');
    expect(err.summary.items).toEqual({ skipped: 10 });
    expect(sim.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    expect(offersOf(stateOf(dir), `local-${C}`)).toEqual(before);

    const forced = await runPipeline(file, { force: true });
    expect(forced.details).toMatchObject({ sent: 3, unchanged: 7, safety_check: { ok: false, forced: true, zeroing: 3 } });
    expect(patchBodies(sim).flat().map((i) => i.stock)).toEqual([{ quantity: 0 }, { quantity: 0 }, { quantity: 0 }]);
  });

  it('a price drop beyond the limit names the offer and sends nothing', async () => {
    const dir = tempDir();
    const base = rows(120, 125);
    const file = writePipeline(dir, sim.url, base, limits);
    await runPipeline(file);
    sim.clearRequests();
    const dropped = base.map((r, i) => (i === 1 ? { ...r, price: (Number(r.price) / 2).toFixed(2) } : r));
    writePipeline(dir, sim.url, dropped, limits);
    const err = await failure(runPipeline(file));
    expect(err.code).toBe('SAFETY_LIMIT');
    expect(err.message).toMatch(new RegExp(`1 offer\\(s\\) would drop in price by more than 30%.*${base[1]!.sku} `));
    expect(patchBodies(sim)).toEqual([]);
  });
});

describe('safety limits without a snapshot (a fresh machine, a lost state)', () => {
  it("judge ManoMano's current values: 50 prices cut by 90% are not sent", async () => {
    const dir = tempDir();
    const offers = sim.state.listOffers(C).slice(170, 220);
    const cut = offers.map((o) => ({ sku: o.sku, quantity: o.stock, price: (o.price * 0.1).toFixed(2) }));
    const file = writePipeline(dir, sim.url, cut, limits);
    const err = await failure(runPipeline(file));
    expect(err.code).toBe('SAFETY_LIMIT');
    expect(err.message).toContain('50 offer(s) would drop in price by more than 30%');
    expect(err.message).toContain(`${offers[0]!.sku} ${offers[0]!.price.toFixed(2)} → ${(offers[0]!.price * 0.1).toFixed(2)} (-90.0%)`);
    expect(patchBodies(sim)).toEqual([]);
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/offer-information/offers']); // 50 SKUs per call
    expect(offersOf(stateOf(dir), `local-${C}`)).toEqual({});
    // The same prices, raised instead: sent, and from then on the snapshot is the baseline.
    sim.clearRequests();
    const raised = offers.map((o) => ({ sku: o.sku, quantity: o.stock, price: (o.price + 1).toFixed(2) }));
    writePipeline(dir, sim.url, raised, limits);
    expect((await runPipeline(file)).details).toMatchObject({ sent: 50, safety_baseline_read: 50 });
    sim.clearRequests();
    writePipeline(dir, sim.url, raised.map((r, i) => (i === 0 ? { ...r, quantity: Number(r.quantity) + 1 } : r)), limits);
    const third = await runPipeline(file);
    expect(third.details).toMatchObject({ sent: 1, unchanged: 49 });
    expect(third.details!.safety_baseline_read).toBeUndefined();
    expect(sim.requests.filter((r) => r.method === 'GET' && r.query.request_id === undefined)).toEqual([]); // only the feedback read-back
  });

  it('a baseline that cannot be read stops the run (SAFETY_UNCHECKED), nothing sent; --force sends without it', async () => {
    const dir = tempDir();
    const rowsToSend = sim.state.listOffers(C).slice(230, 233).map((o) => ({ sku: o.sku, quantity: o.stock + 1, price: o.price.toFixed(2) }));
    const file = writePipeline(dir, sim.url, rowsToSend, [...limits, 'max_retries: 0']);
    sim.setFaults([{ endpoint: 'GET /api/v1/offer-information/offers', kind: 'status', status: 503 }]);
    try {
      const err = await failure(runPipeline(file));
      expect(err.code).toBe('SAFETY_UNCHECKED');
      expect(err.message).toContain('3 offer(s) have no confirmed values in the state');
      expect(err.hint).toContain('--force');
      expect(patchBodies(sim)).toEqual([]);
      const forced = await runPipeline(file, { force: true });
      expect(forced.details).toMatchObject({ sent: 3 });
    } finally {
      sim.setFaults([]);
    }
  });
});

describe('plan', () => {
  it('predicts exactly what the run sends, and changes nothing', async () => {
    const dir = tempDir();
    const base = rows(140, 152);
    const file = writePipeline(dir, sim.url, base, ['batch_size: 5', ...limits]);
    await runPipeline(file);
    const snapshot = offersOf(stateOf(dir), `local-${C}`);

    const next = base.map((r, i) => (i % 3 === 0 ? { ...r, quantity: Number(r.quantity) + 5 } : i === 4 ? { ...r, price: (Number(r.price) * 0.9).toFixed(2) } : r));
    next.push({ sku: 'NOPE-00002', quantity: 1, price: '5,00' });
    writePipeline(dir, sim.url, next, ['batch_size: 5', ...limits]);
    sim.clearRequests();
    const offerState = JSON.stringify(sim.state.listOffers(C));

    const plan = await runPipeline(file, { plan: true });
    // Only a read: ManoMano's current values of the one SKU the snapshot does not know (the price-drop limit judges it).
    expect(sim.requests.map((r) => [r.method, r.path, r.query.skus])).toEqual([['GET', '/api/v1/offer-information/offers', 'NOPE-00002']]);
    expect(JSON.stringify(sim.state.listOffers(C))).toBe(offerState);
    expect(offersOf(stateOf(dir), `local-${C}`)).toEqual(snapshot);
    expect(plan.details).toMatchObject({ would_send: 6, unchanged: 7, safety: expect.stringMatching(/^ok/) });
    const wouldSend = plan.plannedItems!.filter((i) => i.outcome === 'would-send');
    expect(wouldSend.find((i) => i.id === base[4]!.sku)!.change).toBe(`price ${base[4]!.price} → ${(Number(base[4]!.price) * 0.9).toFixed(2)}`);
    expect(wouldSend.find((i) => i.id === base[0]!.sku)!.change).toBe(`stock ${base[0]!.quantity} → ${Number(base[0]!.quantity) + 5}`);

    const run = await runPipeline(file, { keepItems: true });
    const answered = run.plannedItems!.filter((i) => i.outcome === 'sent' || i.outcome === 'refused');
    expect(answered.map((i) => [i.id, i.change])).toEqual(wouldSend.map((i) => [i.id, i.change]));
    const sentSkus = patchBodies(sim).flat().map((i) => i.sku);
    expect(sentSkus).toEqual(wouldSend.map((i) => i.id));
    for (const item of patchBodies(sim).flat()) {
      const row = next.find((r) => r.sku === item.sku)!;
      expect(item).toEqual({ sku: row.sku, price: { price_vat_included: Number(String(row.price).replace(',', '.')) }, stock: { quantity: Number(row.quantity) } });
    }
    const skipped = (s: RunSummary) => s.plannedItems!.filter((i) => i.outcome === 'skipped').map((i) => i.id);
    expect(skipped(run)).toEqual(skipped(plan));
  });

  it('shows a broken safety limit item by item: what would be sent is held back', async () => {
    const dir = tempDir();
    const base = rows(160, 165).map((r) => ({ ...r, quantity: 0 }));
    const file = writePipeline(dir, sim.url, base, limits);
    const plan = await runPipeline(file, { plan: true });
    expect(plan.details).toMatchObject({ would_send: 0, safety: expect.stringMatching(/^broken: 5 of 5 offers \(100\.0%\) would go to zero stock/) });
    expect(plan.plannedItems!.map((i) => [i.outcome, i.code])).toEqual(base.map(() => ['skipped', 'SAFETY_LIMIT']));
    const forced = await runPipeline(file, { plan: true, force: true });
    expect(forced.details).toMatchObject({ would_send: 5, safety: expect.stringMatching(/^overridden by --force/) });
    // The plan read ManoMano's current stock (no snapshot yet: the limit is judged against it); the forced one did not need to.
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/offer-information/offers']);
  });
});
