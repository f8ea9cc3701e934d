/**
 * Generated orders: every status, 1-4 lines, relay points, B2B buyers, money that adds up
 * (totals = products + shipping, excl. VAT + VAT = incl. VAT), all determined by the seed.
 */
import type { Money, OfferInformation, Order, OrderLine, OrderStatus } from '../api-types.js';
import { MARKETS, makePerson, makeRelay, type Currency, type Market } from './locales.js';
import { Rng, subSeed } from './random.js';

/** A seller contract: one market, one currency. */
export interface SimContract { id: number; market: Market; currency: Currency }

/**
 * The date the bundled examples and the tests pin the simulator at (`now`), so their data files
 * name real generated orders. Unpinned, generated data is relative to the simulator's clock.
 */
export const DEFAULT_DATA_EPOCH = '2026-10-01T00:00:00Z';

const STATUS_WEIGHTS: Record<OrderStatus, number> = {
  PENDING: 24, PREPARATION: 20, SHIPPED: 26, REFUNDED: 5, REFUNDING: 5, REFUSED: 8, WAITING_PAYMENT: 6, REMORSE_PERIOD: 6,
};
const ALL_STATUSES = Object.keys(STATUS_WEIGHTS) as OrderStatus[];

/** The market of a contract id when nobody said: 22xxxx is the UK, the rest cycle over EU markets. */
export function defaultContract(id: number, index: number): SimContract {
  const known: Record<number, Market> = { 110841: 'FR', 110842: 'DE', 220001: 'GB' };
  const eu: Market[] = ['FR', 'DE', 'ES', 'IT', 'BE'];
  const market = known[id] ?? (String(id).startsWith('22') ? 'GB' : eu[index % eu.length]!);
  return { id, market, currency: MARKETS[market].currency };
}

/** ISO-8601 with the "+00:00" offset the API uses, at whole seconds. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');
}

const money = (cents: number, currency: Currency): Money => ({ amount: Math.round(cents) / 100, currency });
const exVat = (cents: number, rate: number) => Math.round(cents / (1 + rate / 100));

/** Builds the order lines and all money fields from (sku, unit price cents, quantity, shipping cents). */
function priceOrder(lines: { offer: OfferInformation; qty: number; shipCents: number }[], market: Market, currency: Currency) {
  const rate = MARKETS[market].vat;
  const vatRate = rate.toFixed(2);
  let prod = 0, prodEx = 0, ship = 0, shipEx = 0;
  const products: OrderLine[] = lines.map(({ offer, qty, shipCents }) => {
    const unit = Math.round(offer.price * 100);
    const total = unit * qty;
    const totalEx = exVat(total, rate);
    prod += total; prodEx += totalEx; ship += shipCents; shipEx += exVat(shipCents, rate);
    return {
      seller_sku: offer.sku,
      title: String(offer.title ?? offer.sku),
      product_title: String(offer.title ?? offer.sku),
      quantity: qty,
      price: money(unit, currency),
      price_excluding_vat: money(exVat(unit, rate), currency),
      product_price: money(unit, currency),
      product_price_excluding_vat: money(exVat(unit, rate), currency),
      total_price: money(total, currency),
      total_price_excluding_vat: money(totalEx, currency),
      shipping_price: money(shipCents, currency),
      shipping_price_excluding_vat: money(exVat(shipCents, rate), currency),
      sum_shipping_price: money(shipCents, currency),
      vat_rate: vatRate,
      shipping_vat_rate: vatRate,
      carrier: String(offer.carrier ?? 'DPD'),
    };
  });
  const zero = money(0, currency);
  return {
    products,
    products_price: money(prod, currency),
    products_price_excluding_vat: money(prodEx, currency),
    products_price_vat: money(prod - prodEx, currency),
    shipping_price: money(ship, currency),
    shipping_price_excluding_vat: money(shipEx, currency),
    shipping_price_vat_rate: vatRate,
    total_price: money(prod + ship, currency),
    total_price_excluding_vat: money(prodEx + shipEx, currency),
    total_price_vat: money(prod + ship - prodEx - shipEx, currency),
    manomano_discount: zero, seller_discount: zero, shipping_discount: zero, total_discount: zero,
  };
}

/** Generates `count` orders for one contract; the first eight cover every status. */
export function generateOrders(seed: number, contract: SimContract, offers: OfferInformation[], count: number, epochMs: number, contractIndex: number): Order[] {
  const rng = new Rng(subSeed(seed, 'orders', contract.id));
  const { market, currency } = contract;
  const orders: Order[] = [];
  const span = 60 * 24 * 3600;
  for (let i = 0; i < count && offers.length; i++) {
    const status = i < ALL_STATUSES.length ? ALL_STATUSES[i]! : rng.weighted(STATUS_WEIGHTS);
    const createdMs = epochMs - rng.int(3600, span) * 1000;
    const updatedMs = Math.min(epochMs - 60_000, createdMs + rng.int(0, 96 * 3600) * 1000);
    const b2b = rng.chance(0.15);
    const buyer = makePerson(market, rng, b2b);
    const shipTo = rng.chance(0.8) ? buyer : makePerson(market, rng, false);
    const relay = rng.chance(0.2) ? makeRelay(market, rng) : null;
    const n = rng.int(1, 4);
    const picked = new Set<OfferInformation>();
    while (picked.size < Math.min(n, offers.length)) picked.add(rng.pick(offers));
    const lines = [...picked].map((offer) => ({
      offer,
      qty: rng.chance(0.7) ? 1 : rng.int(2, 5),
      shipCents: offer.price > 100 ? 0 : rng.pick([490, 590, 690, 990]),
    }));
    const d = new Date(createdMs);
    const ref = `M${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}${contractIndex}${String(i).padStart(5, '0')}`;
    const { vatNumber, ...billing } = buyer;
    const { vatNumber: _v, company: _c, ...shipping } = shipTo;
    orders.push({
      order_reference: ref,
      seller_contract_id: contract.id,
      status,
      created_at: isoSeconds(createdMs),
      status_updated_at: isoSeconds(status === 'WAITING_PAYMENT' ? createdMs : updatedMs),
      is_mmf: status === 'SHIPPED' && rng.chance(0.1),
      is_professional: b2b,
      billing_fiscal_number: vatNumber,
      customer: { firstname: buyer.firstname, lastname: buyer.lastname, fiscal_number: vatNumber },
      addresses: {
        billing: { ...billing, recipient_code: market === 'IT' && b2b ? `${rng.digits(3)}XCR${rng.int(1, 9)}` : null },
        shipping: relay ? { ...shipping, ...relay, firstname: shipTo.firstname, lastname: shipTo.lastname } : shipping,
        relay,
      },
      ...priceOrder(lines, market, currency),
      vat: {
        is_b2b: b2b, subjected_to_vat: true, vat_rate: MARKETS[market].vat.toFixed(2),
        vat_liability: 'SELLER', invoice_liability: 'SELLER',
        intraco_vat_number: b2b ? vatNumber : null, local_vat_number: b2b ? vatNumber : null,
        invoice_fiscal_number: vatNumber, eori_number: null, recipient_code: null,
      },
    });
  }
  return orders;
}
