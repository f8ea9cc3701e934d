/**
 * The order state machine and the batch endpoints over real HTTP: each allowed and refused
 * transition, 207 bodies, payload checks, and the request framings real clients use (§10).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_STATUSES, type Order, type OrderStatus } from '../../engine/manomano/api-types.js';
import { startSimulator, TRANSITIONS, type Simulator } from '../../engine/manomano/simulator/index.js';
import { api, type RawRequest } from '../fixtures/simulator/http.js';

const C = 110842; // the DE contract
let sim: Simulator;
let n = 0;
beforeAll(async () => {
  sim = await startSimulator({ seed: 3, ordersPerContract: 20 });
});
afterAll(() => sim.close());

/** A fresh order in the given status, cloned from a generated one (two lines). */
function seedOrder(status: OrderStatus): Order {
  const base = sim.state.listOrders(C).find((o) => o.products.length >= 2) ?? sim.state.listOrders(C)[0]!;
  const order = structuredClone(base);
  order.order_reference = `M99${String(++n).padStart(8, '0')}`;
  order.status = status;
  order.status_updated_at = '2026-09-01T00:00:00+00:00';
  return sim.state.addOrder(order);
}

const post = (path: string, body: unknown, extra: Partial<RawRequest> = {}) => api(sim.url, sim.apiKey, { method: 'POST', path, body, ...extra });
const ship = (o: Order, extra: Record<string, unknown> = {}) => ({
  order_reference: o.order_reference, seller_contract_id: C, carrier: 'DHL', tracking_number: '00340434161094042557',
  tracking_url: 'https://www.dhl.de/track?piececode=00340434161094042557', ...extra,
});
const ACTIONS = [
  { action: 'accept', path: '/orders/v1/accept-orders', item: (o: Order) => ({ order_reference: o.order_reference, seller_contract_id: C }) },
  { action: 'refuse', path: '/orders/v1/refuse-orders', item: (o: Order) => ({ order_reference: o.order_reference, seller_contract_id: C }) },
  { action: 'ship', path: '/orders/v1/shippings', item: (o: Order) => ship(o) },
  {
    action: 'refund', path: '/orders/v1/refunds',
    item: (o: Order) => ({ order_reference: o.order_reference, seller_contract_id: C, reason: 'PRODUCT_DAMAGED', refund_shipping_fees: true }),
  },
] as const;

describe('order state machine', () => {
  const cases = ACTIONS.flatMap((a) => ORDER_STATUSES.map((status) => ({ ...a, status, allowed: TRANSITIONS[a.action].from === status })));
  it.each(cases)('$action from $status: allowed=$allowed', async ({ action, path, item, status, allowed }) => {
    const order = seedOrder(status);
    const r = await post(path, [item(order)]);
    const after = sim.state.getOrder(C, order.order_reference)!;
    if (allowed) {
      expect(r.status).toBe(204);
      expect(r.text).toBe('');
      expect(after.status).toBe(TRANSITIONS[action].to);
      expect(Date.parse(after.status_updated_at)).toBeGreaterThan(Date.parse('2026-09-01T00:00:00Z'));
    } else {
      expect(r.status).toBe(207);
      expect(r.json.content).toEqual([{
        order_reference: order.order_reference, seller_contract_id: C,
        result: { http_code: 409, error: { app_code: 'ORDER_INVALID_STATUS', message: expect.stringContaining(status) } },
      }]);
      expect(after.status).toBe(status);
      expect(after.status_updated_at).toBe('2026-09-01T00:00:00+00:00');
    }
  });

  it('moves status_updated_at strictly forward on every change', async () => {
    const order = seedOrder('PENDING');
    const stamps: number[] = [];
    await post('/orders/v1/accept-orders', [{ order_reference: order.order_reference, seller_contract_id: C }]);
    stamps.push(Date.parse(sim.state.getOrder(C, order.order_reference)!.status_updated_at));
    await post('/orders/v1/shippings', [ship(order)]);
    stamps.push(Date.parse(sim.state.getOrder(C, order.order_reference)!.status_updated_at));
    await post('/orders/v1/refunds', [{ order_reference: order.order_reference, seller_contract_id: C, reason: 'OTHER', refund_shipping_fees: false }]);
    stamps.push(Date.parse(sim.state.getOrder(C, order.order_reference)!.status_updated_at));
    expect(stamps[1]).toBeGreaterThan(stamps[0]!);
    expect(stamps[2]).toBeGreaterThan(stamps[1]!);
  });

  it('answers a mixed batch with 207 and one result per item, successes included', async () => {
    const ok = seedOrder('PENDING');
    const late = seedOrder('SHIPPED');
    const r = await post('/orders/v1/accept-orders', [
      { order_reference: ok.order_reference, seller_contract_id: C },
      { order_reference: 'M00000000000', seller_contract_id: C },
      { order_reference: late.order_reference, seller_contract_id: C },
      { seller_contract_id: C },
    ]);
    expect(r.status).toBe(207);
    expect(r.json.content.map((c: { order_reference?: string; result: { http_code: number; error?: { app_code: string } } }) =>
      [c.order_reference, c.result.http_code, c.result.error?.app_code])).toEqual([
      [ok.order_reference, 200, undefined],
      ['M00000000000', 404, 'ORDER_NOT_FOUND'],
      [late.order_reference, 409, 'ORDER_INVALID_STATUS'],
      [undefined, 400, 'MISSING_FIELD'],
    ]);
    expect(r.json.content[2].seller_contract_id).toBe(C);
    expect(sim.state.getOrder(C, ok.order_reference)!.status).toBe('PREPARATION');
  });

  it('refuses the whole batch with 403 when an item names a contract the key does not own', async () => {
    const order = seedOrder('PENDING');
    const r = await post('/orders/v1/accept-orders', [
      { order_reference: order.order_reference, seller_contract_id: C },
      { order_reference: order.order_reference, seller_contract_id: 999999 },
    ]);
    expect(r.status).toBe(403);
    expect(r.json.error.app_code).toBe('FORBIDDEN');
    expect(sim.state.getOrder(C, order.order_reference)!.status).toBe('PENDING');
  });
});

