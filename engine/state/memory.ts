/**
 * A state store in this process's memory: the journal of a run against the in-process simulator
 * (`environment: local` without base_url), which starts fresh on every run, so a journal kept
 * across runs would lie about it. It keeps the whole StateStore contract except durability
 * across processes, and doubles as the reference implementation the contract tests describe.
 */
import {
  ACTION_STATES, lockLostError, type ActionEntry, type ActionState, type ConfirmedOffer, type FeedbackRecord, type KnownOffer,
  type Lease, type LockAttempt, type LockHolder, type LockInfo, type PruneResult, type StateStore, type StoreOptions, type StoreStats,
} from './store.js';

interface LockRow { token: number; holder?: LockHolder; expiresAt: number }

/** Why: a real store for runs whose state must not outlive them (and the contract's reference). */
export class MemoryStateStore implements StateStore {
  readonly location = 'memory (this run only)';
  private readonly actions = new Map<string, ActionEntry>();
  private readonly offers = new Map<string, Map<string, KnownOffer>>();
  private readonly cursors = new Map<string, string>();
  private readonly feedback: FeedbackRecord[] = [];
  private readonly locks = new Map<string, LockRow>();
  private readonly now: () => number;

  constructor(o: StoreOptions = {}) {
    this.now = o.now ?? Date.now;
  }

  async getActions(keys: readonly string[]): Promise<Map<string, ActionEntry>> {
    const out = new Map<string, ActionEntry>();
    for (const k of keys) {
      const e = this.actions.get(k);
      if (e) out.set(k, { ...e });
    }
    return out;
  }

  async recordActions(entries: readonly ActionEntry[], fence?: Lease): Promise<void> {
    this.checkFence(fence, 'journal write');
    for (const e of entries) this.actions.set(e.key, clean({ ...e }));
  }

