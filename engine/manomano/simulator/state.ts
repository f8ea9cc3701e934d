/**
 * The simulator's mutable world: contracts, orders and offers per contract, the order state
 * machine, and a strictly increasing clock for `status_updated_at`. Tests inspect and seed it
 * directly (`sim.state.getOrder(...)`, `sim.state.addOrder(...)`).
 */
import type { LineQuantity, OfferInformation, Order, OrderStatus } from '../api-types.js';
import { isoSeconds, type SimContract } from './generate.js';

/** The order actions and the single status each one is allowed from (reference §3). */
export const TRANSITIONS = {
  accept: { from: 'PENDING', to: 'PREPARATION' },
  refuse: { from: 'PENDING', to: 'REFUSED' },
  ship: { from: 'PREPARATION', to: 'SHIPPED' },
  refund: { from: 'SHIPPED', to: 'REFUNDING' },
} as const satisfies Record<string, { from: OrderStatus; to: OrderStatus }>;
export type OrderAction = keyof typeof TRANSITIONS;

/** An offer as the simulator keeps it: the API view plus which PATCH last touched it. */
export type SimOffer = OfferInformation & { last_request_id?: string };

/** A shipping notification or refund the simulator accepted, for tests to inspect. */
export interface ActionRecord {
  action: OrderAction;
  order_reference: string;
  seller_contract_id: number;
  at: string;
  details: Record<string, unknown> & { products?: LineQuantity[] };
}

/** A document the simulator accepted (invoice upload), for tests to inspect. */
export interface SimDocument {
  document_id: string;
  order_reference: string;
  seller_contract_id: number;
  document_type: string;
  filename: string;
  size: number;
  sha256: string;
  at: string;
}

/** Everything the server reads and changes; one instance per simulator, rebuilt on reset. */
export class SimulatorState {
  readonly contracts = new Map<number, SimContract>();
  private readonly orders = new Map<number, Map<string, Order>>();
  private readonly offers = new Map<number, Map<string, SimOffer>>();
  /** Accepted actions in order (accept, refuse, ship, refund), with their payload details. */
  readonly actions: ActionRecord[] = [];
  /** Uploaded documents in order. */
  readonly documents: SimDocument[] = [];
  private lastTick = 0;
  private requestIds = 0;

  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** Registers a contract (idempotent). */
  addContract(c: SimContract): void {
    this.contracts.set(c.id, c);
    if (!this.orders.has(c.id)) this.orders.set(c.id, new Map());
    if (!this.offers.has(c.id)) this.offers.set(c.id, new Map());
  }

  /** The `request_id` of the next offer update: `sim-` and a counter, deterministic per run. */
  nextRequestId(): string {
    this.requestIds += 1;
    return `sim-${String(this.requestIds).padStart(8, '0')}`;
  }

  /** Records an uploaded document under the next `doc-` id. */
  addDocument(doc: Omit<SimDocument, 'document_id' | 'at'>): SimDocument {
    const out: SimDocument = { document_id: `doc-${String(this.documents.length + 1).padStart(8, '0')}`, at: this.tick(), ...doc };
    this.documents.push(out);
    return out;
  }

  /** A strictly increasing timestamp (whole seconds): max(clock, previous + 1 s). */
  tick(): string {
    const now = Math.floor(this.clock().getTime() / 1000) * 1000;
    this.lastTick = Math.max(now, this.lastTick + 1000);
    return isoSeconds(this.lastTick);
  }

  private bumpClock(iso: string): void {
    const t = Date.parse(iso);
    if (Number.isFinite(t) && t > this.lastTick) this.lastTick = t;
  }

  /** Adds (or replaces) an order; its contract must exist. */
  addOrder(order: Order): Order {
    const map = this.orders.get(Number(order.seller_contract_id));
    if (!map) throw new Error(`simulator: unknown contract ${order.seller_contract_id} for order ${order.order_reference}`);
    map.set(order.order_reference, order);
    this.bumpClock(order.status_updated_at);
    return order;
  }

  /** Orders of a contract, oldest first (created_at, then reference): the listing order. */
  listOrders(contractId: number): Order[] {
    return [...(this.orders.get(contractId)?.values() ?? [])].sort(
      (a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.order_reference.localeCompare(b.order_reference),
    );
  }

  getOrder(contractId: number, ref: string): Order | undefined {
    return this.orders.get(contractId)?.get(ref);
  }

  /** Moves an order to `status` and stamps `status_updated_at`; for tests (e.g. REFUNDING → REFUNDED). */
  setStatus(contractId: number, ref: string, status: OrderStatus, at: string = this.tick()): Order {
    const order = this.getOrder(contractId, ref);
    if (!order) throw new Error(`simulator: no order ${ref} on contract ${contractId}`);
    order.status = status;
    order.status_updated_at = at;
    this.bumpClock(at);
    return order;
  }

  /** Applies an allowed transition (the caller checked it) and records the action. */
  apply(action: OrderAction, contractId: number, ref: string, at: string, details: ActionRecord['details'] = {}): Order {
    const order = this.setStatus(contractId, ref, TRANSITIONS[action].to, at);
    this.actions.push({ action, order_reference: ref, seller_contract_id: contractId, at, details });
    return order;
  }

  /** Offers of a contract sorted by SKU. */
  listOffers(contractId: number): SimOffer[] {
    return [...(this.offers.get(contractId)?.values() ?? [])].sort((a, b) => a.sku.localeCompare(b.sku));
  }

  getOffer(contractId: number, sku: string): SimOffer | undefined {
    return this.offers.get(contractId)?.get(sku);
  }

  /** Creates or merges an offer; missing fields get neutral defaults. */
  setOffer(contractId: number, offer: Partial<SimOffer> & { sku: string }): SimOffer {
    const map = this.offers.get(contractId);
    if (!map) throw new Error(`simulator: unknown contract ${contractId} for offer ${offer.sku}`);
    const prev = map.get(offer.sku);
    const next: SimOffer = {
      price: 0, stock: 0, offer_is_online: false, status: 'COMPLETED', errors: [],
      frozen_price: false, frozen_retail_price: false, frozen_stock: false,
      ...prev, ...offer,
    };
    if (offer.stock !== undefined && offer.offer_is_online === undefined) next.offer_is_online = next.stock > 0;
    map.set(offer.sku, next);
    return next;
  }
}
