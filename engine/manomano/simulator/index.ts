/**
 * The local ManoMano Partner API simulator: a real HTTP server (node:http) with auth, pagination,
 * the order state machine, batch endpoints with per-item results, rate limiting and switchable
 * faults. Tests and `manoflow sandbox` start it; the client is tested against it over loopback.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManoflowError } from '../../errors.js';
import { DEFAULT_REFUND_REASONS, MANOMANO_CARRIERS } from '../api-types.js';
import { FaultEngine, RateLimiter, rateLimitBody, type FaultRule } from './faults.js';
import { buildWorld, type SimulatorFixture } from './fixture.js';
import { isoSeconds } from './generate.js';
import { errorBody, fail, readRequest, send, serialise, type SimRequest, type SimResponse } from './http.js';
import type { Market } from './locales.js';
import { recordRaw, type RawRequestLog } from './request-log.js';
import { dispatch, type RouteSettings } from './router.js';
import type { SimulatorState } from './state.js';
import { resolveStrictness, type StrictOptions } from './strict.js';
import { generateTaxonomy, type SimTaxonomy } from './taxonomy.js';

export type { FaultRule } from './faults.js';
export { parseFaultSpec } from './faults.js';
export type { SimulatorFixture } from './fixture.js';
export { DEFAULT_KEYS } from './fixture.js';
export { SimulatorState, TRANSITIONS } from './state.js';
export { OFFER_ERROR_CODES } from './routes-offers.js';
export { generateTaxonomy, type SimTaxonomy } from './taxonomy.js';
export { LENIENT_NAMES, type StrictOptions } from './strict.js';
export type { RawRequestLog } from './request-log.js';

/** ASSUMPTIONS of the catalogue endpoints (reference §2.7b, §2.8), all settings (README). */
export interface CatalogOptions {
  /** Fields per page at most (default 50, reference §2.8). */
  maxFieldsLimit?: number;
  /** Each field lists the categories it applies to (default true); false: only `category_id=` says. */
  inlineCategoryLinks?: boolean;
  /** Offers per PUT (default 20; 400 ERR_1405 above). */
  maxOffersPerPut?: number;
  /** PUT refuses an FR offer without eco_participation (default false). */
  requireEcoParticipation?: boolean;
  /** Accepted document types of the upload (default ['INVOICE']). */
  documentTypes?: string[];
  /** Statuses an order may have to receive an invoice (default PREPARATION, SHIPPED, REFUNDING, REFUNDED). */
  invoiceStatuses?: string[];
  /** Largest upload in bytes (default 10 MiB; 413 above). */
  maxDocumentBytes?: number;
}

/** Everything configurable; every fact the reference marks as an assumption is here. */
export interface SimulatorOptions {
  port?: number;
  host?: string;
  seed?: number;
  fixture?: string | SimulatorFixture;
  ordersPerContract?: number;
  keys?: Record<string, number[]>;
  rateLimit?: { capacity: number; refillPerSecond: number } | false;
  faults?: FaultRule[];
  requireThirdPartyName?: boolean;
  refunds?: { path?: string; reasons?: string[] };
  maxPageLimit?: number;
  /**
   * The simulator's clock: a function, or a date (ISO string or Date) that pins it for tests. Default:
   * real time. Generated orders are dated within the 60 days before it (see `dataEpoch`), and
   * `status_updated_at` of a change is taken from it.
   */
  now?: (() => Date) | Date | string;
  /** Generated offers per contract (default 300). */
  offersPerContract?: number;
  /** The "now" of generated data (default: `now` when the data is built): created_at spreads over the 60 days before it. */
  dataEpoch?: string;
  /** How strict the gateway is (strict.ts); every default is strict. */
  strict?: StrictOptions;
  /** The catalogue endpoints' assumptions. */
  catalog?: CatalogOptions;
  /** Accepted carrier names for /shippings (default MANOMANO_CARRIERS, case-sensitive). */
  carriers?: string[];
}

