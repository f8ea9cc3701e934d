/**
 * Feedback of the order-action destinations against the simulator: one NDJSON line per order
 * action, a 207 refusal with ManoMano's app_code, statuses read back (GETs when few orders,
 * listings when many), no file under plan, none with `feedback: false`, and the file read back by
 * the ndjson source in a later pipeline.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { READBACK_GET_MAX, type OrderFeedbackLine } from '../../../engine/connectors/order-actions/index.js';
import { startSimulator, type Simulator } from '../../../engine/manomano/simulator/index.js';
import { runPipeline } from '../../../engine/runtime/run.js';
import { C, changeStatusAfterCheck, ordersIn, tempDir, writeNdjson, writePipeline } from './helpers.js';

let sim: Simulator;
let dir: string;
beforeEach(async () => {
  sim = await startSimulator({ port: 0 });
  dir = tempDir();
});
afterEach(async () => {
  await sim.close();
});

const track = (ref: string, carrier = 'Colissimo') => ({ carrier, tracking_number: `6A${ref.slice(1)}`, tracking_url: `https://www.laposte.fr/suivi?code=6A${ref.slice(1)}` });

function pipeline(name: string, records: Record<string, unknown>[], destination: string, connection = ''): string {
  const input = writeNdjson(dir, `${name}.ndjson`, records);
  return writePipeline(dir, name, sim, { source: `type: ndjson\npath: ${input}`, destination, connection });
}

function readFeedback(path: string): OrderFeedbackLine[] {
  return readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as OrderFeedbackLine);
}

/** GETs of one order (`/orders/v1/orders/M…`) and listings (`/orders/v1/orders`) received after the first action POST. */
function readsAfterPost(): { gets: number; listings: string[] } {
  const first = sim.requests.findIndex((r) => r.method === 'POST');
  const after = sim.requests.slice(first + 1).filter((r) => r.method === 'GET');
  return {
    gets: after.filter((r) => r.path.startsWith('/orders/v1/orders/')).length,
    listings: after.filter((r) => r.path === '/orders/v1/orders').map((r) => r.query.status ?? ''),
  };
}

