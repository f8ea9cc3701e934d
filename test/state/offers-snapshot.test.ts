/**
 * The offers delta snapshot (manomano-offers/snapshot.ts) over each store (SQLite and Redis): interleaved
 * confirms from two connections are all kept (last one wins per field), scopes stay apart, and
 * a confirm fenced by a lost lease changes nothing.
 */
import { expect, test } from 'vitest';
import { OfferSnapshot, offersLockName } from '../../engine/connectors/destinations/manomano-offers/snapshot.js';
import { forEachStore } from './store-factories.js';

forEachStore('OfferSnapshot', (_name, backend) => {
  test('interleaved confirms of two connections: every confirmed update is kept, last one wins', async () => {
    const be = await backend();
    const a = new OfferSnapshot(await be.open(), 'local-110841');
    const b = new OfferSnapshot(await be.open(), 'local-110841');
    await a.confirm([{ sku: 'S1', price: 10 }]);
    await b.confirm([{ sku: 'S2', quantity: 3 }]);
    await b.confirm([{ sku: 'S1', price: 12 }, { sku: 'S3', price: 5, quantity: 1 }]);
    const fresh = new OfferSnapshot(await be.open(), 'local-110841');
    expect(await fresh.load(['S1', 'S2', 'S3', 'S4'])).toEqual(new Map([['S1', { price: 12 }], ['S2', { quantity: 3 }], ['S3', { price: 5, quantity: 1 }]]));
    expect(await new OfferSnapshot(await be.open(), 'production-110841').load(['S1'])).toEqual(new Map());
  });

  test('a confirm under a lock taken over by another run changes nothing', async () => {
    let clock = 0;
    const be = await backend({ now: () => clock });
    const store = await be.open();
    const first = await store.tryLock(offersLockName('local-1'), { pid: 1, host: 'h', since: '' }, 100);
    clock = 200;
    const second = await (await be.open()).tryLock(offersLockName('local-1'), { pid: 2, host: 'h', since: '' }, 100);
    if (!first.ok || !second.ok) throw new Error('not taken');
    const s = new OfferSnapshot(store, 'local-1');
    await expect(s.confirm([{ sku: 'S1', price: 1 }], first.lease)).rejects.toMatchObject({ code: 'STATE_LOCK_LOST' });
    await s.confirm([{ sku: 'S1', price: 2 }], second.lease);
    expect(await s.load(['S1'])).toEqual(new Map([['S1', { price: 2 }]]));
  });
});
