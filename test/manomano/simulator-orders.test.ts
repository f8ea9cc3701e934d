/**
 * Order listing and generated data, over real loopback HTTP: every filter, exact totals, relative
 * links that repeat every filter (followed the way ETAIL does: base URL + links.next, nothing else).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order, Page } from '../../engine/manomano/api-types.js';
import { ORDER_STATUSES } from '../../engine/manomano/api-types.js';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';
import { DEFAULT_DATA_EPOCH } from '../../engine/manomano/simulator/generate.js';
import { api } from '../fixtures/simulator/http.js';

let sim: Simulator;
beforeAll(async () => {
  // Pinned: the filters below name dates of the data generated for 2026-10-01.
  sim = await startSimulator({ seed: 7, now: DEFAULT_DATA_EPOCH });
});
afterAll(() => sim.close());

const FR = 110841;
const get = (path: string) => api(sim.url, sim.apiKey, { path });

/** Walks a listing by following links.next only, as ETAIL does. */
async function walk(first: string): Promise<{ orders: Order[]; pages: Page<Order>[] }> {
  const pages: Page<Order>[] = [];
  let next: string | null | undefined = first;
  while (next) {
    const r = await get(next);
    expect(r.status).toBe(200);
    pages.push(r.json);
    next = r.json.pagination.links.next;
    expect(pages.length).toBeLessThan(200);
  }
  return { orders: pages.flatMap((p) => p.content), pages };
}

const t = (iso: string) => Date.parse(iso);
const FILTERS: { name: string; query: string; keep: (o: Order) => boolean }[] = [
  { name: 'one status', query: 'status=PENDING', keep: (o) => o.status === 'PENDING' },
  { name: 'a status list', query: 'status=PENDING,PREPARATION', keep: (o) => o.status === 'PENDING' || o.status === 'PREPARATION' },
  {
    name: 'created_at range',
    query: 'created_at_start=2026-08-15T00:00:00Z&created_at_end=2026-09-10T00:00:00Z',
    keep: (o) => t(o.created_at) >= t('2026-08-15T00:00:00Z') && t(o.created_at) <= t('2026-09-10T00:00:00Z'),
  },
  {
    name: 'status_updated_at range',
    query: 'status_updated_at_start=2026-09-01T00:00:00Z&status_updated_at_end=2026-09-20T12:00:00Z',
    keep: (o) => t(o.status_updated_at) >= t('2026-09-01T00:00:00Z') && t(o.status_updated_at) <= t('2026-09-20T12:00:00Z'),
  },
  { name: 'carrier', query: 'carrier=Colissimo', keep: (o) => o.products.some((p) => p.carrier === 'Colissimo') },
  {
    name: 'everything at once',
    query: 'status=SHIPPED,REFUNDED&created_at_start=2026-08-10T00:00:00Z&status_updated_at_end=2026-09-30T00:00:00Z',
    keep: (o) => ['SHIPPED', 'REFUNDED'].includes(o.status) && t(o.created_at) >= t('2026-08-10T00:00:00Z') && t(o.status_updated_at) <= t('2026-09-30T00:00:00Z'),
  },
];

