/**
 * Values as shops export them ("59,99", " Bosch ", "", 4006381333931) made uniform before the
 * checks, and numbers written back the way the feed is configured (decimal separator, no noise).
 */
import type { Row } from '../../../runtime/types.js';
import { roundDecimal } from '../../../rules/functions.js';
import { NUMERIC_COLUMNS, PRICE_COLUMNS, TEXT_COLUMNS } from './columns.js';

/** Parses "59,99", "12.5", "-3" into a number; anything else (thousands separators, "N/A") gives undefined. */
export function parseDecimal(text: string): number | undefined {
  if (!isDecimal(text)) return undefined;
  const n = Number(text.replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

/**
 * `/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(text)` as a loop: after an optional sign, digits and at
 * most one separator, with at least one digit.
 */
export function isDecimal(text: string): boolean {
  let i = 0;
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) i = 1; // + -
  let digits = 0;
  let separators = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 || c === 44) { if (++separators > 1) return false; } // . ,
    else return false;
  }
  return digits > 0;
}

/** Normalises one value: trimmed text, empty as absent, numeric columns parsed, text columns as text. */
export function normalizeValue(column: string, value: unknown): unknown {
  return normalizeAs(NUMERIC_COLUMNS.has(column), TEXT_COLUMNS.has(column), value);
}

/** Why: the feed's hot path knows each column's kind already (record-slots.ts); one body for both. */
export function normalizeAs(numeric: boolean, text: boolean, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    const trimmed = trimText(value);
    if (trimmed === '') return undefined;
    if (numeric) return parseDecimal(trimmed) ?? trimmed;
    return trimmed;
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return undefined;
    return text && Number.isFinite(value) ? String(value) : value;
  }
  if (typeof value === 'boolean' && numeric) return value ? 1 : 0;
  if (Array.isArray(value)) {
    // Multi-values (several EANs, attribute lists) travel joined by '#'.
    const parts = value.map((v) => normalizeAs(numeric, text, v)).filter((v) => v !== undefined);
    return parts.length === 0 ? undefined : parts.map((v) => String(v)).join('#');
  }
  return value;
}

/**
 * `text.trim()`, skipped when both ends are printable ASCII other than space (nothing to trim):
 * the builtin costs ~100 ns a call even then, on ~20 cells a record.
 */
function trimText(text: string): string {
  const n = text.length;
  if (n === 0) return text;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(n - 1);
  return first > 32 && first < 127 && last > 32 && last < 127 ? text : text.trim();
}

/** Why: the checks and the writer both see the same, normalised record. */
export function normalizeRecord(record: Row): Row {
  const out: Row = {};
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const v = normalizeValue(key, record[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** Writes a number without float noise or exponent: prices to cents, others to 6 decimals. */
export function formatNumber(n: number, decimals: number, decimalSeparator: '.' | ','): string {
  // Most numbers of a feed are whole or have two decimals (prices, quantities, rates). When n is
  // exactly the double of a count of hundredths c (c / 100 === n, below 1e9: at most 11
  // significant digits), its shortest form (what String(n) writes) is c's digits: two decimals of
  // at most 15 significant digits are never the same double, so no shorter text reads back as n.
  // Written from the integer, without String(n)'s shortest-digits search (~4% of a feed's run).
  if (n >= 0 && n < 1e9 && decimals >= 2) {
    const c = Math.round(n * 100);
    if (c / 100 === n) return hundredthsText(c, decimalSeparator);
  }
  return formatNumberText(n, decimals, decimalSeparator);
}

/** c / 100 written shortest: "59.99", "59.9", "59", with the decimal separator. */
function hundredthsText(c: number, decimalSeparator: '.' | ','): string {
  const frac = c % 100;
  const int = (c - frac) / 100;
  if (frac === 0) return `${int}`;
  const digits = frac % 10 === 0 ? `${frac / 10}` : frac < 10 ? `0${frac}` : `${frac}`;
  return `${int}${decimalSeparator}${digits}`;
}

/** formatNumber without its two-decimal shortcut (the general path; the tests hold one to the other). */
export function formatNumberText(n: number, decimals: number, decimalSeparator: '.' | ','): string {
  if (!Number.isFinite(n)) return '';
  // Hot path: a number whose shortest form already fits `decimals` is that form (rounding and
  // toFixed would give it back); far from the precision limit only, where that provably holds.
  if (decimals <= 6 && n < 1e9 && n > -1e9) {
    const s = String(n);
    const dot = s.indexOf('.');
    if (!s.includes('e')) {
      if (dot < 0) return s;
      if (s.length - dot - 1 <= decimals) return decimalSeparator === ',' ? s.replace('.', ',') : s;
    }
  }
  // rounded half away from zero on the decimal representation (1.005 → 1.01), exactly at any
  // magnitude: toFixed writes 1e21 as "1e+21"
  const { negative, int, frac } = roundDecimal(n, decimals);
  const kept = frac.replace(/0+$/, '');
  const text = (negative ? '-' : '') + int + (kept ? `.${kept}` : '');
  return decimalSeparator === ',' ? text.replace('.', ',') : text;
}

/** Why: one place decides how each kind of value looks in the CSV cell. */
export function formatValue(column: string, value: unknown, decimalSeparator: '.' | ','): unknown {
  if (typeof value === 'number') return formatNumber(value, PRICE_COLUMNS.has(column) ? 2 : 6, decimalSeparator);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return value;
}
