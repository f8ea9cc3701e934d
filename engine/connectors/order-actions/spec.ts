/**
 * What each order-action destination tells the shared machinery: how to read its records, which
 * status its actions start from and lead to, how to describe and send them.
 */
import type { LineQuantity, OrderStatus } from '../../manomano/api-types.js';
import type { BatchItemResult, ManomanoClient } from '../../manomano/client/index.js';
import type { Row } from '../../runtime/types.js';
import type { OrderAction } from '../../state/store.js';
import type { Problems } from './checks.js';

/** One order ready to send. */
export interface ReadyOrder<F> {
  ref: string;
  fields: F;
  products?: LineQuantity[];
}

/** Why: the three destinations differ only in these few functions; everything else is shared. */
export interface OrderActionSpec<F> {
  /** Connector type, for messages. */
  type: string;
  /** The status every action of this destination needs (the status pre-check lists it). */
  from: OrderStatus;
  /** The statuses the action may be sent from, when more than `from` (an invoice: any status after acceptance). */
  allowed?: readonly OrderStatus[];
  /**
   * For an action no status proves applied (an invoice upload changes no status): a `pending`
   * journal entry is reported with this skip code instead of being resent, since the request may
   * have reached ManoMano.
   */
  unconfirmed?: { code: string; message(ref: string, run: string): string };
  /** Whether records carry lines (`seller_sku`, `quantity`). */
  withLines: boolean;
  /** Reads a record's action and order-level fields; records problems in `p`. */
  parse(record: Row, p: Problems): { action: OrderAction; fields: F } | undefined;
  /** Why two records of one order cannot be merged (`carrier "DPD" vs "UPS"`), or undefined. */
  conflict(a: F, b: F): string | undefined;
  /** For people: `ship 2 lines via Colissimo (6A123…)`; empty when the action says it all (accept/refuse). */
  change(action: OrderAction, fields: F, products?: LineQuantity[]): string;
  /** The order-level part of the journal fingerprint (a refund's reason); lines are added by the machinery. */
  fingerprint?(fields: F): string | undefined;
  /** What one order's request carries besides its reference, in ManoMano's names (for the feedback file); undefined when nothing. */
  request(fields: F, products?: LineQuantity[]): Record<string, unknown> | undefined;
  /** Sends one chunk of orders of one action and contract; one result per order, in order. */
  send(client: ManomanoClient, contract: number, action: OrderAction, orders: ReadyOrder<F>[]): Promise<BatchItemResult[]>;
}

/** Statuses an order can be in once `action` applied (later steps included): proof after a crash. */
export const APPLIED: Record<OrderAction, readonly OrderStatus[]> = {
  accept: ['PREPARATION', 'SHIPPED', 'REFUNDING', 'REFUNDED'],
  refuse: ['REFUSED'],
  ship: ['SHIPPED', 'REFUNDING', 'REFUNDED'],
  refund: ['REFUNDING', 'REFUNDED'],
  invoice: [],
};

/** The status each action is sent from (what ManoMano accepts it in). */
export const FROM: Record<OrderAction, OrderStatus> = {
  accept: 'PENDING',
  refuse: 'PENDING',
  ship: 'PREPARATION',
  refund: 'SHIPPED',
  invoice: 'SHIPPED', // the default of manomano-invoices' `statuses`; an upload changes no status
};
