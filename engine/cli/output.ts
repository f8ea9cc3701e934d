/**
 * Shared CLI printing: diagnostics, run summaries and a progress line on terminals.
 */
import { relative } from 'node:path';
import { formatDiagnostic, PipelineConfigError, type Diagnostic } from '../errors.js';
import { EXIT } from './command.js';
import type { Progress, RunSummary, TargetSummary } from '../runtime/run.js';
import { redact } from '../secrets.js';
import { palette, type Palette } from './colour.js';
import { terminalSafe } from '../terminal.js';

const rel = (p: string) => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};

/** Every JSON a command prints goes through here: redacted like every other output. */
export function printJson(value: unknown, stream: NodeJS.WritableStream = process.stdout): void {
  // JSON already escapes C0 controls; DEL, C1 and bidi controls get \u escapes too (still the same JSON)
  stream.write(redact(JSON.stringify(value, null, 2)).replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n');
}

/**
 * What `run` and `plan` print when the run threw: the diagnostics of an invalid pipeline (exit 2),
 * or the summary a failed run still has, with its error (exit 3). Anything else is rethrown.
 */
export function reportRunFailure(err: unknown, json: boolean, out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout): number {
  if (err instanceof PipelineConfigError) {
    if (json) printJson({ ok: false, diagnostics: err.diagnostics }, out);
    else printDiagnostics(err.diagnostics);
    return EXIT.config;
  }
  const partial = (err as { summary?: RunSummary }).summary;
  if (!partial) throw err;
  if (json) printJson(partial, out);
  else out.write(formatSummary(partial, out));
  return EXIT.failed;
}

/** Diagnostics as `file:line:col severity CODE message`, the severity and code coloured on a terminal. */
export function printDiagnostics(diagnostics: Diagnostic[], stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): void {
  const c = palette(stream);
  for (const raw of diagnostics) {
    // a message or hint may quote the pipeline or the data: their control characters are shown, not sent
    const d = { ...raw, message: terminalSafe(raw.message), hint: raw.hint === undefined ? undefined : terminalSafe(raw.hint) };
    if (!c.enabled) {
      stream.write(redact(formatDiagnostic(d)) + '\n');
      continue;
    }
    const severity = d.severity === 'error' ? c.error(d.severity) : c.warning(d.severity);
    const head = `${c.dim(`${d.file}:${d.line}:${d.column}`)} ${severity} ${c.code(d.code)} ${d.message}`;
    stream.write(redact(d.hint ? `${head}\n    ${c.dim('hint:')} ${d.hint}` : head) + '\n');
  }
}

/** How `plan` words its summary: what a run would write or send (the file comes with each target). */
export interface PlanWording { plan: true }

/**
 * The run summary people read; `FAILED`, rejects and codes coloured when `stream` is a terminal.
 * Under plan (`plan` given) it says "would write" or "would send", and the guard a run would stop on.
 */
export function formatSummary(s: RunSummary, stream: { isTTY?: boolean } = process.stdout, plan?: PlanWording): string {
  const c = palette(stream);
  const secs = (s.durationMs / 1000).toFixed(1);
  const read = `read ${s.read}${s.rows !== undefined ? ` (from ${s.rows} rows)` : ''}`;
  const limited = s.limited ? ' (stopped at --limit)' : '';
  const status = (t: TargetSummary) => (!t.ok ? c.error('FAILED') : plan ? (wouldStop(t) ? c.error('a run would stop') : c.ok('plan')) : c.ok('done'));
  if (s.markets) {
    const lines = [`${c.bold(s.pipeline)}: ${status(s)}: ${read}, ${Object.keys(s.markets).length} markets in ${secs}s${limited}`];
    for (const [market, t] of Object.entries(s.markets)) lines.push(...targetLines(t, `[${market}] `, '  ', c, plan));
    return redact(lines.join('\n')) + '\n';
  }
  const lines = targetLines(s, `${c.bold(s.pipeline)}: ${status(s)}: ${read}, `, '', c, plan);
  lines[0] = `${lines[0]} in ${secs}s${limited}`;
  return redact(lines.join('\n')) + '\n';
}

/** The guard a run would stop on, for a target or (with markets) any of them. */
function wouldStop(s: RunSummary | TargetSummary): boolean {
  return s.wouldStop !== undefined || Object.values((s as RunSummary).markets ?? {}).some((t) => t.wouldStop !== undefined);
}

/** One target's lines: its counts (after `head`), problems, outputs, reports and error. */
function targetLines(s: TargetSummary, head: string, indent: string, c: Palette, plan?: PlanWording): string[] {
  // For API destinations "written" would suggest sent: say "to send" and give ManoMano's outcome below.
  const passed = plan ? (s.items ? 'would send' : 'would write') : s.items ? 'to send' : 'written';
  const records = s.records !== undefined ? `${s.records} records (each): ` : '';
  const rejected = s.rejected > 0 ? c.warning(`rejected ${s.rejected}`) : 'rejected 0';
  const lines = [`${indent}${head}${records}${passed} ${s.written}, ${rejected}, filtered ${s.filtered}`];
  const more = `${indent}  `;
  const codes = Object.entries(s.rejectsByCode).sort((a, b) => b[1] - a[1]);
  if (codes.length) lines.push(`${more}problems by code: ${codes.map(([code, n]) => `${c.code(code)} ${n}`).join(', ')}`);
  const warned = Object.entries(s.warningsByCode ?? {}).sort((a, b) => b[1] - a[1]);
  if (warned.length) lines.push(`${more}${c.warning('warnings:')} ${s.warnings} (${warned.map(([code, n]) => `${c.code(code)} ${n}`).join(', ')}), written anyway`);
  if (s.items) {
    const order = ['sent', 'would-send', 'skipped', 'refused', 'failed'];
    const parts = Object.entries(s.items).sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([k, n]) => `${k} ${n}`);
    lines.push(`${more}ManoMano: ${parts.join(', ') || 'nothing to send'}`);
    const problems = Object.entries(s.itemProblemsByCode ?? {}).sort((a, b) => b[1] - a[1]);
    if (problems.length) lines.push(`${more}ManoMano problems by code: ${problems.map(([code, n]) => `${c.code(code)} ${n}`).join(', ')}`);
  }
  for (const o of s.outputs) lines.push(`${more}output:  ${o === '-' ? '(stdout)' : rel(o)}`);
  if (plan && s.wouldWrite) lines.push(`${more}would write: ${s.wouldWrite === '-' ? '(stdout)' : rel(s.wouldWrite)}${s.wouldStop ? ' (but a run would stop, see below)' : ''}`);
  if (s.itemReport) lines.push(`${more}items:   ${rel(s.itemReport)}`);
  lines.push(`${more}rejects: ${rel(s.rejectReport)}`);
  if (s.htmlReport) lines.push(`${more}report:  ${rel(s.htmlReport)}`);
  if (s.details) {
    for (const [k, v] of Object.entries(s.details)) {
      // written/rejected are already in the headline; show only what the destination adds.
      const shown = k === 'written' || k === 'rejected' || k === 'plan' || (s.items !== undefined && k in s.items);
      if (v !== undefined && typeof v !== 'object' && !shown) lines.push(`${more}${k}: ${terminalSafe(String(v))}`);
    }
  }
  if (s.wouldStop) lines.push(`${more}${c.error('a run would stop:')} ${c.code(s.wouldStop.code)} ${terminalSafe(s.wouldStop.message)}`, ...(s.wouldStop.hint ? [`${more}hint:  ${terminalSafe(s.wouldStop.hint)}`] : []));
  if (s.error) lines.push(`${more}${c.error('error:')} ${c.code(s.error.code)} ${terminalSafe(s.error.message)}`, ...(s.error.hint ? [`${more}hint:  ${terminalSafe(s.error.hint)}`] : []));
  return lines;
}

