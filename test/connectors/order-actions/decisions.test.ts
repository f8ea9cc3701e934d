/**
 * manomano-order-decisions against the simulator over loopback: accept and refuse in one pipeline,
 * status pre-check, 207 item refusals, record rejects, plan = run, interrupted runs resumed with
 * no duplicate and no lost action, and a crash between `pending` and `done`.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../../engine/manomano/simulator/index.js';
import { runPipeline } from '../../../engine/runtime/run.js';
import { journalEntries, stateOf } from '../../helpers/state.js';
import { actionPosts, appliedCount, byOutcome, C, changeStatusAfterCheck, ordersIn, tempDir, writeNdjson, writePipeline } from './helpers.js';

let sim: Simulator;
let dir: string;
beforeEach(async () => {
  sim = await startSimulator({ port: 0 });
  dir = tempDir();
});
afterEach(async () => {
  await sim.close();
});

const ACCEPT = '/orders/v1/accept-orders';
const REFUSE = '/orders/v1/refuse-orders';

function pipeline(records: Record<string, unknown>[], destination = 'type: manomano-order-decisions', connection = '', extra = ''): string {
  const input = writeNdjson(dir, 'decisions.ndjson', records);
  return writePipeline(dir, 'decisions', sim, { source: `type: ndjson\npath: ${input}`, destination, connection, extra });
}

describe('manomano-order-decisions', () => {
  test('accepts and refuses in one pipeline: bodies, statuses and item report', async () => {
    const [a, b, c] = ordersIn(sim, 'PENDING').map((o) => o.order_reference);
    const file = pipeline([{ order_reference: a }, { order_reference: b, decision: 'refuse' }, { order_reference: c, decision: 'ACCEPT' }]);
    const s = await runPipeline(file, { keepItems: true });
    expect(s.items).toEqual({ sent: 3 });
    expect(actionPosts(sim, ACCEPT).map((p) => p.req.body)).toEqual([[{ order_reference: a, seller_contract_id: C }, { order_reference: c, seller_contract_id: C }]]);
    expect(actionPosts(sim, REFUSE).map((p) => p.req.body)).toEqual([[{ order_reference: b, seller_contract_id: C }]]);
    expect([a, b, c].map((r) => sim.state.getOrder(C, r!)!.status)).toEqual(['PREPARATION', 'REFUSED', 'PREPARATION']);
    expect(s.plannedItems!.map((i) => [i.id, i.action, i.outcome])).toEqual([[a, 'accept', 'sent'], [b, 'refuse', 'sent'], [c, 'accept', 'sent']]);
    const journal = journalEntries(stateOf(dir));
    expect(journal.filter((e) => e.state === 'done').map((e) => e.order_reference).sort()).toEqual([a, b, c].sort());
  });

  test('the destination setting is the default decision', async () => {
    const [a] = ordersIn(sim, 'PENDING').map((o) => o.order_reference);
    const s = await runPipeline(pipeline([{ order_reference: a }], 'type: manomano-order-decisions\ndecision: refuse'));
    expect(s.items).toEqual({ sent: 1 });
    expect(sim.state.getOrder(C, a!)!.status).toBe('REFUSED');
  });

  test('orders in the wrong status or unknown are skipped, not sent', async () => {
    const shipped = ordersIn(sim, 'SHIPPED')[0]!.order_reference;
    const pending = ordersIn(sim, 'PENDING')[0]!.order_reference;
    const s = await runPipeline(pipeline([{ order_reference: shipped }, { order_reference: 'M000000000000' }, { order_reference: pending }]), { keepItems: true });
    expect(s.plannedItems).toEqual([
      { id: shipped, index: 0, line: 1, action: 'accept', outcome: 'skipped', code: 'ORDER_WRONG_STATUS', message: `order ${shipped} is SHIPPED; accept needs PENDING` },
      { id: 'M000000000000', index: 1, line: 2, action: 'accept', outcome: 'skipped', code: 'ORDER_NOT_FOUND', message: `order M000000000000 not found on seller contract ${C}` },
      { id: pending, index: 2, line: 3, action: 'accept', outcome: 'sent' },
    ]);
    expect(actionPosts(sim, ACCEPT).flatMap((p) => p.refs)).toEqual([pending]);
  });

  test('an order that changes status between the check and the send is refused in a 207 and journalled failed', async () => {
    const [a, b] = ordersIn(sim, 'PENDING').map((o) => o.order_reference);
    changeStatusAfterCheck(sim, b!, 'REFUSED');
    const s = await runPipeline(pipeline([{ order_reference: a }, { order_reference: b }]), { keepItems: true });
    expect(actionPosts(sim, ACCEPT).flatMap((p) => p.refs)).toEqual([a, b]);
    expect(sim.requests.find((r) => r.path === ACCEPT)!.status).toBe(207);
    expect(s.items).toEqual({ sent: 1, refused: 1 });
    const refused = s.plannedItems!.find((i) => i.outcome === 'refused')!;
    expect(refused).toMatchObject({ id: b, code: 'ORDER_INVALID_STATUS' });
    expect(refused.message).toContain('REFUSED');
    // A refusal about the order's status (409), not about the payload: `failed`, so the next run's status check decides.
    const last = journalEntries(stateOf(dir)).find((e) => e.order_reference === b);
    expect(last).toMatchObject({ state: 'failed', code: 'ORDER_INVALID_STATUS' });
  });

  test('bad records are rejected with stable codes and counted', async () => {
    const [a] = ordersIn(sim, 'PENDING').map((o) => o.order_reference);
    const s = await runPipeline(pipeline([{ order_reference: '' }, { order_reference: a, decision: 'acept' }, { decision: 'refuse' }]));
    expect(s.rejected).toBe(3);
    expect(s.rejectsByCode).toEqual({ ORDER_REFERENCE_MISSING: 2, ORDER_DECISION_UNKNOWN: 1 });
    expect(readFileSync(s.rejectReport, 'utf8')).toContain('did you mean ""accept""?');
    expect(sim.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  test('plan predicts exactly what the run then sends, and writes nothing', async () => {
    const pending = ordersIn(sim, 'PENDING').slice(0, 5).map((o) => o.order_reference);
    const shipped = ordersIn(sim, 'SHIPPED')[0]!.order_reference;
    const file = pipeline([...pending.map((r, i) => ({ order_reference: r, decision: i % 2 ? 'refuse' : 'accept' })), { order_reference: shipped }]);
    const plan = await runPipeline(file, { plan: true });
    expect(sim.requests.filter((r) => r.method === 'POST')).toEqual([]);
    expect(journalEntries(stateOf(dir))).toEqual([]);
    const run = await runPipeline(file, { keepItems: true });
    const strip = (items: typeof plan.plannedItems) => items!.map((i) => [i.id, i.action, i.outcome === 'would-send' ? 'sent' : i.outcome, i.code]);
    expect(strip(run.plannedItems)).toEqual(strip(plan.plannedItems));
    expect(plan.items).toEqual({ 'would-send': 5, skipped: 1 });
    const posted = [...actionPosts(sim, ACCEPT), ...actionPosts(sim, REFUSE)].flatMap((p) => p.refs).sort();
    expect(posted).toEqual(plan.plannedItems!.filter((i) => i.outcome === 'would-send').map((i) => i.id).sort());
  });

  test('a run whose first POSTs are lost is resumed by a re-run: no duplicate, nothing lost', async () => {
    const refs = ordersIn(sim, 'PENDING').slice(0, 6).map((o) => o.order_reference);
    // batch_size 2: three POSTs; the first two are dropped (connection cut), no retry.
    sim.setFaults([{ endpoint: `POST ${ACCEPT}`, kind: 'drop', times: 2 }]);
    const file = pipeline(refs.map((r) => ({ order_reference: r })), 'type: manomano-order-decisions', 'batch_size: 2\nmax_retries: 0');
    const first = await runPipeline(file, { keepItems: true });
    expect(first.items).toEqual({ failed: 4, sent: 2 });
    expect(byOutcome(first.plannedItems).sent).toEqual(refs.slice(4));
    sim.setFaults([]);
    const second = await runPipeline(file, { keepItems: true });
    expect(byOutcome(second.plannedItems)).toEqual({ sent: refs.slice(0, 4), skipped: refs.slice(4) });
    expect(second.plannedItems!.filter((i) => i.outcome === 'skipped').every((i) => i.code === 'ALREADY_DONE')).toBe(true);
    const applied = appliedCount(sim, 'accept');
    expect([...applied.keys()].sort()).toEqual([...refs].sort());
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
  });

  test('an ambiguous failure stays pending and is resolved by reading the order back on the re-run', async () => {
    const refs = ordersIn(sim, 'PENDING').slice(0, 4).map((o) => o.order_reference);
    // The first POST applies but its answer is cut, and the order cannot be read back: ambiguous.
    sim.setFaults([{ endpoint: `POST ${ACCEPT}`, kind: 'drop-after-apply', times: 1 }, { endpoint: 'GET /orders/v1/orders/{ref}', kind: 'drop' }]);
    const file = pipeline(refs.map((r) => ({ order_reference: r })), 'type: manomano-order-decisions', 'batch_size: 2\nmax_retries: 0');
    const first = await runPipeline(file, { keepItems: true });
    expect(byOutcome(first.plannedItems)).toEqual({ failed: refs.slice(0, 2), sent: refs.slice(2) });
    sim.setFaults([]);
    const second = await runPipeline(file, { keepItems: true });
    expect(second.plannedItems!.map((i) => [i.id, i.outcome, i.code])).toEqual(refs.map((r) => [r, 'skipped', 'ALREADY_DONE']));
    expect(second.plannedItems![0]!.message).toContain('interrupted run');
    expect(actionPosts(sim, ACCEPT).filter((p) => p.req.fault === undefined).flatMap((p) => p.refs)).toEqual(refs.slice(2));
    expect([...appliedCount(sim, 'accept').values()]).toEqual([1, 1, 1, 1]);
  });

  test('a crash between pending and done (a journal of the file-based version, migrated): applied orders are marked done, the others are sent', async () => {
    const [applied, notApplied] = ordersIn(sim, 'PENDING').map((o) => o.order_reference);
    sim.state.apply('accept', C, applied!, sim.state.tick());
    const journalDir = join(dir, '.manoflow/journal');
    mkdirSync(journalDir, { recursive: true });
    const entry = (ref: string) => JSON.stringify({ key: `${C}:${ref}:accept`, action: 'accept', contract: C, order_reference: ref, state: 'pending', at: '2026-11-01T00:00:00Z', run: 'crashed' });
    writeFileSync(join(journalDir, 'order-actions.jsonl'), `${entry(applied!)}\n${entry(notApplied!)}\n`);
    const file = pipeline([{ order_reference: applied }, { order_reference: notApplied }]);
    const plan = await runPipeline(file, { plan: true });
    expect(plan.plannedItems!.map((i) => [i.id, i.outcome, i.code])).toEqual([[applied, 'skipped', 'ALREADY_DONE'], [notApplied, 'would-send', undefined]]);
    const s = await runPipeline(file, { keepItems: true });
    expect(s.plannedItems!.map((i) => [i.id, i.outcome, i.code])).toEqual([[applied, 'skipped', 'ALREADY_DONE'], [notApplied, 'sent', undefined]]);
    expect(actionPosts(sim, ACCEPT).flatMap((p) => p.refs)).toEqual([notApplied]);
    const third = await runPipeline(file, { keepItems: true });
    expect(third.items).toEqual({ skipped: 2 });
    expect(actionPosts(sim, ACCEPT)).toHaveLength(1);
  });
});
