/**
 * Watch mode's words: the start banner, one short block per run (counts, duration, what changed
 * since the previous good run) and the "invalid, last good result kept" notice. Plain text, so
 * the CLI stays thin and the wording is pinned by the CLI tests.
 */
import { relative } from 'node:path';
import type { RunSummary } from '../runtime/run.js';
import { redact } from '../secrets.js';
import type { RecordDiff } from './diff.js';
import type { WatchMode } from './mode.js';
import type { TargetKind, WatchTargets } from './targets.js';
import { showValue } from '../json-text.js';
import { terminalField, terminalSafe } from '../terminal.js';

const rel = (p: string) => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** `[hh:mm:ss]`, local time: enough to tell runs apart in a terminal. */
export function stamp(d = new Date()): string {
  return `[${d.toTimeString().slice(0, 8)}]`;
}

/** What is watched: a count by kind, and every path with `verbose`. */
export function formatTargets(t: WatchTargets, verbose = false): string {
  const kinds: TargetKind[] = ['pipeline', 'rule', 'lookup', 'schema', 'source'];
  const byKind = kinds.map((k) => [k, [...t.files.values()].filter((v) => v === k).length] as const).filter(([, n]) => n > 0);
  const lines = [`  watching ${plural(t.files.size, 'file')} (${byKind.map(([k, n]) => (k === 'pipeline' || k === 'schema' ? k : plural(n, k))).join(', ')}) and ${plural(t.ruleDirs.length, 'rule folder')}`];
  if (verbose) {
    for (const [file, kind] of t.files) lines.push(`    ${kind.padEnd(8)} ${rel(file)}`);
    for (const dir of t.ruleDirs) lines.push(`    ${'rules'.padEnd(8)} ${rel(dir)}/*.jsonata`);
  }
  return lines.join('\n') + '\n';
}

/** The start banner: what is watched, the sample size, where previews go, planned or live API calls. */
export function formatBanner(o: { pipeline: string; targets: WatchTargets; limit: number; previewDir: string; mode: WatchMode; environment?: string; verbose?: boolean }): string {
  const sample = o.limit > 0 ? `first ${plural(o.limit, 'record')} of the source` : 'the whole source';
  const api = o.mode === 'file'
    ? 'API calls: none (file destination)'
    : o.mode === 'plan'
      ? 'API calls: planned only, nothing is sent (add --live to send)'
      : `API calls: LIVE, sent to environment ${o.environment ?? '?'}`;
  return `manoflow watch ${rel(o.pipeline)}\n${formatTargets(o.targets, o.verbose)}  sample: ${sample}; previews in ${rel(o.previewDir)}/ (the real output is never written)\n  ${api}\n`;
}

function value(v: unknown): string {
  if (v === undefined || v === null || v === '') return '(empty)';
  return terminalField(showValue(v, 60));
}

/** What changed since the previous good run, per attribute with a few examples. */
export function formatDiff(d: RecordDiff | undefined): string {
  if (!d) return '';
  if (!d.added.length && !d.removed.length && !d.changed) return '  no change since the previous run\n';
  const lines = [`  changes: ${d.added.length} added, ${d.removed.length} removed, ${plural(d.changed, 'record')} changed`];
  // ids and attribute names come from the records: control characters shown escaped (engine/terminal.ts)
  const list = (ids: string[]) => ids.slice(0, 5).map(terminalField).join(', ') + (ids.length > 5 ? `, ... (${ids.length - 5} more)` : '');
  if (d.added.length) lines.push(`    added: ${list(d.added)}`);
  if (d.removed.length) lines.push(`    removed: ${list(d.removed)}`);
  for (const a of d.attributes) {
    const examples = a.examples.map((e) => `${terminalField(e.id)}: ${terminalField(a.attribute)} ${value(e.before)} → ${value(e.after)}`).join('; ');
    lines.push(`    ${terminalField(a.attribute)}: ${plural(a.count, 'value')} changed (${examples}${a.count > a.examples.length ? '; ...' : ''})`);
  }
  return lines.join('\n') + '\n';
}

/** One run: a headline with counts and duration, API outcomes under plan/live, the preview file, the diff. */
export function formatRun(s: RunSummary, o: { runs: number; mode: WatchMode; diff?: RecordDiff }): string {
  const secs = (s.durationMs / 1000).toFixed(2);
  const lines = [`${stamp()} run ${o.runs}: read ${s.read}, written ${s.written}, rejected ${s.rejected}, filtered ${s.filtered} in ${secs}s${s.limited ? ' (sample)' : ''}`];
  if (s.items && Object.keys(s.items).length) {
    lines.push(`  ${o.mode === 'live' ? 'sent' : 'plan'}: ${Object.entries(s.items).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }
  const codes = Object.entries(s.rejectsByCode).sort((a, b) => b[1] - a[1]);
  if (codes.length) lines.push(`  problems by code: ${codes.map(([c, n]) => `${c} ${n}`).join(', ')}`);
  for (const out of s.outputs) lines.push(`  preview: ${rel(out)}`);
  if (s.rejected) lines.push(`  rejects: ${rel(s.rejectReport)}`);
  return redact(lines.join('\n') + '\n' + formatDiff(o.diff));
}

/** The headline of an invalid edit; the diagnostics follow it. */
export function formatInvalid(errors: number, lastGood: RunSummary | undefined): string {
  const kept = lastGood ? `last good result kept${lastGood.outputs[0] ? ` (${rel(lastGood.outputs[0])})` : ''}` : 'no good run yet';
  return `${stamp()} invalid: ${plural(errors, 'error')}; not run, ${kept}\n`;
}

/** A run that failed (I/O, API): nothing was committed, the last good result stays. */
export function formatFailure(err: unknown, lastGood: RunSummary | undefined): string {
  const e = err as { code?: string; message?: string; hint?: string };
  const kept = lastGood ? 'last good result kept' : 'no good run yet';
  return redact(`${stamp()} run failed: ${e.code ?? 'RUN_FAILED'} ${terminalSafe(e.message ?? String(err))}${e.hint ? `\n  hint: ${terminalSafe(e.hint)}` : ''}\n  ${kept}\n`);
}

/** `--verbose`: files were touched but nothing they hold changed, so nothing ran. */
export function formatUnchanged(changed: string[]): string {
  return `${stamp()} unchanged: ${changed.map(rel).join(', ') || 'no file'} saved with the same content; nothing to do\n`;
}

/** Printed after each cycle: the loop is idle again. */
export const WAITING = 'waiting for changes (Ctrl-C to stop)';