/** `1:05`, `1:02:03`: an ETA people read at a glance. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** The progress line: percent, rate and ETA when the source's size is known (file sources), counts always. */
export function formatProgress(p: Progress): string {
  const rate = p.elapsedMs > 0 ? Math.round((p.read * 1000) / p.elapsedMs) : 0;
  const counts = `read ${p.read} · written ${p.written} · rejected ${p.rejected} · filtered ${p.filtered} · ${rate} rec/s`;
  if (!p.totalBytes || p.bytes === undefined) return counts;
  const share = Math.min(1, p.bytes / p.totalBytes);
  const eta = share > 0 && share < 1 ? ` · ETA ${formatDuration((p.elapsedMs * (1 - share)) / share)}` : '';
  return `${(share * 100).toFixed(0).padStart(3)}% · ${counts}${eta}`;
}

/**
 * A progress line rewritten in place on a TTY, at most every 250 ms (the first one at once);
 * nothing when not a TTY, so logs and pipes never receive it.
 */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): { update(p: Progress): void; done(): void } {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last: number | undefined;
  let shown = false;
  return {
    update(p) {
      const t = now();
      if (last !== undefined && t - last < 250) return;
      last = t;
      shown = true;
      stream.write(`\r\x1b[K${formatProgress(p)}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
