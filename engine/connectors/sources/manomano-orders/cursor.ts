/**
 * The incremental cursor of the orders import: the latest `status_updated_at` seen, plus the
 * orders seen at exactly that second. The next run asks `status_updated_at_start = cursor`
 * (inclusive, so a change in the same second is never lost) and drops the orders it already
 * yielded at that very timestamp, so nothing is imported twice either.
 */
import { cursorName, stateCursor, type CursorStore } from '../../../state/cursors.js';
import type { StateLog } from '../../../state/sqlite/migrate.js';
import type { OpenStateOptions } from '../../../state/open.js';

/** What is stored between runs (the state store's cursors). */
export interface OrdersCursor {
  status_updated_at: string;
  /** `order_reference` of the orders already yielded with exactly `status_updated_at`. */
  seen_at_cursor: string[];
  saved_at: string;
}

/** Why: keeps the cursor rules (compare, advance, dedupe) in one small testable class. */
export class CursorTracker {
  private maxMs = -Infinity;
  private maxIso: string | undefined;
  private atMax = new Set<string>();

  constructor(readonly previous: OrdersCursor | undefined) {
    if (previous) {
      this.maxMs = Date.parse(previous.status_updated_at);
      this.maxIso = previous.status_updated_at;
      this.atMax = new Set(previous.seen_at_cursor);
    }
  }

  /** True when the previous run already yielded this order in this very state. */
  alreadySeen(ref: string, statusUpdatedAt: string): boolean {
    return this.previous !== undefined && Date.parse(statusUpdatedAt) === Date.parse(this.previous.status_updated_at) && this.previous.seen_at_cursor.includes(ref);
  }

  /** Notes an order read from the API. */
  see(ref: string, statusUpdatedAt: string): void {
    const t = Date.parse(statusUpdatedAt);
    if (!Number.isFinite(t)) return;
    if (t > this.maxMs) {
      this.maxMs = t;
      this.maxIso = statusUpdatedAt;
      this.atMax = new Set([ref]);
    } else if (t === this.maxMs) {
      this.atMax.add(ref);
    }
  }

  /** The cursor to store, or undefined when nothing was ever seen. */
  next(): OrdersCursor | undefined {
    if (this.maxIso === undefined) return undefined;
    return { status_updated_at: this.maxIso, seen_at_cursor: [...this.atMax].sort(), saved_at: new Date().toISOString() };
  }
}

/** Why: one naming rule for the cursor: per pipeline, environment and contract (the old file's name, so migrated cursors are found). */
export function cursorStore(stateDir: string, pipeline: string, environment: string, contract: number, log?: StateLog, backend?: OpenStateOptions['backend']): CursorStore<OrdersCursor> {
  return stateCursor<OrdersCursor>(stateDir, cursorName([pipeline, 'manomano-orders', environment, contract]), { log, backend });
}
