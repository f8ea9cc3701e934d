/**
 * Output path templates: `{market}`, `{date}`, `{run_started_at}` and `{run_id}` in an output or
 * report path, so each market or each run writes its own file (an incremental orders import that
 * must not replace a file the ERP has not picked up yet).
 */
import { randomBytes } from 'node:crypto';

/** The placeholders an output path may hold, with what they stand for (validate lists them). */
export const PATH_PLACEHOLDERS: Readonly<Record<string, string>> = {
  market: 'the market (a key of `markets`)',
  date: 'the day the run started, YYYY-MM-DD (UTC)',
  run_started_at: 'when the run started, YYYYMMDDTHHMMSS.mmmZ (UTC, to the millisecond: two runs never share it)',
  run_id: 'the run id (as in the journal and reports)',
};

/** Values of one run's placeholders. */
export interface RunStamp {
  runId: string;
  startedAt: Date;
}

const PLACEHOLDER = /\{([A-Za-z_]+)\}/g;

/** A run's stamp: its start time and an id that sorts by time (`20261205T212233.123Z-3f9a1c`). */
export function newRunStamp(now: Date = new Date()): RunStamp {
  return { startedAt: now, runId: `${compactTime(now)}-${randomBytes(3).toString('hex')}` };
}

function compactTime(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '');
}

/** The placeholders written in a path (known or not), for validation. */
export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** True when the path holds a per-run placeholder: each run writes a new file. */
export function isPerRunPath(template: string): boolean {
  return placeholdersIn(template).some((p) => p === 'date' || p === 'run_started_at' || p === 'run_id');
}

/** Replaces the known placeholders (unknown ones were refused by validate and are left as written). */
export function expandPath(template: string, stamp: RunStamp | undefined, market: string | undefined): string {
  if (!template.includes('{')) return template;
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (name === 'market') return market ?? whole;
    if (stamp === undefined) return whole;
    if (name === 'date') return stamp.startedAt.toISOString().slice(0, 10);
    if (name === 'run_started_at') return compactTime(stamp.startedAt);
    if (name === 'run_id') return stamp.runId;
    return whole;
  });
}
