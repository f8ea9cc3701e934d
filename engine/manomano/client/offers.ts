/**
 * Offers: the price & stock PATCH (idempotent: resending the same values is harmless, so it is
 * retried blindly) with per-SKU results, and the offer-information listing (the feedback read).
 */
import type { OfferInformation, OfferPatchItem, OfferPatchResult, Page } from '../api-types.js';
import { ApiError, readErrorBody } from './errors.js';
import type { Transport } from './http.js';
import { walkPages } from './pages.js';
import { withQuery } from './query.js';

export const OFFERS_PATCH_PATH = '/api/v2/offer-information/offers';
export const OFFER_INFO_PATH = '/api/v1/offer-information/offers';

/** One SKU's outcome of a PATCH; `requestId` is ManoMano's tracking id when it sent one. */
export interface OfferItemResult {
  sku: string;
  ok: boolean;
  httpCode: number;
  appCode?: string;
  message?: string;
  requestId?: string;
}

/** Filters of `GET /api/v1/offer-information/offers`. */
export interface OfferInfoQuery {
  skus?: string[];
  page?: number;
  limit?: number;
  requestId?: string;
  offerOnline?: boolean;
}

/** Why: batching and per-SKU error mapping for the PATCH, shared by the Product Update connector. */
export async function patchOffers(t: Transport, batchSize: number, contractId: number, items: OfferPatchItem[]): Promise<OfferItemResult[]> {
  const results: OfferItemResult[] = [];
  for (let start = 0; start < items.length; start += batchSize) {
    const chunk = items.slice(start, start + batchSize);
    let reply;
    try {
      reply = await t.send('PATCH', OFFERS_PATCH_PATH, { content: [{ seller_contract_id: contractId, items: chunk }] });
    } catch (err) {
      if (err instanceof ApiError) err.results = [...results];
      throw err;
    }
    results.push(...mapOfferReply(reply.status, reply.body, chunk));
  }
  return results;
}

/** Maps 204 / 200 / 207 (errors under content.errors[].errors[]) or a whole-request 4xx to per-SKU results. */
export function mapOfferReply(status: number, body: unknown, chunk: OfferPatchItem[]): OfferItemResult[] {
  const b = (body ?? {}) as OfferPatchResult;
  const requestId = typeof b.request_id === 'string' ? b.request_id : undefined;
  if (status >= 400) {
    const { appCode, message } = readErrorBody(body);
    return chunk.map((i) => ({ sku: i.sku, ok: false, httpCode: status, appCode: appCode ?? `API_HTTP_${status}`, message: message ?? `HTTP ${status}` }));
  }
  const errors = new Map<string, { code: string; message: string }[]>();
  for (const group of b.content?.errors ?? []) {
    for (const e of group?.errors ?? []) {
      if (!e || typeof e.sku !== 'string') continue;
      const list = errors.get(e.sku) ?? [];
      list.push({ code: String(e.api_error_code ?? 'UNKNOWN'), message: String(e.message ?? '') });
      errors.set(e.sku, list);
    }
  }
  return chunk.map((i) => {
    const errs = errors.get(i.sku);
    const res: OfferItemResult = errs
      ? { sku: i.sku, ok: false, httpCode: status, appCode: errs[0]!.code, message: errs.map((e) => `${e.code}: ${e.message}`).join('; ') }
      : { sku: i.sku, ok: true, httpCode: status };
    if (requestId) res.requestId = requestId;
    return res;
  });
}

/** Why: one page of offer information (price, stock, status, errors per SKU). */
export async function listOfferInformation(t: Transport, contractId: number, q: OfferInfoQuery = {}): Promise<Page<OfferInformation>> {
  const path = withQuery(OFFER_INFO_PATH, {
    seller_contract_id: contractId, page: q.page ?? 1, limit: q.limit ?? 50,
    skus: q.skus && q.skus.length > 0 ? q.skus.join(',') : undefined, request_id: q.requestId, offer_online: q.offerOnline,
  });
  const reply = await t.send('GET', path);
  if (reply.status >= 400) throw pageError('GET', path, reply.status, reply.body);
  return reply.body as Page<OfferInformation>;
}

/** Why: walks every page; a long SKU list is asked 50 SKUs per call, like known clients do. */
export async function* iterateOfferInformation(t: Transport, contractId: number, q: Omit<OfferInfoQuery, 'page'> = {}): AsyncGenerator<OfferInformation> {
  const limit = q.limit ?? 50;
  const groups = q.skus && q.skus.length > 0 ? chunks(q.skus, 50) : [undefined];
  for (const skus of groups) {
    yield* walkPages<OfferInformation>({
      limit, describe: `GET ${OFFER_INFO_PATH}`, key: (o) => o.sku,
      fetchPage: (page) => listOfferInformation(t, contractId, { ...q, skus, page, limit }),
    });
  }
}

/** Why: a GET that answered a 4xx other than 401/403 is fatal for a listing; say what the server said. */
export function pageError(method: string, path: string, status: number, body: unknown): ApiError {
  const { appCode, message } = readErrorBody(body);
  const said = [appCode, message].filter(Boolean).join(': ');
  return new ApiError(`API_HTTP_${status}`, `${method} ${path} failed: HTTP ${status}${said ? ` (${said})` : ''}`, { method, path, status, appCode }, {
    hint: 'check the filters and the seller_contract_id of this request',
  });
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
