/**
 * Native versions of the value rule boxes (rules/number_format, add_vat, discount, to_number, lookup,
 * if_then_else): the same steps as their JSONata bodies, calling the same custom functions.
 * Every error path (a text that is not a number, a missing rate) returns NOT_NATIVE, so the
 * JSONata body raises the error with its own code, message and position.
 */
import { formatDecimal, parseNumber, regexTest, roundedNumber } from '../functions.js';
import { isBlank, isScalar, jsonataNumber, jsonataTrim, NOT_NATIVE } from './jsonata-like.js';
import type { NativeFactory } from './types.js';

const hasOwn = Object.prototype.hasOwnProperty;

export const numberFormat: NativeFactory = (args) => {
  const { decimals, decimal_separator: sep, thousands_separator: thousands } = args;
  if (typeof decimals !== 'number' || typeof sep !== 'string' || typeof thousands !== 'string') return undefined;
  return (value) => {
    if (isBlank(value)) return value;
    if (typeof value !== 'string' && typeof value !== 'number') return NOT_NATIVE;
    const n = parseNumber(value);
    return n === undefined ? NOT_NATIVE : formatDecimal(n, decimals, sep, thousands);
  };
};

export const toNumber: NativeFactory = (args) => {
  const { decimal } = args;
  if (decimal !== 'auto' && decimal !== ',' && decimal !== '.') return undefined;
  return (value) => {
    if (isBlank(value)) return value;
    if (typeof value !== 'string' && typeof value !== 'number') return NOT_NATIVE;
    return parseNumber(value, decimal) ?? NOT_NATIVE;
  };
};

export const addVat: NativeFactory = (args) => {
  const { rate, percent, decimals } = args;
  if (typeof decimals !== 'number') return undefined;
  const given = (x: unknown) => x !== undefined && x !== null;
  // both given: the body refuses every value that is not blank
  if (given(rate) && given(percent)) return undefined;
  return (value, _record, vars) => {
    if (isBlank(value)) return value;
    if (typeof value !== 'string' && typeof value !== 'number') return NOT_NATIVE;
    // the body's own steps: `$percent / 100`, else the rate, else $vars.vat_rate
    const r = given(percent) ? (typeof percent === 'number' ? percent / 100 : undefined) : given(rate) ? rate : vatRate(vars);
    // no rate, or one outside (0, 1): the body raises its error
    if (typeof r !== 'number' || !Number.isFinite(r) || !(r > 0 && r < 1)) return NOT_NATIVE;
    const n = parseNumber(value);
    if (n === undefined) return NOT_NATIVE;
    const gross = n * (1 + r);
    if (!Number.isFinite(gross)) return NOT_NATIVE;
    // `$number($formatDecimal(...))`: the rounded number itself when the fast path knows it
    return roundedNumber(gross, decimals) ?? jsonataNumber(formatDecimal(gross, decimals, '.', '') as string);
  };
};

/** `$vars.vat_rate` when vars is a plain object holding a number there. */
function vatRate(vars: unknown): unknown {
  if (vars === null || typeof vars !== 'object' || Array.isArray(vars)) return undefined;
  const r = (vars as Record<string, unknown>).vat_rate;
  return typeof r === 'number' ? r : undefined;
}

export const lookup: NativeFactory = (args) => {
  const { table, default: fallback, ignore_case: ignoreCase } = args;
  if (table === null || typeof table !== 'object' || Array.isArray(table) || typeof ignoreCase !== 'boolean') return undefined;
  if (!isScalar(fallback)) return undefined;
  const entries = table as Record<string, unknown>;
  const names = Object.keys(entries);
  if (names.some((k) => !isScalar(entries[k]))) return undefined;
  // ignore_case: the first key (in table order) equal once trimmed and lowercased
  const folded = new Map<string, string>();
  for (const k of names) {
    const f = jsonataTrim(k).toLowerCase();
    if (!folded.has(f)) folded.set(f, k);
  }
  return (value) => {
    if (isBlank(value)) return value;
    let k: string;
    if (typeof value === 'string') k = value;
    else if (typeof value === 'boolean') k = String(value);
    else return NOT_NATIVE;
    const hit = ignoreCase ? folded.get(jsonataTrim(k).toLowerCase()) : hasOwn.call(entries, k) ? k : undefined;
    if (hit !== undefined) return entries[hit];
    return fallback !== undefined ? fallback : value;
  };
};

const FALSY_TEXT = new Set(['', '0', 'false', 'no', 'non']);

export const ifThenElse: NativeFactory = (args) => {
  const { then, else: otherwise, equals, matches, field, case_sensitive: caseSensitive } = args;
  if (!isScalar(then) || !isScalar(otherwise) || !isScalar(equals) || typeof caseSensitive !== 'boolean') return undefined;
  if (matches !== undefined && matches !== null && typeof matches !== 'string') return undefined;
  if (field !== undefined && field !== null && typeof field !== 'string') return undefined;
  const norm = (x: string) => (caseSensitive ? jsonataTrim(x) : jsonataTrim(x).toLowerCase());
  const equalsNorm = typeof equals === 'string' ? norm(equals) : equals;
  const flags = caseSensitive ? '' : 'i';
  return (value, record) => {
    if (!isScalar(value)) return NOT_NATIVE;
    let subject: unknown = value;
    if (typeof field === 'string') {
      if (record === null || typeof record !== 'object' || Array.isArray(record)) return NOT_NATIVE;
      if (hasOwn.call(record, field)) subject = (record as Record<string, unknown>)[field];
      else if (field in record) return NOT_NATIVE;
      else subject = undefined;
      if (!isScalar(subject)) return NOT_NATIVE;
    }
    let holds: boolean;
    if (equals !== undefined && equals !== null) {
      if (typeof equals === 'number' && typeof subject === 'string') holds = parseNumber(subject) === equals;
      else if (subject === undefined) holds = false;
      // a text already in the compared form is that form once normalised (trim and lowercase are idempotent)
      else if (subject === equalsNorm) holds = true;
      else holds = (typeof subject === 'string' ? norm(subject) : subject) === equalsNorm;
    } else if (typeof matches === 'string') {
      if (typeof subject !== 'string') return NOT_NATIVE;
      holds = regexTest(subject, matches, flags);
    } else {
      holds = !(subject === null || subject === undefined || subject === false || subject === 0
        || (typeof subject === 'string' && FALSY_TEXT.has(jsonataTrim(subject).toLowerCase())));
    }
    if (holds) return then !== undefined ? then : value;
    return otherwise !== undefined ? otherwise : value;
  };
};

/** rules/discount: a parsed price lowered and rounded as the body does; bad prices and types keep the body. */
export const discount: NativeFactory = (args) => {
  const { value: amount, type, decimals } = args;
  // any other type makes the body raise its error on every non-empty value
  if (typeof amount !== 'number' || (type !== 'percent' && type !== 'amount') || typeof decimals !== 'number') return undefined;
  return (value) => {
    if (isBlank(value)) return value;
    if (typeof value !== 'string' && typeof value !== 'number') return NOT_NATIVE;
    const n = parseNumber(value);
    if (n === undefined) return NOT_NATIVE;
    // the body's own steps and order: `$n * (1 - $value / 100)` or `$n - $value`
    const r = type === 'percent' ? n * (1 - amount / 100) : n - amount;
    if (!Number.isFinite(r)) return NOT_NATIVE;
    const kept = r < 0 ? 0 : r;
    return roundedNumber(kept, decimals) ?? jsonataNumber(formatDecimal(kept, decimals, '.', '') as string);
  };
};
