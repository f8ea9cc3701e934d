/**
 * Runs a rule box's test file (`rules/<name>.test.yaml`): each case feeds `input` (with `args`,
 * `record`, `vars`) through the rule and compares with `expect`. Used by the vitest suite and by
 * `manoflow test`, so a user's own rule boxes are tested the same way as the built-ins.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { LineCounter, isMap, isSeq, parseDocument } from 'yaml';
import { ManoflowError } from '../errors.js';
import { bindRuleArgs } from './args.js';
import { applyRule } from './apply.js';
import { builtinRulesDir, loadRuleBox } from './loader.js';
import { nativeRule, NOT_NATIVE } from './native/index.js';

/** The outcome of one case; `line` is the 1-based line of the case in the YAML file. */
export interface RuleTestResult {
  name: string;
  line: number;
  ok: boolean;
  expected: unknown;
  actual: unknown;
  error?: string;
}

interface RuleTestCase {
  name?: string;
  input?: unknown;
  args?: unknown;
  record?: unknown;
  vars?: unknown;
  expect?: unknown;
  expect_undefined?: boolean;
  expect_error?: string;
}

/** Why: the keys a rule-box test case may have (schemas/pipeline-test.schema.json lists the same). */
export const RULE_CASE_KEYS: ReadonlySet<string> = new Set(['name', 'input', 'args', 'record', 'vars', 'expect', 'expect_undefined', 'expect_error']);

/** Structural equality on JSON-like values (jsonata sequences compare as plain arrays). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

function plain(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function errorCodes(err: unknown): string[] {
  const e = err as { code?: string; details?: { jsonataCode?: string } };
  return [e?.code, e?.details?.jsonataCode].filter((c): c is string => typeof c === 'string');
}

/**
 * Runs every case of one test file. The rule is `rule:` (or the file name before `.test.yaml`),
 * looked up beside the test file first, then among the built-ins. A file that cannot be read or
 * a rule that does not load throws ManoflowError (CFG_RULE_TEST, CFG_UNKNOWN_RULE, CFG_RULE_SYNTAX).
 */
export async function runRuleTestFile(file: string, searchDirs?: string[]): Promise<RuleTestResult[]> {
  const path = resolve(file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(path, 'utf8'), { lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new ManoflowError('CFG_RULE_TEST', `${path}:${pos?.line ?? 1}:${pos?.col ?? 1} ${e.message}`);
  }
  const root = doc.toJS() as { rule?: string; cases?: RuleTestCase[] } | null;
  const casesNode = isMap(doc.contents) ? doc.contents.get('cases', true) : undefined;
  if (!root || !Array.isArray(root.cases) || !isSeq(casesNode)) {
    throw new ManoflowError('CFG_RULE_TEST', `${path}: expected "cases:" with a list of test cases`, {
      hint: 'rule: <name>\ncases:\n  - name: ...\n    input: ...\n    args: ...\n    expect: ...',
    });
  }
  const ruleName = root.rule ?? basename(path).replace(/\.test\.ya?ml$/, '');
  const rule = loadRuleBox(ruleName, searchDirs ?? [dirname(path), builtinRulesDir()]);

  const results: RuleTestResult[] = [];
  for (const [i, c] of root.cases.entries()) {
    const node = casesNode.items[i] as { range?: [number, number, number] } | undefined;
    const line = node?.range ? lineCounter.linePos(node.range[0]).line : 0;
    const name = c?.name ?? `case ${i + 1}`;
    const expected = c.expect_error ? { error: c.expect_error } : c.expect_undefined ? undefined : c.expect;
    const base = { name, line, expected };
    const unknownKey = Object.keys(c ?? {}).find((k) => !RULE_CASE_KEYS.has(k));
    if (unknownKey) {
      results.push({ ...base, ok: false, actual: undefined, error: `unknown case key "${unknownKey}" (use ${[...RULE_CASE_KEYS].join(', ')})` });
      continue;
    }
    if (!c.expect_error && !c.expect_undefined && !('expect' in c)) {
      results.push({ ...base, ok: false, actual: undefined, error: 'the case has no expect, expect_undefined or expect_error' });
      continue;
    }
    let actual: unknown;
    // a built-in rule box's native version (engine/rules/native) must answer what its body answers
    let native: unknown = NOT_NATIVE;
    try {
      const bindings = bindRuleArgs(rule, c.args);
      native = nativeRule(rule, bindings)?.(c.input, c.record ?? {}, c.vars ?? {}) ?? NOT_NATIVE;
      actual = plain(await applyRule(rule, c.input, bindings, { record: c.record ?? {}, vars: c.vars ?? {} }));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const codes = errorCodes(err);
      const disagree = native !== NOT_NATIVE ? `the native version gives ${JSON.stringify(native)} where the JSONata body fails: ${message}` : undefined;
      const ok = c.expect_error !== undefined && codes.includes(c.expect_error) && !disagree;
      results.push({ ...base, ok, actual: { error: codes[0] ?? 'ERROR' }, error: ok ? undefined : disagree ?? message });
      continue;
    }
    const disagree = native !== NOT_NATIVE && !sameValue(plain(native), actual)
      ? `the native version gives ${JSON.stringify(native)}, the JSONata body ${JSON.stringify(actual)} (engine/rules/native)` : undefined;
    const ok = !disagree && (c.expect_error ? false : c.expect_undefined ? actual === undefined : sameValue(actual, c.expect));
    results.push({ ...base, ok, actual, error: ok ? undefined : disagree ?? (c.expect_error ? `expected error ${c.expect_error}, got a value` : undefined) });
  }
  return results;
}
