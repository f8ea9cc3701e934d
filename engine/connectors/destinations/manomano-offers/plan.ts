/**
 * Planning: which valid offers change versus the snapshot (delta), how to say the change to a
 * person, and the safety verdict over the whole run, computed before anything is sent.
 */
import type { OfferUpdate } from './checks.js';
import type { KnownOffer } from '../../../state/store.js';

/** One update that will be sent, with what ManoMano had and where the record came from. */
export interface PlannedUpdate extends OfferUpdate {
  before?: KnownOffer;
  /** ManoMano's current values, read when the snapshot has none for a field a safety limit judges. */
  remote?: KnownOffer;
  index?: number;
  line?: number;
}

/** The `safety` settings of the destination. */
export interface SafetyLimits {
  max_zero_stock_percent?: number;
  max_price_drop_percent?: number;
  max_price_drop_items?: number;
}

/** The figures behind the verdict, for the summary, the plan and the error message. */
export interface SafetyVerdict {
  ok: boolean;
  /** Valid offers in the run (sent + unchanged): the base of the zero-stock percentage. */
  offers: number;
  zeroing: number;
  zeroingPercent: number;
  priceDrops: number;
  /** Up to five of the biggest drops, for the message. */
  worstDrops: { sku: string; from: number; to: number; percent: number }[];
  /** One sentence per limit broken. */
  broken: string[];
}

/** Why: delta is decided per field the record carries; a field never confirmed counts as changed. */
export function hasChanged(update: OfferUpdate, before: KnownOffer | undefined): boolean {
  if (!before) return true;
  if (update.price !== undefined && before.price !== update.price) return true;
  if (update.quantity !== undefined && before.quantity !== update.quantity) return true;
  return false;
}

const money = (n: number) => n.toFixed(2);

/** Why: the item report and plan speak the seller's language: `price 19.90 → 17.90; stock 3 → 0`. */
export function describeChange(update: OfferUpdate, before: KnownOffer | undefined): string {
  const parts: string[] = [];
  if (update.price !== undefined && before?.price !== update.price) {
    parts.push(before?.price === undefined ? `price → ${money(update.price)}` : `price ${money(before.price)} → ${money(update.price)}`);
  }
  if (update.quantity !== undefined && before?.quantity !== update.quantity) {
    parts.push(before?.quantity === undefined ? `stock → ${update.quantity}` : `stock ${before.quantity} → ${update.quantity}`);
  }
  return parts.length ? parts.join('; ') : 'unchanged (full resend)';
}

/**
 * Why: the safety limits judge each field against the last confirmed value, else ManoMano's
 * current one (a fresh machine or a lost state must not switch the limits off).
 */
export function baseline(update: PlannedUpdate): KnownOffer | undefined {
  const price = update.before?.price ?? update.remote?.price;
  const quantity = update.before?.quantity ?? update.remote?.quantity;
  if (price === undefined && quantity === undefined) return undefined;
  return { ...(price !== undefined ? { price } : {}), ...(quantity !== undefined ? { quantity } : {}) };
}

/** Why: the fields a safety limit would judge but neither the snapshot nor ManoMano's answer gave yet. */
export function needsRemoteBaseline(limits: SafetyLimits, u: PlannedUpdate): boolean {
  if (u.remote) return false;
  const price = limits.max_price_drop_percent !== undefined && u.price !== undefined && u.before?.price === undefined;
  const stock = limits.max_zero_stock_percent !== undefined && u.quantity === 0 && u.before?.quantity === undefined;
  return price || stock;
}

/** A drop in percent of the baseline price; undefined when there is no baseline price or no drop. */
export function priceDropPercent(update: PlannedUpdate): number | undefined {
  const from = baseline(update)?.price;
  if (from === undefined || update.price === undefined || update.price >= from) return undefined;
  return ((from - update.price) / from) * 100;
}

/** Why: limits are judged on the whole run, so a bad export is stopped before the first PATCH. */
export function evaluateSafety(limits: SafetyLimits, planned: PlannedUpdate[], offers: number): SafetyVerdict {
  const zeroing = planned.filter((u) => u.quantity === 0 && baseline(u)?.quantity !== 0).length;
  const zeroingPercent = offers === 0 ? 0 : (zeroing / offers) * 100;
  const drops: SafetyVerdict['worstDrops'] = [];
  const threshold = limits.max_price_drop_percent;
  if (threshold !== undefined) {
    for (const u of planned) {
      const percent = priceDropPercent(u);
      if (percent !== undefined && percent > threshold) drops.push({ sku: u.sku, from: baseline(u)!.price!, to: u.price!, percent });
    }
  }
  drops.sort((a, b) => b.percent - a.percent);
  const broken: string[] = [];
  const maxZero = limits.max_zero_stock_percent;
  if (maxZero !== undefined && zeroingPercent > maxZero) {
    broken.push(`${zeroing} of ${offers} offers (${zeroingPercent.toFixed(1)}%) would go to zero stock; the limit is max_zero_stock_percent: ${maxZero}`);
  }
  const tolerated = limits.max_price_drop_items ?? 0;
  if (threshold !== undefined && drops.length > tolerated) {
    const worst = drops.slice(0, 5).map((d) => `${d.sku} ${money(d.from)} → ${money(d.to)} (-${d.percent.toFixed(1)}%)`).join(', ');
    broken.push(`${drops.length} offer(s) would drop in price by more than ${threshold}% (tolerated: ${tolerated}): ${worst}${drops.length > 5 ? ', ...' : ''}`);
  }
  return { ok: broken.length === 0, offers, zeroing, zeroingPercent: Math.round(zeroingPercent * 10) / 10, priceDrops: drops.length, worstDrops: drops.slice(0, 5), broken };
}
