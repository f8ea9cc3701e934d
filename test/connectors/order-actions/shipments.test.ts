/**
 * manomano-shipments against the simulator: lines of one order spread over batches become one
 * shipment, carrier and tracking checks with did-you-mean hints, line checks against the order,
 * 207 refusals, a lost answer recovered, plan = run, and a pipeline fed by manomano-orders.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../../engine/manomano/simulator/index.js';
import { runPipeline } from '../../../engine/runtime/run.js';
import { actionPosts, appliedCount, byOutcome, C, ordersIn, ordersSource, tempDir, writeNdjson, writePipeline } from './helpers.js';

let sim: Simulator;
let dir: string;
beforeEach(async () => {
  sim = await startSimulator({ port: 0 });
  dir = tempDir();
});
afterEach(async () => {
  await sim.close();
});

const SHIP = '/orders/v1/shippings';
const track = (ref: string) => ({ carrier: 'Colissimo', tracking_number: `6A${ref.slice(1)}`, tracking_url: `https://www.laposte.fr/suivi?code=6A${ref.slice(1)}` });

function pipeline(records: Record<string, unknown>[], destination = 'type: manomano-shipments', connection = ''): string {
  const input = writeNdjson(dir, 'shipments.ndjson', records);
  // batch_size 1: every record is its own write(), so lines of one order cross batch boundaries.
  return writePipeline(dir, 'shipments', sim, { source: `type: ndjson\npath: ${input}`, destination, connection, extra: 'options:\n  batch_size: 1' });
}

describe('manomano-shipments', () => {
  test('lines of one order in different batches become one shipment; whole-order records send every line', async () => {
    const [multi, whole] = ordersIn(sim, 'PREPARATION').filter((o) => o.products.length >= 2);
    const [l1, l2] = multi!.products;
    const ref = multi!.order_reference;
    const file = pipeline([
      { order_reference: ref, seller_sku: l1!.seller_sku, quantity: '1.0', ...track(ref) },
      { order_reference: whole!.order_reference, ...track(whole!.order_reference) },
      { order_reference: ref, seller_sku: l2!.seller_sku, ...track(ref) },
    ]);
    const s = await runPipeline(file, { keepItems: true });
    expect(s.written).toBe(3);
    expect(s.items).toEqual({ sent: 2 });
    const bodies = actionPosts(sim, SHIP).map((p) => p.req.body);
    expect(bodies).toEqual([[
      { order_reference: ref, seller_contract_id: C, ...track(ref), products: [{ seller_sku: l1!.seller_sku, quantity: 1 }, { seller_sku: l2!.seller_sku, quantity: l2!.quantity }] },
      { order_reference: whole!.order_reference, seller_contract_id: C, ...track(whole!.order_reference), products: whole!.products.map((p) => ({ seller_sku: p.seller_sku, quantity: p.quantity })) },
    ]]);
    expect(sim.state.getOrder(C, ref)!.status).toBe('SHIPPED');
    expect(s.plannedItems![0]!.change).toBe(`ship 2 lines${l2!.quantity + 1 !== 2 ? ` (${l2!.quantity + 1} units)` : ''} via Colissimo (6A${ref.slice(1)})`);
  });

  test('record checks: carrier near misses, tracking, quantities', async () => {
    const ref = ordersIn(sim, 'PREPARATION')[0]!.order_reference;
    const t = track(ref);
    const s = await runPipeline(pipeline([
      { ...t, order_reference: ref, carrier: 'colissimo' },
      { ...t, order_reference: ref, carrier: 'DHL Express' },
      { ...t, order_reference: ref, carrier: 'Pigeon Post' },
      { ...t, order_reference: ref, carrier: '' },
      { ...t, order_reference: ref, tracking_url: '' },
      { ...t, order_reference: ref, tracking_url: 'ftp://example.com/x' },
      { ...t, order_reference: ref, tracking_number: null },
      { ...t, order_reference: ref, seller_sku: 'X', quantity: 1.5 },
      { ...t, order_reference: ref, seller_sku: 'X', quantity: 0 },
      { ...t, order_reference: ref, quantity: 2 },
      { ...t, order_reference: '  ' },
    ]));
    expect(s.rejected).toBe(11);
    expect(s.rejectsByCode).toEqual({
      SHIPMENT_CARRIER_UNKNOWN: 3, SHIPMENT_CARRIER_MISSING: 1, SHIPMENT_TRACKING_URL_MISSING: 1, SHIPMENT_TRACKING_URL_INVALID: 1,
      SHIPMENT_TRACKING_NUMBER_MISSING: 1, ORDER_QUANTITY_INVALID: 2, ORDER_SKU_MISSING: 1, ORDER_REFERENCE_MISSING: 1,
    });
    const report = readFileSync(s.rejectReport, 'utf8');
    expect(report).toContain('did you mean ""Colissimo""?');
    expect(report).toMatch(/carrier ""DHL Express"" is not in the accepted list.*did you mean ""DHL"" or ""DHL Parcel"" or ""DHL Freight""/);
    expect(report).toContain("ManoMano's carrier list");
    expect(sim.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  test('records that disagree, unknown lines and too many units: the order is skipped, nothing sent', async () => {
    const [a, b, c] = ordersIn(sim, 'PREPARATION');
    const s = await runPipeline(pipeline([
      { order_reference: a!.order_reference, seller_sku: a!.products[0]!.seller_sku, ...track(a!.order_reference) },
      { order_reference: a!.order_reference, seller_sku: a!.products[1]?.seller_sku ?? 'other', ...track('M999') },
      { order_reference: b!.order_reference, seller_sku: 'NOT-IN-ORDER', ...track(b!.order_reference) },
      { order_reference: c!.order_reference, seller_sku: c!.products[0]!.seller_sku, quantity: c!.products[0]!.quantity + 1, ...track(c!.order_reference) },
    ]), { keepItems: true });
    expect(s.rejectsByCode).toEqual({ ORDER_LINES_CONFLICT: 1 });
    expect(s.plannedItems!.map((i) => [i.id, i.outcome, i.code])).toEqual([
      [a!.order_reference, 'skipped', 'ORDER_LINES_CONFLICT'], [b!.order_reference, 'skipped', 'ORDER_LINE_UNKNOWN'], [c!.order_reference, 'skipped', 'ORDER_LINE_QUANTITY'],
    ]);
    expect(actionPosts(sim, SHIP)).toEqual([]);
  });

  test('a carrier the server does not know is refused per item in a 207', async () => {
    const [a, b] = ordersIn(sim, 'PREPARATION');
    const s = await runPipeline(pipeline([
      { order_reference: a!.order_reference, ...track(a!.order_reference) },
      { order_reference: b!.order_reference, ...track(b!.order_reference), carrier: 'Acme Freight' },
    ], 'type: manomano-shipments\ncarriers: [Colissimo, Acme Freight]'), { keepItems: true });
    expect(sim.requests.find((r) => r.path === SHIP)!.status).toBe(207);
    expect(s.plannedItems!.map((i) => [i.id, i.outcome, i.code])).toEqual([[a!.order_reference, 'sent', undefined], [b!.order_reference, 'refused', 'INVALID_CARRIER']]);
    expect(sim.state.getOrder(C, b!.order_reference)!.status).toBe('PREPARATION');
  });

  test('a lost answer on the first of two POSTs is recovered in the run; plan before and re-run after agree', async () => {
    const refs = ordersIn(sim, 'PREPARATION').slice(0, 4).map((o) => o.order_reference);
    const file = pipeline(refs.map((r) => ({ order_reference: r, ...track(r) })), 'type: manomano-shipments', 'batch_size: 2\nmax_retries: 0');
    const plan = await runPipeline(file, { plan: true });
    expect(plan.plannedItems!.map((i) => [i.id, i.outcome])).toEqual(refs.map((r) => [r, 'would-send']));
    sim.setFaults([{ endpoint: `POST ${SHIP}`, kind: 'drop-after-apply', times: 1 }]);
    const run = await runPipeline(file, { keepItems: true });
    expect(run.plannedItems!.map((i) => [i.id, i.outcome])).toEqual(refs.map((r) => [r, 'sent']));
    expect(run.plannedItems!.slice(0, 2).every((i) => i.message?.includes('reading the order back'))).toBe(true);
    expect(run.plannedItems!.map((i) => i.change)).toEqual(plan.plannedItems!.map((i) => i.change));
    sim.setFaults([]);
    const again = await runPipeline(file, { keepItems: true });
    expect(byOutcome(again.plannedItems)).toEqual({ skipped: refs });
    expect([...appliedCount(sim, 'ship').entries()].sort()).toEqual(refs.map((r) => [r, 1]).sort());
  });

  test('fed by manomano-orders: ships every order in PREPARATION with mapped carrier and tracking', async () => {
    const prep = ordersIn(sim, 'PREPARATION');
    const file = writePipeline(dir, 'ship-from-orders', sim, {
      source: ordersSource(sim, 'statuses: [PREPARATION]\nrecords: lines'),
      mapping: 'automap: false\nattributes:\n  order_reference: order_reference\n  seller_sku: seller_sku\n  quantity: quantity\n  carrier: { value: DPD }\n  tracking_number: "\'DPD\' & order_reference"\n  tracking_url: "\'https://tracking.dpd.de/status/\' & order_reference"',
      destination: 'type: manomano-shipments',
    });
    const s = await runPipeline(file, { keepItems: true });
    expect(s.read).toBe(prep.reduce((n, o) => n + o.products.length, 0));
    expect(s.items).toEqual({ sent: prep.length });
    expect(ordersIn(sim, 'PREPARATION')).toEqual([]);
    const body = actionPosts(sim, SHIP).flatMap((p) => p.req.body as { order_reference: string; products: unknown[] }[]);
    expect(body.map((b) => b.order_reference).sort()).toEqual(prep.map((o) => o.order_reference).sort());
    expect(body.every((b) => b.products.length === prep.find((o) => o.order_reference === b.order_reference)!.products.length)).toBe(true);
  });
});
