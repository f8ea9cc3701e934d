/**
 * The delta state: the last price and stock ManoMano confirmed per SKU, for one environment and
 * contract. Confirmed batches are appended to a durable journal as they are answered, so a run
 * interrupted half-way keeps what was confirmed; `commit()` folds the journal into the snapshot.
 * Runs of the same contract and environment may overlap: confirm() and commit() each hold the
 * snapshot's lock (state/lock.ts), and commit() folds what is on disk, so no run's updates are lost.
 */
import { existsSync, rmSync } from 'node:fs';
import { SnapshotStore } from '../../../state/snapshot.js';
import { appendLinesDurable, readLines } from '../../../state/files.js';
import { lockTimeoutFromEnv, withLockSync } from '../../../state/lock.js';
import type { OfferUpdate } from './checks.js';

/** What ManoMano last confirmed for one SKU (a field is absent until it was sent once). */
export interface KnownOffer {
  price?: number;
  quantity?: number;
}

interface SnapshotFile {
  version: 1;
  offers: Record<string, KnownOffer>;
}

type JournalLine = [sku: string, price: number | null, quantity: number | null];

/** Why: delta sending and safety limits both compare against what ManoMano accepted last. */
export class OfferSnapshot {
  private readonly store: SnapshotStore<SnapshotFile>;
  private readonly offers = new Map<string, KnownOffer>();
  readonly journalPath: string;
  private readonly lockPath: string;
  private dirty = false;

  /** `key` is `<environment>-<contract id>`: a local test never feeds the production delta. */
  constructor(stateDir: string, key: string) {
    this.store = new SnapshotStore<SnapshotFile>(stateDir, 'offers', key);
    this.journalPath = this.store.path.replace(/\.json$/, '.journal.ndjson');
    this.lockPath = this.store.path.replace(/\.json$/, '.lock');
    const file = this.store.load({ version: 1, offers: {} });
    for (const [sku, known] of Object.entries(file.offers ?? {})) this.offers.set(sku, known);
    for (const [sku, price, quantity] of readLines<JournalLine>(this.journalPath)) this.merge(sku, price, quantity);
  }

  get path(): string {
    return this.store.path;
  }

  get size(): number {
    return this.offers.size;
  }

  get(sku: string): KnownOffer | undefined {
    return this.offers.get(sku);
  }

  /** Records updates ManoMano accepted: durable (fsynced journal) before this returns. */
  confirm(updates: OfferUpdate[]): void {
    if (updates.length === 0) return;
    this.locked(() => appendLinesDurable(this.journalPath, updates.map((u): JournalLine => [u.sku, u.price ?? null, u.quantity ?? null])));
    for (const u of updates) this.merge(u.sku, u.price ?? null, u.quantity ?? null);
    this.dirty = true;
  }

  /**
   * Writes the snapshot atomically, then drops the journal it now contains (replaying it is
   * harmless). Folds the files as they are on disk (another run may have committed or confirmed
   * since this one loaded): journal lines are in confirmation order, across runs.
   */
  commit(): void {
    if (!this.dirty && !existsSync(this.journalPath)) return;
    this.locked(() => {
      this.offers.clear();
      for (const [sku, known] of Object.entries(this.store.load({ version: 1, offers: {} }).offers ?? {})) this.offers.set(sku, known);
      for (const [sku, price, quantity] of readLines<JournalLine>(this.journalPath)) this.merge(sku, price, quantity);
      this.store.save({ version: 1, offers: Object.fromEntries(this.offers) });
      rmSync(this.journalPath, { force: true });
    });
    this.dirty = false;
  }

  private locked(fn: () => void): void {
    withLockSync(this.lockPath, { timeoutMs: lockTimeoutFromEnv(), purpose: 'updating the offers snapshot' }, fn);
  }

  private merge(sku: string, price: number | null, quantity: number | null): void {
    const known = { ...this.offers.get(sku) };
    if (price !== null) known.price = price;
    if (quantity !== null) known.quantity = quantity;
    this.offers.set(sku, known);
  }
}
