/**
 * formatNumber writes whole numbers and numbers of two decimals from their count of hundredths
 * (normalize.ts): it must give exactly what the general path (formatNumberText, String(n) based)
 * gives, on every kind of number a feed meets and on the edges of that shortcut.
 */
import { describe, expect, it } from 'vitest';
import { formatNumber, formatNumberText } from '../../../engine/connectors/destinations/manomano-products/normalize.js';
import { prng } from '../../../engine/util/prng.js';

function numbers(): number[] {
  const rnd = prng(20261206);
  const out = [0, -0, 1, 0.1, 0.01, 0.05, 0.5, 0.1 + 0.2, 1.005, 2.675, 59.99, 59.9, 1234.5, 999999999.99, 999999999.995, 1e9, 1e9 - 0.01,
    123456789.12, 5e-324, 1e-7, 0.001, 0.015, 1e21, 2 ** 53, Number.MAX_VALUE, -1, -59.99, -0.01, NaN, Infinity, -Infinity];
  for (let i = 0; i < 20000; i++) {
    out.push(Math.round(rnd() * 1e6) / 100); // prices as cents
    out.push(Math.round(rnd() * 1e4) / 100 * 1.2); // VAT added, float noise left
    out.push(Math.floor(rnd() * 1e5)); // quantities
    out.push(rnd() * 1e3); // any double
    out.push(Math.round(rnd() * 1e5) / 1000); // weights to grams
    out.push(Math.round(rnd() * 1e11) / 100); // big prices, near the 1e9 limit
  }
  return out;
}

describe('formatNumber', () => {
  it.each([[2, '.'], [2, ','], [6, '.'], [6, ','], [3, '.'], [1, '.'], [0, ',']] as const)('equals the general path: %i decimals, "%s"', (decimals, sep) => {
    let shortcut = 0;
    for (const n of numbers()) {
      const got = formatNumber(n, decimals, sep);
      expect({ n, got }).toStrictEqual({ n, got: formatNumberText(n, decimals, sep) });
      if (decimals >= 2 && n >= 0 && n < 1e9 && Math.round(n * 100) / 100 === n) shortcut++;
    }
    // the shortcut is taken, on most numbers
    if (decimals >= 2) expect(shortcut).toBeGreaterThan(60000);
  });

  it('writes hundredths shortest, with the separator', () => {
    expect([59.99, 59.9, 59, 0.05, 0.5, 1234.1].map((n) => formatNumber(n, 2, ','))).toStrictEqual(['59,99', '59,9', '59', '0,05', '0,5', '1234,1']);
  });
});
