/**
 * Reads a state dir's database (state.db) the way a person inspecting it would, straight from
 * the SQLite file, so tests can check what a run left there (journal, offers, cursors).
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionEntry, KnownOffer } from '../../engine/state/store.js';

/** The default state dir of a pipeline folder. */
export function stateOf(pipelineDir: string): string {
  return join(pipelineDir, '.manoflow');
}

function withDb<T>(stateDir: string, fallback: T, fn: (db: Database.Database) => T): T {
  const path = join(stateDir, 'state.db');
  if (!existsSync(path)) return fallback;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Every journal entry, by key order, optional fields left out when empty. */
export function journalEntries(stateDir: string): ActionEntry[] {
  return withDb(stateDir, [], (db) => (db.prepare('SELECT * FROM actions ORDER BY key').all() as Record<string, unknown>[])
    .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)) as unknown as ActionEntry));
}

/** The offers of one scope as `{ sku: { price, quantity } }`. */
export function offersOf(stateDir: string, scope: string): Record<string, KnownOffer> {
  return withDb(stateDir, {}, (db) => Object.fromEntries((db.prepare('SELECT sku, price, quantity FROM offers WHERE scope = ? ORDER BY sku').all(scope) as { sku: string; price: number | null; quantity: number | null }[])
    .map((r) => [r.sku, { ...(r.price !== null ? { price: r.price } : {}), ...(r.quantity !== null ? { quantity: r.quantity } : {}) }])));
}

/** A cursor's value, or undefined. */
export function cursorValue(stateDir: string, name: string): unknown {
  return withDb(stateDir, undefined, (db) => {
    const row = db.prepare('SELECT value FROM cursors WHERE name = ?').get(name) as { value: string } | undefined;
    return row ? JSON.parse(row.value) : undefined;
  });
}
