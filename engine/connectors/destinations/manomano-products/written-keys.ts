/**
 * The skus and (brand, manufacturer reference) pairs a feed has written, for its duplicate checks.
 * The keys' text lives in sets shared by the feeds of one run's markets (KeyText, through
 * RunContext.shared: the same skus come back in every market's feed), and each feed marks the
 * entries it wrote, one byte each (and its EAN index, 4 bytes a code: catalog-checks.ts). Four
 * markets of a million skus then hold the skus and EANs once (~50 MB) instead of four times
 * (bench/README, variants workload).
 */
import type { RunContext } from '../../../runtime/types.js';
import { grow, growable } from '../../../util/growable.js';
import { EanCodes } from './catalog-checks.js';
import { CompactStringSet } from './key-set.js';

/** The text of the keys, one per run. */
export class KeyText {
  readonly skus = new CompactStringSet();
  /** (brand, reference), both lower-cased. */
  readonly refs = new CompactStringSet();
  readonly eans = new EanCodes();
}

/** The run's KeyText, made by the first feed that asks (one per market shares it). */
export function sharedKeyText(ctx: Pick<RunContext, 'shared'>): KeyText {
  const key = 'manomano-products/key-text';
  let text = ctx.shared?.get(key) as KeyText | undefined;
  if (!text) {
    text = new KeyText();
    ctx.shared?.set(key, text);
  }
  return text;
}

export class WrittenKeys {
  private skuMarks: Uint8Array = growable(Uint8Array, 1024);
  private refMarks: Uint8Array = growable(Uint8Array, 1024);

  constructor(readonly text: KeyText = new KeyText()) {}

  hasSku(sku: string): boolean {
    return marked(this.skuMarks, this.text.skus.indexOf(sku));
  }

  /** Marks the sku written by this feed; returns its entry in the shared sku set. */
  addSku(sku: string): number {
    const e = this.text.skus.entry(sku);
    this.skuMarks = mark(this.skuMarks, e);
    return e;
  }

  hasRef(brand: string, reference: string): boolean {
    return marked(this.refMarks, this.text.refs.indexOf(brand.toLowerCase(), reference.toLowerCase()));
  }

  addRef(brand: string, reference: string): void {
    this.refMarks = mark(this.refMarks, this.text.refs.entry(brand.toLowerCase(), reference.toLowerCase()));
  }

  /** The entries of the sku and of the (brand, reference) pair in the shared sets, into `claim`; false when this feed wrote either already. */
  firstTime(claim: KeyClaim, sku: unknown, brand: unknown, reference: unknown): boolean {
    claim.sku = typeof sku === 'string' ? this.text.skus.entry(sku) : -1;
    if (marked(this.skuMarks, claim.sku)) return false;
    claim.ref = typeof reference === 'string' && typeof brand === 'string' ? this.text.refs.entry(brand.toLowerCase(), reference.toLowerCase()) : -1;
    return !marked(this.refMarks, claim.ref);
  }

  /** Marks what firstTime() found as written by this feed. */
  mark(claim: KeyClaim): void {
    if (claim.sku >= 0) this.skuMarks = mark(this.skuMarks, claim.sku);
    if (claim.ref >= 0) this.refMarks = mark(this.refMarks, claim.ref);
  }
}

/**
 * Why: the feed's fast path asks "written before?" and then records the keys; both in one probe of
 * each set (the text of a key later found a duplicate stays in the shared set, unmarked).
 */
export class KeyClaim {
  sku = -1;
  ref = -1;
}

function marked(marks: Uint8Array, entry: number): boolean {
  return entry >= 0 && entry < marks.length && marks[entry] === 1;
}

function mark(marks: Uint8Array, entry: number): Uint8Array {
  const out = entry < marks.length ? marks : grow(marks, Math.max(entry + 1, marks.length * 2));
  out[entry] = 1;
  return out;
}
