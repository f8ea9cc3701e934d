/**
 * Record checks, change descriptions and safety verdicts of manomano-offers, as data.
 */
import { describe, expect, it } from 'vitest';
import { checkOffer } from '../../../engine/connectors/destinations/manomano-offers/checks.js';
import { describeChange, evaluateSafety, hasChanged, type PlannedUpdate } from '../../../engine/connectors/destinations/manomano-offers/plan.js';

const checks: { name: string; record: Record<string, unknown>; offer?: object; code?: string; attribute?: string }[] = [
  { name: 'numbers as numbers', record: { sku: 'A-1', quantity: 3, price_vat_included: 19.9 }, offer: { sku: 'A-1', quantity: 3, price: 19.9 } },
  { name: 'text with a decimal comma', record: { sku: ' A-1 ', quantity: ' 12 ', price_vat_included: '12,50' }, offer: { sku: 'A-1', quantity: 12, price: 12.5 } },
  { name: 'price rounded to cents', record: { sku: 'A-1', price_vat_included: 23.880000000000003 }, offer: { sku: 'A-1', price: 23.88 } },
  { name: 'stock only', record: { sku: 'A-1', quantity: '0', price_vat_included: '' }, offer: { sku: 'A-1', quantity: 0 } },
  { name: 'price only', record: { sku: 'A-1', price_vat_included: '7.5' }, offer: { sku: 'A-1', price: 7.5 } },
  { name: 'numeric sku', record: { sku: 12345, quantity: 1 }, offer: { sku: '12345', quantity: 1 } },
  { name: 'missing sku', record: { quantity: 1, price_vat_included: 2 }, code: 'OFFER_SKU_MISSING', attribute: 'sku' },
  { name: 'blank sku', record: { sku: '  ', quantity: 1 }, code: 'OFFER_SKU_MISSING', attribute: 'sku' },
  { name: 'negative quantity', record: { sku: 'A-1', quantity: '-3' }, code: 'OFFER_QUANTITY_INVALID', attribute: 'quantity' },
  { name: 'fractional quantity', record: { sku: 'A-1', quantity: '2,5' }, code: 'OFFER_QUANTITY_INVALID', attribute: 'quantity' },
  { name: 'text quantity', record: { sku: 'A-1', quantity: 'ten' }, code: 'OFFER_QUANTITY_INVALID', attribute: 'quantity' },
  { name: 'zero price', record: { sku: 'A-1', price_vat_included: '0,00' }, code: 'OFFER_PRICE_INVALID', attribute: 'price_vat_included' },
  { name: 'negative price', record: { sku: 'A-1', price_vat_included: -1 }, code: 'OFFER_PRICE_INVALID', attribute: 'price_vat_included' },
  { name: 'non-numeric price', record: { sku: 'A-1', price_vat_included: '12 EUR' }, code: 'OFFER_PRICE_INVALID', attribute: 'price_vat_included' },
  { name: 'ambiguous thousands', record: { sku: 'A-1', price_vat_included: '1.234,50' }, code: 'OFFER_PRICE_INVALID', attribute: 'price_vat_included' },
  { name: 'nothing to update', record: { sku: 'A-1' }, code: 'OFFER_NOTHING_TO_UPDATE' },
];

describe('checkOffer', () => {
  for (const c of checks) {
    it(c.name, () => {
      const r = checkOffer(c.record);
      if (c.offer) expect(r).toEqual({ ok: true, offer: c.offer });
      else {
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.problem.code).toBe(c.code);
          if (c.attribute) expect(r.problem.attribute).toBe(c.attribute);
          expect(r.problem.hint).not.toBe('');
        }
      }
    });
  }
});

describe('delta and change text', () => {
  const cases: [string, object, object | undefined, boolean, string][] = [
    ['new offer', { sku: 'A', price: 17.9, quantity: 0 }, undefined, true, 'price → 17.90; stock → 0'],
    ['both change', { sku: 'A', price: 17.9, quantity: 0 }, { price: 19.9, quantity: 3 }, true, 'price 19.90 → 17.90; stock 3 → 0'],
    ['stock only changes', { sku: 'A', price: 19.9, quantity: 2 }, { price: 19.9, quantity: 3 }, true, 'stock 3 → 2'],
    ['unchanged', { sku: 'A', price: 19.9, quantity: 3 }, { price: 19.9, quantity: 3 }, false, 'unchanged (full resend)'],
    ['price-only record vs known stock', { sku: 'A', price: 19.9 }, { price: 19.9, quantity: 3 }, false, 'unchanged (full resend)'],
    ['stock never confirmed', { sku: 'A', price: 19.9, quantity: 3 }, { price: 19.9 }, true, 'stock → 3'],
  ];
  for (const [name, update, before, changed, text] of cases) {
    it(name, () => {
      expect(hasChanged(update as PlannedUpdate, before)).toBe(changed);
      expect(describeChange(update as PlannedUpdate, before)).toBe(text);
    });
  }
});

describe('evaluateSafety', () => {
  const planned: PlannedUpdate[] = [
    { sku: 'Z1', quantity: 0, before: { quantity: 5 } },
    { sku: 'Z2', quantity: 0 },                          // unknown before: counts
    { sku: 'Z3', quantity: 0, before: { quantity: 0 } }, // already zero: does not count
    { sku: 'P1', price: 10, before: { price: 20 } },     // -50%
    { sku: 'P2', price: 18, before: { price: 20 } },     // -10%
    { sku: 'P3', price: 5 },                             // no confirmed price: not judged
  ];
  const cases: { name: string; limits: object; offers: number; ok: boolean; zeroing?: number; drops?: number; says?: RegExp }[] = [
    { name: 'no limits', limits: {}, offers: 10, ok: true, zeroing: 2 },
    { name: 'zero stock under the limit', limits: { max_zero_stock_percent: 20 }, offers: 10, ok: true },
    { name: 'zero stock over the limit', limits: { max_zero_stock_percent: 10 }, offers: 10, ok: false, says: /2 of 10 offers \(20\.0%\) would go to zero stock; the limit is max_zero_stock_percent: 10/ },
    { name: 'one big drop, none tolerated', limits: { max_price_drop_percent: 30 }, offers: 10, ok: false, drops: 1, says: /P1 20\.00 → 10\.00 \(-50\.0%\)/ },
    { name: 'one big drop tolerated', limits: { max_price_drop_percent: 30, max_price_drop_items: 1 }, offers: 10, ok: true, drops: 1 },
    { name: 'threshold below the small drop', limits: { max_price_drop_percent: 5 }, offers: 10, ok: false, drops: 2 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const v = evaluateSafety(c.limits, planned, c.offers);
      expect(v.ok).toBe(c.ok);
      if (c.zeroing !== undefined) expect(v.zeroing).toBe(c.zeroing);
      if (c.drops !== undefined) expect(v.priceDrops).toBe(c.drops);
      if (c.says) expect(v.broken.join('\n')).toMatch(c.says);
    });
  }
});
