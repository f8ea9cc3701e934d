/**
 * What `validate` knows about the product feed's columns before any record exists: which ones
 * every product needs (schemas/manomano-product.schema.json's `required` and `allOf`, plus the
 * `checks` settings), and the names sellers write for them, so a warning can say which column
 * they meant (`price` → `product_price_vat_inc`).
 */
import type { ManomanoProductsDestinationConfig } from '../../../types/generated/pipeline.js';

/**
 * Why: a mapping that cannot produce one of these has every record rejected; `validate` says so
 * instead of `ok`. Each entry lists alternatives; each alternative, the attributes it needs.
 */
export function requiredProductAttributes(config: ManomanoProductsDestinationConfig): string[][][] {
  const checks = config.checks ?? {};
  const one = (name: string) => [[name]];
  return [
    one('sku'), one('brand'), one('title'), one('description'), one('image_1'),
    one('product_price_vat_inc'), one('quantity'),
    [['ean'], ['sku_manufacturer', 'brand']],
    [['carrier', 'shipping_time', 'shipping_price_vat_inc'], ['use_grid', 'carrier_grid_1', 'shipping_time_carrier_grid_1', 'DisplayWeight']],
    ...(checks.require_category ?? true ? [one('mm_category_id')] : []),
    ...(checks.require_merchant_category ? [one('merchant_category')] : []),
  ];
}

/** Why: the names shop exports and people use (English and French) for ManoMano's columns. */
export const PRODUCT_ATTRIBUTE_SYNONYMS: Readonly<Record<string, string>> = {
  price: 'product_price_vat_inc', prix: 'product_price_vat_inc', price_ttc: 'product_price_vat_inc', prix_ttc: 'product_price_vat_inc',
  selling_price: 'product_price_vat_inc', sale_price: 'product_price_vat_inc', price_vat_inc: 'product_price_vat_inc', price_incl_vat: 'product_price_vat_inc',
  retail_price: 'retail_price_vat_inc', old_price: 'retail_price_vat_inc', list_price: 'retail_price_vat_inc', prix_barre: 'retail_price_vat_inc',
  stock: 'quantity', qty: 'quantity', stock_quantity: 'quantity', inventory: 'quantity', quantite: 'quantity', quantité: 'quantity',
  name: 'title', product_name: 'title', nom: 'title', titre: 'title', libelle: 'title', designation: 'title',
  desc: 'description', long_description: 'description',
  image: 'image_1', image_url: 'image_1', main_image: 'image_1', photo: 'image_1', picture: 'image_1', images: 'image_1',
  gtin: 'ean', ean13: 'ean', barcode: 'ean', upc: 'ean', code_barre: 'ean', gencod: 'ean',
  mpn: 'sku_manufacturer', manufacturer_ref: 'sku_manufacturer', manufacturer_sku: 'sku_manufacturer', ref_fabricant: 'sku_manufacturer',
  reference: 'sku', ref: 'sku', product_id: 'sku', id: 'sku', seller_sku: 'sku',
  marque: 'brand', brand_name: 'brand',
  category: 'mm_category_id', category_id: 'mm_category_id', categorie: 'mm_category_id', manomano_category: 'mm_category_id',
  shipping_cost: 'shipping_price_vat_inc', shipping_price: 'shipping_price_vat_inc', frais_port: 'shipping_price_vat_inc', delivery_price: 'shipping_price_vat_inc',
  delivery_time: 'shipping_time', lead_time: 'shipping_time', delai: 'shipping_time', delai_livraison: 'shipping_time',
  vat: 'product_vat_rate', vat_rate: 'product_vat_rate', tva: 'product_vat_rate',
  poids: 'weight', weight_kg: 'weight', color: 'colour', couleur: 'colour',
  url: 'product_url', link: 'product_url', product_link: 'product_url',
  ecotax: 'eco_participation', eco_tax: 'eco_participation', deee: 'eco_participation',
};
