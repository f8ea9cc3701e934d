/**
 * The catalogue endpoints of reference §2.7b and §2.8: the category tree, the feed-field
 * dictionary ("Taxonomy API", paged, limit ≤ 50), the full offer upsert (`PUT /api/v1/offers`,
 * at most 20 offers, 400 ERR_1405 above) and the invoice upload (multipart PDF). What public
 * material leaves open is in `CatalogSettings`.
 */
import { createHash } from 'node:crypto';
import type { ApiFeedField } from '../taxonomy-types.js';
import { fail, toInt, toNumber, type SimResponse } from './http.js';
import { paginate, readPaging } from './pagination.js';
import { queryContract, type RouteContext } from './routes-orders.js';
import type { SimTaxonomy } from './taxonomy.js';

/** Settings of the catalogue endpoints; every one is an ASSUMPTION (see README). */
export interface CatalogSettings {
  taxonomy: SimTaxonomy;
  /** Fields per page at most (reference §2.8: 50). */
  maxFieldsLimit: number;
  /** True: each field lists `category_ids` / `mandatory_category_ids`. False: only `category_id=` tells. */
  inlineCategoryLinks: boolean;
  /** Offers per PUT at most (reference §2.7b: 20, ERR_1405 above). */
  maxOffersPerPut: number;
  /** PUT refuses an FR offer without `eco_participation` (INVALID_ECO_PARTICIPATION; HDC saw it on some categories). */
  requireEcoParticipation: boolean;
  /** Accepted `document_type` values of the upload (default INVOICE). */
  documentTypes: readonly string[];
  /** Order statuses an invoice may be uploaded for. */
  invoiceStatuses: readonly string[];
  /** Largest upload, bytes (413 above). */
  maxDocumentBytes: number;
}

type Ctx = RouteContext & { settings: RouteContext['settings'] & { catalog: CatalogSettings } };

/** GET /api/v1/products/categories: the whole tree, roots with nested children. */
export function listCategories(ctx: Ctx): SimResponse {
  return { status: 200, body: { content: ctx.settings.catalog.taxonomy.roots } };
}

/** GET /api/v2/feeds/fields?type=product&page=&limit=[&category_id=] */
export function listFields(ctx: Ctx): SimResponse {
  const { req } = ctx;
  const cat = ctx.settings.catalog;
  if (req.query.type !== 'product') return fail(400, 'INVALID_PARAMETER', `type must be "product", got ${JSON.stringify(req.query.type ?? null)}`);
  const paging = readPaging(req, 20, cat.maxFieldsLimit);
  if ('status' in paging) return paging;
  let fields: ApiFeedField[] = cat.taxonomy.fields;
  const rawCategory = req.query.category_id;
  if (rawCategory !== undefined && rawCategory !== '') {
    const id = toInt(rawCategory);
    if (id === undefined || !cat.taxonomy.categories.some((c) => c.id === id)) {
      return fail(404, 'CATEGORY_NOT_FOUND', `no category ${rawCategory}; GET /api/v1/products/categories lists them`);
    }
    // The category's view: generic columns and its own, `mandatory` as it applies there.
    fields = fields
      .filter((f) => !f.category_ids || f.category_ids.includes(id))
      .map((f) => (f.category_ids ? { ...f, mandatory: f.mandatory_category_ids?.includes(id) ?? false } : f));
  }
  if (!cat.inlineCategoryLinks) fields = fields.map(({ category_ids: _c, mandatory_category_ids: _m, ...f }) => f);
  return { status: 200, body: paginate(req, fields, paging.page, paging.limit) };
}

interface OfferAnswer { sku: unknown; response: { status: number; reason_phrase: string }; errors: { code: string; message: string }[]; warnings: never[] }

const positive = (v: unknown) => { const n = toNumber(v); return n !== undefined && n > 0 ? n : undefined; };
const wholeFrom = (v: unknown, min: number) => { const n = toNumber(v); return n !== undefined && Number.isInteger(n) && n >= min ? n : undefined; };

