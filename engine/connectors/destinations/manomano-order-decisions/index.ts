/**
 * `manomano-order-decisions`: accepts or refuses PENDING orders. The record's `decision`
 * (`accept` | `refuse`) wins over the destination's `decision` setting, so one pipeline can accept
 * some orders and refuse others. Status checked first, journalled, never sent twice. See README.md.
 */
import type { DestinationDefinition, Reject, Row } from '../../../runtime/types.js';
import type { OrderAction } from '../../../state/journal.js';
import type { ManomanoOrderDecisionsDestinationConfig } from '../../../types/generated/pipeline.js';
import { createOrderActionDestination, oneOf, recordRejects, REJECT_CODES, text, type OrderActionConfig, type OrderActionSpec } from '../../order-actions/index.js';

const DECISIONS = ['accept', 'refuse'] as const;

/** Why: the spec is exported so tests and docs can read the exact rules. */
export function decisionsSpec(defaultDecision: 'accept' | 'refuse'): OrderActionSpec<Record<string, never>> {
  return {
    type: 'manomano-order-decisions',
    from: 'PENDING',
    withLines: false,
    parse(record, p) {
      const raw = text(record, 'decision');
      if (raw === undefined) return { action: defaultDecision, fields: {} };
      const d = oneOf(raw.toLowerCase(), DECISIONS, p, { code: REJECT_CODES.decisionUnknown, attribute: 'decision', what: 'decision', listHint: 'decision is "accept" or "refuse"' });
      return d === undefined ? undefined : { action: d as OrderAction, fields: {} };
    },
    conflict: () => undefined,
    change: () => '', // the action column already says accept/refuse
    request: () => undefined,
    send: (client, contract, action, orders) =>
      action === 'refuse' ? client.refuseOrders(contract, orders.map((o) => o.ref)) : client.acceptOrders(contract, orders.map((o) => o.ref)),
  };
}

/**
 * Why: the record checks a run applies (reference, decision), as a pure function for the pipeline
 * test runner; `[]` when the record would be accepted. Index and line are the caller's to add.
 */
export function checkRecord(record: Row, config: Partial<ManomanoOrderDecisionsDestinationConfig> = {}): Reject[] {
  return recordRejects(decisionsSpec(config.decision ?? 'accept'), record);
}

/** The destination definition (registry entry). */
const definition: DestinationDefinition<ManomanoOrderDecisionsDestinationConfig> = {
  kind: 'destination',
  type: 'manomano-order-decisions',
  summary: 'Order Accept/Refuse: accepts or refuses PENDING orders, status-checked and journalled (never twice).',
  attributes: ['order_reference', 'decision'],
  strictAttributes: true,
  api: true,
  batchSize: 500,
  checkRecord,
  create(config, ctx) {
    return createOrderActionDestination(decisionsSpec(config.decision ?? 'accept'), config as OrderActionConfig, ctx);
  },
};

export default definition;
