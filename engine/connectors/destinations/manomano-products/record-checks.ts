/**
 * The ManoMano rules a JSON Schema cannot express (check digits, price order, interval order,
 * uniqueness across the feed) and the seller-policy toggles of `checks:`.
 */
import type { Row } from '../../../runtime/types.js';
import { jsonText } from '../../../json-text.js';
import { KeyClaim, WrittenKeys } from './written-keys.js';
import { duplicateEanProblem, EanIndex, hasHtml, htmlWarnings, multipleValueProblems, packedUrl } from './catalog-checks.js';
import type { CategoryChecker } from './category-checks.js';
import { problem, show, type Problem } from './problems.js';
import { schemaProblems } from './schema-check.js';

/** The `checks:` block of the destination config, with defaults applied. */
export interface CheckOptions {
  requireCategory: boolean;
  requireMerchantCategory: boolean;
  minImages: number;
  titleMaxLength?: number;
  descriptionMaxLength?: number;
  /** Assumption (no published limit): a sku longer than this is rejected. */
  skuMaxLength: number;
  ecoParticipationFrOnly: boolean;
  market: 'FR' | 'BE' | 'DE' | 'ES' | 'IT' | 'GB';
  /** An EAN another sku of the feed already has: a warning, or a reject. */
  duplicateEan?: 'warn' | 'reject';
}

/** GS1 mod-10 check digit (EAN-13, UPC-12, ITF-14, EAN-8 alike): true when the last digit is right. */
export function gs1CheckDigitValid(code: string): boolean {
  if (!/^\d{8,14}$/.test(code)) return false;
  let sum = 0;
  for (let i = code.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight) sum += Number(code[i]) * weight;
  return (10 - (sum % 10)) % 10 === Number(code[code.length - 1]);
}

