/**
 * The local state store: one SQLite database per state dir (schema.ts), through better-sqlite3.
 * Every write is one IMMEDIATE transaction (the fence is checked inside it, so check and write
 * are atomic across processes); reads go by primary key. better-sqlite3 is synchronous: each
 * method does its work at once and returns a settled promise, which keeps the async contract
 * of StateStore (engine/state/store.ts) that a networked store needs.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import {
  ACTION_STATES, lockLostError, type ActionEntry, type ActionState, type ConfirmedOffer, type FeedbackRecord, type KnownOffer,
  type Lease, type LockAttempt, type LockHolder, type LockInfo, type PruneResult, type StateStore, type StoreOptions, type StoreStats,
} from '../store.js';
import { busyTimeoutFromEnv, DB_FILE, openDatabase, SCHEMA_VERSION, sqliteError } from './schema.js';

interface ActionRow {
  key: string; action: ActionEntry['action']; contract: number; order_reference: string; fingerprint: string | null;
  state: ActionState; at: string; run: string; code: string | null; message: string | null; payload: string | null;
}
interface LockRow { token: number; holder: string | null; expires_at: number }

/** Options of the SQLite store: the clock (lock expiry) and how long to wait for another writer. */
export interface SqliteStoreOptions extends StoreOptions {
  busyTimeoutMs?: number;
}

/** Why: the default store; one file holds the journal, offers, cursors, feedback and locks together. */
export class SqliteStateStore implements StateStore {
  readonly location: string;
  readonly db: Database.Database;
  private readonly now: () => number;
  private readonly st: ReturnType<typeof prepare>;

  constructor(readonly stateDir: string, o: SqliteStoreOptions = {}) {
    this.location = join(stateDir, DB_FILE);
    this.db = openDatabase(stateDir, o.busyTimeoutMs ?? busyTimeoutFromEnv());
    this.now = o.now ?? Date.now;
    this.st = prepare(this.db);
  }

  async getActions(keys: readonly string[]): Promise<Map<string, ActionEntry>> {
    const out = new Map<string, ActionEntry>();
    for (const k of keys) {
      const row = this.st.getAction.get(k) as ActionRow | undefined;
      if (row) out.set(k, toEntry(row));
    }
    return out;
  }

  async recordActions(entries: readonly ActionEntry[], fence?: Lease): Promise<void> {
    this.write('recording order actions', fence, 'journal write', () => {
      for (const e of entries) {
        this.st.putAction.run(e.key, e.action, e.contract, e.order_reference, e.fingerprint ?? null, e.state, e.at, e.run, e.code ?? null, e.message ?? null, e.payload ?? null);
      }
    });
  }

  async listActions(q: { state: ActionState; contract?: number; limit: number; afterKey?: string }): Promise<ActionEntry[]> {
    const rows = (q.contract === undefined ? this.st.listActions.all(q.state, q.afterKey ?? '', q.limit) : this.st.listContractActions.all(q.state, q.contract, q.afterKey ?? '', q.limit)) as ActionRow[];
    return rows.map(toEntry);
  }

  async getOffers(scope: string, skus: readonly string[]): Promise<Map<string, KnownOffer>> {
    const out = new Map<string, KnownOffer>();
    for (const sku of skus) {
      const row = this.st.getOffer.get(scope, sku) as { price: number | null; quantity: number | null } | undefined;
      if (!row) continue;
      const k: KnownOffer = {};
      if (row.price !== null) k.price = row.price;
      if (row.quantity !== null) k.quantity = row.quantity;
      out.set(sku, k);
    }
    return out;
  }

  async confirmOffers(scope: string, updates: readonly ConfirmedOffer[], fence?: Lease): Promise<void> {
    const at = new Date(this.now()).toISOString();
    this.write('saving confirmed offers', fence, 'offers snapshot write', () => {
      for (const u of updates) this.st.putOffer.run(scope, u.sku, u.price ?? null, u.quantity ?? null, at);
    });
  }

  async loadCursor(name: string): Promise<unknown> {
    const row = this.st.getCursor.get(name) as { value: string } | undefined;
    return row === undefined ? undefined : JSON.parse(row.value);
  }

  async saveCursor(name: string, value: unknown, fence?: Lease): Promise<void> {
    const at = new Date(this.now()).toISOString();
    this.write('saving a cursor', fence, 'cursor write', () => this.st.putCursor.run(name, JSON.stringify(value ?? null), at));
  }

