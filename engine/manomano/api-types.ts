/**
 * Shapes of the ManoMano Partner API, shared by the client and the simulator.
 * From ../shared/reference/manomano-partner-api.md §4, §5 and §8. Fields marked ASSUMPTION are not
 * established by public material; the client and simulator keep them configurable.
 */

export const ORDER_STATUSES = [
  'WAITING_PAYMENT', 'REMORSE_PERIOD', 'PENDING', 'REFUSED', 'PREPARATION', 'SHIPPED', 'REFUNDING', 'REFUNDED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface Money { amount: number; currency: 'EUR' | 'GBP' }

export interface Address {
  firstname?: string; lastname?: string; company?: string | null; email?: string; phone?: string;
  address_line1?: string; address_line2?: string | null; address_line3?: string | null;
  zipcode?: string; city?: string; province?: string | null; country?: string; country_iso?: string;
  recipient_code?: string | null; id?: string; name?: string;
}

export interface OrderLine {
  seller_sku: string;
  title: string;
  product_title?: string;
  quantity: number;
  price: Money;
  price_excluding_vat?: Money;
  total_price?: Money;
  total_price_excluding_vat?: Money;
  shipping_price?: Money;
  vat_rate: string;
  carrier?: string;
  [extra: string]: unknown;
}

export interface Order {
  order_reference: string;
  seller_contract_id: number;
  status: OrderStatus;
  created_at: string;
  status_updated_at: string;
  is_mmf: boolean;
  is_professional?: boolean;
  billing_fiscal_number?: string | null;
  customer: { firstname: string; lastname: string; fiscal_number?: string | null };
  addresses: { billing: Address; shipping: Address; relay?: Address | null };
  products: OrderLine[];
  products_price?: Money;
  shipping_price?: Money;
  total_price: Money;
  total_price_excluding_vat?: Money;
  vat?: { is_b2b: boolean; [k: string]: unknown };
  [extra: string]: unknown;
}

export interface Pagination {
  items: number; limit: number; page: number; pages: number;
  links?: { first?: string | null; previous?: string | null; next?: string | null; last?: string | null; goto?: string | null };
}

export interface Page<T> { content: T[]; pagination: Pagination }

export interface OrderRef { order_reference: string; seller_contract_id: number }

export interface LineQuantity { seller_sku: string; quantity: number }

export interface ShippingItem extends OrderRef {
  carrier: string; tracking_number: string; tracking_url: string;
  products?: LineQuantity[];
}

/** ASSUMPTION: endpoint and field names unverified (reference §2.6); configurable in client and simulator. */
export interface RefundItem extends OrderRef {
  reason: string; refund_shipping_fees: boolean; products: LineQuantity[];
}

export interface ApiErrorBody { app_code: string; message: string }

/** The 207 multi-status body of the batch order endpoints. */
export interface BatchResult {
  content?: (OrderRef & { result: { http_code: number; error?: ApiErrorBody } })[];
  error?: ApiErrorBody;
  message?: string;
}

export interface OfferPatchItem { sku: string; price?: { price_vat_included: number }; stock?: { quantity: number } }
export interface OfferPatch { content: { seller_contract_id: number; items: OfferPatchItem[] }[] }

/** PATCH v2 answer (likely shape, ODOO2): per-SKU errors grouped by contract. */
export interface OfferPatchResult {
  content?: { errors: { seller_contract_id: number; errors: { sku: string; api_error_code: string; message: string }[] }[] };
  request_id?: string;
}

/** One offer of the full upsert `PUT /api/v1/offers` (reference §2.7b: likely; at most 20 per request). */
export interface OfferUpsertItem {
  sku: string;
  stock: number;
  pricing: { price_vat_included: number; retail_price_vat_included?: number | null };
  shipping: { display_weight: number; carrier_grid: { name: string; shipping_time_min: number; shipping_time_max: number }[] };
  packaging?: { min_quantity?: number; increment?: number };
  eco_participation?: number;
}

export interface OfferInformation {
  sku: string; price: number; retail_price?: number | null; stock: number;
  id_me?: number; offer_is_online: boolean;
  frozen_price?: boolean; frozen_retail_price?: boolean; frozen_stock?: boolean;
  status: 'COMPLETED' | 'ERROR' | string;
  errors: { code: string; message: string }[];
  [extra: string]: unknown;
}

/** ManoMano's carrier names (reference §7), verbatim and case-sensitive. Configurable where used. */
export const MANOMANO_CARRIERS = [
  'Ader', 'Amazon Logistics', 'APC Overnight', 'Asendia', 'Austrian Post', 'Baudoin', 'Bpost', 'BRT', 'CBL Logistica',
  'CHRONO 13', 'Chronopost', 'Colis Privé', 'Colissimo', 'Correos', 'Correos Express', 'CTT Express', 'Dachser',
  'DB Schenker', 'Deutsche Post', 'DHL', 'DHL Freight', 'DHL Parcel', 'DPD', 'DSV', 'Ducros', 'DUSCHEXPRESS', 'DX',
  'Envialia', 'Evri', 'Fedex', 'Fercam', 'France Express', 'Furdeco', 'Gebruder Weiss', 'Gefco', 'Gel', 'Geodis', 'GLS',
  'Heppner', 'Hermes', 'Kuehne Nagel', 'La Poste Suivi', 'Liccardi', 'Marmeth', 'Mazet', 'Mondial Relay', 'MRW', 'NACEX',
  'OnTime', 'Palletways', 'Pallex', 'ParcelForce', 'Post NL', 'Poste Italiane', 'Prévoté', 'Raben', 'Relais Colis',
  'Royal Mail', 'Sanidis', 'SDA', 'Sending', 'Seur', 'Spring', 'TDN', 'TIPSA', 'TNT', 'Transaher', 'Tred Chariot', 'TRS',
  'Trusk', 'UDEL', 'UK Mail', 'UPS', 'viaxpress', 'VIR', 'Whistl', 'XDP', 'XPO', 'Yodel', 'Zeleris',
] as const;

/** ASSUMPTION (reference §7): refund reason codes; configurable. */
export const DEFAULT_REFUND_REASONS = [
  'PRODUCT_UNAVAILABLE', 'CUSTOMER_RETRACTION', 'PRODUCT_DAMAGED', 'PRODUCT_NOT_RECEIVED', 'WRONG_PRODUCT', 'RETURN_RECEIVED', 'OTHER',
] as const;

export const BASE_URLS = {
  production: 'https://partnersapi.manomano.com',
  sandbox: 'https://partnersapi.sandbox.manomano.com',
} as const;
