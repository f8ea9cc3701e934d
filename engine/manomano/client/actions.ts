/**
 * Order actions (accept, refuse, ship, refund): batching, per-item results, and the safe-retry
 * rule. An action is never resent blindly after an ambiguous failure: each order of the batch is
 * re-read and the action is resent only for the orders still in the source status.
 */
import type { BatchResult, Order, OrderStatus } from '../api-types.js';
import { ApiError, readErrorBody } from './errors.js';
import type { Transport } from './http.js';
import { backoffDelay, type RetryOptions } from './retry.js';

/** One order's outcome; `ambiguous` means "may or may not have applied: check before acting again". */
export interface BatchItemResult {
  order_reference: string;
  ok: boolean;
  httpCode: number;
  appCode?: string;
  message?: string;
  ambiguous?: boolean;
  recovered?: 'already-applied' | 'resent';
}

/** How an action moves an order; `applied` lists the statuses that prove it took effect. */
export interface ActionSpec {
  name: 'accept' | 'refuse' | 'ship' | 'refund';
  path: string;
  from: OrderStatus;
  applied: readonly OrderStatus[];
}

/** What the runner needs from the client. */
export interface ActionContext {
  transport: Transport;
  retries: RetryOptions;
  batchSize: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  getOrder(contractId: number, ref: string): Promise<Order | undefined>;
}

interface Pending { index: number; ref: string; body: unknown; resent: boolean }

/** Why: one runner gives every order action the same batching, result mapping and recovery. */
export async function runAction(ctx: ActionContext, spec: ActionSpec, contractId: number, bodies: { order_reference: string }[]): Promise<BatchItemResult[]> {
  const results: BatchItemResult[] = [];
  for (let start = 0; start < bodies.length; start += ctx.batchSize) {
    const chunk = bodies.slice(start, start + ctx.batchSize);
    try {
      results.push(...(await runBatch(ctx, spec, contractId, chunk)));
    } catch (err) {
      if (err instanceof ApiError) err.results = [...results];
      throw err;
    }
  }
  return results;
}

async function runBatch(ctx: ActionContext, spec: ActionSpec, contractId: number, chunk: { order_reference: string }[]): Promise<BatchItemResult[]> {
  const out: (BatchItemResult | undefined)[] = new Array(chunk.length);
  let pending: Pending[] = chunk.map((body, index) => ({ index, ref: body.order_reference, body, resent: false }));
  for (let round = 0; pending.length > 0; round++) {
    const r = await ctx.transport.sendAction('POST', spec.path, pending.map((p) => p.body));
    if (r.ok) {
      const { mapped, unlisted } = mapReply(r.reply.status, r.reply.body, pending);
      for (const [p, res] of mapped) out[p.index] = p.resent ? { ...res, recovered: 'resent' } : res;
      // A 207 that does not list an order says nothing about it: read it rather than guess.
      if (unlisted.length > 0) {
        const check = await verify(ctx, spec, contractId, unlisted, 'not listed in the multi-status answer');
        for (const [p, res] of check.done) out[p.index] = res.ok ? { order_reference: p.ref, ok: true, httpCode: r.reply.status } : res;
        for (const p of check.resend) out[p.index] = notApplied(p, r.reply.status, 'API_ITEM_MISSING', 'not listed in the multi-status answer and still in ' + spec.from + '; safe to send again');
      }
      break;
    }
    // Ambiguous: the action may have applied. Read each order, decide per order.
    const check = await verify(ctx, spec, contractId, pending, r.error.message);
    ctx.transport.emit({ type: 'reconcile', method: 'POST', path: spec.path, attempt: round + 1, code: r.error.code,
      counts: { applied: check.done.filter(([, x]) => x.ok).length, resend: check.resend.length, unknown: check.done.filter(([, x]) => !x.ok).length } });
    for (const [p, res] of check.done) out[p.index] = res;
    if (check.resend.length === 0) break;
    if (round >= ctx.retries.max) {
      for (const p of check.resend) out[p.index] = notApplied(p, r.error.status ?? 0, r.error.code, `${r.error.message}; not applied after ${round + 1} attempts (the order is still ${spec.from}); safe to send again later`);
      break;
    }
    const waitMs = backoffDelay(round, ctx.retries, ctx.random);
    ctx.transport.emit({ type: 'wait', method: 'POST', path: spec.path, attempt: round + 1, waitMs, reason: 'retry', code: r.error.code });
    await ctx.sleep(waitMs);
    pending = check.resend.map((p) => ({ ...p, resent: true }));
  }
  return out.map((res, i) => res ?? { order_reference: chunk[i]!.order_reference, ok: false, httpCode: 0, appCode: 'API_NO_RESULT', message: 'no result was obtained for this order', ambiguous: true });
}

