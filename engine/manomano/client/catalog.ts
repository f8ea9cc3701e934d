/**
 * The catalogue endpoints: the category tree and the feed-field dictionary (reference §2.8, the
 * "Taxonomy API"), the full offer upsert `PUT /api/v1/offers` (§2.7b, at most 20 offers a
 * request), and the invoice upload (a multipart PDF, §2.8). What the reference leaves open is in
 * `CatalogClientOptions`, marked ASSUMPTION.
 */
import { randomBytes } from 'node:crypto';
import type { OfferUpsertItem, Page } from '../api-types.js';
import type { ApiCategory, ApiCategoryNode, ApiFeedField } from '../taxonomy-types.js';
import { ApiError, readErrorBody } from './errors.js';
import { RawBody, type Transport } from './http.js';
import type { OfferItemResult } from './offers.js';
import { pageError } from './offers.js';
import { walkPages } from './pages.js';
import { withQuery } from './query.js';

export const CATEGORIES_PATH = '/api/v1/products/categories';
export const FIELDS_PATH = '/api/v2/feeds/fields';
export const OFFERS_PUT_PATH = '/api/v1/offers';

/** Catalogue settings of `createClient`. */
export interface CatalogClientOptions {
  /** Fields asked per page (default 50, the documented maximum). */
  fieldsPageSize?: number;
  /**
   * ASSUMPTION (not published): how a field says which categories it applies to. `inline`
   * (default): each field lists `category_ids` / `mandatory_category_ids`. `per-category`: the
   * dictionary is asked once per final category with `category_id=`, whose `mandatory` is that category's.
   */
  fieldCategories?: 'inline' | 'per-category';
  /** Offers per PUT (default 20: ManoMano answers 400 ERR_1405 above, §2.7b). */
  putOfferBatchSize?: number;
}

/** The outcome of one upload; `ambiguous`: the request may have reached ManoMano, no answer came back. */
export interface DocumentUploadResult {
  ok: boolean;
  httpCode: number;
  documentId?: string;
  appCode?: string;
  message?: string;
  ambiguous?: boolean;
}

/** What an invoice upload sends: the PDF's bytes and the name ManoMano shows. */
export interface DocumentUpload { filename: string; bytes: Buffer; documentType?: string }

/** Why: the tree arrives nested (children) or flat (parentId); the rest of manoflow reads it flat. */
export function flattenCategories(nodes: unknown, parentId: number | null = null, level = 1, out: ApiCategory[] = []): ApiCategory[] {
  if (!Array.isArray(nodes)) return out;
  for (const raw of nodes as Partial<ApiCategoryNode>[]) {
    if (!raw || typeof raw !== 'object' || raw.id === undefined) continue;
    const id = Number(raw.id);
    const children = Array.isArray(raw.children) ? raw.children : [];
    out.push({
      id, level: typeof raw.level === 'number' ? raw.level : level, name: String(raw.name ?? ''), names: raw.names ?? {},
      parentId: raw.parentId === undefined ? parentId : raw.parentId === null ? null : Number(raw.parentId),
      finalNode: typeof raw.finalNode === 'boolean' ? raw.finalNode : children.length === 0,
    });
    flattenCategories(children, id, level + 1, out);
  }
  return out;
}

/** Why: one GET, the whole tree (no paging is documented for it). */
export async function getCategories(t: Transport): Promise<ApiCategory[]> {
  const reply = await t.send('GET', CATEGORIES_PATH);
  if (reply.status >= 400) throw pageError('GET', CATEGORIES_PATH, reply.status, reply.body);
  const content = (reply.body as { content?: unknown } | undefined)?.content;
  if (!Array.isArray(content)) {
    throw new ApiError('API_BAD_RESPONSE', `GET ${CATEGORIES_PATH}: the answer has no "content" array`, { method: 'GET', path: CATEGORIES_PATH, status: reply.status }, { hint: 'report it if it persists' });
  }
  return flattenCategories(content);
}

/** One page of the field dictionary (`type=product`; `categoryId` gives that category's view). */
export async function listFeedFields(t: Transport, q: { page?: number; limit?: number; categoryId?: number } = {}): Promise<Page<ApiFeedField>> {
  const path = withQuery(FIELDS_PATH, { type: 'product', category_id: q.categoryId, page: q.page ?? 1, limit: q.limit ?? 50 });
  const reply = await t.send('GET', path);
  if (reply.status >= 400) throw pageError('GET', path, reply.status, reply.body);
  return reply.body as Page<ApiFeedField>;
}

/** Every field, page after page (same stop rules as the order listing). */
export function iterateFeedFields(t: Transport, limit: number, categoryId?: number): AsyncIterable<ApiFeedField> {
  return walkPages<ApiFeedField>({
    limit, describe: `GET ${FIELDS_PATH}`, key: (f) => String(f.id ?? f.name),
    fetchPage: (page) => listFeedFields(t, { page, limit, categoryId }),
  });
}

/**
 * Why: the checks need, for each field, the categories where it applies and where it is mandatory;
 * this gives them in the `inline` form whatever `fieldCategories` says (per-category answers are merged).
 */
