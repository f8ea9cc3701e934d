/**
 * Feedback as data: after sending, ManoMano's per-SKU state is read back (offer-information,
 * filtered by the SKUs of each batch and its request_id) and written as one JSON line per SKU sent,
 * a file the `ndjson` source can read in a later pipeline (e.g. to fix and resend refused offers).
 */
import type { OfferInformation } from '../../../manomano/api-types.js';
import type { ManomanoClient } from '../../../manomano/client/index.js';
import { openAtomicFile } from '../../../runtime/atomic-file.js';
import { redact } from '../../../secrets.js';
import type { Logger } from '../../../runtime/types.js';
import type { AnsweredBatch } from './send.js';

/** One line of the feedback report. `status`: ManoMano's (COMPLETED, ERROR...) or UNKNOWN when it could not be read. */
export interface FeedbackLine {
  sku: string;
  status: string;
  errors: { code: string; message: string }[];
  price: number | null;
  stock: number | null;
  request_id: string | null;
  at: string;
}

/**
 * Why: the read-back is best effort: the updates are already sent, so a failed read warns, never
 * fails the run. The file is rewritten on every run (empty when nothing was sent), never stale.
 */
export async function writeFeedback(
  client: ManomanoClient | undefined, contractId: number, batches: AnsweredBatch[], path: string, log: Logger,
): Promise<{ path: string; lines: FeedbackLine[]; unread: number }> {
  const file = await openAtomicFile(path);
  const lines: FeedbackLine[] = [];
  let unread = 0;
  try {
    for (const batch of batches) {
      const seen = new Map<string, OfferInformation>();
      let readOk = true;
      try {
        for await (const info of client!.iterateOfferInformation(contractId, { skus: batch.skus, requestId: batch.requestId })) seen.set(info.sku, info);
      } catch (err) {
        readOk = false;
        log.warn(`feedback: could not read offer information back (${redact((err as Error).message)}); the PATCH answers are written instead`);
      }
      const at = new Date().toISOString();
      const bySku = new Map(batch.results.map((r) => [r.sku, r]));
      let text = '';
      for (const sku of batch.skus) {
        const info = seen.get(sku);
        const patch = bySku.get(sku);
        const patchErrors = patch && !patch.ok ? [{ code: patch.appCode ?? 'UNKNOWN', message: patch.message ?? '' }] : [];
        if (!info) unread++;
        const line: FeedbackLine = info
          ? {
            sku, status: String(info.status ?? 'UNKNOWN'),
            errors: Array.isArray(info.errors) && info.errors.length ? info.errors.map((e) => ({ code: String(e.code), message: String(e.message) })) : patchErrors,
            price: typeof info.price === 'number' ? info.price : null, stock: typeof info.stock === 'number' ? info.stock : null,
            request_id: batch.requestId ?? null, at,
          }
          : { sku, status: patchErrors.length ? 'ERROR' : 'UNKNOWN', errors: patchErrors, price: null, stock: null, request_id: batch.requestId ?? null, at };
        text += redact(JSON.stringify(line)) + '\n';
        lines.push(line);
      }
      if (!readOk) log.debug(`feedback: ${batch.skus.length} sku(s) written from the PATCH answer only`);
      await file.write(text);
    }
    await file.commit();
  } catch (err) {
    await file.abort();
    throw err;
  }
  return { path, lines, unread };
}
