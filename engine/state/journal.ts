/**
 * The journal of order actions (accept, refuse, ship, refund): the guarantee that an action is
 * never sent twice. Each action is journalled `pending` BEFORE it is sent and `done` / `failed`
 * after. On a re-run, `done` is skipped; `pending` means a crash or an ambiguous failure in
 * between, and the caller must read the order's status back before deciding.
 *
 * Keys: accept/refuse are per order (`contract:order:action`); ship/refund also carry the
 * action's fingerprint (its lines, and the reason of a refund: `contract:order:action:fp`), so a
 * later partial shipment or refund of OTHER lines is decided on its own while the same one is
 * never sent twice. Lines written before fingerprints existed have none: they stand for the whole
 * order, so any ship/refund of that order finds them.
 *
 * The file is shared by every pipeline of a state dir. A sender holds its seller contract's lock
 * (order-actions/destination.ts, state/lock.ts) from its decision to its last `done`, and
 * reload()s the journal once it has it.
 */
import { join } from 'node:path';
import { appendLinesDurable, readLines } from './files.js';

export type OrderAction = 'accept' | 'refuse' | 'ship' | 'refund' | 'invoice';
export type JournalState = 'pending' | 'done' | 'failed';

export interface JournalEntry {
  key: string;
  action: OrderAction;
  contract: number;
  order_reference: string;
  /** The lines (and refund reason) this action carried; absent for accept/refuse and for old lines. */
  fingerprint?: string;
  state: JournalState;
  at: string;
  run: string;
  code?: string;
  message?: string;
}

/** One action as the journal identifies it. */
export interface ActionRef {
  action: OrderAction;
  contract: number;
  order_reference: string;
  fingerprint?: string;
}

export class OrderJournal {
  private readonly latest = new Map<string, JournalEntry>();
  readonly path: string;

  constructor(stateDir: string, private readonly runId: string) {
    this.path = join(stateDir, 'journal', 'order-actions.jsonl');
    this.reload();
  }

  static key(action: OrderAction, contract: number, ref: string, fingerprint?: string): string {
    return fingerprint === undefined ? `${contract}:${ref}:${action}` : `${contract}:${ref}:${action}:${fingerprint}`;
  }

  /** Why: another run may have written since this one loaded; call it once the lock is held. */
  reload(): void {
    this.latest.clear();
    for (const e of readLines<JournalEntry>(this.path)) this.latest.set(e.key, e);
  }

  /**
   * The last recorded state of an action, if any: the entry of this exact action, else (for a
   * fingerprinted action) an old whole-order entry of the same order and action.
   */
  get(action: OrderAction, contract: number, ref: string, fingerprint?: string): JournalEntry | undefined {
    const exact = this.latest.get(OrderJournal.key(action, contract, ref, fingerprint));
    if (exact || fingerprint === undefined) return exact;
    const legacy = this.latest.get(OrderJournal.key(action, contract, ref));
    return legacy && legacy.fingerprint === undefined ? legacy : undefined;
  }

  /** Durably records a state for several actions at once (one fsync per batch). */
  record(entries: (ActionRef & { state: JournalState; code?: string; message?: string })[]): void {
    const at = new Date().toISOString();
    const lines: JournalEntry[] = entries.map((e) => {
      const line: JournalEntry = { ...e, key: OrderJournal.key(e.action, e.contract, e.order_reference, e.fingerprint), at, run: this.runId };
      if (line.fingerprint === undefined) delete line.fingerprint;
      return line;
    });
    appendLinesDurable(this.path, lines);
    for (const l of lines) this.latest.set(l.key, l);
  }
}
