/**
 * The status pre-check: reads the current status of every buffered order before anything is
 * sent. One listing of the source status per contract (a few pages), then one GET per order that
 * was not in it (to say which status it is in instead). Read-only, so it also runs under `plan`.
 */
import type { Order, OrderStatus } from '../../manomano/api-types.js';
import type { ManomanoClient } from '../../manomano/client/index.js';

/** Why: N orders cost a few listing pages, not N requests (1 request/s in production). */
export async function readCurrentOrders(client: ManomanoClient, from: OrderStatus, wanted: Map<number, Set<string>>): Promise<Map<string, Order | undefined>> {
  const found = new Map<string, Order | undefined>();
  for (const [contract, refs] of wanted) {
    if (refs.size === 0) continue;
    for await (const order of client.iterateOrders(contract, { status: from })) {
      if (refs.has(order.order_reference)) found.set(`${contract}:${order.order_reference}`, order);
    }
    for (const ref of refs) {
      const key = `${contract}:${ref}`;
      if (!found.has(key)) found.set(key, await client.getOrder(contract, ref));
    }
  }
  return found;
}

/** Up to this many acted orders per contract, the read-back GETs each one; above, it lists by status. */
export const READBACK_GET_MAX = 10;

/** One status listing of the read-back; `since` (server time) keeps a listing of target statuses short. */
export interface ReadBackListing { status: OrderStatus; since?: string }

/**
 * Why: after sending, each acted order's status is read back for the feedback file with bounded
 * requests: one GET per order when few, else one listing per status per contract (the target
 * statuses only since the oldest status change seen by the pre-check), then a GET for any order
 * found in none of them. Keys are `contract:reference`; undefined = not found.
 */
export async function readBackOrders(client: ManomanoClient, wanted: Map<number, Set<string>>, listings: (contract: number) => ReadBackListing[]): Promise<Map<string, Order | undefined>> {
  const found = new Map<string, Order | undefined>();
  for (const [contract, refs] of wanted) {
    if (refs.size > READBACK_GET_MAX) {
      for (const l of listings(contract)) {
        for await (const order of client.iterateOrders(contract, { status: l.status, statusUpdatedAtStart: l.since })) {
          if (refs.has(order.order_reference)) found.set(`${contract}:${order.order_reference}`, order);
        }
      }
    }
    for (const ref of refs) {
      const key = `${contract}:${ref}`;
      if (!found.has(key)) found.set(key, await client.getOrder(contract, ref));
    }
  }
  return found;
}
