/**
 * Feedback as data for order actions: after sending, each acted order's status is read back and
 * one JSON line per order action is written (outcome, ManoMano's app_code and message when it
 * refused, the request, the status read back), a file the `ndjson` source reads in a later
 * pipeline (e.g. the refused shipments, for a person to fix). Same place and rules as the
 * manomano-offers feedback: `<state dir>/feedback/<pipeline name>.ndjson` unless
 * `feedback_output` says otherwise, rewritten on every run, never written under `plan`.
 */
import { join } from 'node:path';
import type { Order, OrderStatus } from '../../manomano/api-types.js';
import type { ManomanoClient } from '../../manomano/client/index.js';
import { openAtomicFile } from '../../runtime/atomic-file.js';
import type { ItemResult, Logger, RunContext } from '../../runtime/types.js';
import { redact } from '../../secrets.js';
import type { OrderAction } from '../../state/store.js';
import type { OrderGroup } from './groups.js';
import { APPLIED } from './spec.js';
import { readBackOrders, type ReadBackListing } from './status.js';

/** One line of the feedback file, one per order the destination handled. */
export interface OrderFeedbackLine {
  order_reference: string;
  seller_contract_id: number;
  action: OrderAction;
  outcome: 'sent' | 'refused' | 'failed' | 'skipped';
  /** The item report's code: ManoMano's app_code when refused, manoflow's for skipped/failed (ORDER_WRONG_STATUS, NOT_SENT...). */
  code: string | null;
  /** ManoMano's own error code, when ManoMano answered this item with an error. */
  app_code: string | null;
  message: string | null;
  /** What the request carried for this order besides its reference (carrier, tracking, products, reason...); null for skipped orders and for accept/refuse (nothing but the reference). */
  request: Record<string, unknown> | null;
  /** The order's status read back after sending (for skipped orders: as read by the pre-check); null when unknown. */
  status: OrderStatus | null;
  status_updated_at: string | null;
  at: string;
}

/** What the destination remembers of one reported order, for its feedback line. */
export interface FeedbackEntry {
  group: OrderGroup<unknown>;
  item: Omit<ItemResult, 'id' | 'index' | 'line'>;
  appCode?: string;
  request?: Record<string, unknown>;
  /** The order as read by the pre-check (skipped orders keep this status). */
  before?: Order;
}

/** Where the feedback file goes when `feedback_output` is not set (same place as manomano-offers). */
export function defaultOrderFeedbackPath(ctx: RunContext): string {
  return join(ctx.stateDir, 'feedback', `${ctx.pipelineName.replace(/[^A-Za-z0-9._-]/g, '_')}.ndjson`);
}

/** Why: `feedback: false` turns the file off; otherwise `feedback_output` (relative to the pipeline) or the default. */
export function orderFeedbackPath(config: { feedback?: boolean; feedback_output?: string }, ctx: RunContext): string | undefined {
  if (config.feedback === false) return undefined;
  return config.feedback_output ? ctx.resolvePath(config.feedback_output) : defaultOrderFeedbackPath(ctx);
}

const ACTED = new Set(['sent', 'refused', 'failed']);

/**
 * Why: best effort, like the offers read-back: the actions are already sent, so a failed read
 * warns and leaves `status` null, never fails the run. Returns undefined when nothing could be read.
 */
export async function readBackStatuses(client: ManomanoClient, entries: FeedbackEntry[], from: OrderStatus, log: Logger): Promise<Map<string, Order | undefined> | undefined> {
  const wanted = new Map<number, Set<string>>();
  const actions = new Map<number, Set<OrderAction>>();
  const since = new Map<number, string>();
  for (const e of entries) {
    if (!ACTED.has(e.item.outcome)) continue;
    const c = e.group.contract;
    wanted.set(c, (wanted.get(c) ?? new Set()).add(e.group.ref));
    actions.set(c, (actions.get(c) ?? new Set()).add(e.group.action));
    const t = e.before?.status_updated_at;
    const prev = since.get(c);
    if (t && (prev === undefined || Date.parse(t) < Date.parse(prev))) since.set(c, t);
  }
  if (wanted.size === 0) return new Map();
  const listings = (contract: number): ReadBackListing[] => {
    // Refused and failed orders stay in `from`; sent ones moved to the action's first applied status.
    const out: ReadBackListing[] = [{ status: from }];
    for (const a of actions.get(contract) ?? []) out.push({ status: APPLIED[a][0]!, since: since.get(contract) });
    return out;
  };
  try {
    return await readBackOrders(client, wanted, listings);
  } catch (err) {
    log.warn(`feedback: could not read the orders' status back (${redact((err as Error).message)}); the feedback file has the answers without status`);
    return undefined;
  }
}

/** Writes one line per entry, in input order, atomically; returns the lines (the state store keeps them too). */
export async function writeOrderFeedback(path: string, entries: FeedbackEntry[], readBack: Map<string, Order | undefined> | undefined): Promise<OrderFeedbackLine[]> {
  const file = await openAtomicFile(path);
  try {
    const at = new Date().toISOString();
    const sorted = [...entries].sort((a, b) => a.group.index - b.group.index);
    let text = '';
    const written: OrderFeedbackLine[] = [];
    for (const e of sorted) {
      const { outcome } = e.item;
      if (outcome === 'would-send') continue;
      const order = ACTED.has(outcome) ? readBack?.get(e.group.key) : e.before;
      const line: OrderFeedbackLine = {
        order_reference: e.group.ref,
        seller_contract_id: e.group.contract,
        action: e.group.action,
        outcome,
        code: e.item.code ?? null,
        app_code: e.appCode ?? null,
        message: e.item.message ?? null,
        request: outcome === 'skipped' ? null : e.request ?? null,
        status: order?.status ?? null,
        status_updated_at: order?.status_updated_at ?? null,
        at,
      };
      text += redact(JSON.stringify(line)) + '\n';
      written.push(line);
      if (text.length > 64 * 1024) {
        await file.write(text);
        text = '';
      }
    }
    await file.write(text);
    await file.commit();
    return written;
  } catch (err) {
    await file.abort();
    throw err;
  }
}
