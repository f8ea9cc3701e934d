/**
 * Partial refunds and shipments of one order over several runs: the journal keys them on their
 * lines (and a refund's reason), so the same action is never sent twice (ALREADY_DONE) while a
 * later action on OTHER lines is decided on its own: status pre-check, reported, never silently
 * dropped. Old journal lines (no fingerprint) still count for the whole order.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../../engine/manomano/simulator/index.js';
import { runPipeline } from '../../../engine/runtime/run.js';
import { actionPosts, C, ordersIn, tempDir, writeNdjson, writePipeline } from './helpers.js';

let sim: Simulator;
let dir: string;
beforeEach(async () => {
  sim = await startSimulator({ port: 0 });
  dir = tempDir('mf-partial-');
});
afterEach(async () => {
  await sim.close();
});

const REFUND = '/orders/v1/refunds';
const SHIP = '/orders/v1/shippings';
const track = (ref: string) => ({ carrier: 'Colissimo', tracking_number: `6A${ref.slice(1)}`, tracking_url: `https://www.laposte.fr/suivi?code=6A${ref.slice(1)}` });

/** One pipeline per destination; each run reads the records given (a new CSV from the ERP each time). */
function run(type: 'refunds' | 'shipments', records: Record<string, unknown>[]) {
  const input = writeNdjson(dir, `${type}.ndjson`, records);
  const file = writePipeline(dir, type, sim, { source: `type: ndjson\npath: ${input}`, destination: `type: manomano-${type}` });
  return runPipeline(file, { keepItems: true });
}

const outcomes = (s: Awaited<ReturnType<typeof run>>) => s.plannedItems!.map((i) => [i.id, i.outcome, i.code, i.benign]);

describe('a rejected record holds its whole order back', () => {
  test('one bad line of a shipment: nothing of that order is sent; fixed, the whole order ships once', async () => {
    const order = ordersIn(sim, 'PREPARATION').find((o) => o.products.length >= 3)!;
    const ref = order.order_reference;
    const rows = order.products.map((l) => ({ order_reference: ref, seller_sku: l.seller_sku, quantity: l.quantity, ...track(ref) }));
    const broken = rows.map((r, i) => (i === 1 ? { ...r, quantity: 'x' } : r));
    const first = await run('shipments', broken);
    expect(first.rejected).toBe(1);
    expect(outcomes(first)).toEqual([[ref, 'skipped', 'ORDER_HELD', undefined]]);
    expect(first.itemProblems).toBe(1);
    expect(actionPosts(sim, SHIP)).toEqual([]);
    expect(sim.state.getOrder(C, ref)!.status).toBe('PREPARATION');
    const fixed = await run('shipments', rows);
    expect(outcomes(fixed)).toEqual([[ref, 'sent', undefined, undefined]]);
    expect(actionPosts(sim, SHIP).flatMap((p) => (p.req.body as { products: unknown[] }[])[0]!.products)).toHaveLength(rows.length);
  });

  test('a rejected refund line before the valid one holds the order too', async () => {
    const order = ordersIn(sim, 'SHIPPED').find((o) => o.products.length >= 2)!;
    const ref = order.order_reference;
    const [l1, l2] = order.products;
    const s = await run('refunds', [
      { order_reference: ref, seller_sku: l1!.seller_sku, quantity: 'abc', refund_reason: 'PRODUCT_DAMAGED' },
      { order_reference: ref, seller_sku: l2!.seller_sku, quantity: 1, refund_reason: 'PRODUCT_DAMAGED' },
    ]);
    expect(outcomes(s)).toEqual([[ref, 'skipped', 'ORDER_HELD', undefined]]);
    expect(actionPosts(sim, REFUND)).toEqual([]);
  });
});