const EAN_SHAPE = /^\d{12,14}(#\d{12,14})*$/;
/**
 * What a spreadsheet reads as the start of a formula (OWASP "CSV injection"): a sku is an
 * identifier people open the feed and reports with in Excel, so it may not start with one.
 * (An ean starting with one already fails its digits-only pattern; free text is left alone.)
 */
export const FORMULA_START = /^[=+\-@\t\r]/;
/** FORMULA_START.test(text) without a regex call. */
function formulaStart(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13; // = + - @ tab CR
}
/** C0 controls but tab, LF and CR, and DEL: never meaningful in a feed cell (NUL, BEL, ESC...). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** In the sku, an identifier, tab, LF and CR are refused too. */
const CONTROL_IN_SKU = /[\u0000-\u001f\u007f]/;
const INTERVAL = /^(\d+)#(\d+)$/;
const chars = (s: string): number => [...s].length;
const IMAGE_KEYS = ['image_1', 'image_2', 'image_3', 'image_4', 'image_5'];

/** The first control character of a text, escaped for a message ("\\u001b at character 4"). */
function controlAt(text: string, re: RegExp): string {
  const i = text.search(re);
  return `${JSON.stringify(text[i]).slice(1, -1).replace('\x7f', '\\u007f')} at character ${i + 1}`;
}

/** Why: rules over one record, beyond the schema; run only on what the schema let through unharmed. */
function recordRules(r: Row, o: CheckOptions, already: readonly string[]): Problem[] {
  const out: Problem[] = [];
  const sku = r.sku;
  if (typeof sku === 'string') {
    if (FORMULA_START.test(sku)) {
      out.push(problem('MM_SKU_FORMULA', 'sku', `sku ${show(sku)} starts with ${JSON.stringify(sku[0])}, which a spreadsheet reads as the start of a formula`));
    }
    if (sku.length > o.skuMaxLength && chars(sku) > o.skuMaxLength) {
      out.push(problem('MM_SKU_TOO_LONG', 'sku', `sku ${show(sku)} has ${chars(sku)} characters, more than ${o.skuMaxLength}`));
    }
  }
  for (const key of Object.keys(r)) {
    const v = r[key];
    const re = key === 'sku' ? CONTROL_IN_SKU : CONTROL;
    if (typeof v === 'string' && re.test(v)) {
      out.push(problem('MM_CONTROL_CHARACTER', key, `${key} holds the control character ${controlAt(v, re)}`));
    }
  }
  if (typeof r.ean === 'string' && EAN_SHAPE.test(r.ean)) {
    const bad = r.ean.split('#').filter((c) => !gs1CheckDigitValid(c));
    if (bad.length) out.push(problem('MM_EAN_INVALID', 'ean', `ean ${show(bad.join('#'))} has a wrong check digit`));
  }
  const price = r.product_price_vat_inc;
  const retail = r.retail_price_vat_inc;
  if (typeof price === 'number' && typeof retail === 'number' && price > 0 && retail > 0 && !(retail > price)) {
    out.push(problem('MM_RETAIL_NOT_ABOVE_PRICE', 'retail_price_vat_inc',
      `retail_price_vat_inc ${show(retail)} is not above product_price_vat_inc ${show(price)}`));
  }
  for (const key of Object.keys(r)) {
    if (key !== 'shipping_time' && !key.startsWith('shipping_time_carrier_grid_')) continue;
    const value = r[key];
    const m = typeof value === 'string' ? INTERVAL.exec(value) : null;
    if (m && Number(m[1]) > Number(m[2])) {
      out.push(problem('MM_SHIPPING_TIME', key, `${key} ${show(value)}: the minimum (${m[1]} days) is above the maximum (${m[2]} days)`));
    }
  }
  if (o.requireCategory && r.mm_category_id === undefined) {
    out.push(problem('MM_CATEGORY_REQUIRED', 'mm_category_id', 'mm_category_id is missing: ManoMano needs the category of every product'));
  }
  if (o.requireMerchantCategory && r.merchant_category === undefined) {
    out.push(problem('MM_MERCHANT_CATEGORY_REQUIRED', 'merchant_category', 'merchant_category is missing'));
  }
  let images = 0;
  for (const key of IMAGE_KEYS) if (r[key] !== undefined) images++;
  if (images > 0 && images < o.minImages) {
    out.push(problem('MM_IMAGES_TOO_FEW', 'image_1', `${images} image(s) given, at least ${o.minImages} required`));
  }
  if (o.titleMaxLength && typeof r.title === 'string' && chars(r.title) > o.titleMaxLength) {
    out.push(problem('MM_TITLE_TOO_LONG', 'title', `title ${show(r.title)} has ${chars(r.title)} characters, more than ${o.titleMaxLength}`));
  }
  if (o.descriptionMaxLength && typeof r.description === 'string' && chars(r.description) > o.descriptionMaxLength) {
    out.push(problem('MM_DESCRIPTION_TOO_LONG', 'description',
      `description has ${chars(r.description)} characters, more than ${o.descriptionMaxLength}`));
  }
  const eco = r.eco_participation;
  if (o.ecoParticipationFrOnly && o.market !== 'FR' && o.market !== 'BE' && typeof eco === 'number' && eco > 0) {
    out.push(problem('MM_ECO_PARTICIPATION_MARKET', 'eco_participation',
      `eco_participation ${show(eco)} is set on the ${o.market} market, where it does not apply`));
  }
  // The schema already reported a missing or invalid value for these attributes; say it once.
  if (out.length === 0 || already.length === 0) return out;
  return out.filter((p) => !(p.attribute && already.includes(p.attribute) && p.code !== 'MM_SHIPPING_TIME'));
}

/** Slots (record-slots.ts) of the attributes the record rules read. */
export interface RuleSlots {
  sku: number;
  ean: number;
  price: number;
  retail: number;
  category: number;
  merchantCategory: number;
  title: number;
  description: number;
  eco: number;
  images: readonly number[];
  /** Every slot named like a shipping time; recordRules looks at the keys the record has of them. */
  shippingTimes: readonly number[];
  /** The URL columns' slots (catalog-checks.ts: a `#` packing several URLs). */
  urls: readonly number[];
}

/**
 * Why: the feed's fast path asks only "would recordRules find anything", without building problems.
 * On a record the schema passed (`already` empty, nothing filtered) it is false exactly when
 * recordRules returns a problem; each test below is the one above it, in the same order.
 */
export function rulesPass(vals: readonly unknown[], s: RuleSlots, o: CheckOptions, present: readonly number[]): boolean {
  return cellsPass(vals, s, present, undefined) && otherRulesPass(vals, s, o);
}

/**
 * The first of rulesPass's tests, over the cells of `present` (all when `only` is undefined, else
 * those it marks): no control character, no value without a text form. The feed's fast path
 * tests the cells it writes while writing them (cell-scan.ts) and asks this of the others.
 */
export function cellsPass(vals: readonly unknown[], s: RuleSlots, present: readonly number[], only: readonly boolean[] | undefined): boolean {
  for (let i = 0; i < present.length; i++) {
    const slot = present[i]!;
    if (only !== undefined && !only[slot]) continue;
    const v = vals[slot];
    if (typeof v === 'string') {
      if ((slot === s.sku ? CONTROL_IN_SKU : CONTROL).test(v)) return false;
    } else if (typeof v === 'object' && v !== null && jsonText(v) === undefined) {
      // no text form (nested too deeply, circular): the exact path rejects it before reserving its keys
      return false;
    }
  }
  return true;
}

/** rulesPass but its cell tests (cellsPass). */
export function otherRulesPass(vals: readonly unknown[], s: RuleSlots, o: CheckOptions): boolean {
  const sku = vals[s.sku];
  if (typeof sku === 'string' && (formulaStart(sku) || (sku.length > o.skuMaxLength && chars(sku) > o.skuMaxLength))) return false;
  const ean = vals[s.ean];
  if (typeof ean === 'string' && EAN_SHAPE.test(ean) && !eanCheckDigitsValid(ean)) return false;
  const price = vals[s.price];
  const retail = vals[s.retail];
  if (typeof price === 'number' && typeof retail === 'number' && price > 0 && retail > 0 && !(retail > price)) return false;
  for (let i = 0; i < s.shippingTimes.length; i++) {
    const v = vals[s.shippingTimes[i]!];
    if (typeof v === 'string' && intervalReversed(v)) return false;
  }
  if (o.requireCategory && vals[s.category] === undefined) return false;
  if (o.requireMerchantCategory && vals[s.merchantCategory] === undefined) return false;
  let images = 0;
  for (let i = 0; i < s.images.length; i++) if (vals[s.images[i]!] !== undefined) images++;
  if (images > 0 && images < o.minImages) return false;
  // A text has at most as many code points as UTF-16 units: count them only when the units exceed.
  const title = vals[s.title];
  if (o.titleMaxLength && typeof title === 'string' && title.length > o.titleMaxLength && chars(title) > o.titleMaxLength) return false;
  const description = vals[s.description];
  if (o.descriptionMaxLength && typeof description === 'string' && description.length > o.descriptionMaxLength
    && chars(description) > o.descriptionMaxLength) return false;
  const eco = vals[s.eco];
  if (o.ecoParticipationFrOnly && o.market !== 'FR' && o.market !== 'BE' && typeof eco === 'number' && eco > 0) return false;
  for (let i = 0; i < s.urls.length; i++) {
    const v = vals[s.urls[i]!];
    if (typeof v === 'string' && packedUrl(v)) return false;
  }
  return true;
}

/** `ean.split('#').every(gs1CheckDigitValid)`, without the array and the regex per part. */
export function eanCheckDigitsValid(ean: string): boolean {
  let start = 0;
  for (;;) {
    let end = ean.indexOf('#', start);
    if (end < 0) end = ean.length;
    if (!gs1Range(ean, start, end)) return false;
    if (end === ean.length) return true;
    start = end + 1;
  }
}

/** gs1CheckDigitValid(s.slice(from, to)). */
function gs1Range(s: string, from: number, to: number): boolean {
  const len = to - from;
  if (len < 8 || len > 14) return false;
  let sum = 0;
  for (let i = to - 2, weight = 3; i >= from; i--, weight = 4 - weight) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    sum += d * weight;
  }
  const last = s.charCodeAt(to - 1) - 48;
  return last >= 0 && last <= 9 && (10 - (sum % 10)) % 10 === last;
}