describe('shipping and refund payloads', () => {
  const SHIP_CASES: { name: string; extra: (o: Order) => Record<string, unknown>; code?: string }[] = [
    { name: 'whole order when products is omitted', extra: () => ({}) },
    { name: 'listed lines', extra: (o) => ({ products: [{ seller_sku: o.products[0]!.seller_sku, quantity: 1 }] }) },
    { name: 'a carrier in the wrong case', extra: () => ({ carrier: 'dhl' }), code: 'INVALID_CARRIER' },
    { name: 'a carrier outside the list', extra: () => ({ carrier: 'Other' }), code: 'INVALID_CARRIER' },
    { name: 'no tracking_url', extra: () => ({ tracking_url: '' }), code: 'MISSING_TRACKING_URL' },
    { name: 'no tracking_number', extra: () => ({ tracking_number: undefined }), code: 'MISSING_TRACKING_NUMBER' },
    { name: 'an unknown sku', extra: () => ({ products: [{ seller_sku: 'NOPE', quantity: 1 }] }), code: 'INVALID_PRODUCTS' },
    { name: 'too many units', extra: (o) => ({ products: [{ seller_sku: o.products[0]!.seller_sku, quantity: 99 }] }), code: 'INVALID_QUANTITY' },
    { name: 'half a unit', extra: (o) => ({ products: [{ seller_sku: o.products[0]!.seller_sku, quantity: 0.5 }] }), code: 'INVALID_QUANTITY' },
  ];
  it.each(SHIP_CASES)('shipping with $name', async ({ extra, code }) => {
    const order = seedOrder('PREPARATION');
    const r = await post('/orders/v1/shippings', [ship(order, extra(order))]);
    if (!code) {
      expect(r.status).toBe(204);
      expect(sim.state.getOrder(C, order.order_reference)!.status).toBe('SHIPPED');
    } else {
      expect(r.status).toBe(207);
      expect(r.json.content[0].result).toMatchObject({ http_code: 400, error: { app_code: code } });
      expect(sim.state.getOrder(C, order.order_reference)!.status).toBe('PREPARATION');
    }
  });

  it('accepts a float quantity (2.0, as Odoo sends it) written verbatim in the JSON text', async () => {
    const order = seedOrder('PREPARATION');
    order.products[0]!.quantity = 2;
    const text = `[{"order_reference":"${order.order_reference}","seller_contract_id":${C},"carrier":"DPD","tracking_number":"0981","tracking_url":"https://tracking.dpd.de/0981","products":[{"seller_sku":"${order.products[0]!.seller_sku}","quantity":2.0}]}]`;
    const r = await post('/orders/v1/shippings', text);
    expect(r.status).toBe(204);
    const shipped = sim.state.actions.find((a) => a.order_reference === order.order_reference)!;
    expect(shipped.details.products).toEqual([{ seller_sku: order.products[0]!.seller_sku, quantity: 2 }]);
  });

  it('checks the refund reason against the configured list and wants a boolean refund_shipping_fees', async () => {
    const bad = [
      { reason: 'CHANGED_MY_MIND', refund_shipping_fees: true, code: 'INVALID_REFUND_REASON' },
      { reason: 'OTHER', refund_shipping_fees: 'yes', code: 'INVALID_FIELD' },
    ];
    for (const { code, ...payload } of bad) {
      const order = seedOrder('SHIPPED');
      const r = await post('/orders/v1/refunds', [{ order_reference: order.order_reference, seller_contract_id: C, ...payload }]);
      expect(r.json.content[0].result).toMatchObject({ http_code: 400, error: { app_code: code } });
    }
  });

  it('serves refunds on a configured path with configured reasons (both are assumptions)', async () => {
    const custom = await startSimulator({ ordersPerContract: 10, refunds: { path: '/orders/v1/refund-orders', reasons: ['BROKEN'] } });
    try {
      const order = custom.state.listOrders(110841).find((o) => o.status === 'SHIPPED')!;
      const item = { order_reference: order.order_reference, seller_contract_id: 110841, reason: 'BROKEN', refund_shipping_fees: false };
      const old = await api(custom.url, custom.apiKey, { method: 'POST', path: '/orders/v1/refunds', body: [item] });
      expect(old.status).toBe(404);
      const r = await api(custom.url, custom.apiKey, { method: 'POST', path: '/orders/v1/refund-orders', body: [item] });
      expect(r.status).toBe(204);
      expect(custom.state.getOrder(110841, order.order_reference)!.status).toBe('REFUNDING');
    } finally {
      await custom.close();
    }
  });
});

