/**
 * `manomano-orders`: the Orders Import source. Reads orders from the Partner API filtered by status
 * and creation date, or incrementally from a stored cursor, and yields whole orders or one flat
 * record per order line. Position id = order_reference. See README.md.
 */
import { ManoflowError, RecordError } from '../../../errors.js';
import type { Order, OrderStatus } from '../../../manomano/api-types.js';
import { formatApiDate, type OrderIterateFilters } from '../../../manomano/client/index.js';
import type { RunContext, Source, SourceDefinition, SourceItem } from '../../../runtime/types.js';
import type { ManomanoOrdersSourceConfig } from '../../../types/generated/pipeline.js';
import { openApiConnection, type ApiConnectionConfig } from '../../manomano-api.js';
import { CursorTracker, cursorStore } from './cursor.js';
import { orderLines } from './records.js';

export { LINE_COLUMNS, orderLines } from './records.js';
export { CursorTracker, cursorStore, type OrdersCursor } from './cursor.js';

/** Why: a date alone ("2026-10-01") is a common way to write a bound; the API wants full UTC seconds. */
export function parseDateSetting(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    return formatApiDate(/^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? `${value.trim()}T00:00:00Z` : value.trim(), name);
  } catch (err) {
    throw new ManoflowError('CFG_ORDERS_DATE', `source.${name}: "${value}" is not an ISO-8601 date`, {
      hint: 'write a date like 2026-10-01 or 2026-10-01T00:00:00Z', cause: err,
    });
  }
}

/** The cursor a complete read would store; saved by `commit()` once the run's destination committed. */
interface PendingCursor { save?: () => Promise<void> }

async function* readOrders(config: ManomanoOrdersSourceConfig, ctx: RunContext, pending: PendingCursor): AsyncGenerator<SourceItem> {
  const createdFrom = parseDateSetting(config.created_from, 'created_from');
  const createdTill = parseDateSetting(config.created_till, 'created_till');
  const statuses = config.statuses as OrderStatus[] | undefined;
  const conn = await openApiConnection(config as ApiConnectionConfig, ctx);
  const store = config.incremental ? cursorStore(ctx.stateDir, ctx.pipelineName, config.environment, conn.contractId, ctx.log, ctx.stateSettings) : undefined;
  const previous = store && !ctx.options.full ? await store.load() : undefined;
  const tracker = store ? new CursorTracker(previous) : undefined;
  // Incremental: no status filter server-side. With only a lower bound on status_updated_at the
  // matching set can only grow while pages are walked, so no order is skipped by a page shift.
  const filters: OrderIterateFilters = {
    limit: config.page_size ?? 100,
    createdAtStart: createdFrom,
    createdAtEnd: createdTill,
    ...(tracker ? { statusUpdatedAtStart: previous?.status_updated_at } : { status: statuses }),
  };
  if (previous) ctx.log.info(`manomano-orders: incremental, orders whose status changed since ${previous.status_updated_at}`);
  const wanted = statuses ? new Set<string>(statuses) : undefined;
  const yielded = new Set<string>();
  let index = 0;
  try {
    for await (const order of conn.client.iterateOrders(conn.contractId, filters)) {
      const ref = typeof order?.order_reference === 'string' ? order.order_reference : '';
      if (!ref) {
        yield { ok: false, position: { index: index++ }, error: new RecordError('ORDER_MALFORMED', 'the API listed an order without order_reference', { hint: 'report it to ManoMano if it persists' }) };
        continue;
      }
      if (yielded.has(ref)) continue; // listed twice (status changed between status passes)
      if (tracker) {
        if (tracker.alreadySeen(ref, order.status_updated_at)) continue;
        tracker.see(ref, order.status_updated_at);
      }
      if (wanted && !wanted.has(order.status)) continue;
      yielded.add(ref);
      if (config.records === 'lines') {
        for (const record of orderLines(order)) yield { ok: true, record, position: { index: index++, id: ref } };
      } else {
        yield { ok: true, record: order as Order as unknown as Record<string, unknown>, position: { index: index++, id: ref } };
      }
    }
    // Reached only when the source was read to the end (not on --limit, an abort or an error).
    // The cursor moves only when the run commits (Source.commit), never under plan.
    const next = tracker?.next();
    if (store && next && !ctx.options.plan) {
      pending.save = async () => {
        await store.save(next);
        ctx.log.info(`manomano-orders: cursor advanced to ${next.status_updated_at}`);
      };
    }
  } finally {
    await conn.close();
  }
}

/** The source definition (registry entry). */
const manomanoOrdersSource: SourceDefinition<ManomanoOrdersSourceConfig> = {
  kind: 'source',
  type: 'manomano-orders',
  summary: 'Orders Import: ManoMano orders by status, creation date or incrementally, as whole orders or one record per line.',
  create(config, ctx): Source {
    // Fail on bad dates before anything is read.
    parseDateSetting(config.created_from, 'created_from');
    parseDateSetting(config.created_till, 'created_till');
    const pending: PendingCursor = {};
    return { read: () => readOrders(config, ctx, pending), commit: () => pending.save?.() };
  },
};

export default manomanoOrdersSource;
