/**
 * The per-connector `checkRecord(record, config)`: the record checks a run applies, as a pure
 * function (no API, no destination) for the pipeline test runner. Cases as data; write() runs
 * the same code (shipments.test.ts, refunds.test.ts check the rejects of real runs).
 */
import { describe, expect, test } from 'vitest';
import { checkRecord as checkDecision } from '../../../engine/connectors/destinations/manomano-order-decisions/index.js';
import { checkRecord as checkRefund } from '../../../engine/connectors/destinations/manomano-refunds/index.js';
import { checkRecord as checkShipment } from '../../../engine/connectors/destinations/manomano-shipments/index.js';
import type { Reject } from '../../../engine/runtime/types.js';

const ship = { order_reference: 'M1', seller_sku: 'A', quantity: '2', carrier: 'Colissimo', tracking_number: '6A1', tracking_url: 'https://www.laposte.fr/suivi?code=6A1' };
const refund = { order_reference: 'M1', seller_sku: 'A', quantity: 1, refund_reason: 'PRODUCT_DAMAGED', refund_shipping_fees: 'false' };

type Case = [name: string, check: (r: Record<string, unknown>, c?: any) => Reject[], record: Record<string, unknown>, config: Record<string, unknown>, expected: Partial<Reject>[]];

const cases: Case[] = [
  ['a clean shipment', checkShipment, ship, {}, []],
  ['carrier in the wrong case', checkShipment, { ...ship, carrier: 'colissimo' }, {}, [{ code: 'SHIPMENT_CARRIER_UNKNOWN', attribute: 'carrier', id: 'M1', hint: 'did you mean "Colissimo"? (names are case-sensitive)' }]],
  ['a carrier added by the `carriers` setting', checkShipment, { ...ship, carrier: 'Paack' }, { carriers: ['Colissimo', 'Paack'] }, []],
  ['tracking URL not http(s), quantity 1.5', checkShipment, { ...ship, tracking_url: 'ftp://x/y', quantity: 1.5 }, {}, [{ code: 'ORDER_QUANTITY_INVALID', attribute: 'quantity' }, { code: 'SHIPMENT_TRACKING_URL_INVALID', attribute: 'tracking_url' }]],
  ['quantity without a sku, tracking number missing', checkShipment, { ...ship, seller_sku: '', tracking_number: null }, {}, [{ code: 'ORDER_SKU_MISSING' }, { code: 'SHIPMENT_TRACKING_NUMBER_MISSING' }]],
  ['no order reference: no id', checkShipment, { ...ship, order_reference: ' ' }, {}, [{ code: 'ORDER_REFERENCE_MISSING', id: undefined }]],
  ['a clean refund', checkRefund, refund, {}, []],
  ['a reason near miss', checkRefund, { ...refund, refund_reason: 'product damaged' }, {}, [{ code: 'REFUND_REASON_UNKNOWN', hint: 'did you mean "PRODUCT_DAMAGED"? (names are case-sensitive)' }]],
  ['a reason outside the configured list', checkRefund, refund, { reasons: ['OTHER'] }, [{ code: 'REFUND_REASON_UNKNOWN' }]],
  ['shipping fees not a boolean', checkRefund, { ...refund, refund_shipping_fees: 'maybe' }, {}, [{ code: 'REFUND_SHIPPING_FEES_INVALID' }]],
  ['a decision', checkDecision, { order_reference: 'M1', decision: 'Refuse' }, {}, []],
  ['an unknown decision', checkDecision, { order_reference: 'M1', decision: 'maybe' }, {}, [{ code: 'ORDER_DECISION_UNKNOWN', attribute: 'decision' }]],
  ['a bad per-record contract', checkDecision, { order_reference: 'M1', seller_contract_id: 'FR' }, {}, [{ code: 'ORDER_CONTRACT_INVALID' }]],
];

describe('checkRecord', () => {
  test.each(cases)('%s', (_name, check, record, config, expected) => {
    const rejects = check(record, config);
    expect(rejects).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      const { id, ...rest } = e;
      expect(rejects[i]).toMatchObject({ stage: 'destination', ...rest, ...(id !== undefined ? { id } : {}) });
      if ('id' in e && id === undefined) expect(rejects[i]).not.toHaveProperty('id');
      expect(rejects[i]!.message.length).toBeGreaterThan(0);
    });
  });
});