  async listActions(q: { state: ActionState; contract?: number; limit: number; afterKey?: string }): Promise<ActionEntry[]> {
    return [...this.actions.values()]
      .filter((e) => e.state === q.state && (q.contract === undefined || e.contract === q.contract) && (q.afterKey === undefined || e.key > q.afterKey))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, q.limit)
      .map((e) => ({ ...e }));
  }

  async getOffers(scope: string, skus: readonly string[]): Promise<Map<string, KnownOffer>> {
    const known = this.offers.get(scope);
    const out = new Map<string, KnownOffer>();
    for (const sku of skus) {
      const k = known?.get(sku);
      if (k) out.set(sku, { ...k });
    }
    return out;
  }

  async confirmOffers(scope: string, updates: readonly ConfirmedOffer[], fence?: Lease): Promise<void> {
    this.checkFence(fence, 'offers snapshot write');
    const known = this.offers.get(scope) ?? new Map<string, KnownOffer>();
    this.offers.set(scope, known);
    for (const u of updates) {
      const k = { ...known.get(u.sku) };
      if (u.price !== undefined) k.price = u.price;
      if (u.quantity !== undefined) k.quantity = u.quantity;
      known.set(u.sku, k);
    }
  }

  async loadCursor(name: string): Promise<unknown> {
    const v = this.cursors.get(name);
    return v === undefined ? undefined : JSON.parse(v);
  }

  async saveCursor(name: string, value: unknown, fence?: Lease): Promise<void> {
    this.checkFence(fence, 'cursor write');
    this.cursors.set(name, JSON.stringify(value ?? null));
  }

  async recordFeedback(records: readonly FeedbackRecord[]): Promise<void> {
    for (const r of records) this.feedback.push(structuredClone(r));
  }

  async listFeedback(q: { pipeline: string; since?: string; limit?: number }): Promise<FeedbackRecord[]> {
    const list = this.feedback.filter((r) => r.pipeline === q.pipeline && (q.since === undefined || r.at >= q.since));
    return structuredClone(q.limit === undefined ? list : list.slice(0, q.limit));
  }

  async tryLock(name: string, holder: LockHolder, ttlMs: number, replacing?: number): Promise<LockAttempt> {
    const row = this.locks.get(name);
    const now = this.now();
    if (row?.holder && row.expiresAt > now && row.token !== replacing) {
      return { ok: false, current: { name, token: row.token, expiresAt: row.expiresAt, holder: { ...row.holder } } };
    }
    const lease: Lease = { name, token: (row?.token ?? 0) + 1, expiresAt: now + ttlMs, holder: { ...holder } };
    this.locks.set(name, { token: lease.token, holder: lease.holder, expiresAt: lease.expiresAt });
    return { ok: true, lease };
  }

  async renewLock(lease: Lease, ttlMs: number): Promise<boolean> {
    if (!this.holds(lease)) return false;
    lease.expiresAt = this.now() + ttlMs;
    this.locks.get(lease.name)!.expiresAt = lease.expiresAt;
    return true;
  }

  async releaseLock(lease: Lease): Promise<void> {
    this.releaseLockSync(lease);
  }

  releaseLockSync(lease: Lease): void {
    const row = this.locks.get(lease.name);
    if (row && row.token === lease.token) row.holder = undefined; // the token stays: the next one is higher
  }

  async prune(before: { done: string; feedback: string }, o: { dryRun?: boolean; limit?: number } = {}): Promise<PruneResult> {
    const cap = o.dryRun || o.limit === undefined ? Infinity : o.limit;
    const byAt = <T extends { at: string }>(x: T, y: T) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0);
    const done = [...this.actions.values()].filter((e) => e.state === 'done' && e.at < before.done).sort(byAt).slice(0, cap);
    const old = this.feedback.filter((r) => r.at < before.feedback).sort(byAt).slice(0, cap);
    if (!o.dryRun) {
      for (const e of done) this.actions.delete(e.key);
      const gone = new Set(old);
      const keep = this.feedback.filter((r) => !gone.has(r));
      this.feedback.splice(0, this.feedback.length, ...keep);
    }
    return { done: done.length, feedback: old.length };
  }

  async stats(): Promise<StoreStats> {
    const actions = Object.fromEntries(ACTION_STATES.map((s) => [s, 0])) as Record<ActionState, number>;
    let oldestDone: string | undefined;
    for (const e of this.actions.values()) {
      actions[e.state]++;
      if (e.state === 'done' && (oldestDone === undefined || e.at < oldestDone)) oldestDone = e.at;
    }
    const now = this.now();
    const locks: LockInfo[] = [...this.locks].filter(([, r]) => r.holder && r.expiresAt > now)
      .map(([name, r]) => ({ name, token: r.token, expiresAt: r.expiresAt, holder: { ...r.holder! } }));
    const oldestFeedback = this.feedback.reduce<string | undefined>((m, r) => (m === undefined || r.at < m ? r.at : m), undefined);
    return {
      backend: { kind: 'memory', location: this.location, schemaVersion: 1 },
      actions,
      ...(oldestDone ? { oldestDone } : {}),
      offers: [...this.offers].map(([scope, m]) => ({ scope, skus: m.size })).sort((a, b) => a.scope.localeCompare(b.scope)),
      cursors: this.cursors.size,
      feedback: { lines: this.feedback.length, ...(oldestFeedback ? { oldest: oldestFeedback } : {}) },
      locks,
    };
  }

  async close(): Promise<void> {}

  private holds(lease: Lease): boolean {
    const row = this.locks.get(lease.name);
    return row !== undefined && row.holder !== undefined && row.token === lease.token && row.expiresAt > this.now();
  }

  private checkFence(fence: Lease | undefined, what: string): void {
    if (!fence || this.holds(fence)) return;
    const row = this.locks.get(fence.name);
    throw lockLostError(fence, what, row?.holder ? { name: fence.name, token: row.token, expiresAt: row.expiresAt, holder: row.holder } : undefined);
  }
}

/** Optional fields absent rather than undefined, as every store returns them. */
function clean(e: ActionEntry): ActionEntry {
  for (const k of ['fingerprint', 'code', 'message', 'payload'] as const) if (e[k] === undefined) delete e[k];
  return e;
}
