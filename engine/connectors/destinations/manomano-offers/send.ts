/**
 * Sending: the planned updates go out in PATCH batches; each SKU is reported (sent or refused with
 * ManoMano's api_error_code) and every confirmed batch is journalled at once, so an interrupted run
 * loses nothing and a re-run sends only what was not confirmed. A batch that fails after the
 * client's retries stops the run: the rest is reported `failed`, nothing is guessed.
 */
import type { OfferPatchItem } from '../../../manomano/api-types.js';
import type { ManomanoClient, OfferItemResult } from '../../../manomano/client/index.js';
import { ManoflowError } from '../../../errors.js';
import type { RunContext } from '../../../runtime/types.js';
import type { OfferUpdate } from './checks.js';
import { describeChange, type PlannedUpdate } from './plan.js';
import type { Lease } from '../../../state/store.js';
import type { OfferSnapshot } from './snapshot.js';

/** One answered batch: what the feedback read needs. */
export interface AnsweredBatch {
  skus: string[];
  requestId?: string;
  results: OfferItemResult[];
}

/** Counts and answered batches of one send. */
export interface SendOutcome {
  sent: number;
  refused: number;
  failed: number;
  batches: AnsweredBatch[];
  /** Set when sending stopped early (the error that stopped it). */
  stopped?: ManoflowError;
}

/** The PATCH item for one update: only the fields the record carries. */
export function patchItem(u: OfferUpdate): OfferPatchItem {
  const item: OfferPatchItem = { sku: u.sku };
  if (u.price !== undefined) item.price = { price_vat_included: u.price };
  if (u.quantity !== undefined) item.stock = { quantity: u.quantity };
  return item;
}

/** Why: the one loop that talks to ManoMano for this destination; reports every planned SKU exactly once. */
export async function sendUpdates(
  client: ManomanoClient, contractId: number, planned: PlannedUpdate[], batchSize: number,
  snapshot: OfferSnapshot | undefined, ctx: RunContext, fence?: Lease,
): Promise<SendOutcome> {
  const out: SendOutcome = { sent: 0, refused: 0, failed: 0, batches: [] };
  const total = Math.ceil(planned.length / batchSize);
  for (let start = 0, n = 1; start < planned.length; start += batchSize, n++) {
    const chunk = planned.slice(start, start + batchSize);
    if (!out.stopped && ctx.signal?.aborted) out.stopped = new ManoflowError('RUN_ABORTED', 'run aborted while sending offer updates');
    if (out.stopped) {
      failAll(chunk, out, ctx, out.stopped.code, `not sent: ${out.stopped.message}`);
      continue;
    }
    let results: OfferItemResult[];
    try {
      results = await client.patchOffers(contractId, chunk.map(patchItem));
    } catch (err) {
      if (!(err instanceof ManoflowError)) throw err;
      out.stopped = err;
      failAll(chunk, out, ctx, err.code, `batch ${n} of ${total} failed: ${err.message}`);
      continue;
    }
    const bySku = new Map(results.map((r) => [r.sku, r]));
    const confirmed: OfferUpdate[] = [];
    for (const u of chunk) {
      const r = bySku.get(u.sku);
      if (r?.ok) {
        out.sent++;
        confirmed.push(u);
        ctx.report({ id: u.sku, action: 'update', outcome: 'sent', change: describeChange(u, u.before), index: u.index, line: u.line });
      } else {
        out.refused++;
        ctx.report({
          id: u.sku, action: 'update', outcome: 'refused', code: r?.appCode ?? 'UNKNOWN',
          message: r?.message ?? 'ManoMano did not answer for this sku', change: describeChange(u, u.before), index: u.index, line: u.line,
        });
      }
    }
    const requestId = results.find((r) => r.requestId)?.requestId;
    out.batches.push({ skus: chunk.map((u) => u.sku), requestId, results });
    try {
      await snapshot?.confirm(confirmed, fence);
    } catch (err) {
      // Sent and accepted, but not recorded (lost lock, disk): the next run resends these (the PATCH is idempotent); stop here.
      out.stopped = err instanceof ManoflowError ? err : new ManoflowError('STATE_WRITE_FAILED', (err as Error).message, { cause: err });
    }
  }
  return out;
}

function failAll(chunk: PlannedUpdate[], out: SendOutcome, ctx: RunContext, code: string, message: string): void {
  for (const u of chunk) {
    out.failed++;
    ctx.report({ id: u.sku, action: 'update', outcome: 'failed', code, message, change: describeChange(u, u.before), index: u.index, line: u.line });
  }
}
