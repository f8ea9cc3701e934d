/**
 * Groups order-action records per order. Lines of one order may arrive in any batch, so every
 * order is buffered until close(): one small entry per order (its reference, order-level fields
 * and a sku → quantity map), so memory grows with the number of orders, not with their payloads.
 */
import { createHash } from 'node:crypto';
import type { LineQuantity, Order } from '../../manomano/api-types.js';
import type { ActionRef, OrderAction } from '../../state/store.js';

/** One record once checked: which order, which action, its order-level fields, maybe one line. */
export interface ParsedRecord<F> {
  ref: string;
  contract: number;
  action: OrderAction;
  fields: F;
  /** Absent for a record that stands for the whole order. */
  sku?: string;
  /** Absent with a sku: every unit of that line. */
  quantity?: number;
}

/** Everything to do for one order. */
export interface OrderGroup<F> {
  key: string;
  ref: string;
  contract: number;
  action: OrderAction;
  fields: F;
  whole: boolean;
  lines: Map<string, number | undefined>;
  /** Set when two records of the order disagree: nothing is sent for it. */
  conflict?: string;
  /** Set when a record of the order was rejected: the rest is held back, never sent partially. */
  held?: string;
  /** The action's journal fingerprint (ship/refund: its lines and reason), set at close() by actionFingerprint. */
  fingerprint?: string;
  index: number;
  line?: number;
}

/** Why: one place decides when two records of the same order can be merged into one action. */
export class OrderGroups<F> {
  readonly groups = new Map<string, OrderGroup<F>>();
  /** Orders with a rejected record, whether their other records came before or after it. */
  private readonly heldOrders = new Map<string, string>();

  constructor(private readonly sameFields: (a: F, b: F) => string | undefined) {}

  /** Adds a record; returns why it conflicts with the order's earlier records, if it does. */
  add(r: ParsedRecord<F>, position: { index: number; line?: number }): string | undefined {
    const key = `${r.contract}:${r.ref}`;
    const g = this.groups.get(key);
    if (!g) {
      const lines = new Map<string, number | undefined>();
      if (r.sku !== undefined) lines.set(r.sku, r.quantity);
      this.groups.set(key, { key, ref: r.ref, contract: r.contract, action: r.action, fields: r.fields, whole: r.sku === undefined, lines, index: position.index, line: position.line, held: this.heldOrders.get(key) });
      return undefined;
    }
    const why = this.conflictOf(g, r);
    if (why) g.conflict ??= why;
    return why;
  }

  /**
   * A record of this order was rejected (bad quantity, unknown carrier...): sending the other
   * lines would ship or refund part of the order, and the missing line could not follow once the
   * order changed status. The whole order is held back instead.
   */
  hold(contract: number, ref: string, why: string): void {
    const key = `${contract}:${ref}`;
    if (!this.heldOrders.has(key)) this.heldOrders.set(key, why);
    const g = this.groups.get(key);
    if (g) g.held ??= why;
  }

  private conflictOf(g: OrderGroup<F>, r: ParsedRecord<F>): string | undefined {
    if (g.action !== r.action) return `order ${r.ref} has records for both ${g.action} and ${r.action}`;
    const fields = this.sameFields(g.fields, r.fields);
    if (fields) return `records of order ${r.ref} disagree: ${fields}`;
    if (g.whole || r.sku === undefined) return `order ${r.ref} has a record for the whole order (no seller_sku) and other records`;
    if (!g.lines.has(r.sku)) {
      g.lines.set(r.sku, r.quantity);
      return undefined;
    }
    const prev = g.lines.get(r.sku);
    if (prev === undefined || r.quantity === undefined) return `order ${r.ref} lists seller_sku ${r.sku} twice, once without a quantity`;
    g.lines.set(r.sku, prev + r.quantity); // the same line split over two records (two rows of a pick list)
    return undefined;
  }
}

/** The products to send, or why the order's lines do not match the records. */
export function resolveProducts(g: OrderGroup<unknown>, order: Order): { products: LineQuantity[] } | { code: string; message: string } {
  if (g.whole) return { products: order.products.map((l) => ({ seller_sku: l.seller_sku, quantity: l.quantity })) };
  const products: LineQuantity[] = [];
  for (const [sku, qty] of g.lines) {
    const line = order.products.find((l) => l.seller_sku === sku);
    if (!line) {
      return { code: 'ORDER_LINE_UNKNOWN', message: `order ${g.ref} has no line with seller_sku ${sku} (its lines: ${order.products.map((l) => l.seller_sku).join(', ')})` };
    }
    if (qty !== undefined && qty > line.quantity) {
      return { code: 'ORDER_LINE_QUANTITY', message: `order ${g.ref}: ${qty} × ${sku} asked, the order has ${line.quantity}` };
    }
    products.push({ seller_sku: sku, quantity: qty ?? line.quantity });
  }
  return { products };
}

/**
 * Why: the journal tells one partial shipment or refund of an order from another by what it
 * carries: the sorted lines (`sku=quantity`, `*` = every unit; the whole order = `*`) plus the
 * spec's order-level part (a refund's reason). Undefined for actions without lines (accept/refuse).
 */
export function actionFingerprint<F>(g: OrderGroup<F>, withLines: boolean, extra?: string): string | undefined {
  if (!withLines) return undefined;
  const lines = g.whole ? '*' : [...g.lines].map(([sku, q]) => `${sku}=${q ?? '*'}`).sort();
  return createHash('sha256').update(JSON.stringify([lines, extra ?? null])).digest('hex').slice(0, 16);
}

/** Why: the journal's identity of a group's action, in one place for decide, send and recovery. */
export function actionRef(g: OrderGroup<unknown>): ActionRef {
  return g.fingerprint === undefined
    ? { action: g.action, contract: g.contract, order_reference: g.ref }
    : { action: g.action, contract: g.contract, order_reference: g.ref, fingerprint: g.fingerprint };
}

/**
 * Why: a refusal is about what was sent (an unknown carrier, a missing tracking URL): the journal
 * keeps a digest of the request so the same payload is not sent again, while a corrected one is.
 */
export function payloadDigest(request: Record<string, unknown> | undefined): string {
  return createHash('sha256').update(JSON.stringify(request ?? null)).digest('hex').slice(0, 16);
}
