/**
 * Migration from the state files of earlier manoflow versions (journal/order-actions.jsonl,
 * offers/<scope>.json + <scope>.journal.ndjson, cursors/<name>.json, feedback/<pipeline>.ndjson)
 * into state.db, on first use. Everything is imported in ONE transaction: a crash before it
 * commits leaves the database without any of it and the old files in place, still authoritative,
 * and the next run starts over. Only after the commit are the old files moved into
 * `legacy-files-<time>/` (the feedback files stay: other pipelines read them). A crash between
 * the commit and the move is finished by the next open: re-importing is idempotent (a journal
 * entry replaces the database's only if it is as new or newer; offers and cursors only fill gaps).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ManoflowError } from '../../errors.js';
import { actionKey, ACTION_STATES, type ActionEntry, type KnownOffer } from '../store.js';
import { forEachJsonLine } from './lines.js';
import { sqliteError } from './schema.js';
import type { SqliteStateStore } from './store.js';

/** What the import found and where the old files went. */
export interface LegacyImportResult {
  /** Journal lines read (every state change of every action). */
  journalLines: number;
  /** Order actions in the database after the import (one per key: the last state wins). */
  actions: number;
  unreadableLines: number;
  offers: number;
  offerScopes: number;
  cursors: number;
  feedback: number;
  files: string[];
  backup: string;
}

/** The part of a logger the migration uses (the run's logger fits). */
export interface StateLog { info(message: string): void; warn(message: string): void }

const JOURNAL = 'journal/order-actions.jsonl';

/** Why: the files whose content moves into state.db (relative to the state dir); empty when there is nothing to migrate. */
export function legacyStateFiles(stateDir: string): string[] {
  const out: string[] = [];
  if (existsSync(join(stateDir, JOURNAL))) out.push(JOURNAL);
  for (const sub of ['offers', 'cursors']) {
    const dir = join(stateDir, sub);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.json') || f.endsWith('.journal.ndjson')) out.push(`${sub}/${f}`);
  }
  return out;
}

function feedbackFiles(stateDir: string): string[] {
  const dir = join(stateDir, 'feedback');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort().map((f) => `feedback/${f}`) : [];
}

/**
 * Why: imports the old files if there are any (undefined when none). `onActionRow` is called
 * after each journal line is written (tests use it to crash mid-import).
 */
export function importLegacyState(store: SqliteStateStore, stateDir: string, log: StateLog, o: { onActionRow?: (n: number) => void } = {}): LegacyImportResult | undefined {
  const found = legacyStateFiles(stateDir);
  if (found.length === 0) return undefined;
  const db = store.db;
  const bytes = found.reduce((n, f) => n + statSync(join(stateDir, f)).size, 0);
  log.info(`state: importing the state files of an earlier manoflow (${found.length} file(s), ${(bytes / 1048576).toFixed(1)} MB) into ${store.location}`);
  const getMeta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  const current = { file: '' };
  const run = db.transaction((): LegacyImportResult | undefined => {
    const files = legacyStateFiles(stateDir); // another process may have finished it while we waited
    if (files.length === 0) return undefined;
    const previous = getMeta.get('legacy_import') as string | undefined;
    const first = previous === undefined;
    const at = first ? new Date().toISOString() : (JSON.parse(previous) as { at: string }).at;
    const r: LegacyImportResult = { journalLines: 0, actions: 0, unreadableLines: 0, offers: 0, offerScopes: 0, cursors: 0, feedback: 0, files, backup: join(stateDir, `legacy-files-${at.replace(/[:.]/g, '-')}`) };
    if (files.includes(JOURNAL)) importJournal(store, join(stateDir, (current.file = JOURNAL)), r, o.onActionRow);
    importOffers(store, stateDir, files, first, r, current);
    importCursors(store, stateDir, files, first, r, current);
    if (first) importFeedback(store, stateDir, r, current);
    current.file = '';
    r.actions = db.prepare('SELECT count(*) FROM actions').pluck().get() as number;
    db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('legacy_import', JSON.stringify({ at, ...r }));
    return r;
  });
  let result: LegacyImportResult | undefined;
  try {
    result = run.immediate();
  } catch (err) {
    const cause = sqliteError(err, 'importing the old state files');
    if (cause instanceof ManoflowError && cause.code !== 'STATE_DB_ERROR') throw cause;
    throw new ManoflowError('STATE_MIGRATION_FAILED', `importing the state files of an earlier manoflow into ${store.location} failed${current.file ? ` at ${join(stateDir, current.file)}` : ''}: ${(err as Error).message}`, {
      hint: 'nothing was imported and the old files are untouched (still in use); repair or move aside the file named, then run again', cause: err,
    });
  }
  if (!result) return undefined;
  moveAside(stateDir, result.files, result.backup);
  log.info(`state: imported ${result.journalLines} journal line(s) (${result.actions} order action(s) in the database now), ${result.offers} offer(s) in ${result.offerScopes} scope(s), ${result.cursors} cursor(s) and ${result.feedback} feedback line(s) into ${store.location}; the old files are kept in ${result.backup} (the feedback files stay where they are)`);
  if (result.unreadableLines) log.warn(`state: ${result.unreadableLines} journal line(s) could not be read (a line torn by a crash) and were skipped`);
  return result;
}

