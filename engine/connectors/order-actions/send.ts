/**
 * Sends the actions decided at close(), chunk by chunk: each chunk is journalled `pending`
 * (committed) before its request and `done`/`failed`/`refused` after, each write fenced by the
 * lease of the chunk's contract. An ambiguous result keeps `pending`: the next run reads the order
 * back before deciding. A fatal error (a lost lease included) stops the sending and is rethrown.
 */
import { ManoflowError } from '../../errors.js';
import type { LineQuantity } from '../../manomano/api-types.js';
import { ApiError, type BatchItemResult } from '../../manomano/client/index.js';
import type { ItemResult } from '../../runtime/types.js';
import type { ActionRecord, OrderJournal } from '../../state/journal.js';
import type { Lease, OrderAction } from '../../state/store.js';
import type { ApiConnection } from '../manomano-api.js';
import { actionRef, type OrderGroup } from './groups.js';
import type { OrderActionSpec } from './spec.js';

/** One order to send, with its resolved products and the digest of its request. */
export interface ToSend<F> { group: OrderGroup<F>; products?: LineQuantity[]; payload: string }

export interface SendOptions<F> {
  batchSize: number;
  signal?: AbortSignal;
  /** The lease every journal write of this contract's actions is fenced by. */
  fence?(contract: number): Lease | undefined;
  /** One call per order; `extra` carries ManoMano's app_code (when it answered an error) and the products sent, for the feedback file. */
  report(g: OrderGroup<F>, item: Omit<ItemResult, 'id' | 'index' | 'line'>, extra: { appCode?: string; products?: LineQuantity[] }): void;
}

/**
 * Why: ManoMano's 4xx item errors are final answers ("refused"). A refusal of the payload itself
 * (400: unknown carrier, missing field) is journalled `refused`, so the same payload is not sent
 * again; one about the order (404 not found, 409 wrong status) is `failed`: the next run's status
 * check decides. Anything else may be retried later.
 */
function outcomeOf(r: BatchItemResult): { outcome: ItemResult['outcome']; journal?: 'done' | 'failed' | 'refused' } {
  if (r.ok) return { outcome: 'sent', journal: 'done' };
  if (r.ambiguous) return { outcome: 'failed' }; // journal stays pending: read back next run
  if (r.httpCode >= 400 && r.httpCode < 500) return { outcome: 'refused', journal: r.httpCode === 404 || r.httpCode === 409 ? 'failed' : 'refused' };
  return { outcome: 'failed', journal: 'failed' };
}

function chunksOf<F>(items: ToSend<F>[], size: number): { contract: number; action: OrderAction; items: ToSend<F>[] }[] {
  const byKey = new Map<string, ToSend<F>[]>();
  for (const t of items) {
    const k = `${t.group.contract}\u0000${t.group.action}`;
    byKey.set(k, [...(byKey.get(k) ?? []), t]);
  }
  const out: { contract: number; action: OrderAction; items: ToSend<F>[] }[] = [];
  for (const list of byKey.values()) {
    for (let i = 0; i < list.length; i += size) out.push({ contract: list[0]!.group.contract, action: list[0]!.group.action, items: list.slice(i, i + size) });
  }
  return out;
}

/** Sends every chunk; reports one item per order; rethrows a fatal error after reporting what was not sent. */
export async function sendAll<F>(spec: OrderActionSpec<F>, conn: ApiConnection, journal: OrderJournal, items: ToSend<F>[], o: SendOptions<F>): Promise<void> {
  const chunks = chunksOf(items, o.batchSize);
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c]!;
    const entry = (t: ToSend<F>) => ({ ...actionRef(t.group), payload: t.payload });
    const fence = o.fence?.(chunk.contract);
    let results: BatchItemResult[] = [];
    let fatal: unknown;
    let left = false; // whether the request may have reached ManoMano
    if (o.signal?.aborted) fatal = new ManoflowError('RUN_ABORTED', 'run aborted before all order actions were sent');
    else {
      try {
        await journal.record(chunk.items.map((t) => ({ ...entry(t), state: 'pending' as const })), fence);
        left = true;
        results = await spec.send(conn.client, chunk.contract, chunk.action, chunk.items.map((t) => ({ ref: t.group.ref, fields: t.group.fields, products: t.products })));
      } catch (err) {
        fatal = err;
        results = err instanceof ApiError && Array.isArray(err.results) ? (err.results as BatchItemResult[]) : [];
      }
    }
    const finished: ActionRecord[] = [];
    chunk.items.forEach((t, i) => {
      const r = results[i];
      const change = spec.change(chunk.action, t.group.fields, t.products);
      if (!r) {
        // Not answered: the request may have left (journal stays pending, checked next run) or never did.
        const e = fatal as ManoflowError | undefined;
        const message = left ? `not confirmed: ${e?.message ?? 'no result'}; re-run: the order is read back before anything is resent` : `not sent: ${e?.message ?? 'the run stopped'}; re-run to send it`;
        o.report(t.group, { action: chunk.action, outcome: 'failed', code: e?.code ?? 'API_NO_RESULT', message, change }, { products: t.products });
        return;
      }
      const { outcome, journal: state } = outcomeOf(r);
      if (state) finished.push({ ...entry(t), state, code: r.appCode, message: r.message });
      const note = r.recovered === 'already-applied' ? 'applied (confirmed by reading the order back after a lost answer)' : r.recovered === 'resent' ? 'applied on a safe resend' : r.message;
      o.report(t.group, { action: chunk.action, outcome, code: r.ok ? undefined : r.appCode ?? `API_HTTP_${r.httpCode}`, message: note, change }, { appCode: r.ok ? undefined : r.appCode, products: t.products });
    });
    try {
      await journal.record(finished, fence);
    } catch (err) {
      // ManoMano answered but the answer could not be journalled (lost lease, disk): the entries stay
      // pending and the next run reads these orders back; stop here.
      fatal ??= err;
    }
    if (fatal !== undefined) {
      for (const rest of chunks.slice(c + 1)) {
        for (const t of rest.items) o.report(t.group, { action: rest.action, outcome: 'failed', code: 'NOT_SENT', message: `not sent: the run stopped (${(fatal as ManoflowError).code ?? 'error'}); re-run to send it`, change: spec.change(rest.action, t.group.fields, t.products) }, { products: t.products });
      }
      throw fatal;
    }
  }
}