/** PUT /api/v1/offers?seller_contract_id=: the full upsert of at most 20 offers, an answer per SKU. */
export function putOffers(ctx: Ctx): SimResponse {
  const { req, state } = ctx;
  const cat = ctx.settings.catalog;
  const cid = queryContract(ctx);
  if (typeof cid !== 'number') return cid;
  if (req.bodyError) return fail(400, 'INVALID_JSON', `request body is not valid JSON: ${req.bodyError}`);
  if (!Array.isArray(req.body)) return fail(400, 'INVALID_REQUEST', 'request body must be a JSON array of offers');
  if (req.body.length > cat.maxOffersPerPut) return fail(400, 'ERR_1405', `maximum ${cat.maxOffersPerPut} offers per request (got ${req.body.length})`);
  const market = state.contracts.get(cid)?.market;
  const content: OfferAnswer[] = (req.body as unknown[]).map((raw) => {
    const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const errors: { code: string; message: string }[] = [];
    const bad = (message: string, code = 'ERR_PIM_OFFER_API_REQUEST_VALIDATION') => errors.push({ code, message });
    const sku = typeof o.sku === 'string' && o.sku.trim() ? o.sku : undefined;
    if (!sku) bad('sku is required');
    else if (!state.getOffer(cid, sku)) bad(`no approved product with sku "${sku}" on seller contract ${cid}: create it with the product feed first`, 'NO_CONTENT_APPROVED');
    const stock = wholeFrom(o.stock, 0);
    if (stock === undefined) bad(`stock must be a whole number from 0, got ${JSON.stringify(o.stock ?? null)}`);
    const pricing = (o.pricing ?? {}) as Record<string, unknown>;
    const price = positive(pricing.price_vat_included);
    if (price === undefined) bad(`pricing.price_vat_included must be a number above 0, got ${JSON.stringify(pricing.price_vat_included ?? null)}`);
    const retail = pricing.retail_price_vat_included == null ? undefined : toNumber(pricing.retail_price_vat_included);
    if (retail !== undefined && price !== undefined && !(retail > price)) bad('retail_price_vat_included must be higher than the selling price');
    const shipping = (o.shipping ?? {}) as Record<string, unknown>;
    if (positive(shipping.display_weight) === undefined) bad('display_weight must be greater than 0');
    const grids = Array.isArray(shipping.carrier_grid) ? (shipping.carrier_grid as Record<string, unknown>[]) : [];
    if (grids.length === 0) bad('shipping.carrier_grid needs at least one grid {name, shipping_time_min, shipping_time_max}');
    for (const g of grids) {
      const min = wholeFrom(g?.shipping_time_min, 0);
      const max = wholeFrom(g?.shipping_time_max, 0);
      if (typeof g?.name !== 'string' || !g.name || min === undefined || max === undefined) bad('each carrier_grid needs a name and whole shipping_time_min / shipping_time_max');
      else if (min >= max) bad(`grid "${g.name}": shipping_time_min (${min}) must be below shipping_time_max (${max})`, 'ALL_GRID_NOT_ELIGIBLE_FOR_OFFER');
    }
    if (cat.requireEcoParticipation && market === 'FR' && o.eco_participation == null) bad('eco_participation is required on the FR market', 'INVALID_ECO_PARTICIPATION');
    if (errors.length === 0 && sku && stock !== undefined && price !== undefined) {
      const grid = grids[0]!;
      state.setOffer(cid, {
        sku, price, retail_price: retail ?? null, stock, offer_is_online: stock > 0, status: 'COMPLETED', errors: [],
        carrier: String(grid.name), shipping_time: `${grid.shipping_time_min}#${grid.shipping_time_max}`,
      });
    }
    const ok = errors.length === 0;
    return { sku: o.sku ?? null, response: { status: ok ? 200 : 400, reason_phrase: ok ? 'OK' : 'Bad Request' }, errors, warnings: [] };
  });
  return { status: 200, body: { content } };
}

/** POST /api/v1/orders/{ref}/documents?seller_contract_id=: multipart `file` (PDF) + `document_type`. */
export async function uploadDocument(ctx: Ctx, ref: string): Promise<SimResponse> {
  const { req, state } = ctx;
  const cat = ctx.settings.catalog;
  const cid = queryContract(ctx);
  if (typeof cid !== 'number') return cid;
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) {
    return fail(400, 'INVALID_REQUEST', `send multipart/form-data with a "file" part (the PDF) and "document_type", got Content-Type ${JSON.stringify(type || null)}`);
  }
  let form: FormData;
  try {
    form = await new Response(req.bodyBytes, { headers: { 'content-type': type } }).formData();
  } catch (err) {
    return fail(400, 'INVALID_REQUEST', `the multipart body cannot be read: ${(err as Error).message}`);
  }
  const documentType = form.get('document_type');
  if (typeof documentType !== 'string' || !cat.documentTypes.includes(documentType)) {
    return fail(400, 'INVALID_DOCUMENT_TYPE', `document_type must be one of ${cat.documentTypes.join(', ')}, got ${JSON.stringify(documentType ?? null)}`);
  }
  const file = form.get('file');
  if (file === null || typeof file === 'string') return fail(400, 'MISSING_FILE', 'the "file" part (a PDF file) is missing');
  const bytes = Buffer.from(await file.arrayBuffer());
  if (bytes.length > cat.maxDocumentBytes) return fail(413, 'DOCUMENT_TOO_LARGE', `the file has ${bytes.length} bytes, above the ${cat.maxDocumentBytes}-byte limit`);
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return fail(400, 'INVALID_DOCUMENT', `${file.name || 'the file'} is not a PDF (it does not start with %PDF-)`);
  const order = state.getOrder(cid, ref);
  if (!order) return fail(404, 'ORDER_NOT_FOUND', `order ${ref} not found on seller contract ${cid}`);
  if (!cat.invoiceStatuses.includes(order.status)) {
    return fail(409, 'ORDER_INVALID_STATUS', `cannot attach an invoice to order ${ref}: its status is ${order.status}, invoices need ${cat.invoiceStatuses.join(' or ')}`);
  }
  const doc = state.addDocument({
    order_reference: ref, seller_contract_id: cid, document_type: documentType, filename: file.name, size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
  return { status: 201, body: { content: { document_id: doc.document_id } } };
}
