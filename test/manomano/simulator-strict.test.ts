/**
 * The stricter simulator, each point alone and with its setting turned off, over loopback; the raw
 * request log; data dated relative to the simulator's clock; and our client, which must work
 * against every strictness setting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../engine/manomano/client/index.js';
import { DEFAULT_DATA_EPOCH } from '../../engine/manomano/simulator/generate.js';
import { startSimulator, type Simulator, type SimulatorOptions, type StrictOptions } from '../../engine/manomano/simulator/index.js';
import { api, http } from '../fixtures/simulator/http.js';

const C = 110841;
let strict: Simulator;
let lenient: Simulator;
const off: StrictOptions = { repeatedParams: false, isoDates: false, integerContractIds: false, requireTrackingUrl: false };
beforeAll(async () => {
  const base: SimulatorOptions = { port: 0, seed: 9, ordersPerContract: 60, offersPerContract: 20, now: DEFAULT_DATA_EPOCH };
  strict = await startSimulator(base);
  lenient = await startSimulator({ ...base, strict: { ...off, offerPatchErrorStatus: 207 } });
});
afterAll(async () => {
  await strict.close();
  await lenient.close();
});

const list = (sim: Simulator, query: string) => api(sim.url, sim.apiKey, { path: `/orders/v1/orders?seller_contract_id=${C}&${query}` });

describe('query parameters: one value each', () => {
  it.each([
    ['status[]=PENDING&status[]=SHIPPED', 'array syntax'],
    ['status[0]=PENDING', 'array syntax'],
    ['status=PENDING&status=SHIPPED', 'is given 2 times'],
    ['limit=10&limit=20', 'is given 2 times'],
  ])('%s answers 400 (%s); lenient, the last value is read', async (query, why) => {
    const r = await list(strict, query);
    expect([r.status, r.json.error.app_code]).toEqual([400, 'INVALID_PARAMETER']);
    expect(r.json.error.message).toContain(why);
    expect((await list(lenient, query)).status).toBe(200);
  });
});

describe('dates: ISO-8601 with a zone', () => {
  it.each(['01/09/2026', '2026-09-01 00:00:00', '2026-09-01', '2026-13-01T00:00:00Z', 'yesterday'])('created_at_start=%s answers 400', async (date) => {
    const r = await list(strict, `created_at_start=${encodeURIComponent(date)}`);
    expect([r.status, r.json.error.app_code]).toEqual([400, 'INVALID_PARAMETER']);
    expect(r.json.error.message).toContain('ISO-8601');
  });

  it.each(['2026-09-01T00:00:00Z', '2026-09-01T02:00:00%2B02:00', '2026-09-01T02:00:00+02:00', '2026-09-01T00:00:00.000Z'])('created_at_start=%s is read (encoded or not)', async (date) => {
    const r = await list(strict, `created_at_start=${date}`);
    expect(r.status).toBe(200);
    expect(r.json.content.every((o: { created_at: string }) => Date.parse(o.created_at) >= Date.parse('2026-09-01T00:00:00Z'))).toBe(true);
  });

  it('lenient, a date alone is read as Date.parse reads it', async () => {
    expect((await list(lenient, 'created_at_start=2026-09-01')).status).toBe(200);
  });
});

describe('seller_contract_id in bodies: a JSON integer', () => {
  const body = (cid: string) => `[{"order_reference":"M00000000000","seller_contract_id":${cid}}]`;
  it.each(['"110841"', '110841.0', '1.10841e5'])('%s answers 400 for the whole request; lenient, the item is answered', async (cid) => {
    const r = await api(strict.url, strict.apiKey, { method: 'POST', path: '/orders/v1/accept-orders', body: body(cid) });
    expect([r.status, r.json.error.app_code]).toEqual([400, 'INVALID_FIELD']);
    expect(r.json.error.message).toContain(`got ${cid}`);
    const l = await api(lenient.url, lenient.apiKey, { method: 'POST', path: '/orders/v1/accept-orders', body: body(cid) });
    expect([l.status, l.json.content[0].result.error.app_code]).toEqual([207, 'ORDER_NOT_FOUND']);
  });

  it('applies to the offer PATCH too, and 110841 passes', async () => {
    const sku = strict.state.listOffers(C)[0]!.sku;
    const bad = await api(strict.url, strict.apiKey, { method: 'PATCH', path: '/api/v2/offer-information/offers', body: `{"content":[{"seller_contract_id":"${C}","items":[{"sku":"${sku}","stock":{"quantity":4.0}}]}]}` });
    expect(bad.status).toBe(400);
    const good = await api(strict.url, strict.apiKey, { method: 'PATCH', path: '/api/v2/offer-information/offers', body: `{"content":[{"seller_contract_id":${C},"items":[{"sku":"${sku}","stock":{"quantity":4.0}}]}]}` });
    expect(good.status).toBe(200);
    // The raw log keeps what was sent: 4.0 stays 4.0, where the parsed body shows 4.
    const logged = strict.requests.at(-1)!;
    expect(logged.raw.body).toContain('"quantity":4.0');
    expect(JSON.stringify(logged.body)).toContain('"quantity":4}');
  });
});

describe('pagination, paths and answers', () => {
  it('pagination links include goto, a template that gives any page once filled in', async () => {
    const first = await list(strict, 'status=SHIPPED&limit=5');
    const goto: string = first.json.pagination.links.goto;
    expect(goto).toBe(`/orders/v1/orders?seller_contract_id=${C}&status=SHIPPED&limit=5&page={page}`);
    const second = await api(strict.url, strict.apiKey, { path: goto.replace('{page}', '2') });
    expect(second.json.pagination.page).toBe(2);
  });

  it('a doubled slash answers 404, and the request log says why', async () => {
    const r = await api(strict.url, strict.apiKey, { path: `//orders/v1/orders?seller_contract_id=${C}` });
    expect([r.status, r.json.error.app_code]).toEqual([404, 'NOT_FOUND']);
    const logged = strict.requests.at(-1)!;
    expect(logged.raw.url).toBe(`//orders/v1/orders?seller_contract_id=${C}`);
    expect(logged.hint).toContain('doubled slash');
  });

  it('a PATCH naming an unknown SKU answers 200 (default) or 207 (setting), with the same per-SKU errors', async () => {
    const body = { content: [{ seller_contract_id: C, items: [{ sku: 'NOPE', stock: { quantity: 1 } }] }] };
    const a = await api(strict.url, strict.apiKey, { method: 'PATCH', path: '/api/v2/offer-information/offers', body });
    const b = await api(lenient.url, lenient.apiKey, { method: 'PATCH', path: '/api/v2/offer-information/offers', body });
    expect([a.status, b.status]).toEqual([200, 207]);
    expect(b.json.content).toEqual(a.json.content);
  });

  it('tracking_url is required by default; the setting lets a shipment without one through', async () => {
    const ship = async (sim: Simulator) => {
      const order = sim.state.listOrders(C).find((o) => o.status === 'PREPARATION' && !sim.state.actions.some((x) => x.order_reference === o.order_reference))!;
      const r = await api(sim.url, sim.apiKey, { method: 'POST', path: '/orders/v1/shippings', body: [{ order_reference: order.order_reference, seller_contract_id: C, carrier: 'DPD', tracking_number: 'X1' }] });
      return [r.status, r.json?.content?.[0]?.result?.error?.app_code];
    };
    expect(await ship(strict)).toEqual([207, 'MISSING_TRACKING_URL']);
    expect(await ship(lenient)).toEqual([204, undefined]);
  });
});

describe('the raw request log', () => {
  it('keeps the URL as sent (repeated keys, trailing slash, unencoded characters) and redacts the key', async () => {
    const path = `/orders/v1/orders/?seller_contract_id=${C}&created_at_start=2026-09-01T00:00:00+00:00&carrier=Colis%20Priv%C3%A9&status=PENDING&status=SHIPPED`;
    await http(strict.url, { path, headers: { 'x-api-key': strict.apiKey, 'X-Thirdparty-Name': 'Test_1' } });
    const logged = strict.requests.at(-1)!;
    expect(logged.raw.url).toBe(path);
    expect(logged.query.carrier).toBe('Colis Privé');
    expect(logged.query.status).toBe('SHIPPED');
    expect(logged.raw.headers).toContainEqual(['x-api-key', 'REDACTED']);
    expect(logged.raw.headers).toContainEqual(['X-Thirdparty-Name', 'Test_1']);
    expect(JSON.stringify(logged)).not.toContain(strict.apiKey);
  });
});

describe('generated data relative to the clock', () => {
  it('unpinned, orders are dated within the last 60 days, so the last 7 days are not empty', async () => {
    const today = await startSimulator({ port: 0, seed: 9, ordersPerContract: 150, offersPerContract: 20 });
    const mm = createClient({ environment: 'local', baseUrl: today.url, apiKey: today.apiKey });
    try {
      const now = Date.now();
      const ages = today.state.listOrders(C).map((o) => now - Date.parse(o.created_at));
      expect(Math.min(...ages)).toBeGreaterThan(0);
      expect(Math.max(...ages)).toBeLessThanOrEqual(60 * 86_400_000 + 60_000);
      const week = await mm.listOrders(C, { createdAtStart: new Date(now - 7 * 86_400_000) });
      expect(week.pagination.items).toBeGreaterThan(0);
    } finally {
      mm.close();
      await today.close();
    }
  });

  it('`now` pins the data: the same seed and date give the same orders', async () => {
    const again = await startSimulator({ port: 0, seed: 9, ordersPerContract: 60, offersPerContract: 20, now: DEFAULT_DATA_EPOCH });
    try {
      expect(again.state.listOrders(C).map((o) => o.order_reference)).toEqual(strict.state.listOrders(C).map((o) => o.order_reference));
      expect(strict.state.listOrders(C).every((o) => o.created_at < '2026-10-01')).toBe(true);
    } finally {
      await again.close();
    }
  });
});

describe('our client against every strictness setting', () => {
  it.each([['strict', () => strict], ['lenient, PATCH errors 207', () => lenient]] as const)('%s: lists with dates, acts, ships, patches, reads the taxonomy', async (_name, which) => {
    const sim = which();
    const mm = createClient({ environment: 'local', baseUrl: sim.url, apiKey: sim.apiKey });
    sim.clearRequests();
    try {
      const pending = [];
      for await (const o of mm.iterateOrders(C, { status: ['PENDING', 'PREPARATION'], createdAtStart: '2026-08-01', createdAtEnd: new Date('2026-10-01T00:00:00Z'), limit: 7 })) pending.push(o);
      expect(pending.length).toBeGreaterThan(0);
      const toAccept = pending.filter((o) => o.status === 'PENDING').slice(0, 2).map((o) => o.order_reference);
      expect((await mm.acceptOrders(C, toAccept)).every((r) => r.ok)).toBe(true);
      const [toShip] = pending.filter((o) => o.status === 'PREPARATION' && !sim.state.actions.some((x) => x.order_reference === o.order_reference));
      const shipped = await mm.shipOrders(C, [{ order_reference: toShip!.order_reference, carrier: 'DPD', tracking_number: '0999', tracking_url: 'https://tracking.dpd.fr/0999' }]);
      expect(shipped[0]!.ok).toBe(true);
      const sku = sim.state.listOffers(C)[0]!.sku;
      const patched = await mm.patchOffers(C, [{ sku, stock: { quantity: 3 } }, { sku: 'UNKNOWN-SKU', stock: { quantity: 1 } }]);
      expect(patched.map((r) => [r.ok, r.appCode])).toEqual([[true, undefined], [false, '10404']]);
      const { categories, fields } = await mm.fetchTaxonomy();
      expect([categories.length, fields.length]).toEqual([sim.taxonomy.categories.length, sim.taxonomy.fields.length]);
      expect(sim.requests.filter((r) => r.status === 400)).toEqual([]);
    } finally {
      mm.close();
    }
  });
});
