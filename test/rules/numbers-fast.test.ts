/**
 * The number fast paths (engine/rules/numbers.ts) against the general paths they shortcut, on
 * seeded numbers: formatDecimal and roundedNumber (scaled integers) against roundDecimal (digit by
 * digit on String(n)), parseNumber's plain decimals (integer arithmetic) against parseNumberText.
 * The rule bodies and the natives both call these functions, so the native-vs-body tests cannot
 * see a fast path going wrong: this is where it is proven.
 */
import { describe, expect, it } from 'vitest';
import { formatDecimal, parseNumber, parseNumberText, roundDecimal, roundedNumber, roundScaled } from '../../engine/rules/numbers.js';
import { prng } from '../../engine/util/prng.js';

/** formatDecimal as it was before the fast path: roundDecimal's digits, grouped, with the sign. */
function referenceText(n: number, decimals: unknown, sep: string, thousands: string): string {
  const d = typeof decimals === 'number' && decimals >= 0 ? Math.min(Math.floor(decimals), 10) : 2;
  const { negative, int, frac } = roundDecimal(n, d);
  const grouped = thousands !== '' ? int.replace(/\B(?=(\d{3})+(?!\d))/g, thousands) : int;
  return (negative ? '-' : '') + (d === 0 ? grouped : grouped + sep + frac);
}

// halves on the decimal text, negatives, zeros, both ends of Number's notation, the fast path's limits
const EDGES = [
  0, -0, 0.5, 1.5, 2.5, -2.5, 1.005, -1.005, 2.675, 1.115, 0.125, 0.045, 4.35, 4.345, 1.45, 8.575, 9.995, -9.995,
  99.995, 999999.995, 1.0049999999999999, 0.1 + 0.2, 5.699999999999999, 97.608, 1e21, -1e21, 1e-7, -1e-7, 5e-7,
  1.5e-7, 1e15, 1e15 + 0.5, 2 ** 52, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 123456789012.345, 4503599627370495.5,
  45035996273.70495, 4503599627.370495, 450359962737.0495, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308,
];

/** Numbers like a catalogue's: prices with 0-3 decimals, with VAT or a discount applied, and halves. */
function seededNumbers(seed: number, count: number): number[] {
  const random = prng(seed);
  const out: number[] = [...EDGES];
  for (let i = 0; i < count; i++) {
    const cents = Math.floor(random() * 10 ** (1 + Math.floor(random() * 9)));
    const sign = random() < 0.2 ? -1 : 1;
    const places = Math.floor(random() * 5);
    const price = (sign * cents) / 10 ** places;
    out.push(price, price * 1.2, price * 1.055, price * (1 - 0.15), price - 0.3);
    // a half at some decimal, and a random double of any magnitude
    out.push((sign * (cents + 0.5)) / 10 ** places);
    out.push(sign * random() * 10 ** (Math.floor(random() * 40) - 12));
  }
  return out;
}

describe('formatDecimal and roundedNumber = roundDecimal on the shortest decimal text', () => {
  const numbers = seededNumbers(20261207, 6000);
  it.each([0, 1, 2, 3, 4, 6, 10, 2.7, -1, undefined])('decimals %s', (decimals) => {
    const mismatches: string[] = [];
    let fast = 0;
    for (const n of numbers) {
      const expected = referenceText(n, decimals, '.', '');
      const got = formatDecimal(n, decimals, '.', '');
      if (got !== expected) mismatches.push(`formatDecimal(${n}, ${decimals}) = ${String(got)}, expected ${expected}`);
      const grouped = formatDecimal(n, decimals, ',', ' ');
      if (grouped !== referenceText(n, decimals, ',', ' ')) mismatches.push(`formatDecimal(${n}, ${decimals}, ",", " ") = ${String(grouped)}`);
      const number = roundedNumber(n, decimals);
      if (number !== undefined && !Object.is(number, Number(expected))) mismatches.push(`roundedNumber(${n}, ${decimals}) = ${number}, expected ${expected}`);
      const d = typeof decimals === 'number' && decimals >= 0 ? Math.min(Math.floor(decimals), 10) : 2;
      if (roundScaled(Math.abs(n), d) >= 0) fast++;
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    // the fast path answers most numbers itself (~93%; the rest: halves, huge and tiny doubles)
    expect(fast / numbers.length).toBeGreaterThan(decimals === 10 ? 0.6 : 0.85);
  });

  it('keeps the cases the documentation names', () => {
    expect(formatDecimal(1.005, 2)).toBe('1.01');
    expect(formatDecimal(2.675, 2)).toBe('2.68');
    expect(formatDecimal(-0, 2)).toBe('0.00');
    expect(formatDecimal(-0.001, 2)).toBe('0.00');
    expect(formatDecimal(-2.5, 0)).toBe('-3');
    expect(formatDecimal(1e21, 2)).toBe('1000000000000000000000.00');
    expect(formatDecimal(1e-7, 7)).toBe('0.0000001');
    expect(roundedNumber(81.34 * 1.2, 2)).toBe(97.61);
    expect(Object.is(roundedNumber(-0.001, 2), 0)).toBe(true);
  });
});

describe('parseNumber of plain decimals = parseNumberText', () => {
  const EDGE_TEXTS = ['-0', '0', '-0.0', '0,000', '1,234', '-1.234', '0.5', '007', '007,50', '1,2345', '12,5', '-', '', '1.', ',5',
    '123456789012345', '1234567890123456', '9007199254740993', '99999999999999.9', '0.000000000000001', '1e3', '+1', '1.2.3'];
  function seededTexts(seed: number, count: number): string[] {
    const random = prng(seed);
    const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(random() * 10))).join('');
    const out = [...EDGE_TEXTS];
    for (let i = 0; i < count; i++) {
      const int = digits(1 + Math.floor(random() * 17));
      const sep = random() < 0.3 ? '' : random() < 0.5 ? ',' : '.';
      const frac = sep === '' ? '' : digits(1 + Math.floor(random() * 6));
      out.push(`${random() < 0.2 ? '-' : ''}${int}${sep}${frac}`);
    }
    return out;
  }
  const texts = seededTexts(7, 20000);
  it.each(['auto', ',', '.'] as const)('decimal mark %s', (decimal) => {
    const mark = decimal === 'auto' ? undefined : decimal;
    const mismatches = texts.filter((t) => !Object.is(parseNumber(t, decimal), parseNumberText(t, mark)));
    expect(mismatches.slice(0, 10).map((t) => `${t}: ${parseNumber(t, decimal)} vs ${parseNumberText(t, mark)}`)).toEqual([]);
  });
});
