/**
 * Opening the state database: one SQLite file per state dir (`state.db`), WAL mode (readers never
 * block the writer, one writer at a time across processes), synchronous=FULL (a committed
 * `pending` survives a power cut, like the fsync of the old journal), a busy timeout (a second
 * process waits for the first one's short transaction instead of failing), and the schema,
 * versioned with `PRAGMA user_version`: a database written by a newer manoflow is refused.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ManoflowError } from '../../errors.js';

/** The schema version this manoflow writes and reads. */
export const SCHEMA_VERSION = 1;

/** Why: one name for the database file, for the store, the docs and `manoflow state`. */
export const DB_FILE = 'state.db';

/** How long a statement waits for another process's write transaction (ms). */
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS actions (
  key TEXT PRIMARY KEY, action TEXT NOT NULL, contract INTEGER NOT NULL, order_reference TEXT NOT NULL,
  fingerprint TEXT, state TEXT NOT NULL, at TEXT NOT NULL, run TEXT NOT NULL, code TEXT, message TEXT, payload TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS actions_by_state ON actions (state, at);
CREATE TABLE IF NOT EXISTS offers (
  scope TEXT NOT NULL, sku TEXT NOT NULL, price REAL, quantity INTEGER, at TEXT NOT NULL, PRIMARY KEY (scope, sku)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL, at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY, pipeline TEXT NOT NULL, run TEXT NOT NULL, at TEXT NOT NULL, line TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS feedback_by_pipeline ON feedback (pipeline, at, id);
CREATE INDEX IF NOT EXISTS feedback_by_at ON feedback (at);
CREATE TABLE IF NOT EXISTS locks (name TEXT PRIMARY KEY, token INTEGER NOT NULL, holder TEXT, expires_at INTEGER NOT NULL) WITHOUT ROWID;
`;

/** Why: every way the file can be unusable gets a code and a sentence, never a raw SQLite error. */
export function openDatabase(stateDir: string, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS): Database.Database {
  const path = join(stateDir, DB_FILE);
  let db: Database.Database;
  try {
    mkdirSync(stateDir, { recursive: true });
    db = new Database(path, { timeout: busyTimeoutMs });
  } catch (err) {
    throw new ManoflowError('STATE_DB_OPEN', `cannot open the state database ${path}: ${(err as Error).message}`, {
      hint: 'check that the state dir (state.dir) exists and is writable by this user', cause: err,
    });
  }
  try {
    checkVersion(db, path);
    // Free pages go back to the file system after a prune: settable only while the file is new (before WAL and tables).
    if (db.pragma('journal_mode', { simple: true }) !== 'wal' && (db.pragma('page_count', { simple: true }) as number) === 0) db.pragma('auto_vacuum = INCREMENTAL');
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    if ((db.pragma('user_version', { simple: true }) as number) < SCHEMA_VERSION) createSchema(db, path);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof ManoflowError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new ManoflowError('STATE_DB_UNREADABLE', `${path} is not a readable manoflow state database (${(err as Error).message})`, {
        hint: `move it aside and run again to start from an empty state (the journal of sent order actions is in it: keep the file for support)`, cause: err,
      });
    }
    throw sqliteError(err, `opening ${path}`);
  }
}

function checkVersion(db: Database.Database, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new ManoflowError('STATE_DB_TOO_NEW', `the state database ${path} was written by a newer manoflow (schema version ${version}; this manoflow knows up to ${SCHEMA_VERSION}): refusing to read or change it`, {
      hint: 'upgrade manoflow to the version that wrote it (npm install manoflow@latest); a downgrade would lose what the newer version recorded, including which order actions were sent',
    });
  }
}

function createSchema(db: Database.Database, path: string): void {
  db.transaction(() => {
    checkVersion(db, path); // another process may have created it while we waited for the write lock
    if ((db.pragma('user_version', { simple: true }) as number) >= SCHEMA_VERSION) return;
    db.exec(SCHEMA_V1);
    db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('created_at', new Date().toISOString());
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/** Why: SQLite's own errors become manoflow's: busy past the timeout, disk full, read-only, anything else. */
export function sqliteError(err: unknown, doing: string): unknown {
  if (err instanceof ManoflowError) return err;
  const code = (err as { code?: string }).code ?? '';
  const message = (err as Error).message;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new ManoflowError('STATE_BUSY', `the state database stayed busy (another process writing) while ${doing}: ${message}`, {
      hint: 'another manoflow process holds a long write on the same state dir; run again (or raise MANOFLOW_STATE_BUSY_TIMEOUT, in seconds)', cause: err,
    });
  }
  if (code.startsWith('SQLITE_FULL') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
    return new ManoflowError('STATE_WRITE_FAILED', `the state database could not be written while ${doing}: ${message}`, {
      hint: 'check free disk space and permissions of the state dir; nothing of this write was kept', cause: err,
    });
  }
  if (code.startsWith('SQLITE_')) return new ManoflowError('STATE_DB_ERROR', `state database error while ${doing}: ${message}`, { cause: err });
  return err;
}

/** Why: MANOFLOW_STATE_BUSY_TIMEOUT (seconds) lets an operator wait longer on a slow disk without a pipeline change. */
export function busyTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.MANOFLOW_STATE_BUSY_TIMEOUT);
  return env.MANOFLOW_STATE_BUSY_TIMEOUT && Number.isFinite(s) && s >= 0 ? Math.round(s * 1000) : DEFAULT_BUSY_TIMEOUT_MS;
}