describe('partial actions over several runs', () => {
  test('refund one line, later the other line: the second is decided (ORDER_WRONG_STATUS), the first never resent', async () => {
    const order = ordersIn(sim, 'SHIPPED').find((o) => o.products.length >= 2)!;
    const ref = order.order_reference;
    const [l1, l2] = order.products;
    const first = await run('refunds', [{ order_reference: ref, seller_sku: l1!.seller_sku, quantity: 1, refund_reason: 'PRODUCT_DAMAGED' }]);
    expect(outcomes(first)).toEqual([[ref, 'sent', undefined, undefined]]);
    expect(sim.state.getOrder(C, ref)!.status).toBe('REFUNDING');

    const other = await run('refunds', [{ order_reference: ref, seller_sku: l2!.seller_sku, refund_reason: 'PRODUCT_DAMAGED' }]);
    expect(outcomes(other)).toEqual([[ref, 'skipped', 'ORDER_WRONG_STATUS', undefined]]);
    expect(other.plannedItems![0]!.message).toBe(`order ${ref} is REFUNDING; refund needs SHIPPED`);

    const same = await run('refunds', [{ order_reference: ref, seller_sku: l1!.seller_sku, quantity: '1', refund_reason: 'PRODUCT_DAMAGED' }]);
    expect(outcomes(same)).toEqual([[ref, 'skipped', 'ALREADY_DONE', true]]);
    expect(same.plannedItems![0]!.message).toMatch(/^this refund of order M\d+ \(same lines and reason\) was already sent/);
    // Same line, another reason: another refund, decided on its own.
    const reason = await run('refunds', [{ order_reference: ref, seller_sku: l1!.seller_sku, quantity: 1, refund_reason: 'OTHER' }]);
    expect(outcomes(reason)).toEqual([[ref, 'skipped', 'ORDER_WRONG_STATUS', undefined]]);
    expect(actionPosts(sim, REFUND).flatMap((p) => p.refs)).toEqual([ref]);
  });

  test('a split shipment: the second part is decided on its own and reported; the first part is never resent', async () => {
    const order = ordersIn(sim, 'PREPARATION').find((o) => o.products.length >= 2)!;
    const ref = order.order_reference;
    const [l1, l2] = order.products;
    const first = await run('shipments', [{ order_reference: ref, seller_sku: l1!.seller_sku, ...track(ref) }]);
    expect(outcomes(first)).toEqual([[ref, 'sent', undefined, undefined]]);
    const second = await run('shipments', [{ order_reference: ref, seller_sku: l2!.seller_sku, ...track(ref) }]);
    expect(outcomes(second)).toEqual([[ref, 'skipped', 'ORDER_WRONG_STATUS', undefined]]);
    // The first CSV run again: the same action, never sent twice.
    const again = await run('shipments', [{ order_reference: ref, seller_sku: l1!.seller_sku, ...track(ref) }]);
    expect(outcomes(again)).toEqual([[ref, 'skipped', 'ALREADY_DONE', true]]);
    expect(actionPosts(sim, SHIP).flatMap((p) => p.refs)).toEqual([ref]);
  });

  test('an old journal line without fingerprint counts for the whole order', async () => {
    const order = ordersIn(sim, 'PREPARATION').find((o) => o.products.length >= 2)!;
    const ref = order.order_reference;
    const journal = join(dir, '.manoflow', 'journal', 'order-actions.jsonl');
    mkdirSync(join(dir, '.manoflow', 'journal'), { recursive: true });
    appendFileSync(journal, JSON.stringify({ key: `${C}:${ref}:ship`, action: 'ship', contract: C, order_reference: ref, state: 'done', at: '2026-08-20T10:00:00.000Z', run: 'older-manoflow' }) + '\n');
    const s = await run('shipments', [{ order_reference: ref, seller_sku: order.products[1]!.seller_sku, ...track(ref) }]);
    expect(outcomes(s)).toEqual([[ref, 'skipped', 'ALREADY_DONE', true]]);
    expect(s.plannedItems![0]!.message).toBe(`a ship of order ${ref} was already sent (run older-manoflow, 2026-08-20T10:00:00.000Z)`);
    expect(actionPosts(sim, SHIP)).toEqual([]);
  });
});
