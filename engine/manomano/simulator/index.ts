/**
 * The local ManoMano Partner API simulator: a real HTTP server (node:http) with auth, pagination,
 * the order state machine, batch endpoints with per-item results, rate limiting and switchable
 * faults. Tests and `manoflow sandbox` start it; the client is tested against it over loopback.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_REFUND_REASONS, MANOMANO_CARRIERS } from '../api-types.js';
import { FaultEngine, RateLimiter, rateLimitBody, type FaultRule } from './faults.js';
import { buildWorld, type SimulatorFixture } from './fixture.js';
import { DEFAULT_DATA_EPOCH } from './generate.js';
import { errorBody, fail, readRequest, send, serialise, type SimRequest, type SimResponse } from './http.js';
import type { Market } from './locales.js';
import { dispatch, type RouteSettings } from './router.js';
import type { SimulatorState } from './state.js';

export type { FaultRule } from './faults.js';
export { parseFaultSpec } from './faults.js';
export type { SimulatorFixture } from './fixture.js';
export { DEFAULT_KEYS } from './fixture.js';
export { SimulatorState, TRANSITIONS } from './state.js';
export { OFFER_ERROR_CODES } from './routes-offers.js';

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
  now?: () => Date;
  /** Generated offers per contract (default 300). */
  offersPerContract?: number;
  /** The "now" of generated data (default 2026-10-01T00:00:00Z): created_at spreads over 60 days before it. */
  dataEpoch?: string;
  /** Accepted carrier names for /shippings (default MANOMANO_CARRIERS, case-sensitive). */
  carriers?: string[];
}

/** One request as received, for tests and for `GET /__simulator/requests`. */
export interface RecordedRequest {
  seq: number; at: string; method: string; path: string; query: Record<string, string>;
  headers: Record<string, string>; body: unknown; status: number; fault?: string;
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

/** Starts the server on `host:port` (an ephemeral loopback port by default) and resolves once listening. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 1;
  const clock = options.now ?? (() => new Date());
  const build = () => buildWorld({
    seed, fixture: options.fixture, keys: options.keys, now: clock,
    ordersPerContract: options.ordersPerContract ?? 150,
    offersPerContract: options.offersPerContract ?? 300,
    dataEpoch: options.dataEpoch ?? DEFAULT_DATA_EPOCH,
  });
  let world = build();
  const settings: RouteSettings = {
    maxPageLimit: options.maxPageLimit ?? 100,
    carriers: options.carriers ?? MANOMANO_CARRIERS,
    refundReasons: options.refunds?.reasons ?? DEFAULT_REFUND_REASONS,
    refundPath: (options.refunds?.path ?? '/orders/v1/refunds').replace(/\/+$/, ''),
    requireThirdPartyName: options.requireThirdPartyName ?? false,
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
    };
    requests.push(record);
    const route = dispatch(sreq, settings);
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
    const out = route.run({ req: sreq, state: world.state, keys: world.keys });
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
