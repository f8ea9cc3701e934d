/**
 * Decides, for each buffered order, whether its action is sent or skipped, from the journal and
 * the order's current status. The same decision runs under `plan` and for real, so a plan says
 * exactly what the run then sends.
 */
import type { LineQuantity, Order } from '../../manomano/api-types.js';
import type { JournalEntry, OrderJournal } from '../../state/journal.js';
import type { OrderGroup } from './groups.js';
import { actionRef, payloadDigest, resolveProducts } from './groups.js';
import { APPLIED, type OrderActionSpec } from './spec.js';

/** Item-report codes of skipped orders. */
export const SKIP_CODES = {
  alreadyDone: 'ALREADY_DONE',
  wrongStatus: 'ORDER_WRONG_STATUS',
  notFound: 'ORDER_NOT_FOUND',
  conflict: 'ORDER_LINES_CONFLICT',
  held: 'ORDER_HELD',
  lineUnknown: 'ORDER_LINE_UNKNOWN',
  lineQuantity: 'ORDER_LINE_QUANTITY',
  refusedBefore: 'REFUSED_BEFORE',
} as const;

/** Why: the exit code counts problems; a skip with one of these codes is not one (the action was already applied). */
export const BENIGN_SKIP_CODES: readonly string[] = [SKIP_CODES.alreadyDone];

/** Why: skips that need a person (wrong status, unknown order or line, conflicting records): the run counts them as problems. */
export const PROBLEM_SKIP_CODES: readonly string[] = [SKIP_CODES.wrongStatus, SKIP_CODES.notFound, SKIP_CODES.conflict, SKIP_CODES.held, SKIP_CODES.lineUnknown, SKIP_CODES.lineQuantity, SKIP_CODES.refusedBefore];

/** Why: one test for the runner and the reports; an unknown skip code counts as a problem. */
export function isBenignSkip(code: string | undefined): boolean {
  return code !== undefined && BENIGN_SKIP_CODES.includes(code);
}

/** The verdict for one order. `markDone`: a pending action found applied (crash in between); `payload`: the digest of what is sent. */
export type Verdict =
  | { kind: 'send'; products?: LineQuantity[]; retry?: JournalEntry; payload: string }
  | { kind: 'skip'; code: string; message: string; markDone?: boolean };

/** Run options that change a decision: `retryRefused` sends again a payload ManoMano refused. */
export interface DecideOptions { retryRefused?: boolean }

/** Why: the journal and the status read back are the only two facts that decide a resend. */
export function decide<F>(spec: OrderActionSpec<F>, g: OrderGroup<F>, journal: OrderJournal, order: Order | undefined, o: DecideOptions = {}): Verdict {
  if (g.conflict) return { kind: 'skip', code: SKIP_CODES.conflict, message: `${g.conflict}; nothing sent for this order` };
  if (g.held) return { kind: 'skip', code: SKIP_CODES.held, message: `${g.held}: nothing of this order is sent until it is fixed (a partial action could not be completed later)` };
  const ref = actionRef(g);
  const entry = journal.get(ref.action, ref.contract, ref.order_reference, ref.fingerprint);
  if (entry?.state === 'done') {
    const what = ref.fingerprint === undefined ? `${g.action} of order ${g.ref}` : entry.fingerprint === undefined ? `a ${g.action} of order ${g.ref}` : `this ${g.action} of order ${g.ref} (same lines${g.action === 'refund' ? ' and reason' : ''})`;
    if (entry.code === 'RECOVERED') {
      return { kind: 'skip', code: SKIP_CODES.alreadyDone, message: `${what} was left pending by an interrupted run and found applied when read back (${entry.at}): not sent again` };
    }
    return { kind: 'skip', code: SKIP_CODES.alreadyDone, message: `${what} was already sent (run ${entry.run}, ${entry.at})` };
  }
  if (!order) return { kind: 'skip', code: SKIP_CODES.notFound, message: `order ${g.ref} not found on seller contract ${g.contract}` };
  if (entry?.state === 'pending' && APPLIED[g.action].includes(order.status)) {
    return { kind: 'skip', code: SKIP_CODES.alreadyDone, markDone: true,
      message: `${g.action} of order ${g.ref} was left pending by an interrupted run (${entry.run}); the order is now ${order.status}, so it applied: marked done, not sent again` };
  }
  if (entry?.state === 'pending' && spec.unconfirmed) return { kind: 'skip', code: spec.unconfirmed.code, message: spec.unconfirmed.message(g.ref, entry.run) };
  const allowed = spec.allowed ?? [spec.from];
  if (!allowed.includes(order.status)) {
    return { kind: 'skip', code: SKIP_CODES.wrongStatus, message: `order ${g.ref} is ${order.status}; ${g.action} needs ${allowed.join(' or ')}` };
  }
  let products: LineQuantity[] | undefined;
  if (spec.withLines) {
    const lines = resolveProducts(g, order);
    if ('code' in lines) return { kind: 'skip', code: lines.code, message: `${lines.message}; nothing sent for this order` };
    products = lines.products;
  }
  const payload = payloadDigest(spec.request(g.fields, products));
  if (entry?.state === 'refused' && entry.payload === payload && !o.retryRefused) {
    return { kind: 'skip', code: SKIP_CODES.refusedBefore,
      message: `ManoMano refused this same ${g.action} of order ${g.ref} (run ${entry.run}, ${entry.at}): ${[entry.code, entry.message].filter(Boolean).join(': ')}; fix it and run again (a changed ${g.action} is sent), or run with --retry-refused to send it again as it is` };
  }
  return { kind: 'send', ...(products ? { products } : {}), retry: entry, payload };
}
