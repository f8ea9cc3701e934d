/**
 * manomano-offers end to end through runPipeline, against the simulator over loopback: PATCH
 * bodies, per-SKU refusals, rejects, feedback as data, delta and --full. Each test uses its own
 * slice of the simulator's SKUs and its own state dir.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runPipeline } from '../../../engine/runtime/run.js';
import { startSimulator, type Simulator } from '../../../engine/manomano/simulator/index.js';
import { repoRoot } from '../../helpers/cli.js';
import { C, patchBodies, patchedSkus, tempDir, writePipeline, type StockRow } from './helpers.js';

let sim: Simulator;
beforeAll(async () => { sim = await startSimulator({ port: 0 }); });
afterAll(async () => { await sim?.close(); });
beforeEach(() => sim.clearRequests());

/** Rows for offers [from, to) of the contract, each with a new price and stock. */
function changedRows(from: number, to: number): StockRow[] {
  return sim.state.listOffers(C).slice(from, to).map((o, i) => ({ sku: o.sku, quantity: (o.stock + 1 + i) % 300, price: (o.price + 1).toFixed(2).replace('.', ',') }));
}

describe('manomano-offers run', () => {
  it('sends valid offers in batches, reports refusals and rejects, and writes the feedback', async () => {
    const dir = tempDir();
    const rows: StockRow[] = [
      ...changedRows(0, 5),
      { sku: 'NOPE-00001', quantity: 4, price: '9,90' },
      { sku: sim.state.listOffers(C)[5]!.sku, quantity: -2, price: '9,90' },
      { sku: sim.state.listOffers(C)[6]!.sku, quantity: 3, price: 'free' },
    ];
    const file = writePipeline(dir, sim.url, rows, ['batch_size: 3']);
    const summary = await runPipeline(file, { keepItems: true });

    expect(summary).toMatchObject({ read: 8, written: 6, rejected: 2, items: { sent: 5, refused: 1 } });
    expect(summary.rejectsByCode).toEqual({ OFFER_QUANTITY_INVALID: 1, OFFER_PRICE_INVALID: 1 });
    expect(summary.details).toMatchObject({ sent: 5, unchanged: 0, refused: 1, failed: 0 });

    const bodies = patchBodies(sim);
    expect(bodies.map((b) => b.length)).toEqual([3, 3]);
    const first = sim.requests.find((r) => r.method === 'PATCH')!;
    expect((first.body as { content: { seller_contract_id: unknown }[] }).content[0]!.seller_contract_id).toBe(C);
    const row0 = rows[0]!;
    expect(bodies[0]![0]).toEqual({ sku: row0.sku, price: { price_vat_included: Number(String(row0.price).replace(',', '.')) }, stock: { quantity: row0.quantity } });
    for (const r of rows.slice(0, 5)) {
      expect(sim.state.getOffer(C, r.sku)).toMatchObject({ stock: r.quantity, price: Number(String(r.price).replace(',', '.')) });
    }

    const refused = summary.plannedItems!.find((i) => i.outcome === 'refused')!;
    expect(refused).toMatchObject({ id: 'NOPE-00001', code: '10404', line: 7 });
    const report = readFileSync(summary.itemReport!, 'utf8');
    expect(report).toContain('NOPE-00001,update,refused,10404');
    expect(readFileSync(summary.rejectReport, 'utf8')).toMatch(/error,destination,6,8,.*,quantity,OFFER_QUANTITY_INVALID/);

    const feedbackFile = join(dir, '.manoflow', 'feedback', 'offers-test.ndjson');
    expect(summary.details!.feedback).toBe(feedbackFile);
    const lines = readFileSync(feedbackFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatchObject({ sku: row0.sku, status: 'COMPLETED', errors: [], stock: row0.quantity });
    expect(lines.find((l) => l.sku === 'NOPE-00001')).toMatchObject({ status: 'ERROR', errors: [{ code: '10404' }], price: null });
    const infoReads = sim.requests.filter((r) => r.method === 'GET' && r.path === '/api/v1/offer-information/offers');
    // One read per answered batch, filtered by that batch's SKUs and the request_id its PATCH returned.
    const ids = [...new Set(lines.map((l) => l.request_id))];
    expect(ids).toHaveLength(2);
    expect(infoReads.map((r) => [r.query.request_id, r.query.skus])).toEqual(
      ids.map((id) => [id, lines.filter((l) => l.request_id === id).map((l) => l.sku).join(',')]));

    // Feedback is data: a later pipeline reads it with the ndjson source and keeps the errors.
    const next = join(dir, 'refused.yaml');
    writeFileSync(next, [
      'version: 1', 'name: refused', `source: { type: ndjson, path: ${feedbackFile} }`, "filter: status = 'ERROR'",
      'mapping:', '  automap: false', '  attributes:', '    sku: sku', '    code: errors[0].code',
      'destination: { type: csv, output: refused.csv }',
    ].join('\n'));
    const s2 = await runPipeline(next);
    expect(s2).toMatchObject({ read: 6, written: 1, filtered: 5 });
    expect(readFileSync(join(dir, 'refused.csv'), 'utf8')).toContain('NOPE-00001,10404');
  });

  it('delta sends only what changed since the last confirmed run; --full resends everything', async () => {
    const dir = tempDir();
    const rows = changedRows(20, 30);
    const file = writePipeline(dir, sim.url, rows, ['batch_size: 4']);
    expect((await runPipeline(file)).details).toMatchObject({ sent: 10, unchanged: 0 });

    sim.clearRequests();
    const again = await runPipeline(file, { keepItems: true });
    expect(again.details).toMatchObject({ sent: 0, unchanged: 10 });
    expect(again.items).toEqual({ skipped: 10 });
    expect(again.plannedItems!.every((i) => i.code === 'UNCHANGED')).toBe(true);
    expect(patchBodies(sim)).toEqual([]);
    expect(readFileSync(again.details!.feedback as string, 'utf8')).toBe(''); // this run's feedback: nothing sent

    sim.clearRequests();
    const edited = rows.map((r, i) => (i === 2 ? { ...r, quantity: 0 } : i === 7 ? { ...r, price: '1,00' } : r));
    writePipeline(dir, sim.url, edited, ['batch_size: 4']);
    const delta = await runPipeline(file, { keepItems: true });
    expect(delta.details).toMatchObject({ sent: 2, unchanged: 8 });
    expect(patchBodies(sim)).toEqual([[
      { sku: rows[2]!.sku, price: { price_vat_included: Number(String(rows[2]!.price).replace(',', '.')) }, stock: { quantity: 0 } },
      { sku: rows[7]!.sku, price: { price_vat_included: 1 }, stock: { quantity: rows[7]!.quantity } },
    ]]);
    expect(delta.plannedItems!.find((i) => i.id === rows[2]!.sku)!.change).toBe(`stock ${rows[2]!.quantity} → 0`);

    sim.clearRequests();
    const full = await runPipeline(file, { full: true });
    expect(full.details).toMatchObject({ sent: 10, unchanged: 0 });
    expect(patchedSkus(sim).sort()).toEqual(rows.map((r) => r.sku).sort());

    sim.clearRequests();
    writePipeline(dir, sim.url, edited, ['batch_size: 4', 'delta: false']);
    expect((await runPipeline(file)).details).toMatchObject({ sent: 10, delta: false });
  });

  it('a duplicate SKU in one run is rejected, the first row is kept', async () => {
    const dir = tempDir();
    const [a] = changedRows(40, 41);
    const file = writePipeline(dir, sim.url, [a!, { ...a!, quantity: 99 }]);
    const s = await runPipeline(file);
    expect(s).toMatchObject({ written: 1, rejected: 1, rejectsByCode: { OFFER_SKU_DUPLICATE: 1 } });
    expect(patchBodies(sim)).toEqual([[expect.objectContaining({ sku: a!.sku, stock: { quantity: a!.quantity } })]]);
  });

  it('the bundled example runs as its README says: 11 sent, 1 refused, 1 rejected; then only the refused one again', async () => {
    const dir = join(tempDir(), 'price-stock');
    cpSync(join(repoRoot, 'examples', 'price-stock'), dir, { recursive: true, filter: (src) => !src.includes('.manoflow') });
    const file = join(dir, 'price-stock.yaml');
    const first = await runPipeline(file, { keepItems: true });
    expect(first).toMatchObject({ read: 13, written: 12, rejected: 1, rejectsByCode: { OFFER_QUANTITY_INVALID: 1 }, items: { sent: 11, refused: 1 } });
    expect(first.details).toMatchObject({ safety: 'ok (1 of 12 to zero stock, 0 big price drop(s))' });
    expect(first.plannedItems!.find((i) => i.outcome === 'refused')).toMatchObject({ id: 'ZZZ-00001', code: '10404' });
    const second = await runPipeline(file);
    expect(second.items).toEqual({ skipped: 11, refused: 1 });
  });
});