/**
 * One request as received, for tests and for `GET /__simulator/requests`: the parsed form (path,
 * query, headers, JSON body) and `raw`, the request as sent (URL with its query string and
 * trailing slashes, header lines, body bytes); API keys redacted in both. `hint` explains a 404
 * the path itself causes (a doubled slash).
 */
export interface RecordedRequest {
  seq: number; at: string; method: string; path: string; query: Record<string, string>;
  headers: Record<string, string>; body: unknown; status: number; fault?: string;
  raw: RawRequestLog;
  hint?: string;
}

/** A running simulator. `state` always points at the current world (it is rebuilt on reset). */
export interface Simulator {
  url: string;
  port: number;
  apiKey: string;
  keys: Record<string, number[]>;
  contracts: { id: number; market: Market; currency: 'EUR' | 'GBP' }[];
  requests: RecordedRequest[];
  state: SimulatorState;
  /** The generated category tree and field dictionary (fixed for the simulator's life). */
  taxonomy: SimTaxonomy;
  setFaults(faults: FaultRule[]): void;
  clearRequests(): void;
  close(): Promise<void>;
}

const SECRET_HEADERS = new Set(['x-api-key', 'authorization', 'cookie']);
/**
 * The latency of a fault: a wait that ends early when the client hangs up (a client timeout), so
 * a long latency never leaves a timer behind the connection (tests use one longer than any timeout).
 */
function latency(ms: number, req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); req.socket.off('close', done); resolve(); };
    const timer = setTimeout(done, ms);
    req.socket.once('close', done);
  });
}

/** Why: tests pin the clock with a date; the server only ever calls a function. */
function clockOf(now: SimulatorOptions['now']): () => Date {
  if (now === undefined) return () => new Date();
  if (typeof now === 'function') return now;
  const fixed = new Date(now);
  if (Number.isNaN(fixed.getTime())) throw new ManoflowError('SIM_BAD_OPTION', `now: "${String(now)}" is not a date`, { hint: 'give an ISO-8601 date such as 2026-10-01T00:00:00Z' });
  return () => new Date(fixed.getTime());
}

