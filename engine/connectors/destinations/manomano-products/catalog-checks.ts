/**
 * Checks real shop catalogues showed missing (issue 10):
 * - a list written into a single-value column (`image_1` = ["a.jpg", "b.jpg"], joined with the
 *   feed's `#` it would read as one broken URL; or a text that already packs several URLs with
 *   `#`) is a reject, MM_MULTIPLE_VALUES: map one value (spread the list, or first / nth);
 * - one EAN on several SKUs of a feed (the same barcode on every row of an export) is a warning,
 *   or a reject with `checks.duplicate_ean: reject` (MM_DUPLICATE_EAN);
 * - HTML tags or entities left in `title` or `description` after the mapping are a warning
 *   (MM_HTML_LEFT: add strip_html).
 * Each has a yes/no form for the feed's fast path (nothing built for a record that passes) and a
 * worded form for the exact path and the warnings.
 */
import type { Row } from '../../../runtime/types.js';
import { NUMERIC_COLUMNS } from './columns.js';
import { CompactNumberSet, digitCode } from '../../../util/compact-number-set.js';
import { grow, growable } from '../../../util/growable.js';
import { CompactStringSet } from './key-set.js';
import { normalizeAs } from './normalize.js';
import { problem, show, type Problem } from './problems.js';

/** Codes of the problems that never reject a record (the record is written with a warning). */
export const MM_WARNING_CODES = ['MM_HTML_LEFT', 'MM_DUPLICATE_EAN'] as const;

const range = (prefix: string, from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

/** Columns whose value is one URL: a `#` followed by another file or URL is a packed list. */
export const URL_COLUMNS: ReadonlySet<string> = new Set([
  'product_url', ...range('image_', 1, 5), 'manufacturer_pdf', 'product_information_pdf', 'repairability_index_pdf',
  'product_instructions_pdf', 'safety_information_pdf', 'refrigeration_devices_information_pdf', 'eu_energy_efficiency_class_url',
]);

/**
 * Columns that hold one value (reference §6.3). Not here: `ean` (several, `#`-separated), the
 * `min#max` shipping times, and attributes a category may give several values (`#` lists).
 */
export const SINGLE_VALUE_COLUMNS: ReadonlySet<string> = new Set([
  'sku', 'sku_manufacturer', 'brand', 'manufacturer', 'merchant_category', 'mm_category_id', 'title', 'description',
  'ParentSKU', 'parent_title', 'Sample_SKU', 'carrier', ...range('carrier_grid_', 1, 6), ...URL_COLUMNS, ...NUMERIC_COLUMNS,
]);

/** The values a list would stand for once normalised (empty items dropped): more than one is a list. */
function listSize(column: string, list: readonly unknown[]): number {
  const numeric = NUMERIC_COLUMNS.has(column);
  let n = 0;
  for (const v of list) if (normalizeAs(numeric, false, v) !== undefined) n++;
  return n;
}

/** After the first `#`: another file or URL (`a.jpg#b.jpg`, `https://x/a#https://x/b`), not a fragment. */
const PACKED_URL = /#\s*(?:(?:https?:)?\/\/|[^#\s]*\.[A-Za-z0-9]{2,5}(?:[?#]|$))/;

/** True when a URL column's text packs several values with `#`. */
export function packedUrl(text: string): boolean {
  return text.indexOf('#') >= 0 && PACKED_URL.test(text);
}

/** True when the raw value of a single-value column is a list of more than one value (fast path: give up). */
export function isList(column: string, raw: unknown): boolean {
  return Array.isArray(raw) && listSize(column, raw) > 1;
}

/**
 * MM_MULTIPLE_VALUES problems: `mapped` is the record before normalisation (which joins lists with
 * `#`), `normalised` after it (a URL column's text packing several URLs).
 */
export function multipleValueProblems(mapped: Row, normalised: Row): Problem[] {
  const out: Problem[] = [];
  for (const [column, raw] of Object.entries(mapped)) {
    if (!SINGLE_VALUE_COLUMNS.has(column)) continue;
    const value = normalised[column];
    if (Array.isArray(raw) && listSize(column, raw) > 1) {
      out.push(problem('MM_MULTIPLE_VALUES', column, `${column} is given ${listSize(column, raw)} values ${show(raw)}: it holds one`));
    } else if (typeof value === 'string' && URL_COLUMNS.has(column) && packedUrl(value)) {
      out.push(problem('MM_MULTIPLE_VALUES', column, `${column} ${show(value)} packs several values with "#": it holds one URL`));
    }
  }
  return out;
}

/** Tags (`<p>`, `</b>`, `<br/>`, `<!--`) and entities (`&amp;`, `&#233;`, `&#xE9;`). */
const HTML = /<\/?[A-Za-z][^<>]*>|<!--|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});/;

