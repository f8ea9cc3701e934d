/**
 * The typed ManoMano Partner API client used by every API connector. `createClient(options)` gives
 * typed methods over a real HTTP transport (node-fetch) with retries, a client-side rate limit,
 * safe recovery of order actions, and an API key that never leaves the request headers.
 */
import { BASE_URLS, type LineQuantity, type OfferInformation, type OfferPatchItem, type OfferUpsertItem, type Order, type OrderStatus, type Page } from '../api-types.js';
import type { ApiCategory, ApiFeedField } from '../taxonomy-types.js';
import { ManoflowError } from '../../errors.js';
import { registerSecret } from '../../secrets.js';
import { runAction, type ActionContext, type ActionSpec, type BatchItemResult } from './actions.js';
import { fetchFieldDictionary, getCategories, iterateFeedFields, listFeedFields, putOffers, uploadDocument, type CatalogClientOptions, type DocumentUpload, type DocumentUploadResult } from './catalog.js';
import { ApiError } from './errors.js';
import { Transport, type RequestEvent } from './http.js';
import { iterateOfferInformation, listOfferInformation, pageError, patchOffers, type OfferInfoQuery, type OfferItemResult } from './offers.js';
import { walkPages } from './pages.js';
import { orderFilterParams, withQuery, type OrderFilters } from './query.js';
import { DEFAULT_RETRIES, realSleep, type RequestBudget, type RetryOptions } from './retry.js';
import { packageVersion } from './version.js';

export { ApiError, type ApiErrorCode } from './errors.js';
export type { BatchItemResult } from './actions.js';
export type { RequestEvent } from './http.js';
export type { OfferInfoQuery, OfferItemResult } from './offers.js';
export { flattenCategories, mapPutReply, multipartInvoice, type CatalogClientOptions, type DocumentUpload, type DocumentUploadResult } from './catalog.js';
export type { OrderFilters, DateInput } from './query.js';
export { formatApiDate } from './query.js';
export { backoffDelay, parseRetryAfter, RateLimiter, type RequestBudget, type RetryOptions } from './retry.js';

/** Options of `createClient`; see README.md for defaults and what is an assumption. */
export interface ClientOptions {
  environment: 'production' | 'sandbox' | 'local';
  /** Required for `local`; overrides the environment's URL otherwise. */
  baseUrl?: string;
  apiKey: string;
  /** `x-thirdparty-name` header; default `manoflow_<version>`. */
  thirdPartyName?: string;
  timeoutMs?: number;
  retries?: Partial<RetryOptions>;
  /** Client-side token bucket; `false` turns it off. Default: off for local, 1/s otherwise. */
  rateLimit?: { requestsPerSecond: number } | false;
  /** A budget shared with other processes (the fleet's, per API key); when given, it replaces `rateLimit`. */
  budget?: RequestBudget;
  /** Orders per request for accept/refuse/ship/refund (default 50). */
  batchSize?: number;
  /** SKUs per PATCH of offers (default 1000; no documented limit). */
  offerBatchSize?: number;
  /** ASSUMPTION (reference §2.6): refund endpoint path and the body field that carries the reason. */
  refunds?: { path?: string; reasonField?: string };
  /** Catalogue endpoints: page sizes, the PUT batch, and the ASSUMPTION of how fields link to categories. */
  catalog?: CatalogClientOptions;
  onRequest?: (event: RequestEvent) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Random source for the backoff jitter (tests). */
  random?: () => number;
}

/** Orders iteration filters: like OrderFilters, but `status` may list several (one pass each). */
export interface OrderIterateFilters extends Omit<OrderFilters, 'status'> {
  status?: OrderStatus | readonly OrderStatus[];
  /** Page size asked (default 100, the documented maximum). */
  limit?: number;
}

/** A shipment to notify; `seller_contract_id` is filled from the call's contract. */
export interface ShipmentInput {
  order_reference: string;
  carrier: string;
  tracking_number: string;
  tracking_url: string;
  products?: LineQuantity[];
}

/** A refund to request (ASSUMPTION: field names, see README). `reason` is sent under `refunds.reasonField`. */
export interface RefundInput {
  order_reference: string;
  reason: string;
  refund_shipping_fees: boolean;
  products: LineQuantity[];
}

