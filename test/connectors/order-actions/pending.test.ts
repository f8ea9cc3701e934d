/**
 * Issue 11 item 11: `pending` entries left by a crash between sending and recording are resolved
 * by reading each order back from ManoMano: at the start of every run (even when the run no longer
 * sees the order: the accept pipeline lists only PENDING orders) and with `manoflow state check`.
 * Found applied → done (RECOVERED); not applied → failed (NOT_APPLIED, sent by a run that sees it);
 * not found or unreadable → still pending, reported.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../../engine/manomano/simulator/index.js';
import { runPipeline } from '../../../engine/runtime/run.js';
import { SqliteStateStore } from '../../../engine/state/sqlite/store.js';
import { actionKey } from '../../../engine/state/store.js';
import { runCli } from '../../helpers/cli.js';
import { journalEntries, stateOf } from '../../helpers/state.js';
import { actionPosts, byOutcome, C, ordersIn, ordersSource, tempDir, writePipeline } from './helpers.js';

let sim: Simulator;
let dir: string;
beforeEach(async () => {
  sim = await startSimulator({ port: 0 });
  dir = tempDir('mf-pending-');
});
afterEach(async () => { await sim.close(); });

const ACCEPT = '/orders/v1/accept-orders';

describe('pending entries resolved', () => {
  test('at the start of a run, even for orders the run no longer lists: applied → done, nothing resent', async () => {
    // Accept every PENDING order, listed by the manomano-orders source (as the accept template does).
    const file = writePipeline(dir, 'accept-pending', sim, {
      source: `${ordersSource(sim)}\nstatuses: [PENDING]`,
      mapping: 'automap: false\nattributes:\n  order_reference: order_reference',
      destination: 'type: manomano-order-decisions', connection: 'batch_size: 10\nmax_retries: 0',
    });
    const refs = ordersIn(sim, 'PENDING').map((o) => o.order_reference);
    // The first POST applies but its answer is cut and the order cannot be read back: 10 entries stay pending.
    sim.setFaults([{ endpoint: `POST ${ACCEPT}`, kind: 'drop-after-apply', times: 1 }, { endpoint: 'GET /orders/v1/orders/{ref}', kind: 'drop' }]);
    const first = await runPipeline(file, { keepItems: true });
    expect(byOutcome(first.plannedItems).failed).toHaveLength(10);
    sim.setFaults([]);
    const stuck = journalEntries(stateOf(dir)).filter((e) => e.state === 'pending').map((e) => e.order_reference);
    expect(stuck).toHaveLength(10);
    const logs: string[] = [];
    const second = await runPipeline(file, { keepItems: true, log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), debug() {} } });
    expect(second.read).toBe(0); // those orders are PREPARATION now: the source does not list them
    expect(second.details).toMatchObject({ pending_resolved: { done: 10, not_sent: 0, unknown: 0 } });
    expect(logs).toContain('manomano-order-decisions: 10 action(s) left pending by interrupted runs, read back from ManoMano: 10 done, 0 not sent, 0 still unknown');
    const after = journalEntries(stateOf(dir));
    expect(after.filter((e) => stuck.includes(e.order_reference)).map((e) => [e.state, e.code])).toEqual(stuck.map(() => ['done', 'RECOVERED']));
    expect(after.every((e) => e.state === 'done')).toBe(true);
    expect(actionPosts(sim, ACCEPT).filter((p) => p.req.fault === undefined).flatMap((p) => p.refs).sort()).toEqual(refs.filter((r) => !stuck.includes(r)).sort());
  });

  test('`manoflow state check`: done, not sent and still unknown, recorded (or only shown with --dry-run); exit 1 while some stay unknown', async () => {
    const [applied, notApplied] = ordersIn(sim, 'PENDING').map((o) => o.order_reference);
    sim.state.apply('accept', C, applied!, sim.state.tick());
    const store = new SqliteStateStore(stateOf(dir));
    const pending = (ref: string) => ({ key: actionKey({ action: 'accept', contract: C, order_reference: ref }), action: 'accept' as const, contract: C, order_reference: ref, state: 'pending' as const, at: new Date().toISOString(), run: 'crashed@x' });
    await store.recordActions([pending(applied!), pending(notApplied!), pending('M000000000000'), { ...pending('M1'), contract: 999, key: '999:M1:accept' }]);
    await store.close();
    const file = writePipeline(dir, 'decide', sim, { source: 'type: ndjson\npath: none.ndjson', destination: 'type: manomano-order-decisions' });

    const dry = await runCli(['state', 'check', file, '--dry-run']);
    expect(dry.stderr).toBe('');
    expect(dry.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'unknown accept M000000000000', `done accept ${applied}`, `not-sent accept ${notApplied}`, expect.stringMatching(/^3 pending/), expect.stringMatching(/^1 pending/),
    ]);
    expect(dry.stdout).toContain(`3 pending order action(s) of contract ${C} in ${stateOf(dir)}/state.db: 1 done, 1 not sent, 1 still unknown; found (nothing recorded: --dry-run)`);
    expect(dry.stdout).toContain('1 pending entry of other seller contracts: check them with a pipeline of that contract');
    expect(dry.code).toBe(1);
    expect(journalEntries(stateOf(dir)).filter((e) => e.state === 'pending')).toHaveLength(4);

    const real = await runCli(['state', 'check', file, '--json']);
    expect(real.code).toBe(1);
    const report = JSON.parse(real.stdout) as { done: number; not_sent: number; unknown: number; entries: { order_reference: string; found: string; status: string | null }[] };
    expect([report.done, report.not_sent, report.unknown]).toEqual([1, 1, 1]);
    expect(report.entries.map((e) => [e.order_reference, e.found, e.status])).toEqual([['M000000000000', 'unknown', null], [applied, 'done', 'PREPARATION'], [notApplied, 'not-sent', 'PENDING']]);
    const byRef = new Map(journalEntries(stateOf(dir)).map((e) => [e.order_reference, e]));
    expect([byRef.get(applied!), byRef.get(notApplied!), byRef.get('M000000000000')].map((e) => [e!.state, e!.code])).toEqual([['done', 'RECOVERED'], ['failed', 'NOT_APPLIED'], ['pending', undefined]]);
    expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