function importJournal(store: SqliteStateStore, path: string, r: LegacyImportResult, onRow?: (n: number) => void): void {
  const put = store.db.prepare(`INSERT INTO actions (key, action, contract, order_reference, fingerprint, state, at, run, code, message, payload)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
    ON CONFLICT (key) DO UPDATE SET state = excluded.state, at = excluded.at, run = excluded.run, code = excluded.code, message = excluded.message, payload = NULL
    WHERE excluded.at >= actions.at`);
  const read = forEachJsonLine(path, (v) => {
    const e = v as Partial<ActionEntry>;
    if (!isEntry(e)) { r.unreadableLines++; return; }
    put.run(actionKey(e), e.action, e.contract, e.order_reference, e.fingerprint ?? null, e.state, e.at, e.run, e.code ?? null, e.message ?? null);
    r.journalLines++;
    onRow?.(r.journalLines);
  });
  r.unreadableLines += read.unreadable;
}

function isEntry(e: Partial<ActionEntry>): e is ActionEntry {
  return typeof e.order_reference === 'string' && typeof e.contract === 'number' && typeof e.at === 'string' && typeof e.run === 'string'
    && ['accept', 'refuse', 'ship', 'refund', 'invoice'].includes(e.action as string) && ACTION_STATES.includes(e.state as ActionEntry['state'])
    && (e.fingerprint === undefined || typeof e.fingerprint === 'string');
}

function importOffers(store: SqliteStateStore, stateDir: string, files: string[], first: boolean, r: LegacyImportResult, current: { file: string }): void {
  const scopes = new Map<string, Map<string, KnownOffer>>();
  const scopeOf = (f: string) => f.slice('offers/'.length).replace(/\.journal\.ndjson$|\.json$/, '');
  for (const f of files.filter((x) => x.startsWith('offers/') && x.endsWith('.json'))) {
    const offers = scopes.get(scopeOf(f)) ?? new Map<string, KnownOffer>();
    scopes.set(scopeOf(f), offers);
    current.file = f;
    const file = JSON.parse(readFileSync(join(stateDir, f), 'utf8')) as { offers?: Record<string, KnownOffer> };
    for (const [sku, k] of Object.entries(file.offers ?? {})) offers.set(sku, { ...k });
  }
  for (const f of files.filter((x) => x.endsWith('.journal.ndjson'))) {
    const offers = scopes.get(scopeOf(f)) ?? new Map<string, KnownOffer>();
    scopes.set(scopeOf(f), offers);
    current.file = f;
    forEachJsonLine(join(stateDir, f), (v) => {
      if (!Array.isArray(v) || typeof v[0] !== 'string') return;
      const k = { ...offers.get(v[0]) };
      if (typeof v[1] === 'number') k.price = v[1];
      if (typeof v[2] === 'number') k.quantity = v[2];
      offers.set(v[0], k);
    });
  }
  const put = store.db.prepare(`INSERT ${first ? 'OR REPLACE' : 'OR IGNORE'} INTO offers (scope, sku, price, quantity, at) VALUES (?, ?, ?, ?, ?)`);
  const at = new Date().toISOString();
  for (const [scope, offers] of scopes) {
    for (const [sku, k] of offers) put.run(scope, sku, k.price ?? null, k.quantity ?? null, at);
    r.offers += offers.size;
  }
  r.offerScopes = scopes.size;
}

function importCursors(store: SqliteStateStore, stateDir: string, files: string[], first: boolean, r: LegacyImportResult, current: { file: string }): void {
  const put = store.db.prepare(`INSERT ${first ? 'OR REPLACE' : 'OR IGNORE'} INTO cursors (name, value, at) VALUES (?, ?, ?)`);
  for (const f of files.filter((x) => x.startsWith('cursors/'))) {
    current.file = f;
    const value = JSON.parse(readFileSync(join(stateDir, f), 'utf8')) as unknown;
    put.run(f.slice('cursors/'.length, -'.json'.length), JSON.stringify(value), statSync(join(stateDir, f)).mtime.toISOString());
    r.cursors++;
  }
}

function importFeedback(store: SqliteStateStore, stateDir: string, r: LegacyImportResult, current: { file: string }): void {
  const put = store.db.prepare('INSERT INTO feedback (pipeline, run, at, line) VALUES (?, ?, ?, ?)');
  for (const f of feedbackFiles(stateDir)) {
    current.file = f;
    const mtime = statSync(join(stateDir, f)).mtime.toISOString();
    const pipeline = f.slice('feedback/'.length, -'.ndjson'.length);
    forEachJsonLine(join(stateDir, f), (v) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return;
      const at = typeof (v as { at?: unknown }).at === 'string' ? (v as { at: string }).at : mtime;
      put.run(pipeline, 'before-state.db', at, JSON.stringify(v));
      r.feedback++;
    });
  }
}

function moveAside(stateDir: string, files: string[], backup: string): void {
  for (const f of files) {
    const to = join(backup, f);
    mkdirSync(dirname(to), { recursive: true });
    try {
      renameSync(join(stateDir, f), to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // another process moved it first
    }
  }
  for (const sub of ['journal', 'offers', 'cursors']) {
    try {
      rmdirSync(join(stateDir, sub));
    } catch {
      // not empty (a stale .lock) or already gone
    }
  }
}
