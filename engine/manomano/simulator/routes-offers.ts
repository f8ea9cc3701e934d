/**
 * The offer endpoints: PATCH v2 price/stock (per-SKU errors with `api_error_code`, reference
 * §2.7a) and GET offer-information (per-SKU status COMPLETED/ERROR, exact totals, §2.7c).
 */
import { fail, toInt, toNumber, type SimResponse } from './http.js';
import { paginate, readPaging } from './pagination.js';
import { queryContract, type RouteContext } from './routes-orders.js';

/** ASSUMPTION: what each PATCH v2 `api_error_code` means (only the codes are public, §2.7a). */
export const OFFER_ERROR_CODES = {
  unknownSku: '10404',
  invalidStock: '10405',
  invalidPrice: '10409',
  nothingToUpdate: '10412',
} as const;

interface SkuError { sku: string; api_error_code: string; message: string }

/** PATCH /api/v2/offer-information/offers */
export function patchOffers(ctx: RouteContext): SimResponse {
  const { req, state } = ctx;
  if (req.bodyError) return fail(400, 'INVALID_JSON', `request body is not valid JSON: ${req.bodyError}`);
  const groups = (req.body as { content?: unknown } | undefined)?.content;
  if (!Array.isArray(groups)) return fail(400, 'INVALID_REQUEST', 'request body must be {"content": [{"seller_contract_id", "items": [...]}]}');
  const parsed: { cid: number; items: Record<string, unknown>[] }[] = [];
  for (const g of groups as Record<string, unknown>[]) {
    const cid = toInt(g?.seller_contract_id);
    if (cid === undefined) return fail(400, 'INVALID_REQUEST', 'each content[] entry needs an integer seller_contract_id');
    if (!ctx.owned.has(cid)) return fail(403, 'FORBIDDEN', `this API key has no access to seller contract ${cid}`);
    if (!Array.isArray(g.items)) return fail(400, 'INVALID_REQUEST', `content[] entry for contract ${cid} needs an items array`);
    parsed.push({ cid, items: g.items as Record<string, unknown>[] });
  }
  const requestId = state.nextRequestId();
  const errors = parsed.map(({ cid, items }) => {
    const list: SkuError[] = [];
    for (const item of items) {
      const sku = typeof item?.sku === 'string' ? item.sku : String(item?.sku ?? '');
      const found: SkuError[] = [];
      const add = (code: string, message: string) => found.push({ sku, api_error_code: code, message });
      const offer = sku ? state.getOffer(cid, sku) : undefined;
      const price = item?.price as { price_vat_included?: unknown } | undefined;
      const stock = item?.stock as { quantity?: unknown } | undefined;
      const priceValue = price === undefined || price === null ? undefined : toNumber(price.price_vat_included);
      const stockValue = stock === undefined || stock === null ? undefined : toNumber(stock.quantity);
      if (!offer) add(OFFER_ERROR_CODES.unknownSku, `no offer with sku "${sku}" on seller contract ${cid}`);
      if (price == null && stock == null) add(OFFER_ERROR_CODES.nothingToUpdate, 'an item needs price.price_vat_included or stock.quantity');
      if (price != null && (priceValue === undefined || priceValue <= 0)) {
        add(OFFER_ERROR_CODES.invalidPrice, `price_vat_included must be a number above 0, got ${JSON.stringify(price.price_vat_included)}`);
      }
      if (stock != null && (stockValue === undefined || !Number.isInteger(stockValue) || stockValue < 0)) {
        add(OFFER_ERROR_CODES.invalidStock, `stock quantity must be a whole number from 0, got ${JSON.stringify(stock.quantity)}`);
      }
      if (found.length) {
        list.push(...found);
        if (offer) state.setOffer(cid, { sku, status: 'ERROR', errors: found.map((e) => ({ code: e.api_error_code, message: e.message })), last_request_id: requestId });
        continue;
      }
      state.setOffer(cid, {
        sku, status: 'COMPLETED', errors: [], last_request_id: requestId,
        ...(priceValue !== undefined ? { price: priceValue, frozen_price: true } : {}),
        ...(stockValue !== undefined ? { stock: stockValue, frozen_stock: true, offer_is_online: stockValue > 0 } : {}),
      });
    }
    return { seller_contract_id: cid, errors: list };
  });
  // Some gateways answer 207 when an item failed (MCP); which one ManoMano does is unknown: a setting.
  const anyError = errors.some((g) => g.errors.length > 0);
  return { status: anyError ? ctx.settings.strict.offerPatchErrorStatus : 200, body: { content: { errors }, request_id: requestId } };
}

/** GET /api/v1/offer-information/offers */
export function listOffers(ctx: RouteContext): SimResponse {
  const { req, state } = ctx;
  const cid = queryContract(ctx);
  if (typeof cid !== 'number') return cid;
  const paging = readPaging(req, 10, ctx.settings.maxPageLimit);
  if ('status' in paging) return paging;
  const skus = new Set((req.query.skus ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const requestId = req.query.request_id;
  const online = req.query.offer_online;
  const all = state
    .listOffers(cid)
    .filter((o) => (!skus.size || skus.has(o.sku)) && (!requestId || o.last_request_id === requestId))
    .filter((o) => online === undefined || online === '' || String(o.offer_is_online) === online)
    .map(({ last_request_id: _r, ...o }) => o);
  return { status: 200, body: paginate(req, all, paging.page, paging.limit) };
}

