/**
 * The comparisons of a pipeline test: expected records are subsets of the actual ones (only the
 * attributes a case lists are checked), rejects and diagnostics match field by field, in any order.
 */
import type { Diagnostic } from '../errors.js';
import { sameValue } from '../rules/run-tests.js';
import type { Reject, Row } from '../runtime/types.js';
import type { TestFailure } from './types.js';

/** Equality for one attribute: structural, and an expected `null` also matches an absent attribute. */
export function sameAttribute(expected: unknown, actual: unknown): boolean {
  if (expected === null) return actual === null || actual === undefined;
  return sameValue(expected, plain(actual));
}

/** JSON round trip: jsonata sequences and class instances compare and print as plain values. */
export function plain(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

/** Why: `expect` lists every output record in order; each record is checked on the attributes it names. */
export function compareOutputs(expected: Row[], actual: Row[]): TestFailure[] {
  const failures: TestFailure[] = [];
  const n = Math.min(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const want = expected[i] ?? {};
    const got = actual[i] ?? {};
    const id = got.sku ?? got.order_reference;
    for (const [attribute, value] of Object.entries(want)) {
      if (!sameAttribute(value, got[attribute])) {
        failures.push({ kind: 'value', record: i, id: id === undefined ? undefined : String(id), attribute, expected: value, actual: plain(got[attribute]) });
      }
    }
  }
  if (expected.length !== actual.length) {
    failures.push({ kind: 'count', expected: expected.length, actual: actual.length, extra: actual.slice(expected.length) });
  }
  return failures;
}

function fieldsMatch(expected: Record<string, unknown>, actual: Record<string, unknown>): boolean {
  return Object.entries(expected).every(([k, v]) => {
    const a = actual[k];
    // A message is checked as a substring: wording may improve, codes do not change.
    if (k === 'message' || k === 'hint') return typeof a === 'string' && a.includes(String(v));
    return sameAttribute(v, a);
  });
}

/** Pairs each expected item with a distinct actual one it matches (first fit, in order). */
function pair<E extends object, A extends object>(expected: E[], actual: A[]): { missing: E[]; unmatched: A[] } {
  const free = actual.map(() => true);
  const missing: E[] = [];
  for (const e of expected) {
    const i = actual.findIndex((a, j) => free[j] && fieldsMatch(e as Record<string, unknown>, a as Record<string, unknown>));
    if (i < 0) missing.push(e);
    else free[i] = false;
  }
  return { missing, unmatched: actual.filter((_, j) => free[j]) };
}

/** Every expected reject must be found, and every actual reject expected (none expected when the key is absent). */
export function compareRejects(expected: Partial<Reject>[] | undefined, actual: Reject[]): TestFailure[] {
  const { missing, unmatched } = pair(expected ?? [], actual);
  return [
    ...missing.map((e): TestFailure => ({ kind: 'missing-reject', expected: e })),
    ...unmatched.map((a): TestFailure => ({ kind: 'unexpected-reject', actual: a })),
  ];
}

/** Every expected diagnostic must be found; errors nobody expected fail the case, warnings do not. */
export function compareDiagnostics(expected: Partial<Diagnostic>[] | undefined, actual: Diagnostic[]): TestFailure[] {
  const { missing, unmatched } = pair(expected ?? [], actual);
  return [
    ...missing.map((e): TestFailure => ({ kind: 'missing-diagnostic', expected: e })),
    ...unmatched.filter((d) => d.severity === 'error').map((d): TestFailure => ({ kind: 'unexpected-diagnostic', actual: d })),
  ];
}
