/**
 * The products feed's path for a record that passes every check (~99% of a real catalogue): the
 * record is normalised into slots, answered yes or no by the compiled schema verdict, the rule
 * verdict and the duplicate sets, and written from the slots. A "no" goes back to the exact path
 * (normalizeRecord, ajv, recordRules), which words the problems; nothing here builds a problem.
 */
import { formatCsvCell } from '../../../runtime/csv-format.js';
import type { Row } from '../../../runtime/types.js';
import type { CategoryChecker } from './category-checks.js';
import { formatNumber, formatValue } from './normalize.js';
import { rulesPass, type FeedChecker, type RuleSlots } from './record-checks.js';
import { RecordSlots } from './record-slots.js';
import { productValidator } from './schema-check.js';
import { compileVerdict, type RecordVerdict } from './schema-verdict.js';
import { hasHtml, htmlWarnings, URL_COLUMNS } from './catalog-checks.js';
import type { Problem } from './problems.js';

/** Why: the feed's hot path; one per feed, next to its FeedChecker (which holds the duplicate sets). */
export class FastFeed {
  private readonly rules: RuleSlots;
  private readonly sku: number;
  private readonly brand: number;
  private readonly skuManufacturer: number;
  private readonly ean: number;
  private readonly title: number;
  private readonly description: number;
  /** The other sku that already had the accepted record's EAN (warnings()). */
  private eanOwner: string | undefined;
  private columnSlots: number[] = [];
  /** Per slot: true when its attribute is not a column of the feed. */
  private readonly outside: boolean[] = [];
  private columnSet: ReadonlySet<string> = new Set();

  private readonly category: CategoryChecker | undefined;

  private constructor(private readonly checker: FeedChecker, private readonly slots: RecordSlots, private readonly schemaPasses: RecordVerdict,
    category?: (slotOf: (name: string) => number) => CategoryChecker) {
    const s = (name: string): number => this.slots.slotOf(name);
    this.sku = s('sku');
    this.brand = s('brand');
    this.skuManufacturer = s('sku_manufacturer');
    this.ean = s('ean');
    this.title = s('title');
    this.description = s('description');
    this.rules = {
      sku: this.sku, ean: s('ean'), price: s('product_price_vat_inc'), retail: s('retail_price_vat_inc'), category: s('mm_category_id'),
      merchantCategory: s('merchant_category'), title: s('title'), description: s('description'), eco: s('eco_participation'),
      images: ['image_1', 'image_2', 'image_3', 'image_4', 'image_5'].map(s), shippingTimes: this.slots.shippingTimes,
      urls: [...URL_COLUMNS].map(s),
    };
    this.slots.onSlot((slot) => { this.outside[slot] = !this.columnSet.has(this.slots.names[slot]!); });
    this.category = category?.(s);
  }

  /**
   * Undefined when the product schema uses a keyword schema-verdict.ts does not compile.
   * `category` builds the taxonomy checker on this feed's slots, when the feed has a taxonomy.
   */
  static create(checker: FeedChecker, category?: (slotOf: (name: string) => number) => CategoryChecker): FastFeed | undefined {
    const slots = new RecordSlots();
    const verdict = compileVerdict(productValidator().schema, (name) => slots.slotOf(name));
    return verdict ? new FastFeed(checker, slots, verdict, category) : undefined;
  }

  /** The feed's columns, once its header is written. */
  setColumns(columns: readonly string[]): void {
    this.columnSet = new Set(columns);
    this.columnSlots = columns.map((c) => this.slots.slotOf(c));
    for (let slot = 0; slot < this.slots.names.length; slot++) this.outside[slot] = !this.columnSet.has(this.slots.names[slot]!);
  }

  /**
   * Loads the record and answers whether it may be written as is; when true the record is
   * remembered for the duplicate checks. Call clear() after, whatever the answer.
   */
  accept(record: Row): boolean {
    this.eanOwner = undefined;
    if (!this.passes(record)) return false;
    const vals = this.slots.vals;
    const checker = this.checker;
    const sku = vals[this.sku];
    const brand = vals[this.brand];
    const skuManufacturer = vals[this.skuManufacturer];
    const ean = vals[this.ean];
    if (checker.seenSku(sku) || checker.seenRef(brand, skuManufacturer) || checker.rejectsEan(ean, sku)) return false;
    this.eanOwner = checker.rememberKeys(sku, brand, skuManufacturer, ean);
    return true;
  }

  /** After accept() said yes: the record's warnings (HTML left in title or description; an EAN of another sku). */
  warnings(): Problem[] {
    const vals = this.slots.vals;
    return this.checker.warnings(vals[this.title], vals[this.description], vals[this.ean], this.eanOwner);
  }

  /** The loaded record's HTML warnings alone (pure: a mapping worker computes them). */
  htmlWarnings(): Problem[] {
    const vals = this.slots.vals;
    const title = vals[this.title];
    const description = vals[this.description];
    return hasHtml(title) || hasHtml(description) ? htmlWarnings(title, description) : [];
  }

  /**
   * Loads the record and answers whether the schema and the record rules pass (duplicates aside,
   * which need the feed's state: a mapping worker prepares rows with this). Call clear() after.
   */
  passes(record: Row): boolean {
    if (!this.slots.load(record)) return false;
    const vals = this.slots.vals;
    return this.schemaPasses(vals) && rulesPass(vals, this.rules, this.checker.options, this.slots.present) && (this.category === undefined || this.category.passes(vals));
  }

  /** The loaded record's sku, brand, manufacturer reference and ean (normalised), for the duplicate checks. */
  keys(): [unknown, unknown, unknown, unknown] {
    const vals = this.slots.vals;
    return [vals[this.sku], vals[this.brand], vals[this.skuManufacturer], vals[this.ean]];
  }

  /** Names of the loaded record's attributes that are not feed columns, in its key order. */
  outsideColumns(found: (name: string) => void): void {
    const present = this.slots.present;
    for (let i = 0; i < present.length; i++) if (this.outside[present[i]!]) found(this.slots.names[present[i]!]!);
  }

  /** The loaded record's feed row: formatCsvRow of formatValue per column, in one pass. */
  row(delimiter: string, decimalSeparator: '.' | ','): string {
    const vals = this.slots.vals;
    const price = this.slots.price;
    const columns = this.columnSlots;
    // formatNumber writes only [0-9.,+e-]: a delimiter with any other character never occurs in it.
    const plainNumbers = /[^0-9.,+e-]/.test(delimiter);
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) line += delimiter;
      const slot = columns[i]!;
      const v = vals[slot];
      if (v === undefined) continue;
      if (typeof v === 'string') line += formatCsvCell(v, delimiter);
      else if (typeof v === 'number') {
        const text = formatNumber(v, price[slot] ? 2 : 6, decimalSeparator);
        line += plainNumbers ? text : formatCsvCell(text, delimiter);
      }
      else line += formatCsvCell(formatValue(this.slots.names[slot]!, v, decimalSeparator), delimiter);
    }
    return line + '\n';
  }

  clear(): void {
    this.slots.clear();
  }
}
