/**
 * Failures through the client, against the simulator's switchable faults: typed 401/403, 429 with
 * Retry-After honoured (waits recorded by an injected sleep, never slept), 503s recovered, dropped
 * connections after an order action recovered without sending the action twice, and an API key
 * that appears in no error and no onRequest event.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { OrderStatus } from '../../engine/manomano/api-types.js';
import { ApiError, createClient, type BatchItemResult, type ClientOptions, type RequestEvent } from '../../engine/manomano/client/index.js';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';

const C = 110841;
const KEY = 'sk-live-4f9d2c7e1b';
let sim: Simulator;
const waits: number[] = [];
const events: RequestEvent[] = [];
const errors: unknown[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11, ordersPerContract: 200, keys: { [KEY]: [C] }, rateLimit: false });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.setFaults([]);
  sim.clearRequests();
  waits.length = 0;
  actionsBefore = sim.state.actions.length;
});

function client(extra: Partial<ClientOptions> = {}) {
  return createClient({
    environment: 'local', baseUrl: sim.url, apiKey: KEY, random: () => 0.5,
    sleep: async (ms) => { waits.push(ms); }, onRequest: (e) => events.push(e), ...extra,
  });
}
async function expectApiError(p: Promise<unknown>, code: string): Promise<ApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  errors.push(err);
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe(code);
  return err as ApiError;
}
const pick = (s: OrderStatus, i = 0) => sim.state.listOrders(C).filter((o) => o.status === s)[i]!.order_reference;
const postsFor = (path: string, ref: string) =>
  sim.requests.filter((r) => r.method === 'POST' && r.path === path && Array.isArray(r.body) && (r.body as { order_reference: string }[]).some((i) => i.order_reference === ref)).length;
// Actions the simulator applied to an order since the current test began.
let actionsBefore = 0;
const appliedFor = (ref: string) => sim.state.actions.slice(actionsBefore).filter((a) => a.order_reference === ref).length;

describe('typed errors', () => {
  test('a wrong key is API_UNAUTHORIZED, naming method and path, with a hint', async () => {
    const c = client({ apiKey: 'sk-wrong-key-77aa00' });
    const err = await expectApiError(c.listOrders(C), 'API_UNAUTHORIZED');
    expect(err).toMatchObject({ status: 401, method: 'GET' });
    expect(err.message).toContain('GET /orders/v1/orders?seller_contract_id=110841');
    expect(err.hint).toMatch(/API key/);
    expect(sim.requests.length).toBe(1); // a 401 is not retried
    await expectApiError(c.acceptOrders(C, [pick('PENDING')]), 'API_UNAUTHORIZED');
    c.close();
  });

  test('a contract the key does not own is API_FORBIDDEN', async () => {
    const c = client();
    const err = await expectApiError(c.listOrders(999_999), 'API_FORBIDDEN');
    expect(err.hint).toMatch(/seller_contract_id/);
    await expectApiError(c.shipOrders(999_999, [{ order_reference: 'M1', carrier: 'DPD', tracking_number: 'x', tracking_url: 'https://x' }]), 'API_FORBIDDEN');
    c.close();
  });

  test('a server that cannot be reached is API_NETWORK after retries.max attempts', async () => {
    const closed = await startSimulator({ port: 0, seed: 1 });
    const url = closed.url;
    await closed.close();
    const c = client({ baseUrl: url, retries: { max: 2 } });
    const err = await expectApiError(c.getOrder(C, 'M1'), 'API_NETWORK');
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(waits).toEqual([250, 500]); // full jitter with random 0.5: half of the ceilings 500, 1000
    const act = await expectApiError(c.acceptOrders(C, ['M1']), 'API_NETWORK'); // nothing can have applied
    expect(act.results).toEqual([]);
    c.close();
  });
});

describe('429 and Retry-After', () => {
  test('Retry-After is honoured exactly and the request is resent', async () => {
    sim.setFaults([{ endpoint: 'GET /orders/v1/orders', kind: 'rate-limit', retryAfter: 3, times: 2 }]);
    const c = client();
    const page = await c.listOrders(C, { limit: 10 });
    expect(page.content.length).toBe(10);
    expect(waits).toEqual([3000, 3000]);
    expect(sim.requests.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(events.filter((e) => e.type === 'wait' && e.reason === 'retry-after').slice(-2).map((e) => e.waitMs)).toEqual([3000, 3000]);
    c.close();
  });

  test('a 429 on an order action is resent (it was rejected before applying), once applied', async () => {
    const ref = pick('PENDING');
    sim.setFaults([{ endpoint: 'POST /orders/v1/accept-orders', kind: 'rate-limit', retryAfter: 2, times: 1 }]);
    const c = client();
    expect(await c.acceptOrders(C, [ref])).toEqual([{ order_reference: ref, ok: true, httpCode: 204 }]);
    expect(waits).toEqual([2000]);
    expect(postsFor('/orders/v1/accept-orders', ref)).toBe(2);
    expect(appliedFor(ref)).toBe(1);
    c.close();
  });

  test('still limited after retries.max → API_RATE_LIMITED', async () => {
    sim.setFaults([{ endpoint: '*', kind: 'rate-limit', retryAfter: 1 }]);
    const c = client({ retries: { max: 3 } });
    const err = await expectApiError(c.getOrder(C, pick('SHIPPED')), 'API_RATE_LIMITED');
    expect(err.attempts).toBe(4);
    expect(waits).toEqual([1000, 1000, 1000]);
    expect(sim.requests.length).toBe(4);
    c.close();
  });

  test('a Retry-After longer than maxDelayMs gives up at once instead of sleeping for ages', async () => {
    const limited = await startSimulator({ port: 0, seed: 2, keys: { [KEY]: [C] }, rateLimit: { capacity: 1, refillPerSecond: 0.001 } });
    const c = client({ baseUrl: limited.url });
    await c.listOrders(C, { limit: 1 });
    const err = await expectApiError(c.listOrders(C, { limit: 1 }), 'API_RATE_LIMITED');
    expect(err.retryAfterMs).toBe(1000 * 1000);
    expect(err.message).toMatch(/asks to wait 1000 s/);
    expect(waits).toEqual([]);
    c.close();
    await limited.close();
  });
});

describe('5xx and dropped connections', () => {
  test('injected 503s on GET are retried with backoff and recovered', async () => {
    sim.setFaults([{ endpoint: 'GET /orders/v1/orders', kind: 'status', status: 503, times: 2 }]);
    const c = client();
    expect((await c.listOrders(C)).content.length).toBeGreaterThan(0);
    expect(sim.requests.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(waits).toEqual([250, 500]);
    c.close();
  });

  test('503s that never stop → API_HTTP_503 naming the path', async () => {
    sim.setFaults([{ endpoint: 'GET /orders/v1/orders', kind: 'status', status: 503 }]);
    const err = await expectApiError(client({ retries: { max: 2 } }).listOrders(C), 'API_HTTP_503');
    expect(err.message).toMatch(/GET \/orders\/v1\/orders.*HTTP 503.*after 3 attempts/);
  });

  test.each<['drop' | 'drop-after-apply' | 'malformed']>([['drop'], ['drop-after-apply'], ['malformed']])('a GET hit by %s is simply retried', async (kind) => {
    sim.setFaults([{ endpoint: 'GET /orders/v1/orders', kind, times: 1 }]);
    const c = client();
    expect((await c.listOrders(C, { limit: 5 })).content.length).toBe(5);
    expect(sim.requests.length).toBe(2);
    expect(waits.length).toBe(1);
    c.close();
  });

  test('a GET that times out is retried as API_TIMEOUT, then answered', async () => {
    // The first answer never comes in time (a minute of latency, cut short when the client hangs
    // up); the timeout leaves the retry, on loopback, seconds to answer even on a loaded machine.
    sim.setFaults([{ endpoint: 'GET /orders/v1/orders/{ref}', kind: 'latency', ms: 60_000, times: 1 }]);
    const c = client({ timeoutMs: 3000 });
    const ref = pick('SHIPPED');
    expect((await c.getOrder(C, ref))?.order_reference).toBe(ref);
    expect(events.filter((e) => e.type === 'error').at(-1)).toMatchObject({ code: 'API_TIMEOUT', path: expect.stringContaining(ref) });
    c.close();
  });

  const actions: [string, OrderStatus, string, (ref: string) => (c: ReturnType<typeof client>) => Promise<BatchItemResult[]>][] = [
    ['accept', 'PENDING', '/orders/v1/accept-orders', (r) => (c) => c.acceptOrders(C, [r])],
    ['refuse', 'PENDING', '/orders/v1/refuse-orders', (r) => (c) => c.refuseOrders(C, [r])],
    ['ship', 'PREPARATION', '/orders/v1/shippings', (r) => (c) => c.shipOrders(C, [{ order_reference: r, carrier: 'GLS', tracking_number: 'T9', tracking_url: 'https://t/T9' }])],
    ['refund', 'SHIPPED', '/orders/v1/refunds', (r) => (c) => c.refundOrders(C, [{ order_reference: r, reason: 'OTHER', refund_shipping_fees: false, products: [] }])],
  ];

  test.each(actions)('%s: a connection dropped AFTER apply is recovered without a second POST', async (_n, from, path, run) => {
    const ref = pick(from, 1);
    sim.setFaults([{ endpoint: `POST ${path}`, kind: 'drop-after-apply', times: 1 }]);
    const c = client();
    const [res] = await run(ref)(c);
    expect(res).toMatchObject({ order_reference: ref, ok: true, recovered: 'already-applied' });
    expect(postsFor(path, ref)).toBe(1);
    expect(appliedFor(ref)).toBe(1);
    expect(events.some((e) => e.type === 'reconcile' && e.path === path)).toBe(true);
    c.close();
  });

  test.each(actions)('%s: a connection dropped BEFORE apply is resent once, applied once', async (_n, from, path, run) => {
    const ref = pick(from, 2);
    sim.setFaults([{ endpoint: `POST ${path}`, kind: 'drop', times: 1 }]);
    const c = client();
    const [res] = await run(ref)(c);
    expect(res).toMatchObject({ order_reference: ref, ok: true, recovered: 'resent' });
    expect(postsFor(path, ref)).toBe(2);
    expect(appliedFor(ref)).toBe(1);
    c.close();
  });

  test('a 503 on a batch is verified per order: only the orders still PENDING are resent', async () => {
    const refs = [pick('PENDING', 3), pick('PENDING', 4)];
    sim.setFaults([{ endpoint: 'POST /orders/v1/accept-orders', kind: 'status', status: 503, times: 1 }]);
    const c = client();
    const res = await c.acceptOrders(C, refs);
    expect(res.map((r) => [r.ok, r.recovered])).toEqual([[true, 'resent'], [true, 'resent']]);
    expect(refs.map((r) => appliedFor(r))).toEqual([1, 1]);
    c.close();
  });

  test('a malformed answer to an action is treated as ambiguous and verified', async () => {
    const ref = pick('PENDING', 5);
    sim.setFaults([{ endpoint: 'POST /orders/v1/accept-orders', kind: 'malformed', times: 1 }]);
    const c = client();
    expect((await c.acceptOrders(C, [ref]))[0]).toMatchObject({ ok: true, recovered: 'already-applied' });
    expect(postsFor('/orders/v1/accept-orders', ref)).toBe(1);
    c.close();
  });

  test('an order found in neither status after an ambiguous failure is reported ambiguous, not resent', async () => {
    const ref = pick('PENDING', 6);
    sim.setFaults([{ endpoint: 'POST /orders/v1/accept-orders', kind: 'drop', times: 1 }]);
    // Someone else refuses the order while our answer is lost.
    const c = client({ onRequest: (e) => { events.push(e); if (e.type === 'error') sim.state.setStatus(C, ref, 'REFUSED'); } });
    const [res] = await c.acceptOrders(C, [ref]);
    expect(res).toMatchObject({ ok: false, ambiguous: true, appCode: 'API_AMBIGUOUS' });
    expect(res!.message).toMatch(/REFUSED/);
    expect(postsFor('/orders/v1/accept-orders', ref)).toBe(1);
    c.close();
  });
});

test('the API key appears in no error, no hint, no stack and no onRequest event', () => {
  expect(errors.length).toBeGreaterThanOrEqual(8);
  expect(events.length).toBeGreaterThan(30);
  const texts = [
    JSON.stringify(events),
    ...errors.map((e) => inspect(e, { depth: 10, showHidden: true })),
    ...errors.map((e) => JSON.stringify(e)),
    ...errors.map((e) => `${(e as Error).stack} ${(e as ApiError).hint}`),
  ];
  for (const t of texts) {
    expect(t).not.toContain(KEY);
    expect(t).not.toContain('sk-wrong-key-77aa00');
  }
});