  async recordFeedback(records: readonly FeedbackRecord[]): Promise<void> {
    this.write('keeping feedback', undefined, '', () => {
      for (const r of records) this.st.putFeedback.run(r.pipeline, r.run, r.at, JSON.stringify(r.line));
    });
  }

  async listFeedback(q: { pipeline: string; since?: string; limit?: number }): Promise<FeedbackRecord[]> {
    const rows = this.st.listFeedback.all(q.pipeline, q.since ?? '', q.limit ?? -1) as { pipeline: string; run: string; at: string; line: string }[];
    return rows.map((r) => ({ pipeline: r.pipeline, run: r.run, at: r.at, line: JSON.parse(r.line) as Record<string, unknown> }));
  }

  async tryLock(name: string, holder: LockHolder, ttlMs: number, replacing?: number): Promise<LockAttempt> {
    return this.write('taking a lock', undefined, '', (): LockAttempt => {
      const row = this.st.getLock.get(name) as LockRow | undefined;
      const now = this.now();
      if (row?.holder && row.expires_at > now && row.token !== replacing) return { ok: false, current: lockInfo(name, row) };
      const lease: Lease = { name, token: (row?.token ?? 0) + 1, expiresAt: now + ttlMs, holder: { ...holder } };
      this.st.putLock.run(name, lease.token, JSON.stringify(lease.holder), lease.expiresAt);
      return { ok: true, lease };
    });
  }

  async renewLock(lease: Lease, ttlMs: number): Promise<boolean> {
    return this.write('renewing a lock', undefined, '', () => {
      const now = this.now();
      const changed = this.st.renewLock.run(now + ttlMs, lease.name, lease.token, now).changes === 1;
      if (changed) lease.expiresAt = now + ttlMs;
      return changed;
    });
  }

  async releaseLock(lease: Lease): Promise<void> {
    this.releaseLockSync(lease);
  }

  releaseLockSync(lease: Lease): void {
    if (!this.db.open) return;
    this.write('releasing a lock', undefined, '', () => this.st.releaseLock.run(lease.name, lease.token));
  }

  async prune(before: { done: string; feedback: string }, o: { dryRun?: boolean; limit?: number } = {}): Promise<PruneResult> {
    const limit = o.limit ?? -1; // SQLite: a negative LIMIT is no limit
    const result = this.write('pruning', undefined, '', (): PruneResult => {
      if (o.dryRun) {
        return { done: (this.st.countOldDone.get(before.done) as { n: number }).n, feedback: (this.st.countOldFeedback.get(before.feedback) as { n: number }).n };
      }
      return { done: this.st.pruneDone.run(before.done, limit).changes, feedback: this.st.pruneFeedback.run(before.feedback, limit).changes };
    });
    if (!o.dryRun && result.done + result.feedback > 0) this.db.pragma('incremental_vacuum');
    return result;
  }

