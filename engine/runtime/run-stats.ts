/**
 * What the HTML run report shows beyond the summary counts, collected while the run streams:
 * how often each attribute is filled, a histogram of prices, a few examples of each reject code,
 * and the API destinations' item results. Constant memory whatever the catalogue's size: fill
 * counts per attribute, price buckets on a log scale, and capped lists of examples.
 */
import type { ItemResult, Reject, Row } from './types.js';

/** Attributes read as the price, first found wins (product feed, offers, plain exports). */
export const PRICE_ATTRIBUTES = ['product_price_vat_inc', 'price_vat_included', 'price'] as const;

/** Buckets per power of ten: 59.90 and 61.00 share one, 59.90 and 99.00 do not. */
const BUCKETS_PER_DECADE = 10;
const EXAMPLES_PER_CODE = 5;
const ITEMS_KEPT = 500;

function priceOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  const n = Number(value.trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.'));
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** A histogram bar: prices from `from` (included) to `to` (excluded), and how many. */
export interface PriceBucket { from: number; to: number; count: number }

/** Why: the run loop feeds it; the report renders what it kept. */
export class RunStats {
  /** Mapped records seen (before the destination's own checks). */
  records = 0;
  readonly filled = new Map<string, number>();
  private readonly buckets = new Map<number, number>();
  priceAttribute: string | undefined;
  prices = 0;
  minPrice = Infinity;
  maxPrice = -Infinity;
  readonly rejectExamples = new Map<string, Reject[]>();
  /** Per-record warnings (written anyway), the first few of each code. */
  readonly warningExamples = new Map<string, Reject[]>();
  readonly items: ItemResult[] = [];
  itemsSeen = 0;

  /** One mapped record: a loop over its keys, and a price into its bucket. */
  add(record: Row): void {
    this.records++;
    const filled = this.filled;
    for (const key in record) {
      const v = record[key];
      if (v !== undefined && v !== null && v !== '') filled.set(key, (filled.get(key) ?? 0) + 1);
      else if (!filled.has(key)) filled.set(key, 0);
    }
    let attribute = this.priceAttribute;
    if (attribute === undefined) {
      attribute = PRICE_ATTRIBUTES.find((a) => a in record);
      if (attribute === undefined) return;
      this.priceAttribute = attribute;
    }
    const price = priceOf(record[attribute]);
    if (price === undefined) return;
    this.prices++;
    if (price < this.minPrice) this.minPrice = price;
    if (price > this.maxPrice) this.maxPrice = price;
    const bucket = Math.floor(Math.log10(price) * BUCKETS_PER_DECADE);
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + 1);
  }

  /** One reject: the first few of each code are kept as examples. */
  reject(r: Reject): void {
    const list = this.rejectExamples.get(r.code);
    if (list === undefined) this.rejectExamples.set(r.code, [r]);
    else if (list.length < EXAMPLES_PER_CODE) list.push(r);
  }

  /** One warning: the record was written; the first few of each code are kept. */
  warning(w: Reject): void {
    const list = this.warningExamples.get(w.code);
    if (list === undefined) this.warningExamples.set(w.code, [w]);
    else if (list.length < EXAMPLES_PER_CODE) list.push(w);
  }

  /** One item result of an API destination: the first ones are kept for the report's table. */
  item(i: ItemResult): void {
    this.itemsSeen++;
    if (this.items.length < ITEMS_KEPT) this.items.push(i);
  }

  /** The histogram, lowest price first, empty buckets between filled ones included. */
  priceHistogram(): PriceBucket[] {
    if (this.buckets.size === 0) return [];
    const keys = [...this.buckets.keys()];
    const lo = Math.min(...keys);
    const hi = Math.max(...keys);
    const out: PriceBucket[] = [];
    for (let b = lo; b <= hi; b++) {
      out.push({ from: 10 ** (b / BUCKETS_PER_DECADE), to: 10 ** ((b + 1) / BUCKETS_PER_DECADE), count: this.buckets.get(b) ?? 0 });
    }
    return out;
  }

  /** The bucket holding the middle price (an approximate median). */
  medianBucket(): PriceBucket | undefined {
    let seen = 0;
    for (const b of this.priceHistogram()) {
      seen += b.count;
      if (seen * 2 >= this.prices) return b;
    }
    return undefined;
  }
}
