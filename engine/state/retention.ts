/**
 * Retention: `done` order-action entries, feedback history and report files older than
 * `state.retention_days` (default 180) are removed, by runs at most once a day and by
 * `manoflow state prune`. `pending`, `failed` and `refused` entries are never removed: they are
 * either unresolved or need a person (`manoflow state check` resolves pending ones).
 */
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { PruneResult, StateStore } from './store.js';

/** Why: the schema's default for `state.retention_days`: half a year of done actions, enough for returns and disputes. */
export const DEFAULT_RETENTION_DAYS = 180;

/** The cursor where the store remembers when retention last ran (so runs apply it once a day). */
export const RETENTION_CURSOR = 'manoflow.retention';

const DAY_MS = 86_400_000;

/** What retention removed (or would remove), and the cutoff it used. */
export interface RetentionResult extends PruneResult {
  reports: number;
  cutoff: string;
}

/** Why: a run applies retention only when a day has passed since the last time, so cron runs every 15 minutes cost nothing. */
export async function retentionIsDue(store: StateStore, now = Date.now()): Promise<boolean> {
  const last = (await store.loadCursor(RETENTION_CURSOR)) as { at?: string } | undefined;
  const at = last?.at === undefined ? NaN : Date.parse(last.at);
  return !Number.isFinite(at) || now - at >= DAY_MS;
}

/** Entries removed per write: short transactions, so other processes sharing the state never wait long. */
export const PRUNE_CHUNK = 20_000;

/**
 * Why: one implementation for runs and `manoflow state prune`; dryRun only counts. Removes in
 * chunks of PRUNE_CHUNK; `budget` caps how many entries one call removes (a run keeps its start
 * quick after years without retention: the rest goes in the next runs, which find it still due).
 */
export async function applyRetention(store: StateStore, stateDir: string, days: number, o: { dryRun?: boolean; now?: number; budget?: number } = {}): Promise<RetentionResult & { complete: boolean }> {
  const now = o.now ?? Date.now();
  const cutoff = new Date(now - days * DAY_MS).toISOString();
  const total = { done: 0, feedback: 0 };
  let complete = true;
  if (o.dryRun) Object.assign(total, await store.prune({ done: cutoff, feedback: cutoff }, { dryRun: true }));
  else {
    for (;;) {
      const r = await store.prune({ done: cutoff, feedback: cutoff }, { limit: PRUNE_CHUNK });
      total.done += r.done;
      total.feedback += r.feedback;
      if (r.done < PRUNE_CHUNK && r.feedback < PRUNE_CHUNK) break;
      if (o.budget !== undefined && total.done + total.feedback >= o.budget) { complete = false; break; }
    }
  }
  const reports = pruneReports(join(stateDir, 'reports'), now - days * DAY_MS, o.dryRun === true);
  if (!o.dryRun && complete) await store.saveCursor(RETENTION_CURSOR, { at: new Date(now).toISOString(), days });
  return { ...total, reports, cutoff, complete };
}

/** Report files (item and reject reports kept in the state dir) not rewritten since the cutoff. */
function pruneReports(dir: string, cutoffMs: number, dryRun: boolean): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let n = 0;
  for (const name of names) {
    const path = join(dir, name);
    try {
      const st = statSync(path);
      if (!st.isFile() || st.mtimeMs >= cutoffMs) continue;
      if (!dryRun) unlinkSync(path);
      n++;
    } catch {
      // removed meanwhile
    }
  }
  return n;
}
