/**
 * Auth, rate limiting, every fault kind and the request log, over real HTTP. The 'drop-after-apply'
 * case is the ambiguous failure a client must resolve without sending the action twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec, startSimulator, type FaultRule, type Simulator } from '../../engine/manomano/simulator/index.js';
import { api, http } from '../fixtures/simulator/http.js';

const FR = 110841;
const started: Simulator[] = [];
async function start(opts: Parameters<typeof startSimulator>[0] = {}) {
  const sim = await startSimulator({ ordersPerContract: 30, offersPerContract: 20, ...opts });
  started.push(sim);
  return sim;
}
afterEach(async () => {
  while (started.length) await started.pop()!.close();
});
const listPath = `/orders/v1/orders?seller_contract_id=${FR}&limit=5`;
const pending = (sim: Simulator) => sim.state.listOrders(FR).filter((o) => o.status === 'PENDING');
const accept = (sim: Simulator, ref: string) =>
  api(sim.url, sim.apiKey, { method: 'POST', path: '/orders/v1/accept-orders', body: [{ order_reference: ref, seller_contract_id: FR }] });

describe('auth', () => {
  it('answers 401 with the error body to a missing or unknown key, 403 to a contract the key does not own', async () => {
    const sim = await start({ keys: { 'key-one-0001': [FR], 'key-two-0002': [110842] } });
    const missing = await http(sim.url, { path: listPath });
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({ error: { app_code: 'UNAUTHORIZED', message: expect.any(String) }, message: expect.any(String) });
    expect((await api(sim.url, 'wrong-key', { path: listPath })).status).toBe(401);
    const other = await api(sim.url, 'key-two-0002', { path: listPath });
    expect(other.status).toBe(403);
    expect(other.json.error.app_code).toBe('FORBIDDEN');
    expect((await api(sim.url, 'key-one-0001', { path: listPath })).status).toBe(200);
  });

  it('accepts an empty x-thirdparty-name (EXW) unless told to require it', async () => {
    const lax = await start();
    expect((await api(lax.url, lax.apiKey, { path: listPath, headers: { 'x-thirdparty-name': '' } })).status).toBe(200);
    const strict = await start({ requireThirdPartyName: true });
    const r = await api(strict.url, strict.apiKey, { path: listPath, headers: { 'x-thirdparty-name': '' } });
    expect(r.status).toBe(400);
    expect(r.json.error.app_code).toBe('MISSING_THIRDPARTY_NAME');
    expect((await api(strict.url, strict.apiKey, { path: listPath, headers: { 'x-thirdparty-name': 'Manoflow_0.1' } })).status).toBe(200);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After and the Cloudflare body once a key’s bucket is empty, per key', async () => {
    const sim = await start({ keys: { 'key-one-0001': [FR], 'key-two-0002': [FR] }, rateLimit: { capacity: 2, refillPerSecond: 0.01 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api(sim.url, 'key-one-0001', { path: listPath })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await api(sim.url, 'key-one-0001', { path: listPath });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.json).toEqual({ retry_after: Number(limited.headers['retry-after']), message: 'You are being rate limited', error_code: 1015 });
    expect((await api(sim.url, 'key-two-0002', { path: listPath })).status).toBe(200);
  });
});

describe('faults', () => {
  it("'status' answers 5xx for the first N matching requests and changes nothing", async () => {
    const sim = await start({ faults: [{ endpoint: 'POST /orders/v1/accept-orders', kind: 'status', status: 502, times: 1 }] });
    const ref = pending(sim)[0]!.order_reference;
    const first = await accept(sim, ref);
    expect(first.status).toBe(502);
    expect(sim.state.getOrder(FR, ref)!.status).toBe('PENDING');
    expect((await accept(sim, ref)).status).toBe(204);
    expect(sim.requests.map((r) => [r.status, r.fault])).toEqual([[502, 'status'], [204, undefined]]);
  });

  it("'after' lets the first N matching requests through, then fails (an interruption midway)", async () => {
    const sim = await start({ faults: [{ endpoint: 'POST /orders/v1/accept-orders', kind: 'status', status: 503, after: 2, times: 1 }] });
    const [a, b, c, d] = pending(sim).map((o) => o.order_reference);
    expect([(await accept(sim, a!)).status, (await accept(sim, b!)).status, (await accept(sim, c!)).status, (await accept(sim, d!)).status])
      .toEqual([204, 204, 503, 204]);
    expect(sim.state.getOrder(FR, c!)!.status).toBe('PENDING');
  });

  it("'latency' delays and then answers normally", async () => {
    const sim = await start({ faults: [{ endpoint: 'GET /orders/v1/orders', kind: 'latency', ms: 30 }] });
    expect((await api(sim.url, sim.apiKey, { path: listPath })).status).toBe(200);
    expect(sim.requests[0]!.fault).toBe('latency');
  });

  it("'drop' closes the socket before doing anything", async () => {
    const sim = await start({ faults: [{ endpoint: 'POST /orders/v1/accept-orders', kind: 'drop', times: 1 }] });
    const ref = pending(sim)[0]!.order_reference;
    await expect(accept(sim, ref)).rejects.toThrow();
    expect(sim.state.getOrder(FR, ref)!.status).toBe('PENDING');
    expect(sim.requests[0]).toMatchObject({ fault: 'drop', status: 0 });
  });

  it("'drop-after-apply' applies the action, then cuts the answer: a blind retry would hit 409", async () => {
    const sim = await start({ faults: [{ endpoint: 'POST /orders/v1/accept-orders', kind: 'drop-after-apply', times: 1 }] });
    const ref = pending(sim)[0]!.order_reference;
    await expect(accept(sim, ref)).rejects.toThrow();
    expect(sim.state.getOrder(FR, ref)!.status).toBe('PREPARATION');
    const retry = await accept(sim, ref);
    expect(retry.status).toBe(207);
    expect(retry.json.content[0].result.error.app_code).toBe('ORDER_INVALID_STATUS');
  });

  it("'drop-after-apply' on a listing cuts the body mid-way", async () => {
    const sim = await start({ faults: [{ endpoint: 'GET /orders/v1/orders', kind: 'drop-after-apply' }] });
    await expect(api(sim.url, sim.apiKey, { path: listPath })).rejects.toThrow();
  });

  it("'malformed' answers a 2xx whose body is not JSON (the action is applied)", async () => {
    const sim = await start({ faults: [{ endpoint: 'POST /orders/v1/accept-orders', kind: 'malformed' }, { endpoint: 'GET *', kind: 'malformed' }] });
    const ref = pending(sim)[0]!.order_reference;
    const r = await accept(sim, ref);
    expect(r.status).toBe(200);
    expect(() => JSON.parse(r.text)).toThrow();
    expect(sim.state.getOrder(FR, ref)!.status).toBe('PREPARATION');
    const list = await api(sim.url, sim.apiKey, { path: listPath });
    expect(list.status).toBe(200);
    expect(() => JSON.parse(list.text)).toThrow();
  });

  it("'rate-limit' answers 429 with the rule's Retry-After", async () => {
    const sim = await start({ faults: [{ endpoint: 'GET /orders/v1/orders/{ref}', kind: 'rate-limit', retryAfter: 7 }] });
    const ref = sim.state.listOrders(FR)[0]!.order_reference;
    const r = await api(sim.url, sim.apiKey, { path: `/orders/v1/orders/${ref}?seller_contract_id=${FR}` });
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('7');
    expect(r.json.retry_after).toBe(7);
    expect((await api(sim.url, sim.apiKey, { path: listPath })).status).toBe(200);
  });

  it('hits a deterministic share of requests for a given seed, and setFaults replaces the rules', async () => {
    const rule: FaultRule[] = [{ endpoint: '*', kind: 'status', status: 503, rate: 0.5 }];
    const run = async (seed: number) => {
      const sim = await start({ seed, faults: rule });
      const out: number[] = [];
      for (let i = 0; i < 16; i++) out.push((await api(sim.url, sim.apiKey, { path: listPath })).status);
      sim.setFaults([]);
      expect((await api(sim.url, sim.apiKey, { path: listPath })).status).toBe(200);
      return out;
    };
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(a).toContain(503);
    expect(a).toContain(200);
  });
});

describe('request log', () => {
  it('records every request with the API key redacted, over HTTP too, and reset restores the world', async () => {
    const sim = await start();
    const ref = pending(sim)[0]!.order_reference;
    await accept(sim, ref);
    await http(sim.url, { path: listPath });
    expect(sim.requests.map((r) => [r.seq, r.method, r.path, r.status])).toEqual([
      [1, 'POST', '/orders/v1/accept-orders', 204],
      [2, 'GET', '/orders/v1/orders', 401],
    ]);
    expect(sim.requests[0]!.headers['x-api-key']).toBe('REDACTED');
    expect(sim.requests[0]!.body).toEqual([{ order_reference: ref, seller_contract_id: FR }]);
    expect(sim.requests[1]!.query).toEqual({ seller_contract_id: String(FR), limit: '5' });
    const log = await http(sim.url, { path: '/__simulator/requests' });
    expect(log.json.requests).toEqual(JSON.parse(JSON.stringify(sim.requests)));
    expect(log.text).not.toContain(sim.apiKey);

    expect((await http(sim.url, { method: 'POST', path: '/__simulator/reset' })).status).toBe(200);
    expect(sim.requests).toEqual([]);
    expect(sim.state.getOrder(FR, ref)!.status).toBe('PENDING');
  });
});

describe('parseFaultSpec (the --faults syntax)', () => {
  const CASES: [string, FaultRule[]][] = [
    ['POST /orders/v1/accept-orders=503:0.5', [{ endpoint: 'POST /orders/v1/accept-orders', kind: 'status', status: 503, rate: 0.5 }]],
    ['GET /orders/v1/orders=latency:200x3', [{ endpoint: 'GET /orders/v1/orders', kind: 'latency', ms: 200, times: 3 }]],
    ['*=drop-after-apply, GET *=malformed:0.1', [{ endpoint: '*', kind: 'drop-after-apply' }, { endpoint: 'GET *', kind: 'malformed', rate: 0.1 }]],
    ['POST /orders/v1/shippings=rate-limit:30x1', [{ endpoint: 'POST /orders/v1/shippings', kind: 'rate-limit', retryAfter: 30, times: 1 }]],
    ['*=drop', [{ endpoint: '*', kind: 'drop' }]],
    ['POST /orders/v1/shippings=drop@2', [{ endpoint: 'POST /orders/v1/shippings', kind: 'drop', after: 2 }]],
    ['PATCH /api/v2/offer-information/offers=503x1@3', [{ endpoint: 'PATCH /api/v2/offer-information/offers', kind: 'status', status: 503, times: 1, after: 3 }]],
  ];
  it.each(CASES)('%s', (spec, rules) => {
    expect(parseFaultSpec(spec)).toEqual(rules);
  });
  it.each(['GET /x', '*=418', '*=latency', '*=503:2'])('refuses %s with SIM_FAULT_SPEC', (spec) => {
    expect(() => parseFaultSpec(spec)).toThrow(expect.objectContaining({ code: 'SIM_FAULT_SPEC' }));
  });
});