describe('GET /orders/v1/orders', () => {
  it.each(FILTERS)('filters by $name, with exact items and links that repeat every filter', async ({ query, keep }) => {
    const expected = sim.state.listOrders(FR).filter(keep).map((o) => o.order_reference);
    expect(expected.length).toBeGreaterThan(0);
    const { orders, pages } = await walk(`/orders/v1/orders?seller_contract_id=${FR}&${query}&limit=7`);
    expect(orders.map((o) => o.order_reference)).toEqual(expected);
    const sent = new URLSearchParams(`seller_contract_id=${FR}&${query}&limit=7`);
    pages.forEach((p, i) => {
      expect(p.pagination).toMatchObject({ items: expected.length, limit: 7, page: i + 1, pages: Math.ceil(expected.length / 7) });
      const prev = p.pagination.links!.previous;
      if (i === 0) expect(prev).toBeNull();
      else expect(new URLSearchParams(prev!.split('?')[1]).get('page')).toBe(String(i));
      for (const link of [p.pagination.links!.first, p.pagination.links!.last, p.pagination.links!.next].filter(Boolean) as string[]) {
        expect(link.startsWith('/orders/v1/orders?')).toBe(true);
        const params = new URLSearchParams(link.split('?')[1]);
        for (const [k, v] of sent) expect(params.get(k)).toBe(v);
      }
    });
    expect(pages.at(-1)!.pagination.links!.next).toBeNull();
  });

  it('defaults to 50 per page, refuses a limit above 100 and pages below 1', async () => {
    const r = await get(`/orders/v1/orders?seller_contract_id=${FR}`);
    expect(r.json.content).toHaveLength(50);
    expect(r.json.pagination).toMatchObject({ items: 150, limit: 50, page: 1, pages: 3 });
    expect((await get(`/orders/v1/orders?seller_contract_id=${FR}&limit=100`)).json.content).toHaveLength(100);
    for (const q of ['limit=101', 'page=0', 'limit=abc']) {
      const bad = await get(`/orders/v1/orders?seller_contract_id=${FR}&${q}`);
      expect(bad.status).toBe(400);
      expect(bad.json.error.app_code).toBe('INVALID_PARAMETER');
    }
  });

  it('answers content: [] (never null) past the last page and for no match', async () => {
    const past = await get(`/orders/v1/orders?seller_contract_id=${FR}&page=99`);
    expect(past.json.content).toEqual([]);
    expect(past.json.pagination.links.next).toBeNull();
    const none = await get(`/orders/v1/orders?seller_contract_id=${FR}&order_reference=M0`);
    expect(none.json).toMatchObject({ content: [], pagination: { items: 0, pages: 1 } });
  });

  it('filters by order_reference (ETAIL fetches one order this way)', async () => {
    const ref = sim.state.listOrders(FR)[3]!.order_reference;
    const r = await get(`/orders/v1/orders?seller_contract_id=${FR}&order_reference=${ref}`);
    expect(r.json.content.map((o: Order) => o.order_reference)).toEqual([ref]);
  });

  it('accepts unencoded query strings (KPS) with the same result as encoded ones (ETAIL)', async () => {
    const raw = await get(`/orders/v1/orders?seller_contract_id=${FR}&created_at_start=2026-09-01T00:00:00+00:00&limit=100`);
    const enc = await get(`/orders/v1/orders?seller_contract_id=${FR}&created_at_start=2026-09-01T00%3A00%3A00Z&limit=100`);
    expect(raw.status).toBe(200);
    expect(raw.json.pagination.items).toBe(enc.json.pagination.items);
    expect(raw.json.pagination.items).toBe(sim.state.listOrders(FR).filter((o) => t(o.created_at) >= t('2026-09-01T00:00:00Z')).length);
  });

  it('refuses an unknown status, a bad date and a missing contract with 400', async () => {
    for (const q of [`seller_contract_id=${FR}&status=ACCEPTED`, `seller_contract_id=${FR}&created_at_start=yesterday`, 'status=PENDING']) {
      const r = await get(`/orders/v1/orders?${q}`);
      expect(r.status).toBe(400);
      expect(r.json.message).toEqual(expect.any(String));
    }
  });
});

describe('GET /orders/v1/orders/{ref}', () => {
  it('answers {content: order} as an object, 404 for an unknown reference', async () => {
    const order = sim.state.listOrders(220001)[0]!;
    const r = await get(`/orders/v1/orders/${order.order_reference}?seller_contract_id=220001`);
    expect(r.status).toBe(200);
    expect(r.json.content).toEqual(order);
    const missing = await get(`/orders/v1/orders/M404?seller_contract_id=220001`);
    expect(missing.status).toBe(404);
    expect(missing.json.error.app_code).toBe('ORDER_NOT_FOUND');
  });
});

