/**
 * Runs JSONata's language-neutral test suite (datasets/ + groups/<group>/<case>.json) through
 * manoflow's expression layer, so the fast path is proven equal to the reference interpreter on
 * the reference cases. Used by `scripts/conformance.mjs` and by test/expr/conformance.test.ts.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { compileExpression, isPending, type ExprOptions } from './index.js';

/** One case, as the suite describes it. */
export interface ConformanceCase {
  group: string;
  name: string;
  expr: string;
  data: unknown;
  bindings?: Record<string, unknown>;
  timelimit?: number;
  depth?: number;
  expect:
    | { kind: 'result'; value: unknown }
    | { kind: 'undefined' }
    | { kind: 'code'; code: string; token?: string }
    | { kind: 'error'; error: Record<string, unknown> };
}

/** The outcome of one case. */
export interface CaseOutcome {
  group: string;
  name: string;
  expr: string;
  passed: boolean;
  /** Compiled fast and evaluated synchronously, without falling back. */
  fast: boolean;
  /** The expression compiled to the fast path (it may still have fallen back at run time). */
  compiledFast: boolean;
  expected?: string;
  actual?: string;
}

/** Per-group and total counts, plus every failure. */
export interface ConformanceReport {
  groups: Record<string, { passed: number; failed: number; fast: number }>;
  total: { cases: number; passed: number; failed: number; fast: number; compiledFast: number };
  failures: CaseOutcome[];
  ms: number;
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

/** Reads a suite folder laid out like JSONata's test-suite (datasets/ beside groups/). */
export function loadSuite(dir: string): ConformanceCase[] {
  const datasets = new Map<string, unknown>();
  const dsDir = join(dir, 'datasets');
  if (existsSync(dsDir)) {
    for (const f of readdirSync(dsDir).filter((n) => n.endsWith('.json'))) datasets.set(f.slice(0, -5), readJson(join(dsDir, f)));
  }
  const cases: ConformanceCase[] = [];
  const groupsDir = join(dir, 'groups');
  for (const group of readdirSync(groupsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const gdir = join(groupsDir, group);
    for (const file of readdirSync(gdir).filter((n) => n.endsWith('.json')).sort()) {
      const spec = readJson(join(gdir, file));
      const list = (Array.isArray(spec) ? spec : [spec]) as Record<string, unknown>[];
      list.forEach((tc, i) => {
        const name = Array.isArray(spec) ? `${file}[${i}]` : file;
        const expr = typeof tc['expr-file'] === 'string' ? readFileSync(join(gdir, tc['expr-file']), 'utf8') : String(tc.expr);
        let data: unknown;
        if ('data' in tc) data = tc.data;
        else if (tc.dataset !== null && tc.dataset !== undefined) {
          if (!datasets.has(String(tc.dataset))) throw new Error(`${group}/${name}: unknown dataset ${String(tc.dataset)}`);
          data = datasets.get(String(tc.dataset));
        }
        const expect: ConformanceCase['expect'] =
          'code' in tc
            ? { kind: 'code', code: String(tc.code), ...(typeof tc.token === 'string' ? { token: tc.token } : {}) }
            : tc.error !== null && typeof tc.error === 'object'
              ? { kind: 'error', error: tc.error as Record<string, unknown> }
              : 'undefinedResult' in tc
              ? { kind: 'undefined' }
              : { kind: 'result', value: tc.result };
        cases.push({
          group, name, expr, data, expect,
          bindings: tc.bindings as Record<string, unknown> | undefined,
          timelimit: typeof tc.timelimit === 'number' ? tc.timelimit : undefined,
          depth: typeof tc.depth === 'number' ? tc.depth : undefined,
        });
      });
    }
  }
  return cases;
}

/** Deep equality as the suite's chai `deep.equal` sees it (arrays by index, objects by own keys). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const show = (v: unknown): string => (v === undefined ? 'undefined' : JSON.stringify(v)?.slice(0, 300) ?? String(v));

/** Runs one case; never throws. */
export async function runCase(tc: ConformanceCase, base: ExprOptions = {}): Promise<CaseOutcome> {
  const out: CaseOutcome = { group: tc.group, name: tc.name, expr: tc.expr, passed: false, fast: false, compiledFast: false };
  // like JSONata's runner: limits apply only when a case gives both (0 turns manoflow's defaults off)
  const options: ExprOptions =
    tc.timelimit !== undefined && tc.depth !== undefined ? { ...base, timeLimitMs: tc.timelimit, maxDepth: tc.depth } : { timeLimitMs: 0, maxDepth: 0, ...base };
  let value: unknown;
  let error: { code?: string; token?: string; message?: string; cause?: Record<string, unknown> } | undefined;
  try {
    const compiled = compileExpression(tc.expr, options);
    const r = compiled.evaluate(tc.data, tc.bindings);
    out.compiledFast = compiled.fast;
    out.fast = compiled.fast && !isPending(r);
    value = await r;
  } catch (err) {
    error = err as typeof error;
  }
  const e = tc.expect;
  if (e.kind === 'code') {
    out.expected = `error ${e.code}${e.token ? ` token ${e.token}` : ''}`;
    out.passed = !!error && error.code === e.code && (e.token === undefined || error.token === e.token);
  } else if (e.kind === 'error') {
    // like chai's `deep.contain`: every field given must match (ExpressionError, else its cause)
    out.expected = `error ${show(e.error)}`;
    const field = (k: string): unknown => (error && k in error ? (error as Record<string, unknown>)[k] : error?.cause?.[k]);
    out.passed = !!error && Object.entries(e.error).every(([k, v]) => deepEqual(field(k), v));
  } else {
    out.expected = e.kind === 'undefined' ? 'undefined' : show(e.value);
    out.passed = !error && (e.kind === 'undefined' ? value === undefined : deepEqual(value, e.value));
  }
  if (!out.passed) out.actual = error ? `error ${error.code ?? '?'}${error.token ? ` token ${error.token}` : ''}: ${error.message ?? ''}` : show(value);
  return out;
}

/** Runs every case of the suite in `dir`, in order. */
export async function runConformance(dir: string, base: ExprOptions = {}): Promise<ConformanceReport> {
  const start = Date.now();
  const report: ConformanceReport = { groups: {}, total: { cases: 0, passed: 0, failed: 0, fast: 0, compiledFast: 0 }, failures: [], ms: 0 };
  for (const tc of loadSuite(dir)) {
    const o = await runCase(tc, base);
    const g = (report.groups[tc.group] ??= { passed: 0, failed: 0, fast: 0 });
    report.total.cases++;
    if (o.passed) (g.passed++, report.total.passed++);
    else (g.failed++, report.total.failed++, report.failures.push(o));
    if (o.fast) (g.fast++, report.total.fast++);
    if (o.compiledFast) report.total.compiledFast++;
  }
  report.ms = Date.now() - start;
  return report;
}

/** The text the CLI prints: one line per group, the failures, and the totals. */
export function formatReport(r: ConformanceReport): string {
  const lines = Object.entries(r.groups).map(
    ([name, g]) => `${name.padEnd(34)} passed ${String(g.passed).padStart(4)}  failed ${String(g.failed).padStart(3)}  fast ${String(g.fast).padStart(4)}`,
  );
  for (const f of r.failures) lines.push(`FAIL ${f.group}/${f.name}: ${f.expr.trim().slice(0, 200)}\n     expected ${f.expected}\n     actual   ${f.actual}`);
  const t = r.total;
  lines.push(`total: ${t.cases} cases, passed ${t.passed}, failed ${t.failed}, fast path ${t.fast} (compiled fast ${t.compiledFast}) in ${r.ms} ms`);
  return lines.join('\n');
}
