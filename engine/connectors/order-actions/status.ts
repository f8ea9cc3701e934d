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