describe('order-action feedback', () => {
  test('shipments: sent, refused by ManoMano (207 with app_code), refused on a status race, skipped; statuses read back', async () => {
    const [ok, paack, raced] = ordersIn(sim, 'PREPARATION').map((o) => o.order_reference);
    const pending = ordersIn(sim, 'PENDING')[0]!.order_reference;
    // `carriers` lets Paack through our check; the simulator, like ManoMano, refuses it item by item.
    const file = pipeline('ship', [
      { order_reference: ok, ...track(ok!) },
      { order_reference: paack, ...track(paack!, 'Paack') },
      { order_reference: pending, ...track(pending) },
      { order_reference: raced, ...track(raced!) },
    ], 'type: manomano-shipments\ncarriers: [Colissimo, Paack]');
    changeStatusAfterCheck(sim, raced!, 'SHIPPED');
    const s = await runPipeline(file, { keepItems: true });
    expect(s.items).toEqual({ sent: 1, refused: 2, skipped: 1 });
    const path = join(dir, '.manoflow/feedback/ship.ndjson');
    expect(s.outputs).toEqual([path]);
    const lines = readFeedback(path);
    const order = (ref: string) => sim.state.getOrder(C, ref)!;
    expect(lines.map(({ at, message, ...l }) => l)).toEqual([
      { order_reference: ok, seller_contract_id: C, action: 'ship', outcome: 'sent', code: null, app_code: null, status: 'SHIPPED', status_updated_at: order(ok!).status_updated_at,
        request: { ...track(ok!), products: order(ok!).products.map((p) => ({ seller_sku: p.seller_sku, quantity: p.quantity })) } },
      { order_reference: paack, seller_contract_id: C, action: 'ship', outcome: 'refused', code: 'INVALID_CARRIER', app_code: 'INVALID_CARRIER', status: 'PREPARATION', status_updated_at: order(paack!).status_updated_at,
        request: { ...track(paack!, 'Paack'), products: order(paack!).products.map((p) => ({ seller_sku: p.seller_sku, quantity: p.quantity })) } },
      { order_reference: pending, seller_contract_id: C, action: 'ship', outcome: 'skipped', code: 'ORDER_WRONG_STATUS', app_code: null, status: 'PENDING', status_updated_at: order(pending).status_updated_at, request: null },
      { order_reference: raced, seller_contract_id: C, action: 'ship', outcome: 'refused', code: 'ORDER_INVALID_STATUS', app_code: 'ORDER_INVALID_STATUS', status: 'SHIPPED', status_updated_at: order(raced!).status_updated_at,
        request: expect.objectContaining(track(raced!)) },
    ]);
    expect(lines[1]!.message).toContain('carrier "Paack" is not in ManoMano\'s carrier list');
    expect(new Date(lines[0]!.at).getTime()).not.toBeNaN();
    // Three acted orders: each read back by one GET, no listing.
    expect(readsAfterPost()).toEqual({ gets: 3, listings: [] });
  });

  test('decisions: many orders are read back with one listing per status, not one GET each', async () => {
    const pending = ordersIn(sim, 'PENDING').map((o) => o.order_reference);
    expect(pending.length).toBeGreaterThan(READBACK_GET_MAX + 3);
    const refs = pending.slice(0, READBACK_GET_MAX + 3);
    const records = refs.map((r, i) => ({ order_reference: r, decision: i < 2 ? 'refuse' : 'accept' }));
    const s = await runPipeline(pipeline('decide', records, 'type: manomano-order-decisions\nfeedback_output: out/decisions.feedback.ndjson'));
    expect(s.items).toEqual({ sent: refs.length });
    const lines = readFeedback(join(dir, 'out/decisions.feedback.ndjson'));
    expect(lines.map((l) => [l.order_reference, l.action, l.outcome, l.status, l.request])).toEqual(
      refs.map((r, i) => [r, i < 2 ? 'refuse' : 'accept', 'sent', i < 2 ? 'REFUSED' : 'PREPARATION', null]));
    expect(lines.every((l) => l.status_updated_at === sim.state.getOrder(C, l.order_reference)!.status_updated_at)).toBe(true);
    const reads = readsAfterPost();
    expect(reads.gets).toBe(0);
    expect(new Set(reads.listings)).toEqual(new Set(['PENDING', 'PREPARATION', 'REFUSED']));
    // The target statuses are listed only since the oldest status change the pre-check saw.
    const since = sim.requests.filter((r) => r.path === '/orders/v1/orders' && r.query.status === 'PREPARATION').map((r) => r.query.status_updated_at_start);
    expect(since.every((v) => typeof v === 'string' && v.length > 0)).toBe(true);
  });

  test('plan writes no feedback; feedback: false writes none and reads nothing back; a run rewrites the file', async () => {
    const [a, b] = ordersIn(sim, 'PENDING').map((o) => o.order_reference);
    const file = pipeline('plan', [{ order_reference: a }], 'type: manomano-order-decisions');
    const path = join(dir, '.manoflow/feedback/plan.ndjson');
    const planned = await runPipeline(file, { plan: true });
    expect(planned.items).toEqual({ 'would-send': 1 });
    expect(existsSync(path)).toBe(false);

    const off = pipeline('off', [{ order_reference: b }], 'type: manomano-order-decisions', 'feedback: false');
    sim.clearRequests();
    const s = await runPipeline(off);
    expect(s.items).toEqual({ sent: 1 });
    expect(s.outputs).toEqual([]);
    expect(existsSync(join(dir, '.manoflow/feedback'))).toBe(false);
    expect(readsAfterPost()).toEqual({ gets: 0, listings: [] });

    // Run for real: a is sent; a re-run skips it (journal) and rewrites the file, never appends.
    await runPipeline(file);
    expect(readFeedback(path).map((l) => [l.outcome, l.status])).toEqual([['sent', 'PREPARATION']]);
    await runPipeline(file);
    expect(readFeedback(path).map((l) => [l.outcome, l.code, l.status])).toEqual([['skipped', 'ALREADY_DONE', null]]);
  });

  test('a read-back that fails warns and writes the answers without status; the run still succeeds', async () => {
    const [a] = ordersIn(sim, 'PENDING').map((o) => o.order_reference);
    // The pre-check finds the order in the PENDING listing; only the read-back GETs it one by one.
    sim.setFaults([{ endpoint: 'GET /orders/v1/orders/{ref}', kind: 'status', status: 503 }]);
    const warnings: string[] = [];
    const log = { info() {}, debug() {}, warn: (m: string) => warnings.push(m) };
    const s = await runPipeline(pipeline('unread', [{ order_reference: a }], 'type: manomano-order-decisions', 'max_retries: 0'), { log });
    expect([s.ok, s.items]).toEqual([true, { sent: 1 }]);
    expect(sim.state.getOrder(C, a!)!.status).toBe('PREPARATION');
    expect(readFeedback(join(dir, '.manoflow/feedback/unread.ndjson')).map((l) => [l.order_reference, l.outcome, l.status, l.status_updated_at])).toEqual([[a, 'sent', null, null]]);
    expect(warnings.join('\n')).toMatch(/feedback: could not read the orders' status back/);
  });

  test('a refund the server refuses keeps its reason in the feedback, and the ndjson source reads the file back', async () => {
    const [good, bad] = ordersIn(sim, 'SHIPPED').map((o) => o.order_reference);
    const file = pipeline('refund', [
      { order_reference: good, refund_reason: 'PRODUCT_DAMAGED' },
      { order_reference: bad, refund_reason: 'GOODWILL' },
    ], 'type: manomano-refunds\nreasons: [PRODUCT_DAMAGED, GOODWILL]\nfeedback_output: refunds.feedback.ndjson');
    const s = await runPipeline(file);
    expect(s.items).toEqual({ sent: 1, refused: 1 });
    // A later pipeline: the refused refunds, as a CSV for a person.
    const followUp = join(dir, 'follow-up.yaml');
    writeFileSync(followUp, [
      'version: 1', 'name: follow-up',
      'source: { type: ndjson, path: refunds.feedback.ndjson, id_field: order_reference }',
      'filter: outcome = "refused"',
      'mapping:', '  automap: false', '  attributes:',
      '    order_reference: order_reference', '    reason: request.reason', `    error: 'app_code & ": " & message'`, '    status: status',
      'destination: { type: csv, output: refused.csv }', '',
    ].join('\n'));
    const f = await runPipeline(followUp);
    expect([f.read, f.written, f.filtered]).toEqual([2, 1, 1]);
    const csv = readFileSync(join(dir, 'refused.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('order_reference,reason,error,status');
    expect(csv[1]).toMatch(new RegExp(`^${bad},GOODWILL,"?INVALID_REFUND_REASON: reason ""?GOODWILL""? is not one of .*,SHIPPED$`));
  });
});