/** What `createClient` returns. */
export interface ManomanoClient {
  readonly baseUrl: string;
  listOrders(contractId: number, filters?: OrderFilters & { page?: number; limit?: number }): Promise<Page<Order>>;
  iterateOrders(contractId: number, filters?: OrderIterateFilters): AsyncIterable<Order>;
  getOrder(contractId: number, ref: string): Promise<Order | undefined>;
  acceptOrders(contractId: number, refs: string[]): Promise<BatchItemResult[]>;
  refuseOrders(contractId: number, refs: string[]): Promise<BatchItemResult[]>;
  shipOrders(contractId: number, items: ShipmentInput[]): Promise<BatchItemResult[]>;
  refundOrders(contractId: number, items: RefundInput[]): Promise<BatchItemResult[]>;
  patchOffers(contractId: number, items: OfferPatchItem[]): Promise<OfferItemResult[]>;
  listOfferInformation(contractId: number, query?: OfferInfoQuery): Promise<Page<OfferInformation>>;
  iterateOfferInformation(contractId: number, query?: Omit<OfferInfoQuery, 'page'>): AsyncIterable<OfferInformation>;
  /** Full offer upsert (PUT /api/v1/offers), 20 a request; one result per SKU. */
  putOffers(contractId: number, items: OfferUpsertItem[]): Promise<OfferItemResult[]>;
  /** The category tree, flattened (every node, `parentId`, `finalNode`, localized `names`). */
  getCategories(): Promise<ApiCategory[]>;
  /** One page of the feed-field dictionary (`type=product`). */
  listFeedFields(query?: { page?: number; limit?: number; categoryId?: number }): Promise<Page<ApiFeedField>>;
  /** Every field of the dictionary (or of one category's view). */
  iterateFeedFields(categoryId?: number): AsyncIterable<ApiFeedField>;
  /** The tree and the dictionary with each field's category links, whatever `catalog.fieldCategories` says. */
  fetchTaxonomy(): Promise<{ categories: ApiCategory[]; fields: ApiFeedField[] }>;
  /** Uploads a PDF to an order (invoice); never resent blindly (see DocumentUploadResult.ambiguous). */
  uploadDocument(contractId: number, orderReference: string, upload: DocumentUpload): Promise<DocumentUploadResult>;
  /** Releases keep-alive sockets. */
  close(): void;
}

const ORDERS_PATH = '/orders/v1/orders';

/** Why: the single entry point; validates options once so a bad config fails before any request. */
export function createClient(options: ClientOptions): ManomanoClient {
  if (!options.apiKey) throw new ManoflowError('API_BAD_ARGUMENT', 'apiKey is empty', { hint: 'set MANOMANO_API_KEY (or the pipeline\'s api_key) to the key from Toolbox > Settings > API keys' });
  registerSecret(options.apiKey);
  const keyProblem = apiKeyProblem(options.apiKey);
  if (keyProblem) throw new ManoflowError('CFG_API_KEY_MALFORMED', `the API key ${keyProblem}; it was not sent`, { hint: API_KEY_HINT });
  const baseUrl = resolveBaseUrl(options);
  const retries: RetryOptions = { ...DEFAULT_RETRIES, ...options.retries };
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const batchSize = positive(options.batchSize ?? 50, 'batchSize');
  const offerBatchSize = positive(options.offerBatchSize ?? 1000, 'offerBatchSize');
  const rate = options.rateLimit === undefined ? (options.environment === 'local' ? false : { requestsPerSecond: 1 }) : options.rateLimit;
  const transport = new Transport({
    baseUrl, apiKey: options.apiKey, thirdPartyName: options.thirdPartyName ?? `manoflow_${packageVersion()}`,
    timeoutMs: options.timeoutMs ?? 30_000, retries, requestsPerSecond: rate ? rate.requestsPerSecond : undefined, budget: options.budget,
    sleep, random, onRequest: options.onRequest,
  });
  const refundPath = options.refunds?.path ?? '/orders/v1/refunds';
  const catalog = options.catalog ?? {};
  const putBatchSize = positive(catalog.putOfferBatchSize ?? 20, 'catalog.putOfferBatchSize');
  const fieldsPageSize = positive(catalog.fieldsPageSize ?? 50, 'catalog.fieldsPageSize');
  const reasonField = options.refunds?.reasonField ?? 'reason';

  async function getOrder(contractId: number, ref: string): Promise<Order | undefined> {
    const path = withQuery(`${ORDERS_PATH}/${encodeURIComponent(ref)}`, { seller_contract_id: contractId });
    const reply = await transport.send('GET', path);
    if (reply.status === 404) return undefined;
    if (reply.status >= 400) throw pageError('GET', path, reply.status, reply.body);
    const content = (reply.body as { content?: unknown } | undefined)?.content;
    if (!content || typeof content !== 'object' || Array.isArray(content)) {
      throw new ApiError('API_BAD_RESPONSE', `GET ${path}: the answer has no "content" object`, { method: 'GET', path, status: reply.status }, { hint: 'report it if it persists' });
    }
    return content as Order;
  }

  async function listOrders(contractId: number, filters: OrderFilters & { page?: number; limit?: number } = {}): Promise<Page<Order>> {
    const path = withQuery(ORDERS_PATH, { seller_contract_id: contractId, ...orderFilterParams(filters), page: filters.page ?? 1, limit: filters.limit ?? 100 });
    const reply = await transport.send('GET', path);
    if (reply.status >= 400) throw pageError('GET', path, reply.status, reply.body);
    return reply.body as Page<Order>;
  }

  async function* iterateOrders(contractId: number, filters: OrderIterateFilters = {}): AsyncGenerator<Order> {
    const { status, limit = 100, ...rest } = filters;
    const statuses: (OrderStatus | undefined)[] = status === undefined ? [undefined] : typeof status === 'string' ? [status] : [...status];
    for (const s of statuses) {
      yield* walkPages<Order>({
        limit, describe: `GET ${ORDERS_PATH}`, key: (o) => o.order_reference,
        fetchPage: (page) => listOrders(contractId, { ...rest, status: s, page, limit }),
      });
    }
  }

  const ctx: ActionContext = { transport, retries, batchSize, random, sleep, getOrder };
  const act = (spec: ActionSpec, contractId: number, bodies: { order_reference: string }[]) => runAction(ctx, spec, contractId, bodies);
  const ref = (contractId: number) => (r: string) => ({ order_reference: r, seller_contract_id: contractId });

  return {
    baseUrl,
    listOrders,
    iterateOrders,
    getOrder,
    acceptOrders: (c, refs) => act({ name: 'accept', path: '/orders/v1/accept-orders', from: 'PENDING', applied: ['PREPARATION'] }, c, refs.map(ref(c))),
    refuseOrders: (c, refs) => act({ name: 'refuse', path: '/orders/v1/refuse-orders', from: 'PENDING', applied: ['REFUSED'] }, c, refs.map(ref(c))),
    shipOrders: (c, items) => act({ name: 'ship', path: '/orders/v1/shippings', from: 'PREPARATION', applied: ['SHIPPED'] }, c,
      items.map((i) => ({ ...i, seller_contract_id: c }))),
    refundOrders: (c, items) => act({ name: 'refund', path: refundPath, from: 'SHIPPED', applied: ['REFUNDING', 'REFUNDED'] }, c,
      items.map(({ reason, ...i }) => ({ order_reference: i.order_reference, seller_contract_id: c, [reasonField]: reason, refund_shipping_fees: i.refund_shipping_fees, products: i.products }))),
    patchOffers: (c, items) => patchOffers(transport, offerBatchSize, c, items),
    listOfferInformation: (c, q) => listOfferInformation(transport, c, q),
    iterateOfferInformation: (c, q) => iterateOfferInformation(transport, c, q),
    putOffers: (c, items) => putOffers(transport, putBatchSize, c, items),
    getCategories: () => getCategories(transport),
    listFeedFields: (q) => listFeedFields(transport, { limit: fieldsPageSize, ...q }),
    iterateFeedFields: (categoryId) => iterateFeedFields(transport, fieldsPageSize, categoryId),
    async fetchTaxonomy() {
      const categories = await getCategories(transport);
      return { categories, fields: await fetchFieldDictionary(transport, categories, { ...catalog, fieldsPageSize }) };
    },
    uploadDocument: (c, ref, upload) => uploadDocument(transport, c, ref, upload),
    close: () => transport.close(),
  };
}

