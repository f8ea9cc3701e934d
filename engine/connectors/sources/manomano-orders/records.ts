/**
 * Turns an API order into the records the source yields: the order as is (`records: orders`), or
 * one flat record per line (`records: lines`) carrying the order's fields and flattened addresses,
 * so a CSV for an ERP needs no mapping at all.
 */
import type { Address, Money, Order, OrderLine } from '../../../manomano/api-types.js';
import type { Row } from '../../../runtime/types.js';

/** Address fields flattened as `<kind>_<field>` in line records, in this order. */
export const ADDRESS_FIELDS = [
  'firstname', 'lastname', 'company', 'email', 'phone', 'address_line1', 'address_line2', 'address_line3',
  'zipcode', 'city', 'province', 'country', 'country_iso',
] as const;

/** Line money fields written as plain amounts (the currency is in `currency`). */
const LINE_MONEY = ['price', 'price_excluding_vat', 'total_price', 'total_price_excluding_vat', 'shipping_price', 'shipping_price_excluding_vat'] as const;

/** Column order of a line record: what an ERP import reads first comes first. */
export const LINE_COLUMNS: readonly string[] = [
  'order_reference', 'seller_contract_id', 'status', 'created_at', 'status_updated_at', 'is_mmf', 'is_b2b',
  'line_number', 'line_count', 'seller_sku', 'title', 'quantity', 'currency', ...LINE_MONEY, 'vat_rate', 'carrier',
  'order_total_price', 'order_shipping_price',
  'customer_firstname', 'customer_lastname',
  ...ADDRESS_FIELDS.map((f) => `shipping_${f}`),
  ...ADDRESS_FIELDS.map((f) => `billing_${f}`),
  'relay_id', 'relay_name',
];

const amount = (m: Money | undefined): number | null => (m && typeof m.amount === 'number' ? m.amount : null);
const scalar = (v: unknown): unknown => (v === undefined ? null : v);

function flatAddress(prefix: string, a: Address | null | undefined, out: Row): void {
  for (const f of ADDRESS_FIELDS) out[`${prefix}_${f}`] = scalar(a?.[f]);
}

/** Why: one flat record per line, every key always present (stable CSV columns), values scalar. */
export function orderLines(order: Order): Row[] {
  const lines = order.products ?? [];
  return lines.map((line: OrderLine, i) => {
    const out: Row = {
      order_reference: order.order_reference,
      seller_contract_id: order.seller_contract_id,
      status: order.status,
      created_at: order.created_at,
      status_updated_at: order.status_updated_at,
      is_mmf: order.is_mmf,
      is_b2b: order.vat?.is_b2b ?? order.is_professional ?? false,
      line_number: i + 1,
      line_count: lines.length,
      seller_sku: line.seller_sku,
      title: line.title ?? line.product_title ?? null,
      quantity: line.quantity,
      currency: line.price?.currency ?? order.total_price?.currency ?? null,
    };
    for (const k of LINE_MONEY) out[k] = amount(line[k] as Money | undefined);
    out.vat_rate = scalar(line.vat_rate);
    out.carrier = scalar(line.carrier);
    out.order_total_price = amount(order.total_price);
    out.order_shipping_price = amount(order.shipping_price);
    out.customer_firstname = scalar(order.customer?.firstname);
    out.customer_lastname = scalar(order.customer?.lastname);
    flatAddress('shipping', order.addresses?.shipping, out);
    flatAddress('billing', order.addresses?.billing, out);
    out.relay_id = scalar(order.addresses?.relay?.id);
    out.relay_name = scalar(order.addresses?.relay?.name);
    return out;
  });
}
