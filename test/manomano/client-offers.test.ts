/**
 * Offers through the client, against the simulator: the price & stock PATCH with per-SKU results
 * (errors from content.errors[].errors[]), batching, blind retry of the idempotent PATCH, and the
 * offer-information listing walked page by page.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { createClient, type ManomanoClient } from '../../engine/manomano/client/index.js';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';

const C = 110841;
const PATH = '/api/v2/offer-information/offers';
let sim: Simulator;
let client: ManomanoClient;
const waits: number[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5, ordersPerContract: 10, offersPerContract: 130 });
  client = createClient({ environment: 'local', baseUrl: sim.url, apiKey: sim.apiKey, offerBatchSize: 2, random: () => 0.5, sleep: async (ms) => { waits.push(ms); } });
});
afterAll(async () => {
  client.close();
  await sim.close();
});
beforeEach(() => {
  sim.setFaults([]);
  sim.clearRequests();
  waits.length = 0;
});

const skus = () => sim.state.listOffers(C).map((o) => o.sku);

test('patchOffers: one result per SKU, in input order, errors with their api_error_code', async () => {
  const [a, b, c] = skus();
  const res = await client.patchOffers(C, [
    { sku: a!, price: { price_vat_included: 19.9 }, stock: { quantity: 4 } },
    { sku: 'NO-SUCH-SKU', stock: { quantity: 1 } },
    { sku: b!, price: { price_vat_included: -3 } },
    { sku: c!, stock: { quantity: 0 } },
  ]);
  expect(res.map((r) => [r.sku, r.ok, r.appCode])).toEqual([[a, true, undefined], ['NO-SUCH-SKU', false, '10404'], [b, false, '10409'], [c, true, undefined]]);
  expect(res[2]!.message).toMatch(/price_vat_included/);
  expect(res.every((r) => typeof r.requestId === 'string')).toBe(true);
  expect(sim.state.getOffer(C, a!)).toMatchObject({ price: 19.9, stock: 4 });
  expect(sim.requests.filter((r) => r.method === 'PATCH').map((r) => (r.body as { content: { items: unknown[] }[] }).content[0]!.items.length)).toEqual([2, 2]);
});

test('a 503 on the PATCH is retried blindly (same values: idempotent)', async () => {
  const [a] = skus();
  sim.setFaults([{ endpoint: `PATCH ${PATH}`, kind: 'status', status: 503, times: 1 }]);
  const res = await client.patchOffers(C, [{ sku: a!, stock: { quantity: 7 } }]);
  expect(res).toMatchObject([{ sku: a, ok: true, httpCode: 200 }]);
  expect(sim.requests.map((r) => r.status)).toEqual([503, 200]);
  expect(waits).toEqual([250]);
});

test('a PATCH for a contract the key does not own is a typed API_FORBIDDEN', async () => {
  await expect(client.patchOffers(999, [{ sku: 'X', stock: { quantity: 1 } }])).rejects.toMatchObject({ code: 'API_FORBIDDEN', status: 403 });
});

test('iterateOfferInformation walks every page and yields each offer once', async () => {
  const seen: string[] = [];
  for await (const o of client.iterateOfferInformation(C, { limit: 40 })) seen.push(o.sku);
  expect(seen).toEqual(skus());
  expect(sim.requests.map((r) => r.query.page)).toEqual(['1', '2', '3', '4']);
});

test('a long SKU list is asked 50 SKUs per call; requestId filters to one PATCH', async () => {
  const wanted = skus().slice(0, 73);
  const got: string[] = [];
  for await (const o of client.iterateOfferInformation(C, { skus: wanted, limit: 100 })) got.push(o.sku);
  expect(got.sort()).toEqual([...wanted].sort());
  expect(sim.requests.map((r) => (r.query.skus ?? '').split(',').length)).toEqual([50, 23]);

  const [res] = await client.patchOffers(C, [{ sku: wanted[0]!, stock: { quantity: 3 } }]);
  const page = await client.listOfferInformation(C, { requestId: res!.requestId });
  expect(page.content.map((o) => [o.sku, o.stock, o.status])).toEqual([[wanted[0], 3, 'COMPLETED']]);
});