/** INTERVAL (`^(\d+)#(\d+)$`) matches and its minimum is above its maximum. */
function intervalReversed(v: string): boolean {
  const hash = v.indexOf('#');
  if (hash <= 0 || hash === v.length - 1) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (i !== hash && (c < 48 || c > 57)) return false;
  }
  return Number(v.slice(0, hash)) > Number(v.slice(hash + 1));
}

/** Why: one checker per feed; it remembers what was written so duplicates are caught across batches. */
export class FeedChecker {
  // Exact sets outside the object graph (key-set.ts): they copy each key's characters, so a sku
  // that is a slice of a CSV chunk does not keep the chunk alive; their text is shared by the
  // feeds of a run's markets (written-keys.ts).
  private readonly eans: EanIndex;
  /**
   * `category`: the taxonomy checks (category-checks.ts), when the feed has a taxonomy; `written`:
   * the keys this feed wrote, over the run's shared key text (sharedKeyText).
   */
  constructor(readonly options: CheckOptions, readonly category?: CategoryChecker, private readonly written = new WrittenKeys()) {
    this.eans = new EanIndex(written.text.skus, written.text.eans);
  }

  /**
   * Every problem of a normalised record; empty means it may be written. `mapped`, the record
   * before normalisation (which joins lists), is checked for lists in single-value columns: such
   * a problem replaces the others of its attribute (their cause).
   */
  check(r: Row, mapped?: Row): Problem[] {
    let out = schemaProblems(r);
    const already = out.length === 0 ? [] : out.map((p) => p.attribute ?? '');
    const rules = recordRules(r, this.options, already);
    for (const p of rules) out.push(p);
    if (this.category) for (const p of this.category.problems(r)) if (!already.includes(p.attribute ?? '')) out.push(p);
    const lists = multipleValueProblems(mapped ?? r, r);
    if (lists.length > 0) {
      const listed = new Set(lists.map((p) => p.attribute));
      out = [...lists, ...out.filter((p) => !listed.has(p.attribute))];
    }
    this.duplicates(r.sku, r.brand, r.sku_manufacturer, out, r.ean);
    return out;
  }

