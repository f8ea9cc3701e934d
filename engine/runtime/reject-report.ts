/**
 * The reject report: one CSV row per problem (a record may have several), written atomically
 * beside the output so a user can read, filter and fix their catalogue from it. `severity` says
 * whether the record was rejected (`error`) or written with a warning (`warning`). People open it
 * in a spreadsheet: a cell starting like a formula gets a leading ' (formatHumanRow), as in the item report.
 */
import { rm } from 'node:fs/promises';
import { extname } from 'node:path';
import { redact } from '../secrets.js';
import { openAtomicFile, type AtomicFile } from './atomic-file.js';
import { formatCsvRow, formatHumanRow } from './csv-format.js';
import type { ItemResult, Reject } from './types.js';

export const REJECT_COLUMNS = ['severity', 'stage', 'index', 'line', 'id', 'attribute', 'code', 'message', 'hint'] as const;

/** How the reject report is written (`report.rejects` settings): `;` and a BOM suit Excel in French. */
export interface RejectReportFormat { delimiter?: string; bom?: boolean }

export class RejectReport {
  private file?: AtomicFile;
  private pending: Promise<void> = Promise.resolve();
  /** Rejects (severity `error`) by code. */
  readonly byCode: Record<string, number> = {};
  /** Warnings by code: records written anyway. */
  readonly warningsByCode: Record<string, number> = {};
  rows = 0;
  warnings = 0;
  private readonly delimiter: string;

  constructor(readonly path: string, private readonly format: RejectReportFormat = {}) {
    this.delimiter = format.delimiter ?? ',';
  }

  async open(): Promise<void> {
    this.file = await openAtomicFile(this.path);
    await this.file.write((this.format.bom ? '\uFEFF' : '') + formatCsvRow(REJECT_COLUMNS, this.delimiter));
  }

  /** Queues one row; writes are chained so order is kept without blocking the caller. */
  add(r: Reject): void {
    this.byCode[r.code] = (this.byCode[r.code] ?? 0) + 1;
    this.write('error', r);
  }

  /** Queues one warning row: the record was written, the problem is worth reading. */
  warn(w: Reject): void {
    this.warnings++;
    this.warningsByCode[w.code] = (this.warningsByCode[w.code] ?? 0) + 1;
    this.write('warning', w);
  }

  private write(severity: 'error' | 'warning', r: Reject): void {
    this.rows++;
    const row = formatHumanRow([severity, r.stage, r.index, r.line, r.id, r.attribute, r.code, redact(r.message), r.hint ? redact(r.hint) : ''], this.delimiter);
    const file = this.file;
    if (file) this.pending = queued(this.pending, () => file.write(row));
  }

  /** Waits for queued rows: the runner calls it per batch, so a flood of rejects cannot pile up in memory. */
  drain(): Promise<void> {
    return this.pending;
  }

  /** Every row written and flushed to disk: what is left of committing is a rename. */
  async finish(): Promise<void> {
    await this.pending;
    await this.file?.prepare();
  }

  /**
   * Commits beside a run's output: `ok` replaces the report (and removes a failed run's report
   * left from before); otherwise the report goes to `<name>.failed.csv`, so the report beside the
   * feed is always the feed's own. Returns where it went.
   */
  async commitWith(ok: boolean): Promise<string> {
    await this.finish();
    const failed = failedReportPath(this.path);
    if (ok) {
      await this.file?.commit();
      await rm(failed, { force: true });
      return this.path;
    }
    await this.file?.commit(failed);
    return failed;
  }

  /** Drops the report (a per-run file for a run that wrote nothing and rejected nothing). */
  async discard(): Promise<void> {
    await this.pending;
    await this.file?.abort();
  }

  async close(): Promise<void> {
    await this.pending;
    await this.file?.commit();
  }
}

/** Where a failed run's reject report goes: `x.rejects.csv` → `x.rejects.failed.csv`. */
export function failedReportPath(path: string): string {
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}.failed${ext}`;
}

export const ITEM_COLUMNS = ['id', 'action', 'outcome', 'code', 'message', 'change', 'index', 'line'] as const;

/** The per-item report of API destinations: sent, would-send (plan), skipped, refused, failed. */
export class ItemReport {
  private file?: AtomicFile;
  private pending: Promise<void> = Promise.resolve();
  readonly byOutcome: Record<string, number> = {};
  /** Items that need a person's attention (refused, failed, skipped for a reason), by code. */
  readonly problemsByCode: Record<string, number> = {};
  problems = 0;
  readonly items: ItemResult[] = [];

  /** `keep` holds items in memory too (plan output, library callers); off for big runs. */
  constructor(readonly path: string, private readonly keep = false) {}

  async open(): Promise<void> {
    this.file = await openAtomicFile(this.path);
    await this.file.write(formatCsvRow(ITEM_COLUMNS));
  }

  add(item: ItemResult): void {
    this.byOutcome[item.outcome] = (this.byOutcome[item.outcome] ?? 0) + 1;
    if (isProblem(item)) {
      this.problems++;
      const code = item.code ?? item.outcome.toUpperCase();
      this.problemsByCode[code] = (this.problemsByCode[code] ?? 0) + 1;
    }
    if (this.keep) this.items.push(item);
    const row = formatHumanRow([item.id, item.action, item.outcome, item.code, item.message ? redact(item.message) : '', item.change, item.index, item.line]);
    const file = this.file;
    if (file) this.pending = queued(this.pending, () => file.write(row));
  }

  async close(): Promise<void> {
    await this.pending;
    await this.file?.commit();
  }
}

/**
 * The next write after the queued ones. A failed write (a full disk) stays in the chain for
 * drain() and close() to throw, and is marked handled meanwhile: it is not an unhandled rejection
 * between two batches.
 */
function queued(pending: Promise<void>, write: () => Promise<void>): Promise<void> {
  const next = pending.then(write);
  next.catch(() => undefined);
  return next;
}

/** Sent and would-send are fine; a skipped item is fine only when marked benign. */
export function isProblem(item: ItemResult): boolean {
  return item.outcome === 'refused' || item.outcome === 'failed' || (item.outcome === 'skipped' && !item.benign);
}