/** Starts the server on `host:port` (an ephemeral loopback port by default) and resolves once listening. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 1;
  const clock = clockOf(options.now);
  const build = () => buildWorld({
    seed, fixture: options.fixture, keys: options.keys, now: clock,
    ordersPerContract: options.ordersPerContract ?? 150,
    offersPerContract: options.offersPerContract ?? 300,
    dataEpoch: options.dataEpoch ?? isoSeconds(clock().getTime()),
  });
  let world = build();
  const taxonomy = generateTaxonomy(seed);
  const catalog = options.catalog ?? {};
  const settings: RouteSettings = {
    maxPageLimit: options.maxPageLimit ?? 100,
    carriers: options.carriers ?? MANOMANO_CARRIERS,
    refundReasons: options.refunds?.reasons ?? DEFAULT_REFUND_REASONS,
    refundPath: (options.refunds?.path ?? '/orders/v1/refunds').replace(/\/+$/, ''),
    requireThirdPartyName: options.requireThirdPartyName ?? false,
    strict: resolveStrictness(options.strict),
    catalog: {
      taxonomy,
      maxFieldsLimit: catalog.maxFieldsLimit ?? 50,
      inlineCategoryLinks: catalog.inlineCategoryLinks ?? true,
      maxOffersPerPut: catalog.maxOffersPerPut ?? 20,
      requireEcoParticipation: catalog.requireEcoParticipation ?? false,
      documentTypes: catalog.documentTypes ?? ['INVOICE'],
      invoiceStatuses: catalog.invoiceStatuses ?? ['PREPARATION', 'SHIPPED', 'REFUNDING', 'REFUNDED'],
      maxDocumentBytes: catalog.maxDocumentBytes ?? 10 * 1024 * 1024,
    },
  };
  let faultRules = options.faults ?? [];
  const faults = new FaultEngine(seed, faultRules);
  const limiter = options.rateLimit ? new RateLimiter(options.rateLimit.capacity, options.rateLimit.refillPerSecond) : undefined;
  const requests: RecordedRequest[] = [];
  let seq = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const sreq = await readRequest(req);
    if (sreq.path.startsWith('/__simulator')) return admin(sreq, res);
    const headers = Object.fromEntries(Object.entries(sreq.headers).map(([k, v]) => [k, SECRET_HEADERS.has(k) ? 'REDACTED' : v]));
    const record: RecordedRequest = {
      seq: ++seq, at: new Date().toISOString(), method: sreq.method, path: sreq.path, query: sreq.query,
      headers, body: sreq.body ?? (sreq.rawBody || undefined), status: 0,
      raw: recordRaw(sreq, SECRET_HEADERS),
    };
    requests.push(record);
    const route = dispatch(sreq, settings);
    if (route.hint) record.hint = route.hint;
    const wait = limiter?.take(sreq.headers['x-api-key'] ?? '') ?? 0;
    if (wait > 0) return finish(res, record, { status: 429, headers: { 'retry-after': String(wait) }, body: rateLimitBody(wait) });
    const decision = faults.decide(sreq.method, route.faultKeys);
    if (decision.latencyMs > 0) await latency(decision.latencyMs, req);
    const fault = decision.fault;
    if (fault) record.fault = fault.kind;
    else if (decision.latencyMs > 0) record.fault = 'latency';
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const status = fault.status ?? 503;
      return finish(res, record, { status, body: errorBody('SERVICE_UNAVAILABLE', `simulated ${status} (fault injection)`) });
    }
    if (fault?.kind === 'rate-limit') {
      const after = fault.retryAfter ?? 1;
      return finish(res, record, { status: 429, headers: { 'retry-after': String(after) }, body: rateLimitBody(after) });
    }
    const out = await route.run({ req: sreq, state: world.state, keys: world.keys });
    if (fault?.kind === 'drop-after-apply') {
      record.status = out.status;
      const text = serialise(out);
      if (!text) {
        req.socket.end(`HTTP/1.1 ${out.status} `, () => req.socket.destroy());
        return;
      }
      res.writeHead(out.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.destroy());
      return;
    }
    if (fault?.kind === 'malformed') {
      const status = out.status === 204 ? 200 : out.status;
      const text = serialise(out);
      return finish(res, record, { status, headers: out.headers }, text ? text.slice(0, Math.max(1, Math.floor(text.length / 2))) : '{"content": [');
    }
    return finish(res, record, out);
  }

  function finish(res: ServerResponse, record: RecordedRequest, out: SimResponse, text?: string): void {
    record.status = out.status;
    send(res, out, text);
  }

  function admin(sreq: SimRequest, res: ServerResponse): void {
    if (sreq.method === 'GET' && sreq.path === '/__simulator/requests') return send(res, { status: 200, body: { requests } });
    if (sreq.method === 'POST' && sreq.path === '/__simulator/reset') {
      world = build();
      requests.length = 0;
      limiter?.reset();
      faults.set(faultRules);
      return send(res, { status: 200, body: { ok: true } });
    }
    return send(res, fail(404, 'NOT_FOUND', 'simulator admin routes: GET /__simulator/requests, POST /__simulator/reset'));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, fail(500, 'INTERNAL_ERROR', `simulator error: ${(err as Error)?.message ?? String(err)}`));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const keys = world.keys;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    apiKey: Object.keys(keys)[0] ?? '',
    keys,
    contracts: [...world.state.contracts.values()].map((c) => ({ id: c.id, market: c.market, currency: c.currency })),
    requests,
    get state() {
      return world.state;
    },
    taxonomy,
    setFaults(next: FaultRule[]) {
      faultRules = next;
      faults.set(next);
    },
    clearRequests() {
      requests.length = 0;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