describe('request framing (reference §10)', () => {
  it('reads a chunked body with no Content-Length (EXW)', async () => {
    const order = seedOrder('PENDING');
    sim.clearRequests();
    const r = await post('/orders/v1/accept-orders', [{ order_reference: order.order_reference, seller_contract_id: C }], { chunked: true });
    expect(r.status).toBe(204);
    expect(sim.requests[0]!.headers['transfer-encoding']).toBe('chunked');
    expect(sim.requests[0]!.headers['content-length']).toBeUndefined();
  });

  it('reads a body sent with no Content-Type (KPS)', async () => {
    const order = seedOrder('PENDING');
    sim.clearRequests();
    const r = await post('/orders/v1/refuse-orders', [{ order_reference: order.order_reference, seller_contract_id: C }], { contentType: false });
    expect(r.status).toBe(204);
    expect(sim.requests[0]!.headers['content-type']).toBeUndefined();
    expect(sim.state.getOrder(C, order.order_reference)!.status).toBe('REFUSED');
  });

  it("reads PHP's escaped slashes", async () => {
    const order = seedOrder('PREPARATION');
    const text = `[{"order_reference":"${order.order_reference}","seller_contract_id":${C},"carrier":"UPS","tracking_number":"1Z1594AB5789012374","tracking_url":"https:\\/\\/www.ups.com\\/track?tracknum=1Z1594AB5789012374"}]`;
    const r = await post('/orders/v1/shippings', text);
    expect(r.status).toBe(204);
    const shipped = sim.state.actions.find((a) => a.order_reference === order.order_reference)!;
    expect(shipped.details.tracking_url).toBe('https://www.ups.com/track?tracknum=1Z1594AB5789012374');
  });

  it('answers 400 to malformed JSON and to a body that is not an array, changing nothing', async () => {
    const order = seedOrder('PENDING');
    const broken = await post('/orders/v1/accept-orders', `[{"order_reference":"${order.order_reference}",`);
    expect(broken.status).toBe(400);
    expect(broken.json.error.app_code).toBe('INVALID_JSON');
    const notArray = await post('/orders/v1/accept-orders', { order_reference: order.order_reference, seller_contract_id: C });
    expect(notArray.status).toBe(400);
    expect(sim.state.getOrder(C, order.order_reference)!.status).toBe('PENDING');
  });
});
