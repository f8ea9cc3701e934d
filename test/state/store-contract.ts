/**
 * The StateStore contract (engine/state/store.ts) as one suite, parametrised by a factory: every
 * store runs it by adding one file that calls `describeStateStore(name, factory)` (see
 * store-memory.test.ts, store-sqlite.test.ts). The factory gets the clock the store must use for
 * lock expiry, and `open()` must return a NEW connection to the SAME backend each time (two
 * "processes" sharing one state), so visibility and fencing are tested across connections.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { actionKey, type ActionEntry, type ActionRef, type LockHolder, type StateStore } from '../../engine/state/store.js';

/** A backend for one test: connections to it, and its removal. */
export interface StoreHarness {
  open(): Promise<StateStore>;
  cleanup(): Promise<void>;
}

/** Builds a fresh, empty backend whose stores read time from `now`. */
export type StoreFactory = (o: { now: () => number }) => Promise<StoreHarness>;

const T0 = Date.parse('2026-10-01T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const holder = (pid: number, purpose = 'testing'): LockHolder => ({ pid, host: 'host-a', since: iso(T0), purpose });

function entry(ref: ActionRef & Partial<ActionEntry>, over: Partial<ActionEntry> = {}): ActionEntry {
  const e: ActionEntry = { state: 'pending', at: iso(T0), run: 'run-1', ...ref, key: actionKey(ref), ...over };
  return e;
}

/** Why: the one suite every StateStore implementation must pass. */
export function describeStateStore(name: string, factory: StoreFactory): void {
  describe(`StateStore contract: ${name}`, () => {
    let clock = T0;
    let harness: StoreHarness;
    let a: StateStore;
    let b: StateStore;
    beforeEach(async () => {
      clock = T0;
      harness = await factory({ now: () => clock });
      a = await harness.open();
      b = await harness.open();
    });
    afterEach(async () => {
      await a.close();
      await b.close();
      await harness.cleanup();
    });

    describe('order-action journal', () => {
      test('an unknown key is absent; a recorded entry is read back whole, by key, from another connection', async () => {
        const e = entry({ action: 'ship', contract: 1, order_reference: 'M1', fingerprint: 'f1' }, { payload: 'p1', run: 'ship@1' });
        expect(e.key).toBe('1:M1:ship:f1');
        expect(await b.getActions([e.key])).toEqual(new Map());
        await a.recordActions([e]);
        expect(await b.getActions([e.key, '1:M2:ship:f1'])).toEqual(new Map([[e.key, e]]));
      });

      test('the last state written wins; optional fields absent when not given', async () => {
        const ref = { action: 'accept', contract: 1, order_reference: 'M1' } as const;
        await a.recordActions([entry(ref, { payload: 'x', code: 'C', message: 'm' })]);
        await b.recordActions([entry(ref, { state: 'done', at: iso(T0 + 1000), run: 'run-2' })]);
        const got = (await a.getActions([actionKey(ref)])).get(actionKey(ref))!;
        expect(got).toEqual({ ...ref, key: '1:M1:accept', state: 'done', at: iso(T0 + 1000), run: 'run-2' });
      });

      test('many keys at once (more than any batch limit of the backend)', async () => {
        const entries = Array.from({ length: 1200 }, (_, i) => entry({ action: 'accept', contract: 7, order_reference: `M${i}` }, { state: i % 3 ? 'done' : 'failed' }));
        await a.recordActions(entries);
        const got = await b.getActions([...entries.map((e) => e.key), 'nope']);
        expect(got.size).toBe(1200);
        expect(got.get('7:M599:accept')).toEqual(entries[599]);
      });

      test('listActions: one state, optionally one contract, ordered by key, paged', async () => {
        const refs = ['M3', 'M1', 'M2', 'M4'].map((r) => ({ action: 'accept' as const, contract: 1, order_reference: r }));
        await a.recordActions([
          ...refs.map((r) => entry(r)),
          entry({ action: 'ship', contract: 2, order_reference: 'M9', fingerprint: 'f' }),
          entry({ action: 'refund', contract: 1, order_reference: 'M5', fingerprint: 'g' }, { state: 'done' }),
        ]);
        const page1 = await b.listActions({ state: 'pending', limit: 2 });
        expect(page1.map((e) => e.key)).toEqual(['1:M1:accept', '1:M2:accept']);
        const page2 = await b.listActions({ state: 'pending', limit: 10, afterKey: page1[1]!.key });
        expect(page2.map((e) => e.key)).toEqual(['1:M3:accept', '1:M4:accept', '2:M9:ship:f']);
        expect((await b.listActions({ state: 'pending', contract: 2, limit: 10 })).map((e) => e.order_reference)).toEqual(['M9']);
        expect((await b.listActions({ state: 'done', limit: 10 }))[0]).toMatchObject({ order_reference: 'M5', fingerprint: 'g' });
        expect(await b.listActions({ state: 'refused', limit: 10 })).toEqual([]);
      });
    });

    describe('offers', () => {
      test('scopes are separate; confirms merge field by field; the last one wins', async () => {
        await a.confirmOffers('local-1', [{ sku: 'S1', price: 10 }, { sku: 'S2', quantity: 3 }]);
        await b.confirmOffers('production-1', [{ sku: 'S1', price: 99 }]);
        await b.confirmOffers('local-1', [{ sku: 'S1', quantity: 0 }, { sku: 'S2', price: 4.5, quantity: 2 }]);
        expect(await a.getOffers('local-1', ['S1', 'S2', 'S3'])).toEqual(new Map([['S1', { price: 10, quantity: 0 }], ['S2', { price: 4.5, quantity: 2 }]]));
        expect(await a.getOffers('production-1', ['S1', 'S2'])).toEqual(new Map([['S1', { price: 99 }]]));
        expect(await a.getOffers('sandbox-1', ['S1'])).toEqual(new Map());
      });

      test('many SKUs at once', async () => {
        const updates = Array.from({ length: 1500 }, (_, i) => ({ sku: `SKU-${i}`, price: i + 0.5, quantity: i }));
        await a.confirmOffers('local-1', updates);
        const got = await b.getOffers('local-1', updates.map((u) => u.sku));
        expect(got.size).toBe(1500);
        expect(got.get('SKU-1499')).toEqual({ price: 1499.5, quantity: 1499 });
      });
    });

    describe('cursors', () => {
      test('absent, then saved and replaced; any JSON value', async () => {
        expect(await a.loadCursor('import.local.1')).toBeUndefined();
        const value = { status_updated_at: '2026-10-01T08:00:00+00:00', seen_at_cursor: ['M1', 'M2'], saved_at: iso(T0) };
        await a.saveCursor('import.local.1', value);
        expect(await b.loadCursor('import.local.1')).toEqual(value);
        await b.saveCursor('import.local.1', null);
        expect(await a.loadCursor('import.local.1')).toBeNull();
        expect(await a.loadCursor('other')).toBeUndefined();
      });
    });

    describe('feedback', () => {
      test('kept per pipeline, oldest first, from a time on, up to a limit', async () => {
        const rec = (pipeline: string, run: string, ms: number, sku: string) => ({ pipeline, run, at: iso(ms), line: { sku, status: 'COMPLETED' } });
        await a.recordFeedback([rec('p', 'r1', T0, 'A'), rec('p', 'r1', T0, 'B'), rec('q', 'r9', T0, 'Z')]);
        await b.recordFeedback([rec('p', 'r2', T0 + 60_000, 'A')]);
        expect((await a.listFeedback({ pipeline: 'p' })).map((r) => `${r.run}:${r.line.sku as string}`)).toEqual(['r1:A', 'r1:B', 'r2:A']);
        expect((await a.listFeedback({ pipeline: 'p', since: iso(T0 + 1) })).map((r) => r.run)).toEqual(['r2']);
        expect(await a.listFeedback({ pipeline: 'p', limit: 1 })).toEqual([rec('p', 'r1', T0, 'A')]);
        expect(await a.listFeedback({ pipeline: 'none' })).toEqual([]);
      });
    });

    describe('locks with fencing', () => {
      test('a free lock is taken; a held one says who holds it; released, it is taken again with a higher token', async () => {
        const first = await a.tryLock('order-actions:1', holder(100), 60_000);
        expect(first.ok).toBe(true);
        if (!first.ok) return;
        expect(first.lease).toMatchObject({ name: 'order-actions:1', expiresAt: T0 + 60_000, holder: holder(100) });
        const busy = await b.tryLock('order-actions:1', holder(200), 60_000);
        expect(busy).toEqual({ ok: false, current: { name: 'order-actions:1', token: first.lease.token, expiresAt: T0 + 60_000, holder: holder(100) } });
        expect((await b.tryLock('offers:local-1', holder(200), 60_000)).ok).toBe(true); // another name is another lock
        await a.releaseLock(first.lease);
        const second = await b.tryLock('order-actions:1', holder(200), 60_000);
        expect(second.ok && second.lease.token).toBeGreaterThan(first.lease.token);
      });

      test('tokens only go up: after release, expiry and takeover alike', async () => {
        const tokens: number[] = [];
        const take = async (s: StateStore, pid: number, replacing?: number) => {
          const r = await s.tryLock('L', holder(pid), 1000, replacing);
          if (!r.ok) throw new Error('lock not taken');
          tokens.push(r.lease.token);
          return r.lease;
        };
        const l1 = await take(a, 1);
        await a.releaseLock(l1);
        const l2 = await take(b, 2);
        clock += 1001; // l2 expires
        const l3 = await take(a, 3);
        await take(b, 4, l3.token); // l3 judged stale and replaced
        expect(tokens).toEqual([...tokens].sort((x, y) => x - y));
        expect(new Set(tokens).size).toBe(4);
        expect(l2.token).toBeGreaterThan(l1.token);
      });

      test('a lease that expired while its holder was paused is taken over; the old holder can no longer write anything', async () => {
        const r = await a.tryLock('order-actions:1', holder(100), 30_000);
        if (!r.ok) throw new Error('not taken');
        const old = r.lease;
        await a.recordActions([entry({ action: 'accept', contract: 1, order_reference: 'M1' })], old); // fine while held
        clock += 30_001; // the holder is paused past its ttl
        const took = await b.tryLock('order-actions:1', holder(200), 30_000);
        expect(took.ok && took.lease.token).toBeGreaterThan(old.token);
        const late = entry({ action: 'accept', contract: 1, order_reference: 'M1' }, { state: 'done', run: 'late' });
        await expect(a.recordActions([late, entry({ action: 'accept', contract: 1, order_reference: 'M2' })], old)).rejects.toMatchObject({ code: 'STATE_LOCK_LOST' });
        await expect(a.confirmOffers('local-1', [{ sku: 'S', price: 1 }], old)).rejects.toMatchObject({ code: 'STATE_LOCK_LOST' });
        await expect(a.saveCursor('c', { x: 1 }, old)).rejects.toMatchObject({ code: 'STATE_LOCK_LOST' });
        const after = await b.getActions(['1:M1:accept', '1:M2:accept']);
        expect([...after.values()].map((e) => [e.order_reference, e.state])).toEqual([['M1', 'pending']]);
        expect(await b.getOffers('local-1', ['S'])).toEqual(new Map());
        expect(await b.loadCursor('c')).toBeUndefined();
        expect(await a.renewLock(old, 30_000)).toBe(false);
      });

      test('an expired lease refuses writes even before anyone else takes the lock', async () => {
        const r = await a.tryLock('offers:local-1', holder(100), 1000);
        if (!r.ok) throw new Error('not taken');
        clock += 1000;
        const err = await a.confirmOffers('local-1', [{ sku: 'S', price: 1 }], r.lease).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'STATE_LOCK_LOST' });
        expect((err as Error).message).toContain('offers:local-1');
        expect(await a.renewLock(r.lease, 1000)).toBe(false);
      });

      test('renewing keeps the lease alive past its first ttl; writes under a live lease succeed', async () => {
        const r = await a.tryLock('L', holder(1), 1000);
        if (!r.ok) throw new Error('not taken');
        clock += 900;
        expect(await a.renewLock(r.lease, 1000)).toBe(true);
        expect(r.lease.expiresAt).toBe(clock + 1000);
        clock += 900;
        expect((await b.tryLock('L', holder(2), 1000)).ok).toBe(false);
        await a.saveCursor('c', 1, r.lease);
        await a.confirmOffers('s', [{ sku: 'A', quantity: 1 }], r.lease);
        expect(await b.loadCursor('c')).toBe(1);
      });

      test('replacing: only the holder judged stale (by its token) is replaced', async () => {
        const r = await a.tryLock('L', holder(1), 60_000);
        if (!r.ok) throw new Error('not taken');
        expect((await b.tryLock('L', holder(2), 60_000, r.lease.token + 5)).ok).toBe(false);
        const took = await b.tryLock('L', holder(2), 60_000, r.lease.token);
        expect(took.ok).toBe(true);
        await expect(a.recordActions([entry({ action: 'refuse', contract: 1, order_reference: 'M1' })], r.lease)).rejects.toMatchObject({ code: 'STATE_LOCK_LOST' });
      });

      test('releasing an old lease leaves the new holder in place', async () => {
        const r = await a.tryLock('L', holder(1), 1000);
        if (!r.ok) throw new Error('not taken');
        clock += 2000;
        const n = await b.tryLock('L', holder(2), 1000);
        if (!n.ok) throw new Error('not taken');
        await a.releaseLock(r.lease);
        a.releaseLockSync?.(r.lease);
        expect(await a.tryLock('L', holder(3), 1000)).toMatchObject({ ok: false, current: { token: n.lease.token } });
        b.releaseLockSync ? b.releaseLockSync(n.lease) : await b.releaseLock(n.lease);
        expect((await a.tryLock('L', holder(3), 1000)).ok).toBe(true);
      });
    });

    describe('retention and stats', () => {
      test('prune removes old done entries and old feedback; pending, failed and refused stay whatever their age; dryRun only counts', async () => {
        const old = iso(T0 - 200 * 86_400_000);
        const recent = iso(T0 - 86_400_000);
        const refs = (n: string) => ({ action: 'accept' as const, contract: 1, order_reference: n });
        await a.recordActions([
          entry(refs('D-old'), { state: 'done', at: old }), entry(refs('D-new'), { state: 'done', at: recent }),
          entry(refs('P-old'), { state: 'pending', at: old }), entry(refs('F-old'), { state: 'failed', at: old }), entry(refs('R-old'), { state: 'refused', at: old }),
        ]);
        await a.recordFeedback([{ pipeline: 'p', run: 'r0', at: old, line: { n: 1 } }, { pipeline: 'p', run: 'r1', at: recent, line: { n: 2 } }]);
        const cutoff = iso(T0 - 180 * 86_400_000);
        expect(await b.prune({ done: cutoff, feedback: cutoff }, { dryRun: true })).toEqual({ done: 1, feedback: 1 });
        expect((await a.stats()).actions).toEqual({ pending: 1, done: 2, failed: 1, refused: 1 });
        expect(await b.prune({ done: cutoff, feedback: cutoff })).toEqual({ done: 1, feedback: 1 });
        const left = await a.getActions(['D-old', 'D-new', 'P-old', 'F-old', 'R-old'].map((n) => actionKey(refs(n))));
        expect([...left.values()].map((e) => e.order_reference).sort()).toEqual(['D-new', 'F-old', 'P-old', 'R-old']);
        expect((await a.listFeedback({ pipeline: 'p' })).map((r) => r.run)).toEqual(['r1']);
        expect(await b.prune({ done: cutoff, feedback: cutoff })).toEqual({ done: 0, feedback: 0 });
      });

      test('prune with a limit removes at most that many of each per call, oldest first', async () => {
        const refs = (n: string) => ({ action: 'accept' as const, contract: 1, order_reference: n });
        await a.recordActions(['A', 'B', 'C', 'D', 'E'].map((n, i) => entry(refs(n), { state: 'done', at: iso(T0 - (10 - i) * 86_400_000) })));
        await a.recordFeedback([1, 2, 3].map((n) => ({ pipeline: 'p', run: `r${n}`, at: iso(T0 - (10 - n) * 86_400_000), line: { n } })));
        const cutoff = { done: iso(T0), feedback: iso(T0) };
        expect(await b.prune(cutoff, { limit: 2 })).toEqual({ done: 2, feedback: 2 });
        expect([...(await a.getActions(['A', 'B', 'C', 'D', 'E'].map((n) => actionKey(refs(n))))).values()].map((e) => e.order_reference)).toEqual(['C', 'D', 'E']);
        expect((await a.listFeedback({ pipeline: 'p' })).map((r) => r.run)).toEqual(['r3']);
        expect(await b.prune(cutoff, { limit: 2 })).toEqual({ done: 2, feedback: 1 });
        expect(await b.prune(cutoff, { limit: 2 })).toEqual({ done: 1, feedback: 0 });
      });

      test('stats: entries per state, the oldest done, offers per scope, cursors, feedback and live locks', async () => {
        const empty = await a.stats();
        expect(empty).toMatchObject({ actions: { pending: 0, done: 0, failed: 0, refused: 0 }, offers: [], cursors: 0, feedback: { lines: 0 }, locks: [] });
        expect(empty.oldestDone).toBeUndefined();
        expect(empty.backend.schemaVersion).toBeGreaterThanOrEqual(1);
        await a.recordActions([
          entry({ action: 'accept', contract: 1, order_reference: 'M1' }, { state: 'done', at: iso(T0 - 5000) }),
          entry({ action: 'accept', contract: 1, order_reference: 'M2' }, { state: 'done' }),
          entry({ action: 'ship', contract: 1, order_reference: 'M1', fingerprint: 'f' }),
        ]);
        await a.confirmOffers('local-1', [{ sku: 'A', price: 1 }, { sku: 'B', price: 2 }]);
        await a.confirmOffers('production-2', [{ sku: 'A', price: 1 }]);
        await a.saveCursor('c1', 1);
        await a.recordFeedback([{ pipeline: 'p', run: 'r', at: iso(T0), line: {} }]);
        const l = await a.tryLock('order-actions:1', holder(42), 1000);
        await a.tryLock('gone', holder(43), 10);
        clock += 500;
        const s = await b.stats();
        expect(s).toMatchObject({
          actions: { pending: 1, done: 2, failed: 0, refused: 0 }, oldestDone: iso(T0 - 5000),
          offers: [{ scope: 'local-1', skus: 2 }, { scope: 'production-2', skus: 1 }], cursors: 1, feedback: { lines: 1, oldest: iso(T0) },
        });
        expect(s.locks).toEqual([{ name: 'order-actions:1', token: l.ok ? l.lease.token : -1, expiresAt: T0 + 1000, holder: holder(42) }]);
      });
    });

    test('two connections writing at once: every write is kept', async () => {
      const writes: Promise<void>[] = [];
      for (let i = 0; i < 40; i++) {
        const s = i % 2 ? a : b;
        writes.push(s.recordActions([entry({ action: 'accept', contract: 3, order_reference: `M${i}` }, { state: 'done' })]));
        writes.push(s.confirmOffers('local-3', [{ sku: `S${i}`, quantity: i }]));
      }
      await Promise.all(writes);
      expect((await a.getActions(Array.from({ length: 40 }, (_, i) => `3:M${i}:accept`))).size).toBe(40);
      expect((await b.getOffers('local-3', Array.from({ length: 40 }, (_, i) => `S${i}`))).size).toBe(40);
    });
  });
}
