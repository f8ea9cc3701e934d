/**
 * Our own checks on one mapped record before it may become an offer update: a sku, a whole
 * quantity from 0, a price above 0 (a decimal comma is accepted: "12,50"). A record that fails
 * is rejected into the report with a stable code; it never reaches ManoMano.
 */
import type { Row } from '../../../runtime/types.js';
import { showValue } from '../../../json-text.js';

/** One offer update as planned: the fields present are the ones sent. */
export interface OfferUpdate {
  sku: string;
  price?: number;
  quantity?: number;
}

/** Why a record cannot be an offer update; `attribute` names the mapped attribute at fault. */
export interface OfferProblem {
  code: 'OFFER_SKU_MISSING' | 'OFFER_QUANTITY_INVALID' | 'OFFER_PRICE_INVALID' | 'OFFER_NOTHING_TO_UPDATE';
  attribute: string;
  message: string;
  hint: string;
}

/** The attributes this destination accepts (strict: anything else is a config error). */
export const OFFER_ATTRIBUTES = ['sku', 'quantity', 'price_vat_included'] as const;

const NUMBER_TEXT = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/;

/** Why: sources give text ("12,50", " 3 ") as often as numbers; read both the same way. */
export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (!NUMBER_TEXT.test(text)) return undefined;
  return Number(text.replace(',', '.'));
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Why: one place decides what a valid update is, for run and plan alike. */
export function checkOffer(record: Row): { ok: true; offer: OfferUpdate } | { ok: false; problem: OfferProblem } {
  const rawSku = record.sku;
  const sku = typeof rawSku === 'string' ? rawSku.trim() : typeof rawSku === 'number' && Number.isFinite(rawSku) ? String(rawSku) : '';
  if (!sku) {
    return bad('OFFER_SKU_MISSING', 'sku', `sku is missing or empty (got ${show(rawSku)})`,
      'map `sku` to your seller SKU, exactly as ManoMano knows the offer');
  }
  const offer: OfferUpdate = { sku };
  if (!isBlank(record.quantity)) {
    const q = readNumber(record.quantity);
    if (q === undefined || !Number.isInteger(q) || q < 0) {
      return bad('OFFER_QUANTITY_INVALID', 'quantity', `quantity must be a whole number from 0, got ${show(record.quantity)}`,
        'map `quantity` to the available stock, e.g. $max([0, $floor($number(stock))])');
    }
    offer.quantity = q;
  }
  if (!isBlank(record.price_vat_included)) {
    const p = readNumber(record.price_vat_included);
    if (p === undefined || p <= 0) {
      return bad('OFFER_PRICE_INVALID', 'price_vat_included', `price_vat_included must be a number above 0, got ${show(record.price_vat_included)}`,
        'map `price_vat_included` to the selling price with VAT, e.g. 12.50 or "12,50"');
    }
    offer.price = Math.round(p * 100) / 100;
  }
  if (offer.price === undefined && offer.quantity === undefined) {
    return bad('OFFER_NOTHING_TO_UPDATE', 'quantity', `sku "${sku}": neither quantity nor price_vat_included has a value`,
      'map `quantity`, `price_vat_included` or both');
  }
  return { ok: true, offer };
}

function bad(code: OfferProblem['code'], attribute: string, message: string, hint: string): { ok: false; problem: OfferProblem } {
  return { ok: false, problem: { code, attribute, message, hint } };
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  return showValue(v, 60);
}
