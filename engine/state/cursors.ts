/**
 * Import cursors as a small load/save pair over the state store: what an incremental source
 * reads at the start of a run and saves once the run's outputs are committed (never before, so
 * a failed run re-reads the same data). Each call opens the state dir's store and releases it,
 * so a source holds nothing between reading and committing.
 */
import { openStateStore, type OpenStateOptions } from './open.js';

/** A named cursor of a state dir. */
export interface CursorStore<T> {
  readonly name: string;
  /** The saved value, or undefined before the first save. */
  load(): Promise<T | undefined>;
  /** Replaces the value, durably. */
  save(value: T): Promise<void>;
}

/** Why: cursor names keep the old file names' characters, so cursors migrated from `cursors/<name>.json` are found again. */
export function cursorName(parts: readonly (string | number)[]): string {
  return parts.join('.').replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Why: the one way sources keep a cursor; `o.log` receives the migration message on a first open. */
export function stateCursor<T>(stateDir: string, name: string, o: OpenStateOptions = {}): CursorStore<T> {
  return {
    name,
    async load() {
      const h = await openStateStore(stateDir, { ...o, ifExists: true });
      try {
        const v = await h.store.loadCursor(name);
        return v === undefined || v === null ? undefined : (v as T);
      } finally {
        await h.release();
      }
    },
    async save(value) {
      const h = await openStateStore(stateDir, o);
      try {
        await h.store.saveCursor(name, value);
      } finally {
        await h.release();
      }
    },
  };
}
