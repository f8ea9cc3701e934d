/**
 * The journal of order actions (accept, refuse, ship, refund): the guarantee that an action is
 * never sent twice. Each action is journalled `pending` BEFORE it is sent and `done` / `failed` /
 * `refused` after. On a re-run, `done` is skipped; `pending` means a crash or an ambiguous failure
 * in between, and the order's status is read back before deciding (pending.ts in order-actions
 * resolves them at the start of a run); `refused` is not resent with the same payload.
 *
 * Keys (`actionKey`, store.ts): accept/refuse are per order; ship/refund also carry the action's
 * fingerprint (its lines, and the reason of a refund), so a later partial shipment or refund of
 * OTHER lines is decided on its own while the same one is never sent twice. Entries written
 * before fingerprints existed have none: they stand for the whole order, so any ship/refund of
 * that order finds them.
 *
 * This class is a per-run view over the StateStore: load() fetches the entries of the actions a
 * run touches (by key: never the whole journal), get() answers from them, record() writes through
 * to the store, fenced by the lock the sender holds.
 */
import { actionKey, type ActionEntry, type ActionRef, type ActionState, type Lease, type OrderAction, type StateStore } from './store.js';

export type { ActionRef, OrderAction } from './store.js';
/** Kept for the connectors: the state of an action. */
export type JournalState = ActionState;
/** Kept for the connectors: one journal entry. */
export type JournalEntry = ActionEntry;

/** What a sender records for one action. */
export type ActionRecord = ActionRef & { state: ActionState; code?: string; message?: string; payload?: string };

/** Why: decide() is synchronous and per order; the journal is read once per run for the actions it touches. */
export class OrderJournal {
  private readonly latest = new Map<string, ActionEntry>();

  constructor(readonly store: StateStore, private readonly runId: string, private readonly clock: () => Date = () => new Date()) {}

  static key(action: OrderAction, contract: number, ref: string, fingerprint?: string): string {
    return actionKey(fingerprint === undefined ? { action, contract, order_reference: ref } : { action, contract, order_reference: ref, fingerprint });
  }

  /** Where the journal is kept, for the summary. */
  get location(): string {
    return this.store.location;
  }

  /** Why: (re)reads the entries of these actions and of their whole-order legacy keys; call it once the lock is held. */
  async load(refs: readonly ActionRef[]): Promise<void> {
    const keys = new Set<string>();
    for (const r of refs) {
      keys.add(actionKey(r));
      if (r.fingerprint !== undefined) keys.add(OrderJournal.key(r.action, r.contract, r.order_reference));
    }
    this.latest.clear();
    for (const [k, e] of await this.store.getActions([...keys])) this.latest.set(k, e);
  }

  /**
   * The last recorded state of an action, if any (among those load()ed or record()ed): the entry
   * of this exact action, else (for a fingerprinted action) an old whole-order entry.
   */
  get(action: OrderAction, contract: number, ref: string, fingerprint?: string): ActionEntry | undefined {
    const exact = this.latest.get(OrderJournal.key(action, contract, ref, fingerprint));
    if (exact || fingerprint === undefined) return exact;
    const legacy = this.latest.get(OrderJournal.key(action, contract, ref));
    return legacy && legacy.fingerprint === undefined ? legacy : undefined;
  }

  /** Durably records a state for several actions at once (one transaction), fenced by the sender's lease. */
  async record(entries: readonly ActionRecord[], fence?: Lease): Promise<void> {
    if (entries.length === 0) return;
    const at = this.clock().toISOString();
    const rows: ActionEntry[] = entries.map((e) => {
      const row: ActionEntry = { key: actionKey(e), action: e.action, contract: e.contract, order_reference: e.order_reference, state: e.state, at, run: this.runId };
      if (e.fingerprint !== undefined) row.fingerprint = e.fingerprint;
      if (e.code !== undefined) row.code = e.code;
      if (e.message !== undefined) row.message = e.message;
      if (e.payload !== undefined) row.payload = e.payload;
      return row;
    });
    await this.store.recordActions(rows, fence);
    for (const r of rows) this.latest.set(r.key, r);
  }
}
