/**
 * Resolving `pending` journal entries: an action journalled `pending` whose answer never came
 * (kill -9, power cut, a lost response) stays pending until someone reads the order back. A
 * re-run that sees the order again decides it (decide.ts), but the accept pipeline lists only
 * PENDING orders, so an order accepted just before a crash is never seen again. So at the start
 * of every real run (and in `manoflow state check`), the pending entries of the run's contracts
 * are read back from ManoMano:
 * - the order is in a status the action leads to → `done` (code RECOVERED): it applied;
 * - any other status → `failed` (code NOT_APPLIED): it did not reach ManoMano, a later run that
 *   sees the order in the right status sends it;
 * - not found, or the read failed → stays `pending` (still unknown), reported.
 */
import type { Order, OrderStatus } from '../../manomano/api-types.js';
import type { ManomanoClient } from '../../manomano/client/index.js';
import type { OrderJournal } from '../../state/journal.js';
import type { ActionEntry, Lease, StateStore } from '../../state/store.js';
import { APPLIED, FROM } from './spec.js';
import { readBackOrders, type ReadBackListing } from './status.js';

/** What was found for one pending entry. */
export interface PendingOutcome {
  entry: ActionEntry;
  found: 'done' | 'not-sent' | 'unknown';
  status?: OrderStatus;
  why: string;
}

/** Totals of a resolution, for logs and the summary. */
export interface PendingSummary { done: number; not_sent: number; unknown: number }

/** Why: a read-back listing must reach orders that moved since the oldest pending entry; a few minutes of clock skew are allowed. */
const SKEW_MS = 10 * 60_000;
const PAGE = 500;

/** Every pending entry of a contract, in pages (there are few: they only come from interruptions). */
export async function listPending(store: StateStore, contract: number): Promise<ActionEntry[]> {
  const out: ActionEntry[] = [];
  for (let page = await store.listActions({ state: 'pending', contract, limit: PAGE }); page.length; page = await store.listActions({ state: 'pending', contract, limit: PAGE, afterKey: page[page.length - 1]!.key })) {
    out.push(...page);
    if (page.length < PAGE) break;
  }
  return out;
}

/**
 * Why: reads back the orders of every pending entry of these contracts and records what was
 * found (unless `write` is false: a plan, or a check with --dry-run), fenced by each contract's lease.
 */
export async function resolvePending(
  client: ManomanoClient, journal: OrderJournal, contracts: readonly number[],
  o: { write: boolean; fence?: (contract: number) => Lease | undefined },
): Promise<PendingOutcome[]> {
  const byContract = new Map<number, ActionEntry[]>();
  for (const c of contracts) {
    const list = await listPending(journal.store, c);
    if (list.length) byContract.set(c, list);
  }
  if (byContract.size === 0) return [];
  const wanted = new Map<number, Set<string>>();
  for (const [c, list] of byContract) {
    const refs = new Set(list.filter(provable).map((e) => e.order_reference));
    if (refs.size) wanted.set(c, refs);
  }
  let orders: Map<string, Order | undefined> | undefined;
  let readError: string | undefined;
  try {
    orders = wanted.size ? await readBackOrders(client, wanted, (c) => listingsFor((byContract.get(c) ?? []).filter(provable))) : new Map();
  } catch (err) {
    readError = (err as Error).message;
  }
  const outcomes: PendingOutcome[] = [];
  for (const list of byContract.values()) {
    for (const entry of list) outcomes.push(judge(entry, orders?.get(`${entry.contract}:${entry.order_reference}`), readError));
  }
  if (o.write) {
    for (const [c, list] of byContract) {
      const mine = outcomes.filter((x) => x.found !== 'unknown' && list.includes(x.entry));
      await journal.record(mine.map((x) => ({
        action: x.entry.action, contract: x.entry.contract, order_reference: x.entry.order_reference,
        ...(x.entry.fingerprint !== undefined ? { fingerprint: x.entry.fingerprint } : {}),
        ...(x.entry.payload !== undefined ? { payload: x.entry.payload } : {}),
        state: x.found === 'done' ? 'done' as const : 'failed' as const,
        code: x.found === 'done' ? 'RECOVERED' : 'NOT_APPLIED', message: x.why,
      })), o.fence?.(c));
    }
  }
  return outcomes;
}

/** The source status of each action, and the statuses it leads to since the oldest pending entry. */
function listingsFor(list: ActionEntry[]): ReadBackListing[] {
  const oldest = Math.min(...list.map((e) => Date.parse(e.at)).filter(Number.isFinite));
  const since = Number.isFinite(oldest) ? new Date(oldest - SKEW_MS).toISOString() : undefined;
  const out = new Map<string, ReadBackListing>();
  for (const e of list) {
    out.set(FROM[e.action], { status: FROM[e.action] });
    out.set(APPLIED[e.action][0]!, { status: APPLIED[e.action][0]!, since });
  }
  return [...out.values()];
}

/** Why: an action whose result shows in the order's status; an invoice upload's does not, so its pending entry is left to a person. */
function provable(e: ActionEntry): boolean {
  return APPLIED[e.action].length > 0;
}

function judge(entry: ActionEntry, order: Order | undefined, readError: string | undefined): PendingOutcome {
  const what = `${entry.action} of order ${entry.order_reference} (left pending by ${entry.run})`;
  if (!provable(entry)) return { entry, found: 'unknown', why: `${what}: no order status tells whether it reached ManoMano; check the order in the Toolbox (a run reports it and resends only with --force)` };
  if (readError !== undefined) return { entry, found: 'unknown', why: `${what}: could not read the order back (${readError})` };
  if (!order) return { entry, found: 'unknown', why: `${what}: order not found on seller contract ${entry.contract}` };
  if (APPLIED[entry.action].includes(order.status)) {
    return { entry, found: 'done', status: order.status, why: `${what}: the order is ${order.status}, so it applied` };
  }
  return { entry, found: 'not-sent', status: order.status, why: `${what}: the order is still ${order.status}, so it did not reach ManoMano${order.status === FROM[entry.action] ? '; a run that sees the order sends it' : ''}` };
}

/** Why: one line for logs and the summary: `2 done, 1 not sent, 0 still unknown`. */
export function summarisePending(outcomes: readonly PendingOutcome[]): PendingSummary {
  return {
    done: outcomes.filter((x) => x.found === 'done').length,
    not_sent: outcomes.filter((x) => x.found === 'not-sent').length,
    unknown: outcomes.filter((x) => x.found === 'unknown').length,
  };
}
