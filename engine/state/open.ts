/**
 * How connectors and commands get the state store of a state dir: one SQLite connection per dir
 * per process, shared by every user (a source and a destination of one run, two runs in one
 * test process) and closed when the last one releases it. The first open of a dir imports the
 * files of an earlier manoflow (sqlite/migrate.ts); a run also applies retention, at most once a
 * day per state dir (retention.ts). With `backend.store: redis` the store is the shared Redis one
 * (redis/open.ts): the state dir then only holds report files.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MemoryStateStore } from './memory.js';
import { applyRetention, retentionIsDue } from './retention.js';
import { importLegacyState, legacyStateFiles, type StateLog } from './sqlite/migrate.js';
import type { RedisBackend } from './redis/open.js';
import { DB_FILE } from './sqlite/schema.js';
import { SqliteStateStore } from './sqlite/store.js';
import type { StateStore } from './store.js';

/** A store in use; release() it when done (the connection closes with the last user). */
export interface StateHandle {
  readonly store: StateStore;
  release(): Promise<void>;
}

/** What opening needs: where to log, and for runs, the retention to apply when it is due. */
export interface OpenStateOptions {
  log?: StateLog;
  /** Apply retention (done entries, feedback, old reports) older than this many days when a day has passed since the last time; undefined: don't. */
  retentionDays?: number;
  /** A plan: read the state if there is one, never create it (an empty, throw-away store when there is none). */
  ifExists?: boolean;
  /** Which store: the pipeline's `state` settings (`store`, `url`, `prefix`) or a worker's override; default SQLite in the state dir. */
  backend?: { store?: 'sqlite' | 'redis'; url?: string; prefix?: string };
}

const quiet: StateLog = { info() {}, warn() {} };
/** Why: a run removes at most this many old entries, so the first run after years of history still starts quickly. */
const RUN_PRUNE_BUDGET = 100_000;
const opened = new Map<string, { store: SqliteStateStore; users: number }>();

/** Why: every user of a state dir goes through here, so migration runs once and connections are shared. */
export async function openStateStore(stateDir: string, o: OpenStateOptions = {}): Promise<StateHandle> {
  const dir = resolve(stateDir);
  const log = o.log ?? quiet;
  if (o.backend?.store === 'redis') {
    // imported on first use: ioredis is ~60 modules every other run would load for nothing
    const { openRedisStore } = await import('./redis/open.js');
    return withRetention(await openRedisStore(o.backend as RedisBackend), dir, o, log);
  }
  let entry = opened.get(dir);
  if (!entry && o.ifExists && !existsSync(join(dir, DB_FILE)) && legacyStateFiles(dir).length === 0) {
    return { store: new MemoryStateStore(), release: async () => {} };
  }
  if (!entry) {
    const store = new SqliteStateStore(dir);
    try {
      importLegacyState(store, dir, log);
    } catch (err) {
      await store.close();
      throw err;
    }
    entry = { store, users: 0 };
    opened.set(dir, entry);
  }
  entry.users++;
  const mine = entry;
  let released = false;
  async function release(): Promise<void> {
    if (released) return;
    released = true;
    if (--mine.users > 0) return;
    opened.delete(dir);
    await mine.store.close();
  }
  return withRetention({ store: mine.store, release }, dir, o, log);
}

/** Applies retention when it is due (runs only), releasing the handle if that fails. */
async function withRetention(handle: StateHandle, dir: string, o: OpenStateOptions, log: StateLog): Promise<StateHandle> {
  try {
    if (o.retentionDays !== undefined && (await retentionIsDue(handle.store))) {
      const r = await applyRetention(handle.store, dir, o.retentionDays, { budget: RUN_PRUNE_BUDGET });
      if (r.done + r.feedback + r.reports > 0) {
        log.info(`state: retention (${o.retentionDays} days) removed ${r.done} done order-action entries, ${r.feedback} feedback line(s) and ${r.reports} report file(s) older than ${r.cutoff}${r.complete ? '' : '; more remain: the next runs continue (or run `manoflow state prune`)'}`);
      }
    }
  } catch (err) {
    await handle.release();
    throw err;
  }
  return handle;
}
