/**
 * The state store: everything manoflow must remember between runs, behind one small async
 * interface, so the local default (SQLite, engine/state/sqlite/) and a shared store (Redis, for
 * a fleet of workers) are interchangeable and pass the same contract tests
 * (test/state/store-contract.ts).
 *
 * THE CONTRACT (every implementation keeps all of it)
 *
 * Durability. When a write method's promise resolves, the write survives a crash of this
 * process (SQLite: committed with synchronous=FULL; Redis: acknowledged by the server with the
 * persistence the operator configured). A write that rejects changed nothing. Every write method
 * applies all of its items or none of them.
 *
 * Visibility. A write that resolved is seen by every later read, from any connection or process
 * sharing the same backend.
 *
 * The order-action journal. One entry per action key (`actionKey`): the last state written wins.
 * `pending` is written BEFORE the request leaves and `done` only after ManoMano confirmed it;
 * `failed` means "not applied, may be retried"; `refused` means "ManoMano refused this very
 * payload" (its digest is in `payload`: the same payload is not sent again unless asked).
 * Lookups go by key, so a run reads only the orders it touches.
 *
 * Offers. The last price and stock ManoMano confirmed per SKU, per scope (`<environment>-<contract>`).
 * confirmOffers merges field by field: an update carrying only a price keeps the known stock.
 *
 * Locks with fencing. tryLock hands out a Lease whose `token` is strictly greater than every
 * token ever handed out for that lock name (released or expired ones included). A lease expires
 * `ttlMs` after it was taken or last renewed, by the store's clock (`StoreOptions.now`). Every
 * write given a `fence` checks, atomically with the write, that the fence is still the current,
 * unexpired holder of its lock; otherwise it writes nothing and rejects with STATE_LOCK_LOST. So a
 * run whose lock expired while it was paused (and was taken over) cannot commit anything.
 * tryLock never waits: waiting, stale-holder detection and renewal are policy, in lease.ts.
 *
 * Sync/async split. Every method is async, so a networked store can honour it. The one optional
 * synchronous method, releaseLockSync, exists for the process 'exit' hook; a store that cannot
 * offer it (Redis) leaves it out and its locks expire after their ttl instead.
 */
import { ManoflowError } from '../errors.js';

/** The order actions manoflow journals (an invoice upload is one: never twice per order). */
export type OrderAction = 'accept' | 'refuse' | 'ship' | 'refund' | 'invoice';

/** The state of one journalled action; see the contract above. */
export type ActionState = 'pending' | 'done' | 'failed' | 'refused';

/** Every state, in the order people read them. */
export const ACTION_STATES: readonly ActionState[] = ['pending', 'done', 'failed', 'refused'];

/** One action as the journal identifies it. */
export interface ActionRef {
  action: OrderAction;
  contract: number;
  order_reference: string;
  /** ship/refund: a digest of the lines (and refund reason) the action carries; absent for accept/refuse and for entries written before fingerprints existed. */
  fingerprint?: string;
}

/** One journal entry: the last state recorded for an action key. */
export interface ActionEntry extends ActionRef {
  key: string;
  state: ActionState;
  /** When this state was recorded (ISO 8601, UTC). */
  at: string;
  /** The run that recorded it (`<pipeline>@<start time>`). */
  run: string;
  /** ManoMano's app_code (refused/failed) or manoflow's (RECOVERED, NOT_APPLIED...). */
  code?: string;
  message?: string;
  /** A digest of the request payload sent (carrier, tracking, lines, reason...). */
  payload?: string;
}

/**
 * Why: both stores, the migration and the tests must agree on the key of an action.
 * accept/refuse: `contract:order:action`; ship/refund also carry the fingerprint.
 */
export function actionKey(r: ActionRef): string {
  return r.fingerprint === undefined ? `${r.contract}:${r.order_reference}:${r.action}` : `${r.contract}:${r.order_reference}:${r.action}:${r.fingerprint}`;
}

/** What ManoMano last confirmed for one SKU (a field is absent until it was sent once). */
export interface KnownOffer {
  price?: number;
  quantity?: number;
}

/** One confirmed offer update: the fields present are the ones ManoMano accepted. */
export interface ConfirmedOffer extends KnownOffer {
  sku: string;
}

/** Who holds a lock, for messages and for stale detection (same host, dead pid = crashed holder). */
export interface LockHolder {
  pid: number;
  host: string;
  /** When it took the lock (ISO 8601). */
  since: string;
  /** What it is doing, for messages: `sending order actions`. */
  purpose?: string;
}

/** A held lock. `token` is the fencing token; `expiresAt` is in the store clock's ms. */
export interface Lease {
  readonly name: string;
  readonly token: number;
  expiresAt: number;
  readonly holder: LockHolder;
}

