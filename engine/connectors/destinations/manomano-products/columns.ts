/**
 * The columns of ManoMano's Product Creation feed (reference/manomano-partner-api.md §6.3), in
 * ManoMano's template order, and what kind of value each one holds. Names are case-sensitive.
 */

const range = (prefix: string, from: number, to: number, suffix = ''): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}${suffix}`);

/** Why: the "Feed" sheet of ManoMano's template orders content columns like this (HDC), plus mm_category_id. */
export const CONTENT_COLUMNS: readonly string[] = [
  'sku', 'ean', 'sku_manufacturer', 'brand', 'manufacturer', 'merchant_category', 'mm_category_id', 'title',
  'description', 'product_url', ...range('image_', 1, 5), 'cross_sell_sku', 'Sample_SKU', 'manufacturer_pdf',
  'product_information_pdf', 'repairability_index_pdf', 'product_instructions_pdf', 'safety_information_pdf',
  'refrigeration_devices_information_pdf', 'eu_energy_efficiency_class_url', 'unit_count', 'unit_count_type',
  'ParentSKU', 'parent_title', 'weight', 'weight_unit', 'power', 'power_unit', 'voltage', 'voltage_unit',
  'material', 'colour', 'energy_efficiency_rating', 'certification_body', 'pcs_per_pack', 'pcs_per_pack_unit',
  'origin', 'warranty', 'warranty_unit', 'availability_of_spare_parts', 'availability_of_spare_parts_unit',
  'environmental_certification', 'reparability_index', 'reparability_index_unit', 'primary_packaging_material',
  'max._energy_efficiency_rating', 'min._energy_efficiency_rating', 'primary_packaging_certification',
  'main_material', 'material_2', 'material_3', '%_main_material', '%_main_material_unit', '%_material_2',
  '%_material_2_unit', '%_material_3', '%_material_3_unit', 'nf_certification', 'mounting_method',
];

/** Why: the category-specific attributes seen most often (FEEDGEN); the full list comes from the Taxonomy API. */
export const CATEGORY_COLUMNS: readonly string[] = [
  'length', 'length_unit', 'width', 'width_unit', 'height', 'height_unit', 'volume', 'volume_unit',
  'light_output', 'light_output_unit', 'ip_rating', 'colour_name', 'colour_code', 'box_length', 'box_length_unit',
  'box_width', 'box_width_unit', 'box_height', 'box_height_unit',
];

/** Why: the offer part travels in the same file, after the content (WOOSEA, FEEDGEN, LGW, CHN). */
export const OFFER_COLUMNS: readonly string[] = [
  'product_price_vat_inc', 'retail_price_vat_inc', 'sales', 'quantity', 'min_quantity', 'increment',
  'quantity_lower_bound_1', 'quantity_price_1', 'quantity_lower_bound_2', 'quantity_price_2',
  'quantity_lower_bound_3', 'quantity_price_3', 'eco_participation', 'product_vat_rate', 'shipping_vat_rate',
  'use_grid', 'carrier', 'shipping_time', 'shipping_price_vat_inc', 'shipping_price_supplement_vat_inc',
  ...range('carrier_grid_', 1, 6), ...range('shipping_time_carrier_grid_', 1, 6), 'DisplayWeight', 'free_return',
  'Price_per_m2_vat_inc', 'special_price_type', 'ManufacturerWarrantyTime', 'feature1', 'feature_1', 'Color', 'Style',
];

/** Why: fulfillment (ManoFulfillment) contracts need these too (LGW, likely). */
export const FULFILLMENT_COLUMNS: readonly string[] = [
  'weight_net', 'icpe', 'onu', 'security_file_number', 'has_batch_number', 'has_serial_number', 'has_dluo',
  'is_fragile', 'is_overpackaged',
];

/** Why: the destination's `attributes` (automap, lint) and the default column order, in one list. */
export const MANOMANO_COLUMNS: readonly string[] = [
  ...CONTENT_COLUMNS, ...CATEGORY_COLUMNS, ...OFFER_COLUMNS, ...FULFILLMENT_COLUMNS,
];

/** Why: money is rounded to cents on output; other numbers only lose float noise. */
export const PRICE_COLUMNS: ReadonlySet<string> = new Set([
  'product_price_vat_inc', 'retail_price_vat_inc', 'eco_participation', 'shipping_price_vat_inc',
  'shipping_price_supplement_vat_inc', 'quantity_price_1', 'quantity_price_2', 'quantity_price_3', 'Price_per_m2_vat_inc',
]);

/** Why: values of these columns given as text ("59,99", "12") are parsed into numbers before checking. */
export const NUMERIC_COLUMNS: ReadonlySet<string> = new Set([
  ...PRICE_COLUMNS, 'sales', 'quantity', 'min_quantity', 'increment', 'quantity_lower_bound_1', 'quantity_lower_bound_2',
  'quantity_lower_bound_3', 'product_vat_rate', 'shipping_vat_rate', 'use_grid', 'DisplayWeight', 'free_return', 'weight',
]);

/** Why: identifiers and texts; a number given here (an EAN read from JSON) is turned into its digits. */
export const TEXT_COLUMNS: ReadonlySet<string> = new Set([
  'sku', 'ean', 'sku_manufacturer', 'brand', 'manufacturer', 'merchant_category', 'title', 'description',
  'product_url', ...range('image_', 1, 5), 'ParentSKU', 'parent_title', 'Sample_SKU', 'cross_sell_sku', 'weight_unit',
  'carrier', 'shipping_time', ...range('carrier_grid_', 1, 6), ...range('shipping_time_carrier_grid_', 1, 6),
]);

/** Why: the header of a feed that received no record at all still names the mandatory columns. */
export const MINIMAL_COLUMNS: readonly string[] = [
  'sku', 'ean', 'sku_manufacturer', 'brand', 'mm_category_id', 'title', 'description', 'image_1',
  'product_price_vat_inc', 'quantity', 'carrier', 'shipping_time', 'shipping_price_vat_inc',
];

/** Orders columns: known ones in template order, then the others as first seen. */
export function defaultColumnOrder(present: Iterable<string>): string[] {
  const seen = new Set(present);
  const known = MANOMANO_COLUMNS.filter((c) => seen.has(c));
  const knownSet = new Set(MANOMANO_COLUMNS);
  return [...known, ...[...seen].filter((c) => !knownSet.has(c))];
}