/** What to do about a malformed key; the key itself is never shown. */
export const API_KEY_HINT = 'copy the key again from Toolbox > Settings > API keys; a key read from a file often keeps its final line break (MANOMANO_API_KEY="$(tr -d \'\\n\' < key.txt)")';

/**
 * Why: a key HTTP cannot carry (a line break, a space, a non-ASCII letter) used to fail as a
 * network error, retried six times. Says what is wrong with it without showing any of it;
 * undefined for a key of printable ASCII characters.
 */
export function apiKeyProblem(key: string): string | undefined {
  if (/^[\x21-\x7e]+$/.test(key)) return undefined;
  if (/[\r\n]/.test(key)) return `holds a line break (${key.length} characters)`;
  if (/[^\x00-\x7f]/.test(key)) return 'holds a character that is not ASCII (a letter with an accent, a typographic quote or space?)';
  if (/[ \t]/.test(key)) return 'holds a space or a tab';
  return 'holds a control character';
}

function resolveBaseUrl(o: ClientOptions): string {
  const url = o.baseUrl ?? (o.environment === 'local' ? undefined : BASE_URLS[o.environment]);
  if (!url) throw new ManoflowError('API_BAD_ARGUMENT', 'environment "local" needs a baseUrl', { hint: 'pass the simulator URL, the one `manoflow sandbox` prints, e.g. http://127.0.0.1:8089' });
  if (!/^https?:\/\//.test(url)) throw new ManoflowError('API_BAD_ARGUMENT', `baseUrl "${url}" is not an http(s) URL`, { hint: 'e.g. https://partnersapi.manomano.com' });
  return url.replace(/\/+$/, '');
}

function positive(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new ManoflowError('API_BAD_ARGUMENT', `${name} must be a positive integer, got ${n}`);
  return n;
}