export async function fetchFieldDictionary(t: Transport, categories: ApiCategory[], o: CatalogClientOptions = {}): Promise<ApiFeedField[]> {
  const limit = o.fieldsPageSize ?? 50;
  const base: ApiFeedField[] = [];
  for await (const f of iterateFeedFields(t, limit)) base.push(f);
  if ((o.fieldCategories ?? 'inline') === 'inline') return base;
  const finals = categories.filter((c) => c.finalNode);
  const seen = new Map<string, { categories: number[]; mandatory: number[] }>();
  for (const c of finals) {
    for await (const f of iterateFeedFields(t, limit, c.id)) {
      const entry = seen.get(f.name) ?? { categories: [], mandatory: [] };
      entry.categories.push(c.id);
      if (f.mandatory) entry.mandatory.push(c.id);
      seen.set(f.name, entry);
    }
  }
  // A column every final category lists is generic (its own `mandatory` stands); the others get their links.
  return base.map((f) => {
    const { category_ids: _c, mandatory_category_ids: _m, ...plain } = f;
    const s = seen.get(f.name);
    if (!s || s.categories.length === finals.length) return plain;
    const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
    return { ...plain, mandatory: false, category_ids: sorted(s.categories), mandatory_category_ids: sorted(s.mandatory) };
  });
}

/** Why: the full upsert, 20 offers a request; an answer per SKU, never a silent success. */
export async function putOffers(t: Transport, batchSize: number, contractId: number, items: OfferUpsertItem[]): Promise<OfferItemResult[]> {
  const results: OfferItemResult[] = [];
  const path = withQuery(OFFERS_PUT_PATH, { seller_contract_id: contractId });
  for (let start = 0; start < items.length; start += batchSize) {
    const chunk = items.slice(start, start + batchSize);
    let reply;
    try {
      reply = await t.send('PUT', path, chunk);
    } catch (err) {
      if (err instanceof ApiError) err.results = [...results];
      throw err;
    }
    results.push(...mapPutReply(reply.status, reply.body, chunk));
  }
  return results;
}

/** ASSUMPTION (§2.7b, conflicting sources): per-SKU `content[].response.status` and `errors[]`; no `content` = all applied. */
export function mapPutReply(status: number, body: unknown, chunk: OfferUpsertItem[]): OfferItemResult[] {
  if (status >= 400) {
    const { appCode, message } = readErrorBody(body);
    return chunk.map((i) => ({ sku: i.sku, ok: false, httpCode: status, appCode: appCode ?? `API_HTTP_${status}`, message: message ?? `HTTP ${status}` }));
  }
  const content = (body as { content?: unknown } | undefined)?.content;
  if (!Array.isArray(content)) return chunk.map((i) => ({ sku: i.sku, ok: true, httpCode: status }));
  const bySku = new Map<string, { response?: { status?: number }; errors?: { code?: string; message?: string }[] }[]>();
  for (const e of content as { sku?: unknown }[]) {
    if (!e || typeof e.sku !== 'string') continue;
    bySku.set(e.sku, [...(bySku.get(e.sku) ?? []), e as never]);
  }
  return chunk.map((i) => {
    const e = bySku.get(i.sku)?.shift();
    if (!e) return { sku: i.sku, ok: false, httpCode: status, appCode: 'API_ITEM_MISSING', message: 'the answer does not mention this SKU; send it again' };
    const code = Number(e.response?.status ?? status);
    const errors = e.errors ?? [];
    if (code >= 200 && code < 300 && errors.length === 0) return { sku: i.sku, ok: true, httpCode: code };
    return {
      sku: i.sku, ok: false, httpCode: code, appCode: String(errors[0]?.code ?? `API_HTTP_${code}`),
      message: errors.map((x) => `${x.code ?? '?'}: ${x.message ?? ''}`).join('; ') || `HTTP ${code}`,
    };
  });
}

const quote = (s: string) => s.replace(/["\\\r\n]/g, '_');

/** Why: one multipart body, built by hand so its bytes are exactly what we mean (file + document_type). */
export function multipartInvoice(upload: DocumentUpload): RawBody {
  const boundary = `----manoflow${randomBytes(12).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="document_type"\r\n\r\n${upload.documentType ?? 'INVOICE'}\r\n`
    + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quote(upload.filename)}"\r\nContent-Type: application/pdf\r\n\r\n`;
  const bytes = Buffer.concat([Buffer.from(head, 'utf8'), upload.bytes, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]);
  return new RawBody(bytes, `multipart/form-data; boundary=${boundary}`);
}

/**
 * Why: an upload is not idempotent (a second POST makes a second document), so it is never resent
 * blindly: a failure after the request left comes back `ambiguous` for the caller's journal.
 */
export async function uploadDocument(t: Transport, contractId: number, orderReference: string, upload: DocumentUpload): Promise<DocumentUploadResult> {
  const path = withQuery(`/api/v1/orders/${encodeURIComponent(orderReference)}/documents`, { seller_contract_id: contractId });
  const r = await t.sendAction('POST', path, multipartInvoice(upload));
  if (!r.ok) return { ok: false, httpCode: r.error.status ?? 0, appCode: r.error.code, message: r.error.message, ambiguous: true };
  const { status, body } = r.reply;
  if (status >= 400) {
    const { appCode, message } = readErrorBody(body);
    return { ok: false, httpCode: status, appCode: appCode ?? `API_HTTP_${status}`, message: message ?? `HTTP ${status}` };
  }
  const id = (body as { content?: { document_id?: unknown } } | undefined)?.content?.document_id;
  return typeof id === 'string' || typeof id === 'number'
    ? { ok: true, httpCode: status, documentId: String(id) }
    : { ok: true, httpCode: status, message: 'ManoMano confirmed the upload without a document_id' };
}
