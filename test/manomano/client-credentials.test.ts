/**
 * A key HTTP cannot carry, and the hints of failures (issue 11 item 15): a key with a line break,
 * a space or a non-ASCII letter is CFG_API_KEY_MALFORMED before any request (it used to fail as a
 * network error, retried six times), never printed; a header node refuses is not retried; the
 * hint after a failed offers PATCH speaks of price and stock, not of order actions.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient, type RequestEvent } from '../../engine/manomano/client/index.js';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';
import { runPipeline } from '../../engine/runtime/run.js';
import { runCli } from '../helpers/cli.js';
import { C, tempDir, writePipeline } from '../connectors/manomano-offers/helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, faults: [{ endpoint: 'PATCH /api/v2/offer-information/offers', kind: 'status', status: 503 }] });
});
afterAll(async () => { await sim?.close(); });
beforeEach(() => sim.clearRequests());

describe('a malformed API key', () => {
  it.each([
    ['a final line break', 'sandbox-key-0001\n', /holds a line break/],
    ['a letter with an accent', 'sandbox-clé-0001', /not ASCII/],
    ['a space', 'sandbox key 0001', /a space or a tab/],
    ['a control character', 'sandbox-key\u00070001', /a control character/],
  ])('%s: CFG_API_KEY_MALFORMED before any request, the key never in the message', (_what, key, problem) => {
    let err: { code?: string; message?: string; hint?: string } | undefined;
    try {
      createClient({ environment: 'local', baseUrl: sim.url, apiKey: key });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err?.code).toBe('CFG_API_KEY_MALFORMED');
    expect(err?.message).toMatch(problem);
    expect(err?.message).not.toContain('sandbox');
    expect(err?.hint).toMatch(/Toolbox > Settings > API keys/);
    expect(sim.requests).toHaveLength(0);
  });

  it('from the environment: run exits 2 with the diagnostic at api_key, nothing sent, the key not printed', async () => {
    const dir = tempDir();
    const file = writePipeline(dir, sim.url, [{ sku: sim.state.listOffers(C)[0]!.sku, quantity: 1, price: '9,90' }]);
    writeFileSync(file, readFileSync(file, 'utf8').replace('api_key: sandbox-key-0001', 'api_key: ${MANOFLOW_TEST_KEY_WITH_BREAK}'));
    const r = await runCli(['run', file], { env: { MANOFLOW_TEST_KEY_WITH_BREAK: 'secret-value-1234\n' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/:14:\d+ error CFG_API_KEY_MALFORMED destination: the API key holds a line break/);
    expect(r.stdout + r.stderr).not.toContain('secret-value-1234');
    expect(sim.requests).toHaveLength(0);
  });

  it('a header node refuses (here third_party_name) fails once, API_BAD_ARGUMENT, without retries', async () => {
    const events: RequestEvent[] = [];
    const waits: number[] = [];
    const client = createClient({
      environment: 'local', baseUrl: sim.url, apiKey: sim.apiKey, thirdPartyName: 'Acme\n1.0',
      onRequest: (e) => events.push(e), sleep: async (ms) => { waits.push(ms); },
    });
    try {
      await expect(client.listOrders(C)).rejects.toMatchObject({ code: 'API_BAD_ARGUMENT', attempts: 1 });
    } finally {
      client.close();
    }
    expect(events.map((e) => e.type)).toEqual(['error']);
    expect(waits).toEqual([]);
    expect(sim.requests).toHaveLength(0);
  });
});

describe('hints after a failure', () => {
  it('an offers PATCH that keeps failing: the hint speaks of price and stock updates, not of order actions', async () => {
    const dir = tempDir();
    const offer = sim.state.listOffers(C)[0]!;
    const file = writePipeline(dir, sim.url, [{ sku: offer.sku, quantity: (offer.stock + 1) % 300, price: '9,90' }], ['max_retries: 0']);
    const err = (await runPipeline(file).catch((e: unknown) => e)) as { code?: string; hint?: string; summary?: { error?: { hint?: string } } };
    expect(err.code).toBe('OFFERS_SEND_INCOMPLETE');
    expect(err.hint).toMatch(/price and stock updates ManoMano did not confirm are sent again/);
    expect(err.hint).not.toMatch(/order action/);
    expect(err.summary?.error?.hint).toBe(err.hint);
  });
});
