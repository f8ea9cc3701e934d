/**
 * The catalogue endpoints, client ↔ simulator over loopback: the category tree, the feed-field
 * dictionary walked page by page (limit ≤ 50, both ways of linking fields to categories), the full
 * offer upsert (20 a request, ERR_1405 above, an answer per SKU) and the multipart invoice upload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfferUpsertItem } from '../../engine/manomano/api-types.js';
import { createClient, type ManomanoClient } from '../../engine/manomano/client/index.js';
import { DEFAULT_DATA_EPOCH } from '../../engine/manomano/simulator/generate.js';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';
import { api } from '../fixtures/simulator/http.js';

const C = 110841;
let sim: Simulator;
let mm: ManomanoClient;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 3, ordersPerContract: 40, offersPerContract: 60, now: DEFAULT_DATA_EPOCH });
  mm = createClient({ environment: 'local', baseUrl: sim.url, apiKey: sim.apiKey });
});
afterAll(async () => {
  mm.close();
  await sim.close();
});

const offer = (sku: string, over: Partial<OfferUpsertItem> = {}): OfferUpsertItem => ({
  sku, stock: 7, pricing: { price_vat_included: 19.9 },
  shipping: { display_weight: 1.5, carrier_grid: [{ name: 'Standard', shipping_time_min: 2, shipping_time_max: 4 }] }, ...over,
});

describe('category tree and field dictionary', () => {
  it('reads the whole tree flat: ids, parents, levels 1-6, final nodes, names in five languages', async () => {
    const cats = await mm.getCategories();
    expect(cats).toHaveLength(sim.taxonomy.categories.length);
    const byId = new Map(cats.map((c) => [c.id, c]));
    for (const c of cats) {
      if (c.parentId !== null) expect(byId.get(c.parentId)!.level).toBe(c.level - 1);
      expect(Object.keys(c.names).sort()).toEqual(['de_DE', 'en_GB', 'es_ES', 'fr_FR', 'it_IT']);
    }
    const finalLevels = new Set(cats.filter((c) => c.finalNode).map((c) => c.level));
    expect([...finalLevels].sort()).toEqual([4, 5, 6]);
  });

  it('walks the dictionary 50 fields a page and refuses a limit above 50', async () => {
    sim.clearRequests();
    const fields = [];
    for await (const f of mm.iterateFeedFields()) fields.push(f);
    expect(fields.map((f) => f.id)).toEqual(sim.taxonomy.fields.map((f) => f.id));
    const pages = sim.requests.filter((r) => r.path === '/api/v2/feeds/fields');
    expect(pages.map((r) => [r.query.page, r.query.limit, r.query.type])).toEqual(
      Array.from({ length: Math.ceil(fields.length / 50) }, (_, i) => [String(i + 1), '50', 'product']));
    const tooMany = await api(sim.url, sim.apiKey, { path: '/api/v2/feeds/fields?type=product&limit=51' });
    expect([tooMany.status, tooMany.json.error.app_code]).toEqual([400, 'INVALID_PARAMETER']);
    const noType = await api(sim.url, sim.apiKey, { path: '/api/v2/feeds/fields?limit=5' });
    expect(noType.status).toBe(400);
  });

  it('gives each field its datatype, unit list, accepted values per locale and the categories where it is mandatory', async () => {
    const { fields } = await mm.fetchTaxonomy();
    const power = fields.find((f) => f.name === 'power')!;
    const unit = fields.find((f) => f.id === power.field_id_for_units_list)!;
    expect([power.datatype, unit.name, unit.accepted_values]).toEqual(['numerical', 'power_unit', ['W', 'kW']]);
    const material = fields.find((f) => f.name === 'material')!;
    expect(material.localized_accepted_values.fr_FR).toContain('Acier inoxydable');
    expect(material.localized_accepted_values.de_DE).toHaveLength(material.accepted_values.length);
    for (const f of fields.filter((x) => x.category_ids)) {
      expect(f.mandatory_category_ids!.every((id) => f.category_ids!.includes(id))).toBe(true);
    }
    expect(fields.find((f) => f.name === 'sku')).toMatchObject({ mandatory: true, contract_type: 'all' });
  });

  it('per-category mode (fields without category links) rebuilds the same links from category_id= views', async () => {
    const plain = await startSimulator({ port: 0, seed: 3, ordersPerContract: 1, offersPerContract: 1, catalog: { inlineCategoryLinks: false } });
    const client = createClient({ environment: 'local', baseUrl: plain.url, apiKey: plain.apiKey, catalog: { fieldCategories: 'per-category' } });
    try {
      const inline = await mm.fetchTaxonomy();
      const rebuilt = await client.fetchTaxonomy();
      const links = (fs: typeof inline.fields) => Object.fromEntries(fs.map((f) => [f.name, [f.mandatory, f.category_ids ?? null, f.mandatory_category_ids ?? null]]));
      expect(links(rebuilt.fields)).toEqual(links(inline.fields));
      const unknown = await api(plain.url, plain.apiKey, { path: '/api/v2/feeds/fields?type=product&category_id=1' });
      expect([unknown.status, unknown.json.error.app_code]).toEqual([404, 'CATEGORY_NOT_FOUND']);
    } finally {
      client.close();
      await plain.close();
    }
  });
});

describe('PUT /api/v1/offers', () => {
  it('sends 20 offers a request and answers per SKU: applied, or refused with ManoMano\'s code', async () => {
    const skus = sim.state.listOffers(C).map((o) => o.sku).slice(0, 43);
    const items = skus.map((s) => offer(s, { stock: 3 }));
    items[5] = offer(skus[5]!, { shipping: { display_weight: 0, carrier_grid: [{ name: 'Standard', shipping_time_min: 1, shipping_time_max: 3 }] } });
    items[30] = offer(skus[30]!, { shipping: { display_weight: 2, carrier_grid: [{ name: 'Express', shipping_time_min: 2, shipping_time_max: 2 }] } });
    items.push(offer('NOT-CREATED-YET'));
    sim.clearRequests();
    const results = await mm.putOffers(C, items);
    expect(sim.requests.map((r) => [r.method, (r.body as unknown[]).length])).toEqual([['PUT', 20], ['PUT', 20], ['PUT', 4]]);
    expect(results.filter((r) => !r.ok).map((r) => [r.sku, r.appCode])).toEqual([
      [skus[5], 'ERR_PIM_OFFER_API_REQUEST_VALIDATION'], [skus[30], 'ALL_GRID_NOT_ELIGIBLE_FOR_OFFER'], ['NOT-CREATED-YET', 'NO_CONTENT_APPROVED'],
    ]);
    expect(sim.state.getOffer(C, skus[0]!)).toMatchObject({ stock: 3, price: 19.9, shipping_time: '2#4', carrier: 'Standard' });
    expect(sim.state.getOffer(C, skus[5]!)!.stock).not.toBe(3);
  });

  it('answers 400 ERR_1405 to a request of 21 offers, and the client reports every SKU of it refused', async () => {
    const skus = sim.state.listOffers(C).map((o) => o.sku).slice(0, 21);
    const raw = await api(sim.url, sim.apiKey, { method: 'PUT', path: `/api/v1/offers?seller_contract_id=${C}`, body: skus.map((s) => offer(s)) });
    expect([raw.status, raw.json.error.app_code, raw.json.error.message]).toEqual([400, 'ERR_1405', 'maximum 20 offers per request (got 21)']);
    const wide = createClient({ environment: 'local', baseUrl: sim.url, apiKey: sim.apiKey, catalog: { putOfferBatchSize: 25 } });
    try {
      const results = await wide.putOffers(C, skus.map((s) => offer(s)));
      expect(results.map((r) => [r.ok, r.appCode])).toEqual(skus.map(() => [false, 'ERR_1405']));
    } finally {
      wide.close();
    }
  });
});

describe('POST /api/v1/orders/{ref}/documents', () => {
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n', 'latin1'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3, 0x0a, 0x00, 0xff]), Buffer.from('\n%%EOF\n')]);

  it('uploads a PDF as multipart (file + document_type=INVOICE) and reads back the document id', async () => {
    const order = sim.state.listOrders(C).find((o) => o.status === 'SHIPPED')!;
    sim.clearRequests();
    const r = await mm.uploadDocument(C, order.order_reference, { filename: 'F-2026-0001.pdf', bytes: pdf });
    expect(r).toMatchObject({ ok: true, httpCode: 201 });
    const doc = sim.state.documents.at(-1)!;
    expect(r.documentId).toBe(doc.document_id);
    expect(doc).toMatchObject({ order_reference: order.order_reference, document_type: 'INVOICE', filename: 'F-2026-0001.pdf', size: pdf.length });
    const req = sim.requests[0]!;
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(req.raw.url).toBe(`/api/v1/orders/${order.order_reference}/documents?seller_contract_id=${C}`);
    // The PDF bytes are not UTF-8: the raw log keeps them as base64, whole.
    expect(Buffer.from(req.raw.body_base64!, 'base64').includes(pdf)).toBe(true);
  });

  it('refuses a file that is not a PDF, another document type, an unknown order and an order not yet accepted', async () => {
    const orders = sim.state.listOrders(C);
    const shipped = orders.find((o) => o.status === 'SHIPPED')!.order_reference;
    const pending = orders.find((o) => o.status === 'PENDING')!.order_reference;
    const cases: [string, Parameters<ManomanoClient['uploadDocument']>[2], number, string][] = [
      [shipped, { filename: 'x.pdf', bytes: Buffer.from('not a pdf') }, 400, 'INVALID_DOCUMENT'],
      [shipped, { filename: 'x.pdf', bytes: pdf, documentType: 'CREDIT_NOTE' }, 400, 'INVALID_DOCUMENT_TYPE'],
      ['M00000000000', { filename: 'x.pdf', bytes: pdf }, 404, 'ORDER_NOT_FOUND'],
      [pending, { filename: 'x.pdf', bytes: pdf }, 409, 'ORDER_INVALID_STATUS'],
    ];
    const before = sim.state.documents.length;
    for (const [ref, upload, status, code] of cases) {
      expect(await mm.uploadDocument(C, ref, upload)).toMatchObject({ ok: false, httpCode: status, appCode: code });
    }
    expect(sim.state.documents).toHaveLength(before);
    const json = await api(sim.url, sim.apiKey, { method: 'POST', path: `/api/v1/orders/${shipped}/documents?seller_contract_id=${C}`, body: { file: 'x' } });
    expect([json.status, json.json.error.app_code]).toEqual([400, 'INVALID_REQUEST']);
  });

  it('never resends an upload whose answer was lost: the result is ambiguous and one document exists', async () => {
    const ref = sim.state.listOrders(C).find((o) => o.status === 'PREPARATION')!.order_reference;
    sim.setFaults([{ endpoint: 'POST /api/v1/orders/{ref}/documents', kind: 'drop-after-apply', times: 1 }]);
    try {
      const r = await mm.uploadDocument(C, ref, { filename: 'lost.pdf', bytes: pdf });
      expect(r).toMatchObject({ ok: false, ambiguous: true });
    } finally {
      sim.setFaults([]);
    }
    expect(sim.state.documents.filter((d) => d.order_reference === ref)).toHaveLength(1);
  });
});
