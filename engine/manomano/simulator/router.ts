/**
 * Maps a request to its endpoint, names it for fault rules ('POST /orders/v1/accept-orders',
 * 'GET /orders/v1/orders/{ref}'), and runs auth (401 / 403) before the handler.
 */
import { fail, type SimRequest, type SimResponse } from './http.js';
import { listCategories, listFields, putOffers, uploadDocument, type CatalogSettings } from './routes-catalog.js';
import { patchOffers, listOffers } from './routes-offers.js';
import { batchAction, getOrder, listOrders, type RouteContext } from './routes-orders.js';
import type { SimulatorState } from './state.js';
import { doubledSlashHint, strictRequestProblem } from './strict.js';

/** Server-wide settings the routes read. */
export type RouteSettings = RouteContext['settings'] & {
  refundPath: string;
  requireThirdPartyName: boolean;
  catalog: CatalogSettings;
};

/** A matched endpoint: the names fault rules can use, and the handler behind auth. */
export interface Dispatched {
  faultKeys: string[];
  /** Set when the path itself explains a 404 (a doubled slash): the request log shows it. */
  hint?: string;
  run(world: { req: SimRequest; state: SimulatorState; keys: Record<string, number[]> }): SimResponse | Promise<SimResponse>;
}

type Ctx = RouteContext & { settings: RouteSettings };

interface Route {
  method: string;
  key: string;
  match(path: string, s: RouteSettings): string[] | null;
  handle(ctx: Ctx, params: string[]): SimResponse | Promise<SimResponse>;
}

const exact = (p: string) => (path: string) => (path === p ? [] : null);

const ROUTES: Route[] = [
  { method: 'GET', key: '/orders/v1/orders', match: exact('/orders/v1/orders'), handle: (c) => listOrders(c) },
  {
    method: 'GET', key: '/orders/v1/orders/{ref}',
    match: (path) => {
      const m = /^\/orders\/v1\/orders\/([^/]+)$/.exec(path);
      return m ? [m[1]!] : null;
    },
    handle: (c, [ref]) => getOrder(c, ref!),
  },
  { method: 'POST', key: '/orders/v1/accept-orders', match: exact('/orders/v1/accept-orders'), handle: (c) => batchAction(c, 'accept') },
  { method: 'POST', key: '/orders/v1/refuse-orders', match: exact('/orders/v1/refuse-orders'), handle: (c) => batchAction(c, 'refuse') },
  { method: 'POST', key: '/orders/v1/shippings', match: exact('/orders/v1/shippings'), handle: (c) => batchAction(c, 'ship') },
  { method: 'POST', key: '/orders/v1/refunds', match: (path, s) => (path === s.refundPath ? [] : null), handle: (c) => batchAction(c, 'refund') },
  { method: 'PATCH', key: '/api/v2/offer-information/offers', match: exact('/api/v2/offer-information/offers'), handle: (c) => patchOffers(c) },
  { method: 'GET', key: '/api/v1/offer-information/offers', match: exact('/api/v1/offer-information/offers'), handle: (c) => listOffers(c) },
  { method: 'PUT', key: '/api/v1/offers', match: exact('/api/v1/offers'), handle: (c) => putOffers(c) },
  { method: 'GET', key: '/api/v1/products/categories', match: exact('/api/v1/products/categories'), handle: (c) => listCategories(c) },
  { method: 'GET', key: '/api/v2/feeds/fields', match: exact('/api/v2/feeds/fields'), handle: (c) => listFields(c) },
  {
    method: 'POST', key: '/api/v1/orders/{ref}/documents',
    match: (path) => {
      const m = /^\/api\/v1\/orders\/([^/]+)\/documents$/.exec(path);
      return m ? [m[1]!] : null;
    },
    handle: (c, [ref]) => uploadDocument(c, ref!),
  },
];

/** Finds the route; unknown paths answer 404, known paths with another method 405. */
export function dispatch(req: SimRequest, settings: RouteSettings): Dispatched {
  const literal = `${req.method} ${req.path}`;
  let pathKnown = false;
  for (const route of ROUTES) {
    const params = route.match(req.path, settings);
    if (!params) continue;
    pathKnown = true;
    if (route.method !== req.method) continue;
    const names = [`${req.method} ${route.key}`, literal];
    if (route.key === '/orders/v1/refunds') names.push(`${req.method} ${settings.refundPath}`);
    return {
      faultKeys: [...new Set(names)],
      run: ({ req: r, state, keys }) => {
        const owned = authenticate(r, keys, settings);
        if (!(owned instanceof Set)) return owned;
        return strictRequestProblem(r, settings.strict) ?? route.handle({ req: r, state, owned, settings }, params);
      },
    };
  }
  const hint = doubledSlashHint(req.rawUrl);
  const answer = pathKnown
    ? fail(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path}`)
    : fail(404, 'NOT_FOUND', `no endpoint ${req.method} ${req.path}${hint ? ` (${hint})` : ''}`);
  return hint ? { faultKeys: [literal], hint, run: () => answer } : { faultKeys: [literal], run: () => answer };
}

/** The key's contracts, or the 401/400 answer. */
function authenticate(req: SimRequest, keys: Record<string, number[]>, settings: RouteSettings): Set<number> | SimResponse {
  const key = req.headers['x-api-key']?.trim();
  if (!key) return fail(401, 'UNAUTHORIZED', 'missing x-api-key header');
  const contracts = Object.prototype.hasOwnProperty.call(keys, key) ? keys[key] : undefined;
  if (!contracts) return fail(401, 'UNAUTHORIZED', 'invalid API key');
  if (settings.requireThirdPartyName && !req.headers['x-thirdparty-name']?.trim()) {
    return fail(400, 'MISSING_THIRDPARTY_NAME', 'x-thirdparty-name header is required (e.g. "MyCompany_1.0")');
  }
  return new Set(contracts.map(Number));
}
