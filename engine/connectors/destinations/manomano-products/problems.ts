/**
 * The stable codes of ManoMano record checks, with the human message (naming the value) and the
 * hint (what to do). Wording may improve; codes never change.
 */
import { showValue } from '../../../json-text.js';

/** One thing wrong with one record. */
export interface Problem {
  code: string;
  attribute?: string;
  message: string;
  hint: string;
}

/** Why: tests, docs and the reject report rely on these exact strings. */
export const MM_CODES = [
  'MM_REQUIRED', 'MM_EAN_INVALID', 'MM_EAN_OR_MANUFACTURER', 'MM_PRICE_NOT_POSITIVE', 'MM_RETAIL_NOT_ABOVE_PRICE',
  'MM_QUANTITY_INVALID', 'MM_IMAGE_URL', 'MM_IMAGES_TOO_FEW', 'MM_SHIPPING_METHOD', 'MM_SHIPPING_TIME',
  'MM_SHIPPING_PRICE_INVALID', 'MM_DISPLAY_WEIGHT', 'MM_DUPLICATE_SKU', 'MM_DUPLICATE_MANUFACTURER_REF',
  'MM_CATEGORY_REQUIRED', 'MM_CATEGORY_INVALID', 'MM_MERCHANT_CATEGORY_REQUIRED', 'MM_TITLE_TOO_LONG',
  'MM_DESCRIPTION_TOO_LONG', 'MM_ECO_PARTICIPATION_MARKET', 'MM_NUMBER_INVALID',
  // catalog-checks.ts (MM_HTML_LEFT is only ever a warning: the record is written)
  'MM_MULTIPLE_VALUES', 'MM_DUPLICATE_EAN', 'MM_HTML_LEFT',
  // record-checks.ts: identifiers and cells a spreadsheet or a terminal would misread (issue 11)
  'MM_SKU_FORMULA', 'MM_SKU_TOO_LONG', 'MM_CONTROL_CHARACTER',
] as const;
export type MmCode = (typeof MM_CODES)[number];

const HINTS: Record<MmCode, string> = {
  MM_REQUIRED: 'map this attribute to a non-empty value (ManoMano requires it on every product)',
  MM_EAN_INVALID: 'send 12 (UPC), 13 (EAN) or 14 (ITF) digits with a valid check digit, several separated by "#"; leave ean empty and map sku_manufacturer + brand when the product has no barcode',
  MM_EAN_OR_MANUFACTURER: 'map ean, or both sku_manufacturer (the manufacturer reference) and brand',
  MM_PRICE_NOT_POSITIVE: 'prices are numbers above 0, VAT included, e.g. 59.99 or "59,99"; check the price column of the source and the formula of the mapping',
  MM_RETAIL_NOT_ABOVE_PRICE: 'retail_price_vat_inc is the strike-through price: leave it empty when the product is not discounted, or make it higher than product_price_vat_inc',
  MM_QUANTITY_INVALID: 'send a whole number of units >= 0 (0 = out of stock)',
  MM_IMAGE_URL: 'images are public http(s) URLs, one per column image_1..image_5',
  MM_IMAGES_TOO_FEW: 'map more of image_1..image_5, or lower checks.min_images',
  MM_SHIPPING_METHOD: 'per-product shipping (use_grid 0 or absent) needs carrier, shipping_time and shipping_price_vat_inc; carrier grids (use_grid 1) need carrier_grid_1, shipping_time_carrier_grid_1 and DisplayWeight',
  MM_SHIPPING_TIME: 'delivery times are days as min#max, e.g. "2#4" (a single number is allowed for grid times), min <= max',
  MM_SHIPPING_PRICE_INVALID: 'shipping prices are numbers >= 0, VAT included (0 = free shipping)',
  MM_DISPLAY_WEIGHT: 'DisplayWeight is the weight used by carrier grids: a number above 0',
  MM_DUPLICATE_SKU: 'each sku appears once per feed; fix the duplicate in the source or build a unique sku (e.g. append the variant)',
  MM_DUPLICATE_MANUFACTURER_REF: 'each (sku_manufacturer, brand) pair identifies one product; fix the duplicate reference in the source',
  MM_CATEGORY_REQUIRED: 'map mm_category_id (e.g. with a lookup table from your categories), or set checks.require_category: false',
  MM_CATEGORY_INVALID: 'mm_category_id is the numeric id of a ManoMano category',
  MM_MERCHANT_CATEGORY_REQUIRED: 'map merchant_category (your category path), or set checks.require_merchant_category: false',
  MM_TITLE_TOO_LONG: 'shorten the title in the mapping (e.g. rules: [{ truncate: N }]) or raise checks.title_max_length',
  MM_DESCRIPTION_TOO_LONG: 'shorten the description in the mapping or raise checks.description_max_length',
  MM_ECO_PARTICIPATION_MARKET: 'eco_participation is a French levy: do not map it for this market, or set checks.eco_participation_fr_only: false',
  MM_NUMBER_INVALID: 'send a plain number (decimal comma or dot, no thousands separator, no unit)',
  MM_MULTIPLE_VALUES: 'this column holds one value: spread a list over numbered columns (spread: on the attribute, e.g. image_1..image_5), or pick one item with the first or nth rule box',
  MM_DUPLICATE_EAN: 'an EAN identifies one product: check the source (an export that repeats one barcode on every row), or leave ean empty and map sku_manufacturer + brand; checks.duplicate_ean: reject refuses such records',
  MM_HTML_LEFT: 'add strip_html to the rules of this attribute (ManoMano shows tags and entities as text)',
  MM_SKU_FORMULA: 'a sku may not start with =, +, -, @, a tab or a carriage return (a spreadsheet would run it as a formula): fix the reference in the source, or build the sku with a prefix (e.g. rules: [{ prepend: "REF" }])',
  MM_SKU_TOO_LONG: 'shorten the sku in the source; the limit is checks.sku_max_length (100 by default: an assumption, ManoMano publishes none)',
  MM_CONTROL_CHARACTER: 'remove control characters in the mapping, e.g. rules: [{ replace_regex: { pattern: "[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]", with: "" } }]; they usually come from a broken export',
};

/** Why: values are quoted and shortened so one long description does not flood the report. */
export function show(value: unknown): string {
  // never throws: a value nested thousands of levels deep must not crash the run (issue 11)
  return showValue(value, 80);
}

/** Builds a problem with its standard hint. */
export function problem(code: MmCode, attribute: string | undefined, message: string): Problem {
  return { code, attribute, message, hint: HINTS[code] };
}