describe('generated data', () => {
  it('covers every status, 1-4 lines, relays, B2B buyers and consistent money on each contract', () => {
    for (const c of sim.contracts) {
      const orders = sim.state.listOrders(c.id);
      expect(orders).toHaveLength(150);
      expect(new Set(orders.map((o) => o.status))).toEqual(new Set(ORDER_STATUSES));
      expect(orders.some((o) => o.vat?.is_b2b)).toBe(true);
      for (const o of orders) {
        expect(o.order_reference).toMatch(/^M\d{10,}$/);
        expect(o.products.length).toBeGreaterThanOrEqual(1);
        expect(o.products.length).toBeLessThanOrEqual(4);
        expect(o.total_price.currency).toBe(c.currency);
        expect(o.addresses.shipping.country_iso).toBe(c.market);
        const cents = (m: { amount: number }) => Math.round(m.amount * 100);
        const lines = o.products.reduce((s, p) => s + cents(p.price) * p.quantity, 0);
        expect(cents(o.products_price!)).toBe(lines);
        expect(cents(o.total_price)).toBe(cents(o.products_price!) + cents(o.shipping_price!));
        expect(cents(o.total_price_excluding_vat!) + cents(o.total_price_vat as { amount: number })).toBe(cents(o.total_price));
        const age = Date.parse('2026-10-01T00:00:00Z') - Date.parse(o.created_at);
        expect(age).toBeGreaterThan(0);
        expect(age).toBeLessThanOrEqual(60 * 86400_000);
        expect(Date.parse(o.status_updated_at)).toBeGreaterThanOrEqual(Date.parse(o.created_at));
      }
    }
    expect(sim.contracts.map((c) => [c.id, c.market, c.currency])).toEqual([[110841, 'FR', 'EUR'], [110842, 'DE', 'EUR'], [220001, 'GB', 'GBP']]);
    expect(sim.state.listOrders(FR).some((o) => o.addresses.relay)).toBe(true);
    expect(sim.state.listOffers(FR).length).toBeGreaterThanOrEqual(200);
  });

  it('is the same for the same seed and differs for another seed', async () => {
    // the same seed AND the same date: unpinned, data is relative to each simulator's start
    const again = await startSimulator({ seed: 7, ordersPerContract: 20, now: DEFAULT_DATA_EPOCH });
    const other = await startSimulator({ seed: 8, ordersPerContract: 20, now: DEFAULT_DATA_EPOCH });
    try {
      const a = await startSimulator({ seed: 7, ordersPerContract: 20, now: DEFAULT_DATA_EPOCH });
      expect(again.state.listOrders(FR)).toEqual(a.state.listOrders(FR));
      expect(other.state.listOrders(FR)).not.toEqual(a.state.listOrders(FR));
      await a.close();
    } finally {
      await again.close();
      await other.close();
    }
  });

  it('serves a fixture file verbatim with its own keys', async () => {
    const fx = await startSimulator({ fixture: join(__dirname, '../fixtures/simulator/small.json') });
    try {
      expect(fx.apiKey).toBe('fixture-key-A');
      expect(fx.contracts).toEqual([{ id: 300001, market: 'ES', currency: 'EUR' }, { id: 300002, market: 'IT', currency: 'EUR' }]);
      const r = await api(fx.url, 'fixture-key-A', { path: '/orders/v1/orders?seller_contract_id=300001' });
      expect(r.json.content.map((o: Order) => o.order_reference)).toEqual(['M2026090100001']);
      const forbidden = await api(fx.url, 'fixture-key-A', { path: '/orders/v1/orders?seller_contract_id=300002' });
      expect(forbidden.status).toBe(403);
    } finally {
      await fx.close();
    }
  });
});
