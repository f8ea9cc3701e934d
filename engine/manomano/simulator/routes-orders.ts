/**
 * The order endpoints: list (filters + pagination), get one, and the four batch actions with
 * per-item results (204 when all succeed, 207 with content[] otherwise), following §2-§3 and §5.
 */
import { ORDER_STATUSES, type LineQuantity, type Order, type OrderStatus } from '../api-types.js';
import { fail, toInt, toNumber, type SimRequest, type SimResponse } from './http.js';
import { paginate, readPaging } from './pagination.js';
import { TRANSITIONS, type OrderAction, type SimulatorState } from './state.js';
import { parseIsoDate, type Strictness } from './strict.js';

/** What a route handler works with: the request, the world, the caller's contracts, the settings. */
export interface RouteContext {
  req: SimRequest;
  state: SimulatorState;
  owned: Set<number>;
  settings: { maxPageLimit: number; carriers: readonly string[]; refundReasons: readonly string[]; strict: Strictness };
}

/** The `seller_contract_id` query parameter, checked against the key's contracts. */
export function queryContract(ctx: RouteContext): number | SimResponse {
  const raw = ctx.req.query.seller_contract_id;
  if (raw === undefined || raw === '') return fail(400, 'MISSING_PARAMETER', 'seller_contract_id is required');
  const id = toInt(raw);
  if (id === undefined) return fail(400, 'INVALID_PARAMETER', `seller_contract_id must be an integer, got "${raw}"`);
  if (!ctx.owned.has(id)) return fail(403, 'FORBIDDEN', `this API key has no access to seller contract ${id}`);
  return id;
}

/** Reads a date filter: ISO-8601 with a zone unless `strict.isoDates` is off (strict.ts). */
function dateParam(req: SimRequest, name: string, strict: boolean): number | SimResponse | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  const t = parseIsoDate(raw, strict);
  return t !== undefined ? t : fail(400, 'INVALID_PARAMETER', `${name} must be an ISO-8601 date with a zone, like 2026-10-01T00:00:00Z or 2026-10-01T02:00:00+02:00, got "${raw}"`);
}

const isResponse = (v: unknown): v is SimResponse => typeof v === 'object' && v !== null && 'status' in v;

