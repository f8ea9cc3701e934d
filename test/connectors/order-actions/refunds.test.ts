/**
 * manomano-refunds against the simulator: line and whole-order refunds, the reason list with
 * near-miss hints, a reason the server refuses (207), an interrupted run resumed, plan = run.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../../engine/manomano/simulator/index.js';
import { runPipeline } from '../../../engine/runtime/run.js';
import { actionPosts, appliedCount, byOutcome, C, ordersIn, tempDir, writeNdjson, writePipeline } from './helpers.js';

let sim: Simulator;
let dir: string;
beforeEach(async () => {
  sim = await startSimulator({ port: 0 });
  dir = tempDir();
});
afterEach(async () => {
  await sim.close();
});

const REFUND = '/orders/v1/refunds';

function pipeline(records: Record<string, unknown>[], destination = 'type: manomano-refunds', connection = ''): string {
  const input = writeNdjson(dir, 'refunds.ndjson', records);
  return writePipeline(dir, 'refunds', sim, { source: `type: ndjson\npath: ${input}`, destination, connection, extra: 'options:\n  batch_size: 1' });
}

describe('manomano-refunds', () => {
  test('a line refund and a whole-order refund: bodies and statuses', async () => {
    const [multi] = ordersIn(sim, 'SHIPPED').filter((o) => o.products.length >= 2);
    const whole = ordersIn(sim, 'SHIPPED').find((o) => o !== multi)!;
    const line = multi!.products[1]!;
    const s = await runPipeline(pipeline([
      { order_reference: multi!.order_reference, seller_sku: line.seller_sku, quantity: 1, refund_reason: 'PRODUCT_DAMAGED', refund_shipping_fees: 'false' },
      { order_reference: whole.order_reference, refund_reason: 'CUSTOMER_RETRACTION', refund_shipping_fees: true },
    ]), { keepItems: true });
    expect(s.items).toEqual({ sent: 2 });
    expect(actionPosts(sim, REFUND).map((p) => p.req.body)).toEqual([[
      { order_reference: multi!.order_reference, seller_contract_id: C, reason: 'PRODUCT_DAMAGED', refund_shipping_fees: false, products: [{ seller_sku: line.seller_sku, quantity: 1 }] },
      { order_reference: whole.order_reference, seller_contract_id: C, reason: 'CUSTOMER_RETRACTION', refund_shipping_fees: true, products: whole.products.map((p) => ({ seller_sku: p.seller_sku, quantity: p.quantity })) },
    ]]);
    expect(sim.state.getOrder(C, multi!.order_reference)!.status).toBe('REFUNDING');
    expect(s.plannedItems![0]!.change).toBe('refund 1 line, reason PRODUCT_DAMAGED, shipping fees not refunded');
  });

  test('reasons: near misses get a hint, the list is configurable, the server may still refuse one (207)', async () => {
    const [a, b] = ordersIn(sim, 'SHIPPED').map((o) => o.order_reference);
    const bad = await runPipeline(pipeline([
      { order_reference: a, refund_reason: 'product damaged' },
      { order_reference: a, refund_reason: 'BROKEN' },
      { order_reference: a },
      { order_reference: a, refund_reason: 'OTHER', refund_shipping_fees: 'maybe' },
    ]));
    expect(bad.rejectsByCode).toEqual({ REFUND_REASON_UNKNOWN: 2, REFUND_REASON_MISSING: 1, REFUND_SHIPPING_FEES_INVALID: 1 });
    expect(readFileSync(bad.rejectReport, 'utf8')).toContain('did you mean ""PRODUCT_DAMAGED""?');
    const custom = await runPipeline(pipeline([
      { order_reference: a, refund_reason: 'OTHER' },
      { order_reference: b, refund_reason: 'GOODWILL' },
    ], 'type: manomano-refunds\nreasons: [OTHER, GOODWILL]'), { keepItems: true });
    expect(sim.requests.find((r) => r.path === REFUND)!.status).toBe(207);
    expect(custom.plannedItems!.map((i) => [i.id, i.outcome, i.code])).toEqual([[a, 'sent', undefined], [b, 'refused', 'INVALID_REFUND_REASON']]);
  });

  test('interrupted after its first batch, resumed by a re-run; the plan in between says exactly what is left', async () => {
    const refs = ordersIn(sim, 'SHIPPED').slice(0, 6).map((o) => o.order_reference);
    // Second and third POSTs dropped (one POST of 2 goes through first), no retry.
    sim.setFaults([{ endpoint: `POST ${REFUND}`, kind: 'drop', rate: 1, times: 3 }]);
    const file = pipeline(refs.map((r) => ({ order_reference: r, refund_reason: 'OTHER' })), 'type: manomano-refunds', 'batch_size: 2\nmax_retries: 0');
    const first = await runPipeline(file, { keepItems: true });
    expect(first.items).toEqual({ failed: 6 });
    sim.setFaults([]);
    const plan = await runPipeline(file, { plan: true });
    expect(byOutcome(plan.plannedItems)).toEqual({ 'would-send': refs });
    expect(plan.plannedItems!.every((i) => i.message === 'retry: last attempt failed (API_NETWORK)')).toBe(true);
    const second = await runPipeline(file, { keepItems: true });
    expect(byOutcome(second.plannedItems)).toEqual({ sent: refs });
    const third = await runPipeline(file, { keepItems: true });
    expect(third.plannedItems!.every((i) => i.code === 'ALREADY_DONE')).toBe(true);
    expect([...appliedCount(sim, 'refund').entries()].sort()).toEqual(refs.map((r) => [r, 1]).sort());
  });
});
