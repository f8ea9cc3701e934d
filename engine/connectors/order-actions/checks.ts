/**
 * Per-record checks shared by the order-action destinations: each reader returns the clean value
 * or records a RecordError with a stable code (and a did-you-mean hint on a near miss), so a bad
 * record is rejected into the report before anything is sent.
 */
import { RecordError } from '../../errors.js';
import type { Row } from '../../runtime/types.js';
import { didYouMean } from '../../rules/did-you-mean.js';
import { showValue } from '../../json-text.js';

/** Stable reject codes (record problems, counted as rejected). */
export const REJECT_CODES = {
  referenceMissing: 'ORDER_REFERENCE_MISSING',
  quantityInvalid: 'ORDER_QUANTITY_INVALID',
  skuMissing: 'ORDER_SKU_MISSING',
  contractInvalid: 'ORDER_CONTRACT_INVALID',
  linesConflict: 'ORDER_LINES_CONFLICT',
  decisionUnknown: 'ORDER_DECISION_UNKNOWN',
  carrierMissing: 'SHIPMENT_CARRIER_MISSING',
  carrierUnknown: 'SHIPMENT_CARRIER_UNKNOWN',
  trackingNumberMissing: 'SHIPMENT_TRACKING_NUMBER_MISSING',
  trackingUrlMissing: 'SHIPMENT_TRACKING_URL_MISSING',
  trackingUrlInvalid: 'SHIPMENT_TRACKING_URL_INVALID',
  reasonMissing: 'REFUND_REASON_MISSING',
  reasonUnknown: 'REFUND_REASON_UNKNOWN',
  shippingFeesInvalid: 'REFUND_SHIPPING_FEES_INVALID',
} as const;

/** Collects the problems of one record; `ok` when there are none. */
export class Problems {
  readonly list: RecordError[] = [];
  get ok(): boolean {
    return this.list.length === 0;
  }
  add(code: string, attribute: string, message: string, hint?: string): undefined {
    this.list.push(new RecordError(code, message, { attribute, hint }));
    return undefined;
  }
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Why: mapped values arrive as strings (CSV) or numbers (JSON); both mean the same text. */
export function text(record: Row, attribute: string): string | undefined {
  const v = record[attribute];
  if (isBlank(v)) return undefined;
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** The order reference; missing → ORDER_REFERENCE_MISSING. */
export function orderReference(record: Row, p: Problems): string | undefined {
  const ref = text(record, 'order_reference');
  if (ref === undefined) return p.add(REJECT_CODES.referenceMissing, 'order_reference', 'order_reference is missing', 'map `order_reference` to the ManoMano order reference (M…)');
  return ref;
}

/** A positive whole quantity; `2`, `"2"` and `2.0` are fine (some ERPs send floats), `1.5`, `0`, `"x"` are not. */
export function quantity(record: Row, p: Problems, required: boolean): number | undefined {
  const v = record.quantity;
  if (isBlank(v)) {
    return required ? p.add(REJECT_CODES.quantityInvalid, 'quantity', 'quantity is missing', 'map `quantity` to the number of units of this line') : undefined;
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
  if (!Number.isFinite(n) || !Number.isInteger(n) || n < 1) {
    return p.add(REJECT_CODES.quantityInvalid, 'quantity', `quantity must be a positive whole number, got ${showValue(v)}`, 'ManoMano counts units: 1, 2, 3...');
  }
  return n;
}

/** An optional per-record contract id (integer), else the connection's. */
export function contractOf(record: Row, p: Problems, fallback: number): number | undefined {
  const v = record.seller_contract_id;
  if (isBlank(v)) return fallback;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isInteger(n) || n <= 0) return p.add(REJECT_CODES.contractInvalid, 'seller_contract_id', `seller_contract_id must be a positive whole number, got ${showValue(v)}`);
  return n;
}

/** Why: closed lists (carriers, reasons) are case-sensitive at ManoMano; a near miss gets a precise hint. */
export function oneOf(value: string, allowed: readonly string[], p: Problems, o: { code: string; attribute: string; what: string; listHint: string }): string | undefined {
  if (allowed.includes(value)) return value;
  const close = nearMisses(value, allowed);
  const hint = close.length ? `did you mean ${close.map((c) => `"${c}"`).join(' or ')}? (names are case-sensitive)` : o.listHint;
  return p.add(o.code, o.attribute, `${o.what} "${value}" is not in the accepted list`, hint);
}

/**
 * Why: "colissimo" → "Colissimo", "DHL Express" → "DHL", "DHL Freight"... A name that differs only
 * by case, accents or separators ("product damaged" → "PRODUCT_DAMAGED") wins; then names sharing the first word; then plain edit distance.
 */
export function nearMisses(value: string, allowed: readonly string[]): string[] {
  const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
  const bare = (s: string) => fold(s).replace(/[\s_-]+/g, '');
  const same = allowed.filter((a) => bare(a) === bare(value));
  if (same.length) return same;
  const first = (s: string) => fold(s).split(/[\s_-]+/)[0] ?? '';
  const head = first(value);
  const sharing = head.length >= 2 ? allowed.filter((a) => first(a) === head).sort((a, b) => a.length - b.length || a.localeCompare(b)) : [];
  if (sharing.length) return sharing.slice(0, 3);
  return didYouMean(value, allowed);
}

/** An http(s) URL. */
export function httpUrl(value: string, p: Problems, attribute: string, code: string): string | undefined {
  let ok = false;
  try {
    const u = new URL(value);
    ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    ok = false;
  }
  return ok ? value : p.add(code, attribute, `${attribute} must be an http(s) URL, got "${value}"`, 'e.g. https://www.laposte.fr/outils/suivre-vos-envois?code=6A123…');
}

/** A boolean written as true/false, 1/0, yes/no (CSV cells are text); blank → fallback. */
export function bool(record: Row, attribute: string, p: Problems, fallback: boolean, code: string): boolean | undefined {
  const v = record[attribute];
  if (isBlank(v)) return fallback;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (['true', '1', 'yes', 'y', 'oui'].includes(s)) return true;
  if (['false', '0', 'no', 'n', 'non'].includes(s)) return false;
  return p.add(code, attribute, `${attribute} must be true or false, got ${showValue(v)}`);
}
