/**
 * The journal of order actions (accept, refuse, ship, refund): the guarantee that an action is
 * never sent twice for the same order. Each action is journalled `pending` BEFORE it is sent and
 * `done` / `failed` after. On a re-run, `done` is skipped; `pending` means a crash or an ambiguous
 * failure in between, and the caller must read the order's status back before deciding.
 */
import { join } from 'node:path';
import { appendLinesDurable, readLines } from './files.js';

export type OrderAction = 'accept' | 'refuse' | 'ship' | 'refund';
export type JournalState = 'pending' | 'done' | 'failed';

export interface JournalEntry {
  key: string;
  action: OrderAction;
  contract: number;
  order_reference: string;
  state: JournalState;
  at: string;
  run: string;
  code?: string;
  message?: string;
}

export class OrderJournal {
  private readonly latest = new Map<string, JournalEntry>();
  readonly path: string;

  constructor(stateDir: string, private readonly runId: string) {
    this.path = join(stateDir, 'journal', 'order-actions.jsonl');
    for (const e of readLines<JournalEntry>(this.path)) this.latest.set(e.key, e);
  }

  static key(action: OrderAction, contract: number, ref: string): string {
    return `${contract}:${ref}:${action}`;
  }

  /** The last recorded state of an action, if any. */
  get(action: OrderAction, contract: number, ref: string): JournalEntry | undefined {
    return this.latest.get(OrderJournal.key(action, contract, ref));
  }

  /** Durably records a state for several actions at once (one fsync per batch). */
  record(entries: { action: OrderAction; contract: number; order_reference: string; state: JournalState; code?: string; message?: string }[]): void {
    const at = new Date().toISOString();
    const lines = entries.map((e) => ({ ...e, key: OrderJournal.key(e.action, e.contract, e.order_reference), at, run: this.runId }));
    appendLinesDurable(this.path, lines);
    for (const l of lines) this.latest.set(l.key, l);
  }
}