  async stats(): Promise<StoreStats> {
    const actions = Object.fromEntries(ACTION_STATES.map((s) => [s, 0])) as Record<ActionState, number>;
    for (const r of this.db.prepare('SELECT state, count(*) AS n FROM actions GROUP BY state').all() as { state: ActionState; n: number }[]) actions[r.state] = r.n;
    const oldestDone = (this.db.prepare("SELECT min(at) AS at FROM actions WHERE state = 'done'").get() as { at: string | null }).at;
    const offers = this.db.prepare('SELECT scope, count(*) AS skus FROM offers GROUP BY scope ORDER BY scope').all() as { scope: string; skus: number }[];
    const cursors = (this.db.prepare('SELECT count(*) AS n FROM cursors').get() as { n: number }).n;
    const fb = this.db.prepare('SELECT count(*) AS n, min(at) AS oldest FROM feedback').get() as { n: number; oldest: string | null };
    const now = this.now();
    const locks = (this.db.prepare('SELECT name, token, holder, expires_at FROM locks WHERE holder IS NOT NULL AND expires_at > ? ORDER BY name').all(now) as (LockRow & { name: string })[])
      .map((r) => lockInfo(r.name, r));
    let bytes = 0;
    for (const suffix of ['', '-wal']) bytes += fileSize(this.location + suffix);
    return {
      backend: { kind: 'sqlite', location: this.location, schemaVersion: SCHEMA_VERSION, bytes },
      actions, ...(oldestDone ? { oldestDone } : {}), offers, cursors,
      feedback: { lines: fb.n, ...(fb.oldest ? { oldest: fb.oldest } : {}) }, locks,
    };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** One IMMEDIATE transaction; the fence (when given) is checked inside it, before `fn`. */
  private write<T>(doing: string, fence: Lease | undefined, what: string, fn: () => T): T {
    try {
      return this.db.transaction(() => {
        if (fence) this.checkFence(fence, what);
        return fn();
      }).immediate();
    } catch (err) {
      throw sqliteError(err, doing);
    }
  }

  private checkFence(fence: Lease, what: string): void {
    const row = this.st.getLock.get(fence.name) as LockRow | undefined;
    if (row && row.holder !== null && row.token === fence.token && row.expires_at > this.now()) return;
    throw lockLostError(fence, what, row?.holder ? lockInfo(fence.name, row) : undefined);
  }
}

function prepare(db: Database.Database) {
  return {
    getAction: db.prepare('SELECT * FROM actions WHERE key = ?'),
    putAction: db.prepare('INSERT OR REPLACE INTO actions (key, action, contract, order_reference, fingerprint, state, at, run, code, message, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    listActions: db.prepare('SELECT * FROM actions WHERE state = ? AND key > ? ORDER BY key LIMIT ?'),
    listContractActions: db.prepare('SELECT * FROM actions WHERE state = ? AND contract = ? AND key > ? ORDER BY key LIMIT ?'),
    getOffer: db.prepare('SELECT price, quantity FROM offers WHERE scope = ? AND sku = ?'),
    putOffer: db.prepare(`INSERT INTO offers (scope, sku, price, quantity, at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (scope, sku) DO UPDATE SET price = coalesce(excluded.price, price), quantity = coalesce(excluded.quantity, quantity), at = excluded.at`),
    getCursor: db.prepare('SELECT value FROM cursors WHERE name = ?'),
    putCursor: db.prepare('INSERT OR REPLACE INTO cursors (name, value, at) VALUES (?, ?, ?)'),
    putFeedback: db.prepare('INSERT INTO feedback (pipeline, run, at, line) VALUES (?, ?, ?, ?)'),
    listFeedback: db.prepare('SELECT pipeline, run, at, line FROM feedback WHERE pipeline = ? AND at >= ? ORDER BY at, id LIMIT ?'),
    getLock: db.prepare('SELECT token, holder, expires_at FROM locks WHERE name = ?'),
    putLock: db.prepare('INSERT OR REPLACE INTO locks (name, token, holder, expires_at) VALUES (?, ?, ?, ?)'),
    renewLock: db.prepare('UPDATE locks SET expires_at = ? WHERE name = ? AND token = ? AND holder IS NOT NULL AND expires_at > ?'),
    releaseLock: db.prepare('UPDATE locks SET holder = NULL WHERE name = ? AND token = ?'),
    countOldDone: db.prepare("SELECT count(*) AS n FROM actions WHERE state = 'done' AND at < ?"),
    pruneDone: db.prepare("DELETE FROM actions WHERE key IN (SELECT key FROM actions WHERE state = 'done' AND at < ? ORDER BY at LIMIT ?)"),
    countOldFeedback: db.prepare('SELECT count(*) AS n FROM feedback WHERE at < ?'),
    pruneFeedback: db.prepare('DELETE FROM feedback WHERE id IN (SELECT id FROM feedback WHERE at < ? ORDER BY at LIMIT ?)'),
  };
}

function toEntry(r: ActionRow): ActionEntry {
  const e: ActionEntry = { key: r.key, action: r.action, contract: r.contract, order_reference: r.order_reference, state: r.state, at: r.at, run: r.run };
  if (r.fingerprint !== null) e.fingerprint = r.fingerprint;
  if (r.code !== null) e.code = r.code;
  if (r.message !== null) e.message = r.message;
  if (r.payload !== null) e.payload = r.payload;
  return e;
}

function lockInfo(name: string, r: LockRow): LockInfo {
  return { name, token: r.token, expiresAt: r.expires_at, holder: JSON.parse(r.holder ?? '{}') as LockHolder };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