/** True when a text holds HTML (a cheap search first: most titles have no `<` and no `&`). */
export function hasHtml(v: unknown): boolean {
  return typeof v === 'string' && (v.indexOf('<') >= 0 || v.indexOf('&') >= 0) && HTML.test(v);
}

/** MM_HTML_LEFT warnings for the normalised title and description. */
export function htmlWarnings(title: unknown, description: unknown): Problem[] {
  const out: Problem[] = [];
  for (const [column, v] of [['title', title], ['description', description]] as const) {
    if (!hasHtml(v)) continue;
    const found = HTML.exec(v as string)![0];
    out.push(problem('MM_HTML_LEFT', column, `${column} still holds HTML (${JSON.stringify(found)}) after the mapping: ManoMano shows it as text`));
  }
  return out;
}

/**
 * The EAN codes seen by the feeds of one run (its markets), each with an entry number: a code of
 * digits (every real EAN) as one exact number (compact-number-set.ts, ~16 bytes a code at a
 * million), any other text in a compact string set.
 */
export class EanCodes {
  readonly numbers = new CompactNumberSet();
  readonly texts = new CompactStringSet();
}

/** Per code entry of one kind (digits, or other text), the owning sku's entry + 1; 0 for none. */
class Owners {
  private owners: Uint32Array = growable(Uint32Array, 1024);

  get(e: number): number {
    return e < 0 || e >= this.owners.length ? -1 : this.owners[e]! - 1;
  }

  set(e: number, skuEntry: number): void {
    if (e >= this.owners.length) this.owners = grow(this.owners, Math.max(e + 1, this.owners.length * 2));
    this.owners[e] = skuEntry + 1;
  }
}

/**
 * EAN → the sku that first used it, among the records a feed wrote. The codes and the skus are the
 * run's (shared by its markets' feeds, written-keys.ts); the feed keeps, per code, its owner's entry
 * in the sku set (4 bytes a code), so memory stays flat, and a record costs one hash per EAN code.
 */
export class EanIndex {
  private readonly numberOwners = new Owners();
  private readonly textOwners = new Owners();
  private claimed = 0;

  /** `skus`: the run's sku set, where an EAN's owner is found again; `codes`: the run's EAN codes. */
  constructor(private readonly skus: CompactStringSet, private readonly codes = new EanCodes()) {}

  /** The other sku that already has one of `ean`'s codes (`#`-separated), or undefined (nothing recorded). */
  ownerOf(ean: unknown, sku: unknown): string | undefined {
    if (typeof ean !== 'string' || this.claimed === 0) return undefined;
    for (const code of ean.indexOf('#') < 0 ? [ean] : ean.split('#')) {
      const n = digitCode(code);
      const owner = n >= 0 ? this.numberOwners.get(this.codes.numbers.indexOf(n)) : this.textOwners.get(this.codes.texts.indexOf(code));
      if (owner < 0) continue;
      const name = this.skus.keyAt(owner);
      if (name !== sku) return name;
    }
    return undefined;
  }

  /**
   * Records the codes of a written record's `ean` for its sku (its entry in the sku set); returns
   * the other sku that already had one of them (the warning), or undefined.
   */
  claim(ean: unknown, skuEntry: number): string | undefined {
    if (typeof ean !== 'string' || skuEntry < 0) return undefined;
    if (ean.indexOf('#') < 0) return this.claimCode(ean, skuEntry);
    let owner: string | undefined;
    for (const code of ean.split('#')) owner ??= this.claimCode(code, skuEntry);
    return owner;
  }

  private claimCode(code: string, skuEntry: number): string | undefined {
    const n = digitCode(code);
    const owners = n >= 0 ? this.numberOwners : this.textOwners;
    const e = n >= 0 ? this.codes.numbers.entry(n) : this.codes.texts.entry(code);
    const owner = owners.get(e);
    if (owner < 0) {
      owners.set(e, skuEntry);
      this.claimed++;
      return undefined;
    }
    return owner === skuEntry ? undefined : this.skus.keyAt(owner);
  }
}

/** The MM_DUPLICATE_EAN problem (a warning or a reject, as the feed is set). */
export function duplicateEanProblem(ean: unknown, owner: string): Problem {
  return problem('MM_DUPLICATE_EAN', 'ean', `ean ${show(ean)} is already the ean of sku ${show(owner)} in this feed: one barcode identifies one product`);
}
