/**
 * The order-action journal (engine/state/journal.ts) over each store (SQLite and Redis): keys per order
 * (accept/refuse) or per order and fingerprint (ship/refund), old entries without a fingerprint
 * read as whole-order entries, load() sees what another connection wrote, and a write under a
 * lost lock writes nothing.
 */
import { expect, test } from 'vitest';
import { OrderJournal } from '../../engine/state/journal.js';
import { forEachStore } from './store-factories.js';

const at = () => new Date('2026-10-01T08:00:00.000Z');

forEachStore('OrderJournal', (_name, backend) => {
  test('keys: accept/refuse per order, ship/refund per order and fingerprint', () => {
    expect(OrderJournal.key('accept', 1, 'M1')).toBe('1:M1:accept');
    expect(OrderJournal.key('ship', 1, 'M1', 'abc')).toBe('1:M1:ship:abc');
  });

  test('two fingerprints of one order are two actions; the same one is found again, also by a new connection', async () => {
    const b = await backend();
    const j = new OrderJournal(await b.open(), 'run-1', at);
    await j.record([{ action: 'refund', contract: 1, order_reference: 'M1', fingerprint: 'aaa', state: 'done', payload: 'p' }]);
    expect(j.get('refund', 1, 'M1', 'aaa')).toMatchObject({ state: 'done', fingerprint: 'aaa', run: 'run-1', payload: 'p' });
    expect(j.get('refund', 1, 'M1', 'bbb')).toBeUndefined();
    expect(j.get('refund', 1, 'M1')).toBeUndefined();
    const other = new OrderJournal(await b.open(), 'run-2');
    await other.load([{ action: 'refund', contract: 1, order_reference: 'M1', fingerprint: 'aaa' }]);
    expect(other.get('refund', 1, 'M1', 'aaa')).toEqual({ key: '1:M1:refund:aaa', action: 'refund', contract: 1, order_reference: 'M1', fingerprint: 'aaa', state: 'done', at: '2026-10-01T08:00:00.000Z', run: 'run-1', payload: 'p' });
  });

  test('an old entry without fingerprint stands for the whole order: every ship of that order finds it', async () => {
    const store = await (await backend()).open();
    await store.recordActions([{ key: '1:M1:ship', action: 'ship', contract: 1, order_reference: 'M1', state: 'done', at: '2026-08-01T00:00:00Z', run: 'old' }]);
    const j = new OrderJournal(store, 'run-2');
    await j.load([{ action: 'ship', contract: 1, order_reference: 'M1', fingerprint: 'any' }, { action: 'ship', contract: 1, order_reference: 'M2', fingerprint: 'any' }, { action: 'refund', contract: 1, order_reference: 'M1', fingerprint: 'any' }]);
    expect(j.get('ship', 1, 'M1', 'any')).toMatchObject({ run: 'old', state: 'done' });
    expect(j.get('ship', 1, 'M1')).toMatchObject({ run: 'old' });
    expect(j.get('ship', 1, 'M2', 'any')).toBeUndefined();
    expect(j.get('refund', 1, 'M1', 'any')).toBeUndefined();
    // A newer exact entry wins over the old whole-order one.
    await j.record([{ action: 'ship', contract: 1, order_reference: 'M1', fingerprint: 'any', state: 'failed' }]);
    expect(j.get('ship', 1, 'M1', 'any')).toMatchObject({ state: 'failed', run: 'run-2' });
  });

  test('load() sees what another run wrote since; only the actions asked for are read', async () => {
    const b = await backend();
    const mine = new OrderJournal(await b.open(), 'a');
    const other = new OrderJournal(await b.open(), 'b');
    const m1 = { action: 'accept' as const, contract: 1, order_reference: 'M1' };
    await mine.load([m1]);
    await other.record([{ ...m1, state: 'done' }, { action: 'accept', contract: 1, order_reference: 'M2', state: 'done' }]);
    expect(mine.get('accept', 1, 'M1')).toBeUndefined();
    await mine.load([m1]);
    expect(mine.get('accept', 1, 'M1')).toMatchObject({ state: 'done', run: 'b' });
    expect(mine.get('accept', 1, 'M2')).toBeUndefined();
  });

  test('a write fenced by a lost lease is refused whole: nothing of it is kept', async () => {
    let clock = Date.parse('2026-10-01T08:00:00Z');
    const b = await backend({ now: () => clock });
    const store = await b.open();
    const lock = await store.tryLock('order-actions:1', { pid: 1, host: 'h', since: '' }, 1000);
    if (!lock.ok) throw new Error('not taken');
    clock += 1000;
    const j = new OrderJournal(store, 'late');
    await expect(j.record([{ action: 'accept', contract: 1, order_reference: 'M1', state: 'pending' }, { action: 'accept', contract: 1, order_reference: 'M2', state: 'pending' }], lock.lease)).rejects.toMatchObject({ code: 'STATE_LOCK_LOST' });
    expect(await (await b.open()).getActions(['1:M1:accept', '1:M2:accept'])).toEqual(new Map());
    expect(j.get('accept', 1, 'M1')).toBeUndefined();
  });
});
