/**
 * `manomano-refunds`: refunds SHIPPED orders, whole or line by line. Lines of one order become
 * one refund; the reason is checked against a configurable list (did-you-mean on a near miss).
 * Status checked first, journalled, never sent twice. See README.md.
 */
import { DEFAULT_REFUND_REASONS } from '../../../manomano/api-types.js';
import type { DestinationDefinition, Reject, Row } from '../../../runtime/types.js';
import type { ManomanoRefundsDestinationConfig } from '../../../types/generated/pipeline.js';
import { bool, createOrderActionDestination, describeLines, oneOf, recordRejects, REJECT_CODES, text, type OrderActionConfig, type OrderActionSpec } from '../../order-actions/index.js';

/** Order-level fields of a refund. */
export interface RefundFields { reason: string; refundShippingFees: boolean }

/** Why: the spec is exported so tests and docs can read the exact rules. */
export function refundsSpec(reasons: readonly string[], defaultFees: boolean): OrderActionSpec<RefundFields> {
  return {
    type: 'manomano-refunds',
    from: 'SHIPPED',
    withLines: true,
    parse(record, p) {
      const raw = text(record, 'refund_reason');
      const reason = raw === undefined
        ? p.add(REJECT_CODES.reasonMissing, 'refund_reason', 'refund_reason is missing', `map refund_reason to one of ${reasons.join(', ')}`)
        : oneOf(raw, reasons, p, { code: REJECT_CODES.reasonUnknown, attribute: 'refund_reason', what: 'refund_reason', listHint: `one of ${reasons.join(', ')} (the destination's \`reasons\` setting)` });
      const fees = bool(record, 'refund_shipping_fees', p, defaultFees, REJECT_CODES.shippingFeesInvalid);
      return reason === undefined || fees === undefined ? undefined : { action: 'refund', fields: { reason, refundShippingFees: fees } };
    },
    conflict(a, b) {
      if (a.reason !== b.reason) return `refund_reason "${a.reason}" vs "${b.reason}"`;
      if (a.refundShippingFees !== b.refundShippingFees) return 'refund_shipping_fees true vs false';
      return undefined;
    },
    change: (_action, f, products) => `refund ${describeLines(products)}, reason ${f.reason}, shipping fees ${f.refundShippingFees ? 'refunded' : 'not refunded'}`,
    fingerprint: (f) => f.reason, // the same lines refunded for another reason is another refund
    request: (f, products) => ({ reason: f.reason, refund_shipping_fees: f.refundShippingFees, products: products ?? null }),
    send: (client, contract, _action, orders) => client.refundOrders(contract, orders.map((o) => ({
      order_reference: o.ref, reason: o.fields.reason, refund_shipping_fees: o.fields.refundShippingFees, products: o.products ?? [],
    }))),
  };
}

/**
 * Why: the record checks a run applies (reference, lines, quantity, reason against `reasons`,
 * shipping fees), as a pure function for the pipeline test runner; `[]` when the record is clean.
 */
export function checkRecord(record: Row, config: Partial<ManomanoRefundsDestinationConfig> = {}): Reject[] {
  return recordRejects(refundsSpec(config.reasons ?? DEFAULT_REFUND_REASONS, config.refund_shipping_fees ?? false), record);
}

/** The destination definition (registry entry). */
const definition: DestinationDefinition<ManomanoRefundsDestinationConfig> = {
  kind: 'destination',
  type: 'manomano-refunds',
  summary: 'Refund Orders: refunds SHIPPED orders line by line, reasons checked, status-checked and journalled (never twice).',
  attributes: ['order_reference', 'seller_sku', 'quantity', 'refund_reason', 'refund_shipping_fees'],
  strictAttributes: true,
  api: true,
  batchSize: 500,
  checkRecord,
  create(config, ctx) {
    return createOrderActionDestination(refundsSpec(config.reasons ?? DEFAULT_REFUND_REASONS, config.refund_shipping_fees ?? false), config as OrderActionConfig, ctx);
  },
};

export default definition;
