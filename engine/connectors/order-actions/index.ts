/**
 * Shared machinery of the order-action destinations (manomano-order-decisions, -refunds,
 * -shipments): record checks, per-order grouping, status pre-check, journal and reporting.
 */
export { createOrderActionDestination, type OrderActionConfig } from './destination.js';
export { REJECT_CODES, Problems, text, oneOf, httpUrl, bool, quantity, orderReference } from './checks.js';
export { SKIP_CODES, BENIGN_SKIP_CODES, PROBLEM_SKIP_CODES, isBenignSkip, decide, type Verdict } from './decide.js';
export { OrderGroups, resolveProducts, actionFingerprint, actionRef, type OrderGroup, type ParsedRecord } from './groups.js';
export { APPLIED, type OrderActionSpec, type ReadyOrder } from './spec.js';
export { readCurrentOrders, readBackOrders, READBACK_GET_MAX } from './status.js';
export { checkOrderRecord, problemsAsRejects, recordRejects, type CheckedOrderRecord } from './record-check.js';
export { defaultOrderFeedbackPath, orderFeedbackPath, type OrderFeedbackLine } from './feedback.js';

/** Why: "2 lines (3 units)" reads better than a JSON list in the item report. */
export function describeLines(products: { quantity: number }[] | undefined): string {
  if (!products) return 'the whole order';
  const units = products.reduce((n, p) => n + p.quantity, 0);
  return `${products.length} line${products.length === 1 ? '' : 's'}${units !== products.length ? ` (${units} units)` : ''}`;
}