  /** check()'s last problems: the sku or the (brand, manufacturer reference) already written; the EAN under duplicate_ean: reject. */
  duplicates(sku: unknown, brand: unknown, skuManufacturer: unknown, out: Problem[], ean?: unknown): Problem[] {
    if (this.seenSku(sku)) {
      out.push(problem('MM_DUPLICATE_SKU', 'sku', `sku ${show(sku)} was already written earlier in this feed`));
    }
    if (this.seenRef(brand, skuManufacturer)) {
      out.push(problem('MM_DUPLICATE_MANUFACTURER_REF', 'sku_manufacturer',
        `sku_manufacturer ${show(skuManufacturer)} of brand ${show(brand)} was already used by another product of this feed`));
    }
    if (this.options.duplicateEan === 'reject') {
      const owner = this.eans.ownerOf(ean, sku);
      if (owner !== undefined) out.push(duplicateEanProblem(ean, owner));
    }
    return out;
  }

  /**
   * The warnings of a record written (normalised values): HTML left in its title or description,
   * and its EAN already on `eanOwner`, another sku (what remember gave back), unless rejected.
   */
  warnings(title: unknown, description: unknown, ean: unknown, eanOwner: string | undefined): Problem[] {
    const out = hasHtml(title) || hasHtml(description) ? htmlWarnings(title, description) : [];
    if (eanOwner !== undefined && this.options.duplicateEan !== 'reject') out.push(duplicateEanProblem(ean, eanOwner));
    return out;
  }

  /** Records a written product, so that later duplicates are rejected; returns another sku with its EAN (see rememberKeys). */
  remember(r: Row): string | undefined {
    return this.rememberKeys(r.sku, r.brand, r.sku_manufacturer, r.ean);
  }

  /**
   * remember() from the values themselves (the feed's fast path holds no record object). Returns
   * the other sku that already had one of the record's EAN codes, for the warning.
   */
  rememberKeys(sku: unknown, brand: unknown, skuManufacturer: unknown, ean?: unknown): string | undefined {
    const skuEntry = typeof sku === 'string' ? this.written.addSku(sku) : -1;
    if (typeof skuManufacturer === 'string' && typeof brand === 'string') this.written.addRef(brand, skuManufacturer);
    return this.eans.claim(ean, skuEntry);
  }

  /**
   * The fast path's duplicate checks and remember() in one probe of each set: false when check()
   * would report a duplicate (nothing is remembered then), else the keys are remembered and
   * `owner` says which other sku already had the EAN (undefined when none).
   */
  claimKeys(sku: unknown, brand: unknown, skuManufacturer: unknown, ean: unknown): boolean {
    const claim = this.claim;
    if (!this.written.firstTime(claim, sku, brand, skuManufacturer)) return false;
    if (this.options.duplicateEan === 'reject' && this.eans.ownerOf(ean, sku) !== undefined) return false;
    this.written.mark(claim);
    this.owner = this.eans.claim(ean, claim.sku);
    return true;
  }

  /** After claimKeys() said yes: the other sku that already had the record's EAN. */
  owner: string | undefined;
  private readonly claim = new KeyClaim();

  /** True when check() would report MM_DUPLICATE_SKU for this value. */
  seenSku(sku: unknown): boolean {
    return typeof sku === 'string' && this.written.hasSku(sku);
  }

  /** True when check() would report MM_DUPLICATE_MANUFACTURER_REF: (brand, reference) compared lower-cased. */
  seenRef(brand: unknown, skuManufacturer: unknown): boolean {
    if (typeof skuManufacturer !== 'string' || typeof brand !== 'string') return false;
    return this.written.hasRef(brand, skuManufacturer);
  }
}