/** GET /orders/v1/orders */
export function listOrders(ctx: RouteContext): SimResponse {
  const { req, state } = ctx;
  const cid = queryContract(ctx);
  if (isResponse(cid)) return cid;
  const paging = readPaging(req, 50, ctx.settings.maxPageLimit);
  if (isResponse(paging)) return paging;
  const statuses = (req.query.status ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = statuses.find((s) => !(ORDER_STATUSES as readonly string[]).includes(s));
  if (unknown) return fail(400, 'INVALID_PARAMETER', `unknown status "${unknown}"; one of ${ORDER_STATUSES.join(', ')}`);
  const bounds: Record<string, number | undefined> = {};
  for (const name of ['created_at_start', 'created_at_end', 'status_updated_at_start', 'status_updated_at_end']) {
    const t = dateParam(req, name, ctx.settings.strict.isoDates);
    if (isResponse(t)) return t;
    bounds[name] = t;
  }
  const ref = req.query.order_reference;
  let carrier = req.query.carrier;
  if (carrier && carrier.includes('+') && !ctx.settings.carriers.includes(carrier)) carrier = carrier.replace(/\+/g, ' ');
  const inRange = (iso: string, start?: number, end?: number) => {
    const t = Date.parse(iso);
    return (start === undefined || t >= start) && (end === undefined || t <= end);
  };
  const shippedWith = (o: Order) => state.actions.some((a) => a.action === 'ship' && a.order_reference === o.order_reference && a.details.carrier === carrier);
  const all = state.listOrders(cid).filter((o) =>
    (!statuses.length || statuses.includes(o.status)) &&
    inRange(o.created_at, bounds.created_at_start, bounds.created_at_end) &&
    inRange(o.status_updated_at, bounds.status_updated_at_start, bounds.status_updated_at_end) &&
    (!ref || o.order_reference === ref) &&
    (!carrier || o.products.some((p) => p.carrier === carrier) || shippedWith(o)));
  return { status: 200, body: paginate(req, all, paging.page, paging.limit) };
}

/** GET /orders/v1/orders/{ref}: `{content: order}`; without seller_contract_id, any of the key's contracts. */
export function getOrder(ctx: RouteContext, ref: string): SimResponse {
  let ids = [...ctx.owned];
  if (ctx.req.query.seller_contract_id !== undefined) {
    const cid = queryContract(ctx);
    if (isResponse(cid)) return cid;
    ids = [cid];
  }
  for (const id of ids) {
    const order = ctx.state.getOrder(id, ref);
    if (order) return { status: 200, body: { content: order } };
  }
  return fail(404, 'ORDER_NOT_FOUND', `order ${ref} not found`);
}

type ItemError = [httpCode: number, appCode: string, message: string];

/** Checks an optional products list against the order's lines (whole order when absent). */
function checkProducts(order: Order, products: unknown): { error: ItemError } | { products?: LineQuantity[] } {
  if (products === undefined || products === null) return {};
  if (!Array.isArray(products)) return { error: [400, 'INVALID_PRODUCTS', 'products must be an array of {seller_sku, quantity}'] };
  const out: LineQuantity[] = [];
  for (const p of products as Record<string, unknown>[]) {
    const sku = p?.seller_sku;
    const line = order.products.find((l) => l.seller_sku === sku);
    if (typeof sku !== 'string' || !line) return { error: [400, 'INVALID_PRODUCTS', `order ${order.order_reference} has no line with seller_sku "${String(sku)}"`] };
    const qty = toNumber(p.quantity);
    if (qty === undefined || !Number.isInteger(qty) || qty < 1 || qty > line.quantity) {
      return { error: [400, 'INVALID_QUANTITY', `quantity for ${sku} must be a whole number from 1 to ${line.quantity}, got ${JSON.stringify(p.quantity)}`] };
    }
    out.push({ seller_sku: sku, quantity: qty });
  }
  return { products: out };
}

const nonEmpty = (v: unknown) => (typeof v === 'string' && v.trim() !== '') || typeof v === 'number';

/** Per-action payload checks; returns an error, or the details to record. */
const VALIDATORS: Record<OrderAction, (ctx: RouteContext, item: Record<string, unknown>, order: Order) => { error: ItemError } | { details: Record<string, unknown> }> = {
  accept: () => ({ details: {} }),
  refuse: () => ({ details: {} }),
  ship(ctx, item, order) {
    if (typeof item.carrier !== 'string' || !ctx.settings.carriers.includes(item.carrier)) {
      return { error: [400, 'INVALID_CARRIER', `carrier ${JSON.stringify(item.carrier)} is not in ManoMano's carrier list (names are case-sensitive, e.g. "Colissimo", "DHL", "UPS")`] };
    }
    if (!nonEmpty(item.tracking_number)) return { error: [400, 'MISSING_TRACKING_NUMBER', 'tracking_number is required'] };
    if (ctx.settings.strict.requireTrackingUrl && !nonEmpty(item.tracking_url)) return { error: [400, 'MISSING_TRACKING_URL', 'tracking_url is required'] };
    const products = checkProducts(order, item.products);
    if ('error' in products) return products;
    const url = nonEmpty(item.tracking_url) ? String(item.tracking_url) : null;
    return { details: { carrier: item.carrier, tracking_number: String(item.tracking_number), tracking_url: url, products: products.products } };
  },
  refund(ctx, item, order) {
    const reason = item.reason ?? item.refund_reason;
    if (typeof reason !== 'string' || !ctx.settings.refundReasons.includes(reason)) {
      return { error: [400, 'INVALID_REFUND_REASON', `reason ${JSON.stringify(reason)} is not one of ${ctx.settings.refundReasons.join(', ')}`] };
    }
    if (typeof item.refund_shipping_fees !== 'boolean') return { error: [400, 'INVALID_FIELD', 'refund_shipping_fees must be true or false'] };
    const products = checkProducts(order, item.products);
    if ('error' in products) return products;
    return { details: { reason, refund_shipping_fees: item.refund_shipping_fees, products: products.products } };
  },
};

/** POST accept-orders / refuse-orders / shippings / refunds: validates, applies, answers per item. */
export function batchAction(ctx: RouteContext, action: OrderAction): SimResponse {
  const { req, state } = ctx;
  if (req.bodyError) return fail(400, 'INVALID_JSON', `request body is not valid JSON: ${req.bodyError}`);
  if (!Array.isArray(req.body)) return fail(400, 'INVALID_REQUEST', 'request body must be a JSON array with one object per order');
  const items = req.body as unknown[];
  for (const item of items) {
    const cid = toInt((item as Record<string, unknown> | null)?.seller_contract_id);
    if (cid !== undefined && !ctx.owned.has(cid)) return fail(403, 'FORBIDDEN', `this API key has no access to seller contract ${cid}`);
  }
  let at: string | undefined;
  let failed = 0;
  const content = items.map((raw) => {
    const item = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const ref = item.order_reference;
    const cid = toInt(item.seller_contract_id);
    const head = { order_reference: ref, seller_contract_id: cid ?? item.seller_contract_id };
    const error = (e: ItemError) => {
      failed += 1;
      return { ...head, result: { http_code: e[0], error: { app_code: e[1], message: e[2] } } };
    };
    if (typeof ref !== 'string' || !ref) return error([400, 'MISSING_FIELD', 'order_reference is required']);
    if (cid === undefined) return error([400, 'MISSING_FIELD', 'seller_contract_id must be an integer']);
    const order = state.getOrder(cid, ref);
    if (!order) return error([404, 'ORDER_NOT_FOUND', `order ${ref} not found on seller contract ${cid}`]);
    const checked = VALIDATORS[action](ctx, item, order);
    if ('error' in checked) return error(checked.error);
    const { from } = TRANSITIONS[action];
    if (order.status !== from) {
      return error([409, 'ORDER_INVALID_STATUS', `cannot ${action} order ${ref}: its status is ${order.status as OrderStatus}, ${action} needs ${from}`]);
    }
    state.apply(action, cid, ref, (at ??= state.tick()), checked.details);
    return { ...head, result: { http_code: 200 } };
  });
  return failed === 0 ? { status: 204 } : { status: 207, body: { content } };
}