function notApplied(p: Pending, httpCode: number, appCode: string, message: string): BatchItemResult {
  return { order_reference: p.ref, ok: false, httpCode, appCode, message };
}

/** Maps a definite answer (204, 200/207 with content, or a whole-request 4xx) to per-order results. */
function mapReply(status: number, body: unknown, pending: Pending[]): { mapped: [Pending, BatchItemResult][]; unlisted: Pending[] } {
  if (status >= 400) {
    const { appCode, message } = readErrorBody(body);
    return { mapped: pending.map((p) => [p, { order_reference: p.ref, ok: false, httpCode: status, appCode: appCode ?? `API_HTTP_${status}`, message: message ?? `HTTP ${status}` }]), unlisted: [] };
  }
  const content = (body as BatchResult | undefined)?.content;
  if (status === 204 || !Array.isArray(content)) {
    return { mapped: pending.map((p) => [p, { order_reference: p.ref, ok: true, httpCode: status }]), unlisted: [] };
  }
  // Match entries to orders by reference, in order, so a reference sent twice gets two answers.
  const byRef = new Map<string, NonNullable<BatchResult['content']>>();
  for (const e of content) {
    if (!e || typeof e.order_reference !== 'string') continue;
    const list = byRef.get(e.order_reference) ?? [];
    list.push(e);
    byRef.set(e.order_reference, list);
  }
  const mapped: [Pending, BatchItemResult][] = [];
  const unlisted: Pending[] = [];
  for (const p of pending) {
    const e = byRef.get(p.ref)?.shift();
    if (!e) { unlisted.push(p); continue; }
    const code = Number(e.result?.http_code ?? status);
    const ok = code >= 200 && code < 300;
    const res: BatchItemResult = { order_reference: p.ref, ok, httpCode: code };
    if (!ok) { res.appCode = e.result?.error?.app_code ?? `API_HTTP_${code}`; res.message = e.result?.error?.message ?? `HTTP ${code}`; }
    mapped.push([p, res]);
  }
  return { mapped, unlisted };
}

/** Reads each order: applied → ok, still in the source status → to resend, anything else → ambiguous. */
async function verify(ctx: ActionContext, spec: ActionSpec, contractId: number, items: Pending[], why: string): Promise<{ done: [Pending, BatchItemResult][]; resend: Pending[] }> {
  const done: [Pending, BatchItemResult][] = [];
  const resend: Pending[] = [];
  for (const p of items) {
    let order: Order | undefined;
    try {
      order = await ctx.getOrder(contractId, p.ref);
    } catch (err) {
      const e = err as ApiError;
      done.push([p, { order_reference: p.ref, ok: false, httpCode: e.status ?? 0, appCode: e.code ?? 'API_NETWORK', ambiguous: true,
        message: `${spec.name} may or may not have applied (${why}) and the order could not be read back: ${e.message}; check it in the Toolbox before acting again` }]);
      continue;
    }
    if (order && spec.applied.includes(order.status)) {
      done.push([p, { order_reference: p.ref, ok: true, httpCode: 200, recovered: 'already-applied' }]);
    } else if (order && order.status === spec.from) {
      resend.push(p);
    } else {
      done.push([p, { order_reference: p.ref, ok: false, httpCode: 0, appCode: 'API_AMBIGUOUS', ambiguous: true,
        message: `${spec.name} may or may not have applied (${why}); the order is now ${order ? order.status : 'not found'}, neither ${spec.from} nor ${spec.applied.join('/')}; check it before acting again` }]);
    }
  }
  return { done, resend };
}
