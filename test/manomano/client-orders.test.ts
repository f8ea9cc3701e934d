/**
 * The client's order methods against the simulator over loopback: pagination over hundreds of
 * orders with every filter, each transition and each refused transition, 207 partial results,
 * configurable refunds, and batching into the right number of requests.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Order, OrderStatus } from '../../engine/manomano/api-types.js';
import { createClient, type ManomanoClient, type OrderIterateFilters } from '../../engine/manomano/client/index.js';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';

const C = 110841;
let sim: Simulator;
let client: ManomanoClient;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 7, ordersPerContract: 420, rateLimit: false });
  client = createClient({ environment: 'local', baseUrl: sim.url, apiKey: sim.apiKey });
});
afterAll(async () => {
  client.close();
  await sim.close();
});

const refsOf = (list: Order[]) => list.map((o) => o.order_reference);
const byStatus = (s: OrderStatus) => sim.state.listOrders(C).filter((o) => o.status === s);
async function collect(filters: OrderIterateFilters): Promise<Order[]> {
  const out: Order[] = [];
  for await (const o of client.iterateOrders(C, filters)) out.push(o);
  return out;
}

describe('iterateOrders: pagination and filters', () => {
  test('walks every page of 420 orders, in listing order, one request per page', async () => {
    sim.clearRequests();
    const all = await collect({ limit: 50 });
    expect(refsOf(all)).toEqual(refsOf(sim.state.listOrders(C)));
    const gets = sim.requests.filter((r) => r.path === '/orders/v1/orders');
    expect(gets.map((r) => r.query.page)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(gets.every((r) => r.query.seller_contract_id === String(C) && r.query.limit === '50')).toBe(true);
  });

  // Bounds picked inside the generated data so each range selects a strict subset.
  const at = (field: 'created_at' | 'status_updated_at', i: number) => sim.state.listOrders(C).map((o) => o[field]).sort()[i]!;
  const ms = (d: unknown) => (d instanceof Date ? d.getTime() : Date.parse(String(d)));
  const cases: [string, () => OrderIterateFilters, (o: Order, f: OrderIterateFilters) => boolean][] = [
    ['status PENDING', () => ({ status: 'PENDING' }), (o) => o.status === 'PENDING'],
    ['status list PREPARATION + SHIPPED', () => ({ status: ['PREPARATION', 'SHIPPED'] }), (o) => o.status === 'PREPARATION' || o.status === 'SHIPPED'],
    ['created_at range (strings)', () => ({ createdAtStart: at('created_at', 100), createdAtEnd: at('created_at', 300) }),
      (o, f) => ms(o.created_at) >= ms(f.createdAtStart) && ms(o.created_at) <= ms(f.createdAtEnd)],
    ['created_at start as a Date', () => ({ createdAtStart: new Date(at('created_at', 250)) }), (o, f) => ms(o.created_at) >= ms(f.createdAtStart)],
    ['status_updated_at range', () => ({ statusUpdatedAtStart: at('status_updated_at', 50), statusUpdatedAtEnd: at('status_updated_at', 180) }),
      (o, f) => ms(o.status_updated_at) >= ms(f.statusUpdatedAtStart) && ms(o.status_updated_at) <= ms(f.statusUpdatedAtEnd)],
    ['order_reference', () => ({ orderReference: sim.state.listOrders(C)[123]!.order_reference }), (o, f) => o.order_reference === f.orderReference],
    ['carrier', () => ({ carrier: 'Geodis' }), (o) => o.products.some((p) => p.carrier === 'Geodis')],
    ['status + created_at together', () => ({ status: 'SHIPPED', createdAtStart: at('created_at', 200) }), (o, f) => o.status === 'SHIPPED' && ms(o.created_at) >= ms(f.createdAtStart)],
  ];
  test.each(cases)('%s', async (_name, filters, keep) => {
    sim.clearRequests();
    const f = filters();
    const got = await collect({ ...f, limit: 30 });
    const expected = sim.state.listOrders(C).filter((o) => keep(o, f));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(420);
    // A status list is one pass per status, so compare as sets; each pass keeps the listing order.
    expect(refsOf(got).sort()).toEqual(refsOf(expected).sort());
    expect(new Set(refsOf(got)).size).toBe(got.length);
    for (const r of sim.requests) {
      for (const k of ['created_at_start', 'created_at_end', 'status_updated_at_start', 'status_updated_at_end']) {
        if (r.query[k] !== undefined) expect(r.query[k]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      }
    }
  });

  test('listOrders returns one typed page; getOrder returns the order or undefined on 404', async () => {
    const page = await client.listOrders(C, { page: 2, limit: 25, status: 'PENDING' });
    expect(page.pagination).toMatchObject({ page: 2, limit: 25 });
    expect(page.content.every((o) => o.status === 'PENDING')).toBe(true);
    const ref = sim.state.listOrders(C)[5]!.order_reference;
    expect((await client.getOrder(C, ref))?.order_reference).toBe(ref);
    expect(await client.getOrder(C, 'M0000-NOPE')).toBeUndefined();
  });
});

describe('order actions', () => {
  test('accept → ship → refund, and refuse, each moves the order and answers ok per item', async () => {
    const [a, b] = byStatus('PENDING').map((o) => o.order_reference);
    expect(await client.acceptOrders(C, [a!])).toEqual([{ order_reference: a, ok: true, httpCode: 204 }]);
    expect(sim.state.getOrder(C, a!)?.status).toBe('PREPARATION');
    expect(await client.refuseOrders(C, [b!])).toEqual([{ order_reference: b, ok: true, httpCode: 204 }]);
    expect(sim.state.getOrder(C, b!)?.status).toBe('REFUSED');
    const line = sim.state.getOrder(C, a!)!.products[0]!;
    const ship = await client.shipOrders(C, [{ order_reference: a!, carrier: 'DPD', tracking_number: 'T1', tracking_url: 'https://t.example/T1', products: [{ seller_sku: line.seller_sku, quantity: line.quantity }] }]);
    expect(ship).toEqual([{ order_reference: a, ok: true, httpCode: 204 }]);
    expect(sim.state.getOrder(C, a!)?.status).toBe('SHIPPED');
    const refund = await client.refundOrders(C, [{ order_reference: a!, reason: 'PRODUCT_DAMAGED', refund_shipping_fees: true, products: [{ seller_sku: line.seller_sku, quantity: 1 }] }]);
    expect(refund).toEqual([{ order_reference: a, ok: true, httpCode: 204 }]);
    expect(sim.state.getOrder(C, a!)?.status).toBe('REFUNDING');
  });

  const refused: [string, OrderStatus, (c: ManomanoClient, ref: string) => Promise<unknown[]>][] = [
    ['accept a SHIPPED order', 'SHIPPED', (c, r) => c.acceptOrders(C, [r])],
    ['refuse a PREPARATION order', 'PREPARATION', (c, r) => c.refuseOrders(C, [r])],
    ['ship a PENDING order', 'PENDING', (c, r) => c.shipOrders(C, [{ order_reference: r, carrier: 'UPS', tracking_number: 'X', tracking_url: 'https://x' }])],
    ['refund a PREPARATION order', 'PREPARATION', (c, r) => c.refundOrders(C, [{ order_reference: r, reason: 'OTHER', refund_shipping_fees: false, products: [] }])],
    ['accept a REFUNDED order', 'REFUNDED', (c, r) => c.acceptOrders(C, [r])],
  ];
  test.each(refused)('%s is a per-item 409, the order does not move', async (_n, status, run) => {
    const ref = byStatus(status)[0]!.order_reference;
    const [res] = await run(client, ref);
    expect(res).toMatchObject({ order_reference: ref, ok: false, httpCode: 409, appCode: 'ORDER_INVALID_STATUS' });
    expect((res as { message: string }).message).toContain(status);
    expect(sim.state.getOrder(C, ref)?.status).toBe(status);
  });

  test('a mixed batch answers 207 and every item gets its own result, in input order', async () => {
    sim.clearRequests();
    const good = byStatus('PENDING')[0]!.order_reference;
    const shipped = byStatus('SHIPPED')[0]!.order_reference;
    const res = await client.acceptOrders(C, [shipped, good, 'M-UNKNOWN-1']);
    expect(sim.requests.at(-1)?.status).toBe(207);
    expect(res).toEqual([
      expect.objectContaining({ order_reference: shipped, ok: false, httpCode: 409, appCode: 'ORDER_INVALID_STATUS' }),
      { order_reference: good, ok: true, httpCode: 200 },
      expect.objectContaining({ order_reference: 'M-UNKNOWN-1', ok: false, httpCode: 404, appCode: 'ORDER_NOT_FOUND' }),
    ]);
  });

  test('a shipment with an unknown carrier is refused per item with the server message', async () => {
    const ref = byStatus('PREPARATION')[0]!.order_reference;
    const [res] = await client.shipOrders(C, [{ order_reference: ref, carrier: 'dpd', tracking_number: 'X', tracking_url: 'https://x' }]);
    expect(res).toMatchObject({ ok: false, httpCode: 400, appCode: 'INVALID_CARRIER' });
  });

  test('batching: 23 orders with batchSize 5 → 5 requests of 5,5,5,5,3 and 23 results', async () => {
    const small = createClient({ environment: 'local', baseUrl: sim.url, apiKey: sim.apiKey, batchSize: 5 });
    const refs = byStatus('PENDING').slice(0, 23).map((o) => o.order_reference);
    expect(refs.length).toBe(23);
    sim.clearRequests();
    const res = await small.acceptOrders(C, refs);
    small.close();
    const posts = sim.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => (r.body as unknown[]).length)).toEqual([5, 5, 5, 5, 3]);
    expect(res.map((r) => r.order_reference)).toEqual(refs);
    expect(res.every((r) => r.ok)).toBe(true);
  });
});

test('refunds path and reason field are configurable (ASSUMPTION in the reference)', async () => {
  const s = await startSimulator({ port: 0, seed: 3, ordersPerContract: 40, refunds: { path: '/orders/v1/refund-orders' } });
  const c = createClient({ environment: 'local', baseUrl: s.url, apiKey: s.apiKey, refunds: { path: '/orders/v1/refund-orders', reasonField: 'refund_reason' } });
  try {
    const ref = s.state.listOrders(C).find((o) => o.status === 'SHIPPED')!.order_reference;
    const [res] = await c.refundOrders(C, [{ order_reference: ref, reason: 'WRONG_PRODUCT', refund_shipping_fees: false, products: [] }]);
    expect(res).toMatchObject({ ok: true });
    const body = s.requests.find((r) => r.path === '/orders/v1/refund-orders')?.body as Record<string, unknown>[];
    expect(body[0]).toMatchObject({ order_reference: ref, seller_contract_id: C, refund_reason: 'WRONG_PRODUCT' });
    expect(body[0]).not.toHaveProperty('reason');
  } finally {
    c.close();
    await s.close();
  }
});
