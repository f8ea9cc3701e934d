/**
 * The offers delta snapshot (manomano-offers/snapshot.ts) when two runs of one contract and
 * environment overlap: confirm() and commit() hold the snapshot's lock and commit() folds what is
 * on disk, so neither run's confirmed updates are lost.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { OfferSnapshot } from '../../engine/connectors/destinations/manomano-offers/snapshot.js';

describe('OfferSnapshot with overlapping runs', () => {
  test('interleaved confirms and commits of two runs: the snapshot has every confirmed update, last one wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-offers-'));
    const a = new OfferSnapshot(dir, 'local-110841');
    const b = new OfferSnapshot(dir, 'local-110841');
    a.confirm([{ sku: 'S1', price: 10 }]);
    b.confirm([{ sku: 'S2', quantity: 3 }]);
    a.commit();
    b.confirm([{ sku: 'S1', price: 12 }, { sku: 'S3', price: 5, quantity: 1 }]);
    b.commit();
    const fresh = new OfferSnapshot(dir, 'local-110841');
    expect(['S1', 'S2', 'S3'].map((s) => fresh.get(s))).toEqual([{ price: 12 }, { quantity: 3 }, { price: 5, quantity: 1 }]);
    expect(existsSync(fresh.journalPath)).toBe(false);
    expect(existsSync(fresh.path.replace(/\.json$/, '.lock'))).toBe(false);
  });

  test('a lock left by a run that died is taken over', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-offers-'));
    const s = new OfferSnapshot(dir, 'local-1');
    s.confirm([{ sku: 'S1', price: 1 }]);
    writeFileSync(s.path.replace(/\.json$/, '.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), started: '2026-01-01T00:00:00Z', token: 'dead' }));
    s.commit();
    expect(new OfferSnapshot(dir, 'local-1').get('S1')).toEqual({ price: 1 });
  });
});
