/**
 * The products feed's path for a record that passes every check (~99% of a real catalogue): the
 * record is normalised into slots, answered yes or no by the compiled schema verdict, the rule
 * verdict and the duplicate sets, and written from the slots. A "no" goes back to the exact path
 * (normalizeRecord, ajv, recordRules), which words the problems; nothing here builds a problem.
 */
import { formatCsvCell } from '../../../runtime/csv-format.js';
import { jsonText } from '../../../json-text.js';
import type { Row } from '../../../runtime/types.js';
import type { CategoryChecker } from './category-checks.js';
import { formatNumber, formatValue } from './normalize.js';
import { cellsPass, otherRulesPass, rulesPass, type FeedChecker, type RuleSlots } from './record-checks.js';
import { CELL_CONTROL, CELL_QUOTE, CellScanner, quotedCell } from './cell-scan.js';
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
  private delimiter = ';';
  private decimalSeparator: '.' | ',' = '.';
  /** Undefined for a delimiter of several characters: row() then asks formatCsvCell. */
  private scanner: CellScanner | undefined;
  /** True when no number written can hold the delimiter (numbers then need no quoting test). */
  private plainNumbers = true;
  /** The loaded record's row, made by passes() when it passed. */
  private line = '';

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

  /** The feed's columns, once its header is written, and how its cells are written. */
  setColumns(columns: readonly string[], delimiter: string, decimalSeparator: '.' | ','): void {
    this.columnSet = new Set(columns);
    this.columnSlots = columns.map((c) => this.slots.slotOf(c));
    for (let slot = 0; slot < this.slots.names.length; slot++) this.outside[slot] = !this.columnSet.has(this.slots.names[slot]!);
    this.delimiter = delimiter;
    this.decimalSeparator = decimalSeparator;
    this.scanner = CellScanner.forDelimiter(delimiter);
    // formatNumber writes only [0-9.,+e-]: a delimiter with any other character never occurs in it.
    this.plainNumbers = /[^0-9.,+e-]/.test(delimiter);
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
    if (!checker.claimKeys(sku, brand, skuManufacturer, ean)) return false;
    this.eanOwner = checker.owner;
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
    if (!this.schemaPasses(vals)) return false;
    if (this.scanner === undefined) {
      if (!rulesPass(vals, this.rules, this.checker.options, this.slots.present)) return false;
    } else if (!otherRulesPass(vals, this.rules, this.checker.options) || !cellsPass(vals, this.rules, this.slots.present, this.outside)) return false;
    if (this.category !== undefined && !this.category.passes(vals)) return false;
    // the written cells are scanned for control characters as they are written (cell-scan.ts)
    const line = this.scanner === undefined ? this.plainRow() : this.scannedRow(this.scanner);
    if (line === undefined) return false;
    this.line = line;
    return true;
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

  /** The loaded record's feed row (formatCsvRow of formatValue per column), once passes() said yes. */
  row(): string {
    return this.line;
  }

  /** The row, each written cell scanned once for control characters and quoting; undefined at a control character. */
  private scannedRow(scanner: CellScanner): string | undefined {
    const vals = this.slots.vals;
    const price = this.slots.price;
    const columns = this.columnSlots;
    const delimiter = this.delimiter;
    const sku = this.sku;
    const plainNumbers = this.plainNumbers;
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) line += delimiter;
      const slot = columns[i]!;
      const v = vals[slot];
      if (v === undefined) continue;
      if (typeof v === 'string') {
        const verdict = scanner.scan(v, slot === sku);
        if (verdict === CELL_CONTROL) return undefined;
        line += verdict === CELL_QUOTE ? quotedCell(v) : v;
      } else if (typeof v === 'number') {
        const text = formatNumber(v, price[slot] ? 2 : 6, this.decimalSeparator);
        line += plainNumbers ? text : formatCsvCell(text, delimiter);
      } else {
        // no text form (too deep, circular): the exact path rejects it
        if (typeof v === 'object' && v !== null && jsonText(v) === undefined) return undefined;
        line += formatCsvCell(formatValue(this.slots.names[slot]!, v, this.decimalSeparator), delimiter);
      }
    }
    return line + '\n';
  }

  /** The row for a delimiter of several characters (rulesPass has looked at every cell). */
  private plainRow(): string {
    const vals = this.slots.vals;
    const columns = this.columnSlots;
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) line += this.delimiter;
      const slot = columns[i]!;
      const v = vals[slot];
      if (v !== undefined) line += formatCsvCell(formatValue(this.slots.names[slot]!, v, this.decimalSeparator), this.delimiter);
    }
    return line + '\n';
  }

  clear(): void {
    this.slots.clear();
  }
}
