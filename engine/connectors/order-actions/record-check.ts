/**
 * The per-record check of an order-action destination as a pure function: the same code the
 * destination's write() runs, so the pipeline test runner (which never creates an API
 * destination) can show the rejects a run would report: carrier list, reason codes, tracking
 * URL, quantity... Problems that need other records (two records of one order that disagree:
 * ORDER_LINES_CONFLICT) or the API (status, lines of the order) are not seen here.
 */
import type { Reject, Row } from '../../runtime/types.js';
import { contractOf, orderReference, Problems, quantity, REJECT_CODES, text } from './checks.js';
import type { ParsedRecord } from './groups.js';
import type { OrderActionSpec } from './spec.js';

/** A checked record: the parsed record when it is clean, and every problem found. */
export interface CheckedOrderRecord<F> {
  ref?: string;
  parsed?: ParsedRecord<F>;
  problems: Problems;
}

/** Why: one check for write() and for tests; `fallbackContract` is used when the record maps no seller_contract_id. */
export function checkOrderRecord<F>(spec: OrderActionSpec<F>, record: Row, fallbackContract: number): CheckedOrderRecord<F> {
  const p = new Problems();
  const ref = orderReference(record, p);
  const contract = contractOf(record, p, fallbackContract);
  let sku: string | undefined;
  let qty: number | undefined;
  if (spec.withLines) {
    sku = text(record, 'seller_sku');
    qty = quantity(record, p, false);
    if (sku === undefined && qty !== undefined) p.add(REJECT_CODES.skuMissing, 'seller_sku', 'quantity is given but seller_sku is missing', 'map `seller_sku` to the line\'s SKU, or leave both empty to act on the whole order');
  }
  const parsed = spec.parse(record, p);
  if (!p.ok || ref === undefined || contract === undefined || !parsed) return { ref, problems: p };
  return { ref, problems: p, parsed: { ref, contract, action: parsed.action, fields: parsed.fields, sku, quantity: qty } };
}

/** Why: the problems of one record in the reject report's shape (`stage: destination`, the order reference as id). */
export function problemsAsRejects(problems: Problems, id: string | undefined): Reject[] {
  return problems.list.map((e) => {
    const r: Reject = { stage: 'destination', code: e.code, message: e.message };
    if (id !== undefined) r.id = id;
    if (e.attribute !== undefined) r.attribute = e.attribute;
    if (e.hint !== undefined) r.hint = e.hint;
    return r;
  });
}

/** Why: what each connector's exported `checkRecord` returns: the record's rejects, empty when clean (no index/line: the caller knows them). */
export function recordRejects<F>(spec: OrderActionSpec<F>, record: Row): Reject[] {
  const c = checkOrderRecord(spec, record, 1);
  return problemsAsRejects(c.problems, c.ref);
}
