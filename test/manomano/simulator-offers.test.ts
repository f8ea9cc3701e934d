/**
 * Offer endpoints over real HTTP: PATCH v2 per-SKU errors with api_error_code, and the offer
 * information listing whose exact `items` lets KPS's loop ("until count == items") terminate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfferInformation } from '../../engine/manomano/api-types.js';
import { OFFER_ERROR_CODES, startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';
import { api } from '../fixtures/simulator/http.js';

const C = 220001; // GBP contract
let sim: Simulator;
let skus: string[];
beforeAll(async () => {
  sim = await startSimulator({ seed: 5, ordersPerContract: 5, offersPerContract: 250 });
  skus = sim.state.listOffers(C).map((o) => o.sku);
});
afterAll(() => sim.close());

const patch = (body: unknown) => api(sim.url, sim.apiKey, { method: 'PATCH', path: '/api/v2/offer-information/offers', body });
const list = (query: string) => api(sim.url, sim.apiKey, { path: `/api/v1/offer-information/offers?${query}` });

describe('PATCH /api/v2/offer-information/offers', () => {
  const ITEMS: { name: string; item: (s: string[]) => Record<string, unknown>; codes: string[] }[] = [
    { name: 'price and stock', item: (s) => ({ sku: s[0], price: { price_vat_included: 83.5 }, stock: { quantity: 250 } }), codes: [] },
    { name: 'price only', item: (s) => ({ sku: s[1], price: { price_vat_included: 12 } }), codes: [] },
    { name: 'stock only, zero', item: (s) => ({ sku: s[2], stock: { quantity: 0 } }), codes: [] },
    { name: 'an unknown sku', item: () => ({ sku: 'NOT-IN-CATALOGUE', stock: { quantity: 1 } }), codes: [OFFER_ERROR_CODES.unknownSku] },
    { name: 'negative stock', item: (s) => ({ sku: s[3], stock: { quantity: -4 } }), codes: [OFFER_ERROR_CODES.invalidStock] },
    { name: 'fractional stock', item: (s) => ({ sku: s[4], stock: { quantity: 2.5 } }), codes: [OFFER_ERROR_CODES.invalidStock] },
    { name: 'a zero price', item: (s) => ({ sku: s[5], price: { price_vat_included: 0 } }), codes: [OFFER_ERROR_CODES.invalidPrice] },
    { name: 'a negative price and bad stock', item: (s) => ({ sku: s[6], price: { price_vat_included: -1 }, stock: { quantity: 'lots' } }), codes: [OFFER_ERROR_CODES.invalidPrice, OFFER_ERROR_CODES.invalidStock] },
    { name: 'nothing to update', item: (s) => ({ sku: s[7] }), codes: [OFFER_ERROR_CODES.nothingToUpdate] },
  ];

  it('answers 200 with per-SKU errors grouped by contract, and applies only the valid items', async () => {
    const before = new Map(skus.slice(0, 8).map((s) => [s, structuredClone(sim.state.getOffer(C, s)!)]));
    const r = await patch({ content: [{ seller_contract_id: C, items: ITEMS.map((t) => t.item(skus)) }] });
    expect(r.status).toBe(200);
    expect(r.json.request_id).toMatch(/^sim-\d+$/);
    expect(r.json.content.errors).toHaveLength(1);
    expect(r.json.content.errors[0].seller_contract_id).toBe(C);
    const got = r.json.content.errors[0].errors as { sku: string; api_error_code: string; message: string }[];
    const expected = ITEMS.flatMap((t) => t.codes.map((code) => [String(t.item(skus).sku), code]));
    expect(got.map((e) => [e.sku, e.api_error_code])).toEqual(expected);
    for (const e of got) expect(e.message).toEqual(expect.any(String));

    expect(sim.state.getOffer(C, skus[0]!)).toMatchObject({ price: 83.5, stock: 250, frozen_price: true, frozen_stock: true, status: 'COMPLETED' });
    expect(sim.state.getOffer(C, skus[1]!)).toMatchObject({ price: 12, stock: before.get(skus[1]!)!.stock, frozen_stock: false });
    expect(sim.state.getOffer(C, skus[2]!)).toMatchObject({ stock: 0, offer_is_online: false });
    const refused = sim.state.getOffer(C, skus[3]!)!;
    expect(refused).toMatchObject({ stock: before.get(skus[3]!)!.stock, status: 'ERROR' });
    expect(refused.errors).toEqual([{ code: OFFER_ERROR_CODES.invalidStock, message: expect.any(String) }]);

    const byRequest = await list(`seller_contract_id=${C}&request_id=${r.json.request_id}&limit=50`);
    expect(byRequest.json.pagination.items).toBe(8); // the unknown SKU has no offer to report on
    const status = Object.fromEntries(byRequest.json.content.map((o: OfferInformation) => [o.sku, o.status]));
    expect(status).toEqual({ ...Object.fromEntries(skus.slice(0, 3).map((s) => [s, 'COMPLETED'])), ...Object.fromEntries(skus.slice(3, 8).map((s) => [s, 'ERROR'])) });
  });

  it('has an empty error list (still grouped) when everything is valid', async () => {
    const r = await patch({ content: [{ seller_contract_id: C, items: [{ sku: skus[10], stock: { quantity: 3 } }] }] });
    expect(r.json.content).toEqual({ errors: [{ seller_contract_id: C, errors: [] }] });
  });

  it('refuses another seller’s contract with 403 and a malformed body with 400', async () => {
    const other = await patch({ content: [{ seller_contract_id: 555, items: [] }] });
    expect(other.status).toBe(403);
    expect((await patch([{ sku: skus[0] }])).status).toBe(400);
    expect((await patch('{"content": [')).json.error.app_code).toBe('INVALID_JSON');
  });
});

describe('GET /api/v1/offer-information/offers', () => {
  it('ends a KPS-style loop (accumulate until count == items) with every offer exactly once', async () => {
    const first = await list(`seller_contract_id=${C}`);
    expect(first.json.pagination).toMatchObject({ items: 250, limit: 10, page: 1, pages: 25 });
    const seen: string[] = [];
    for (let page = 1; seen.length < first.json.pagination.items; page++) {
      const r = await list(`seller_contract_id=${C}&page=${page}&limit=30`);
      expect(r.json.content.length).toBeGreaterThan(0);
      seen.push(...r.json.content.map((o: OfferInformation) => o.sku));
    }
    expect(seen).toEqual(skus);
  });

  it('filters by a comma list of SKUs, silently skipping unknown ones', async () => {
    const r = await list(`seller_contract_id=${C}&skus=${skus[20]},UNKNOWN,${skus[21]}`);
    expect(r.json.content.map((o: OfferInformation) => o.sku)).toEqual([skus[20], skus[21]]);
    expect(r.json.pagination.items).toBe(2);
    expect(r.json.content[0]).toMatchObject({ status: expect.stringMatching(/COMPLETED|ERROR/), errors: expect.any(Array), offer_is_online: expect.any(Boolean) });
    expect(r.json.content[0].price).toEqual(expect.any(Number));
  });

  it('filters by offer_online and checks the contract and limit', async () => {
    const offline = await list(`seller_contract_id=${C}&offer_online=false&limit=100`);
    expect(offline.json.pagination.items).toBe(sim.state.listOffers(C).filter((o) => !o.offer_is_online).length);
    expect((await list(`seller_contract_id=${C}&limit=101`)).status).toBe(400);
    expect((await list('limit=5')).status).toBe(400);
    expect((await list('seller_contract_id=1')).status).toBe(403);
  });
});