/** The current state of a lock, as tryLock and stats report it. */
export interface LockInfo {
  name: string;
  token: number;
  expiresAt: number;
  holder: LockHolder;
}

/** tryLock's answer: the lease, or who holds the lock now. */
export type LockAttempt = { ok: true; lease: Lease } | { ok: false; current: LockInfo };

/** One line of feedback as a run wrote it (the same line goes to the feedback file). */
export interface FeedbackRecord {
  pipeline: string;
  run: string;
  at: string;
  line: Record<string, unknown>;
}

/** How much retention removed (or would remove, with dryRun). */
export interface PruneResult {
  done: number;
  feedback: number;
}

/** What a store holds, for `manoflow state stats`. */
export interface StoreStats {
  backend: { kind: string; location: string; schemaVersion: number; bytes?: number };
  actions: Record<ActionState, number>;
  /** The oldest `done` entry's time, when there is one (what retention would remove first). */
  oldestDone?: string;
  offers: { scope: string; skus: number }[];
  cursors: number;
  feedback: { lines: number; oldest?: string };
  locks: LockInfo[];
}

/** Options every store takes; `now` is the clock used for lock expiry (tests inject one). */
export interface StoreOptions {
  now?: () => number;
}

/** Why: one interface for the local database and a shared store; see the contract at the top. */
export interface StateStore {
  /** Where the state is, for messages: the database file, or the server and key prefix. */
  readonly location: string;

  /** The entries of these action keys (missing keys are absent from the map). */
  getActions(keys: readonly string[]): Promise<Map<string, ActionEntry>>;
  /** Records these entries (each replaces its key's previous entry); durable on resolve; fenced. */
  recordActions(entries: readonly ActionEntry[], fence?: Lease): Promise<void>;
  /** Entries in one state, ordered by key, `limit` at a time after `afterKey` (paging); optionally one contract's. */
  listActions(q: { state: ActionState; contract?: number; limit: number; afterKey?: string }): Promise<ActionEntry[]>;

  /** The known offers of these SKUs in a scope (`<environment>-<contract>`). */
  getOffers(scope: string, skus: readonly string[]): Promise<Map<string, KnownOffer>>;
  /** Merges confirmed updates field by field; durable on resolve; fenced. */
  confirmOffers(scope: string, updates: readonly ConfirmedOffer[], fence?: Lease): Promise<void>;

  /** A stored cursor (any JSON value), or undefined. */
  loadCursor(name: string): Promise<unknown>;
  /** Replaces a cursor; durable on resolve; fenced. */
  saveCursor(name: string, value: unknown, fence?: Lease): Promise<void>;

  /** Keeps a run's feedback lines (history, pruned by retention). */
  recordFeedback(records: readonly FeedbackRecord[]): Promise<void>;
  /** Feedback lines of one pipeline, oldest first, from `since` (ISO) on, at most `limit`. */
  listFeedback(q: { pipeline: string; since?: string; limit?: number }): Promise<FeedbackRecord[]>;

  /** Takes the lock if it is free, expired, or held by `replacing` (the token of a holder judged stale); never waits. */
  tryLock(name: string, holder: LockHolder, ttlMs: number, replacing?: number): Promise<LockAttempt>;
  /** Extends a lease by ttlMs from now; false (and nothing changed) when it was lost or expired. */
  renewLock(lease: Lease, ttlMs: number): Promise<boolean>;
  /** Releases the lock if this lease still holds it; harmless otherwise. */
  releaseLock(lease: Lease): Promise<void>;
  /** Optional synchronous release, for the process 'exit' hook. */
  releaseLockSync?(lease: Lease): void;

  /**
   * Removes `done` entries recorded before `done` and feedback before `feedback` (ISO), at most
   * `limit` of each per call (so a big backlog goes in short writes); pending, failed and refused
   * entries are never removed. dryRun counts (all of them) without removing.
   */
  prune(before: { done: string; feedback: string }, o?: { dryRun?: boolean; limit?: number }): Promise<PruneResult>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}

/** Why: one code and wording for a lost fence, whatever the store; `what` says which write was refused. */
export function lockLostError(fence: Lease, what: string, current: LockInfo | undefined): ManoflowError {
  const now = current && current.token !== fence.token
    ? `another run took it over (token ${current.token}, pid ${current.holder.pid} on ${current.holder.host})`
    : 'it expired';
  return new ManoflowError('STATE_LOCK_LOST', `${what} refused: this run no longer holds the lock "${fence.name}" (token ${fence.token}): ${now}`, {
    hint: 'the run was paused or stalled longer than the lock\'s time to live (MANOFLOW_LOCK_TTL); nothing was written after that point: run again, the journal tells the next run what was sent',
  });
}
