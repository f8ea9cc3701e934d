/**
 * Readable test output: `✓`/`✗ file:line name`, then for a failure one block per problem, with
 * `- expected` / `+ actual` lines naming the record and the attribute.
 */
import { formatDiagnostic } from '../errors.js';
import type { Reject } from '../runtime/types.js';
import type { CaseResult, TestFailure } from './types.js';
import { jsonText } from '../json-text.js';
import { terminalField, terminalSafe } from '../terminal.js';

const show = (v: unknown): string => (v === undefined ? '(absent)' : terminalField(jsonText(v) ?? '(a value that cannot be shown)'));
const fields = (o: object): string => Object.entries(o).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : jsonText(v)}`).join(', ');

function rejectLine(r: Reject): string {
  const where = [r.stage, r.index === undefined ? undefined : `record ${r.index}`, r.id, r.attribute].filter(Boolean).join(', ');
  return `${r.code} (${terminalSafe(where)}): ${terminalSafe(r.message)}`;
}

/** Why: one wording for a failure, shared by the CLI and the vitest suite's assertion messages. */
export function formatFailure(f: TestFailure): string[] {
  switch (f.kind) {
    case 'value':
      return [`record ${f.record}${f.id ? ` (${f.id})` : ''}, attribute ${f.attribute}:`, `  - expected ${show(f.expected)}`, `  + actual   ${show(f.actual)}`];
    case 'count':
      return [
        `output records: expected ${f.expected}, got ${f.actual}`,
        ...f.extra.slice(0, 3).map((r, i) => `  + record ${f.expected + i}: ${terminalField((jsonText(r) ?? '(cannot be shown)').slice(0, 200))}`),
      ];
    case 'missing-reject':
      return [`expected reject not found: { ${fields(f.expected)} }`];
    case 'unexpected-reject':
      return [`unexpected reject: ${rejectLine(f.actual)}`];
    case 'filtered':
      return ['filtered records:', `  - expected ${f.expected}`, `  + actual   ${f.actual}`];
    case 'missing-diagnostic':
      return [`expected diagnostic not found: { ${fields(f.expected)} }`];
    case 'unexpected-diagnostic':
      return [`  ${formatDiagnostic(f.actual).replaceAll('\n', '\n  ')}`];
    case 'error':
      return [f.message];
  }
}

/** The case's headline and, when it failed, its failures indented under it. */
export function formatCaseResult(r: CaseResult): string {
  const head = `${r.ok ? '✓' : '✗'} ${r.file}:${r.line} ${r.name}`;
  if (r.ok) return head;
  return [head, ...r.failures.flatMap(formatFailure).map((l) => `    ${l}`)].join('\n');
}

/** The final line, exactly `N passed, M failed`. */
export function formatTotals(passed: number, failed: number): string {
  return `${passed} passed, ${failed} failed`;
}
