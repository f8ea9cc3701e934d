/**
 * Shared CLI printing: diagnostics, run summaries and a progress line on terminals.
 */
import { relative } from 'node:path';
import { formatDiagnostic, PipelineConfigError, type Diagnostic } from '../errors.js';
import { EXIT } from './command.js';
import type { Progress, RunSummary, TargetSummary } from '../runtime/run.js';
import { redact } from '../secrets.js';
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
export function reportRunFailure(err: unknown, json: boolean): number {
  if (err instanceof PipelineConfigError) {
    if (json) printJson({ ok: false, diagnostics: err.diagnostics });
    else printDiagnostics(err.diagnostics);
    return EXIT.config;
  }
  const partial = (err as { summary?: RunSummary }).summary;
  if (!partial) throw err;
  if (json) printJson(partial);
  else process.stdout.write(formatSummary(partial));
  return EXIT.failed;
}

export function printDiagnostics(diagnostics: Diagnostic[], stream: NodeJS.WritableStream = process.stderr): void {
  // a message or hint may quote the pipeline or the data: their control characters are shown, not sent
  for (const d of diagnostics) stream.write(redact(formatDiagnostic({ ...d, message: terminalSafe(d.message), hint: d.hint === undefined ? undefined : terminalSafe(d.hint) })) + '\n');
}

export function formatSummary(s: RunSummary): string {
  const secs = (s.durationMs / 1000).toFixed(1);
  const read = `read ${s.read}${s.rows !== undefined ? ` (from ${s.rows} rows)` : ''}`;
  const limited = s.limited ? ' (stopped at --limit)' : '';
  if (s.markets) {
    const lines = [`${s.pipeline}: ${s.ok ? 'done' : 'FAILED'}: ${read}, ${Object.keys(s.markets).length} markets in ${secs}s${limited}`];
    for (const [market, t] of Object.entries(s.markets)) lines.push(...targetLines(t, `[${market}] `, '  '));
    return redact(lines.join('\n')) + '\n';
  }
  const lines = targetLines(s, `${s.pipeline}: ${s.ok ? 'done' : 'FAILED'}: ${read}, `, '');
  lines[0] = `${lines[0]} in ${secs}s${limited}`;
  return redact(lines.join('\n')) + '\n';
}

/** One target's lines: its counts (after `head`), problems, outputs, reports and error. */
function targetLines(s: TargetSummary, head: string, indent: string): string[] {
  // For API destinations "written" would suggest sent: say "to send" and give ManoMano's outcome below.
  const passed = s.items ? 'to send' : 'written';
  const records = s.records !== undefined ? `${s.records} records (each): ` : '';
  const lines = [`${indent}${head}${records}${passed} ${s.written}, rejected ${s.rejected}, filtered ${s.filtered}`];
  const more = `${indent}  `;
  const codes = Object.entries(s.rejectsByCode).sort((a, b) => b[1] - a[1]);
  if (codes.length) lines.push(`${more}problems by code: ${codes.map(([c, n]) => `${c} ${n}`).join(', ')}`);
  const warned = Object.entries(s.warningsByCode ?? {}).sort((a, b) => b[1] - a[1]);
  if (warned.length) lines.push(`${more}warnings: ${s.warnings} (${warned.map(([c, n]) => `${c} ${n}`).join(', ')}), written anyway`);
  if (s.items) {
    const order = ['sent', 'would-send', 'skipped', 'refused', 'failed'];
    const parts = Object.entries(s.items).sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([k, n]) => `${k} ${n}`);
    lines.push(`${more}ManoMano: ${parts.join(', ') || 'nothing to send'}`);
    const problems = Object.entries(s.itemProblemsByCode ?? {}).sort((a, b) => b[1] - a[1]);
    if (problems.length) lines.push(`${more}ManoMano problems by code: ${problems.map(([c, n]) => `${c} ${n}`).join(', ')}`);
  }
  for (const o of s.outputs) lines.push(`${more}output:  ${rel(o)}`);
  if (s.itemReport) lines.push(`${more}items:   ${rel(s.itemReport)}`);
  lines.push(`${more}rejects: ${rel(s.rejectReport)}`);
  if (s.details) {
    for (const [k, v] of Object.entries(s.details)) {
      // written/rejected are already in the headline; show only what the destination adds.
      const shown = k === 'written' || k === 'rejected' || k === 'plan' || (s.items !== undefined && k in s.items);
      if (v !== undefined && typeof v !== 'object' && !shown) lines.push(`${more}${k}: ${terminalSafe(String(v))}`);
    }
  }
  if (s.error) lines.push(`${more}error: ${s.error.code} ${terminalSafe(s.error.message)}`, ...(s.error.hint ? [`${more}hint:  ${terminalSafe(s.error.hint)}`] : []));
  return lines;
}

/** A progress line rewritten in place on a TTY, at most every 250 ms; nothing when not a TTY. */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): { update(p: Progress): void; done(): void } {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 250) return;
      last = now;
      shown = true;
      const rate = p.elapsedMs > 0 ? Math.round((p.read * 1000) / p.elapsedMs) : 0;
      stream.write(`\r\x1b[Kread ${p.read} · written ${p.written} · rejected ${p.rejected} · filtered ${p.filtered} · ${rate} rec/s`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
