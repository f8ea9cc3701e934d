/**
 * `manomano-shipments`: sends carrier and tracking for orders in PREPARATION. Lines of one order
 * become one shipment; the carrier is checked against ManoMano's list (did-you-mean on a near
 * miss), tracking_url must be http(s). Status checked first, journalled, never twice. See README.md.
 */
import { MANOMANO_CARRIERS } from '../../../manomano/api-types.js';
import type { DestinationDefinition, Reject, Row } from '../../../runtime/types.js';
import type { ManomanoShipmentsDestinationConfig } from '../../../types/generated/pipeline.js';
import { createOrderActionDestination, describeLines, httpUrl, oneOf, recordRejects, REJECT_CODES, text, type OrderActionConfig, type OrderActionSpec } from '../../order-actions/index.js';

/** Order-level fields of a shipment. */
export interface ShipmentFields { carrier: string; trackingNumber: string; trackingUrl: string }

/** Why: the spec is exported so tests and docs can read the exact rules. */
export function shipmentsSpec(carriers: readonly string[]): OrderActionSpec<ShipmentFields> {
  return {
    type: 'manomano-shipments',
    from: 'PREPARATION',
    withLines: true,
    parse(record, p) {
      const rawCarrier = text(record, 'carrier');
      const carrier = rawCarrier === undefined
        ? p.add(REJECT_CODES.carrierMissing, 'carrier', 'carrier is missing', 'map carrier to a name from ManoMano\'s carrier list, e.g. "Colissimo", "DPD", "UPS"')
        : oneOf(rawCarrier, carriers, p, { code: REJECT_CODES.carrierUnknown, attribute: 'carrier', what: 'carrier', listHint: 'use a name from ManoMano\'s carrier list (e.g. "Colissimo", "DPD", "UPS"), or add it to the destination\'s `carriers` setting if ManoMano accepts it' });
      const trackingNumber = text(record, 'tracking_number') ?? p.add(REJECT_CODES.trackingNumberMissing, 'tracking_number', 'tracking_number is missing');
      const rawUrl = text(record, 'tracking_url');
      const trackingUrl = rawUrl === undefined
        ? p.add(REJECT_CODES.trackingUrlMissing, 'tracking_url', 'tracking_url is missing: ManoMano rejects a shipment without it', 'map tracking_url, e.g. with $join(["https://…?code=", tracking_number])')
        : httpUrl(rawUrl, p, 'tracking_url', REJECT_CODES.trackingUrlInvalid);
      if (carrier === undefined || trackingNumber === undefined || trackingUrl === undefined) return undefined;
      return { action: 'ship', fields: { carrier, trackingNumber, trackingUrl } };
    },
    conflict(a, b) {
      if (a.carrier !== b.carrier) return `carrier "${a.carrier}" vs "${b.carrier}"`;
      if (a.trackingNumber !== b.trackingNumber) return `tracking_number "${a.trackingNumber}" vs "${b.trackingNumber}"`;
      if (a.trackingUrl !== b.trackingUrl) return 'tracking_url differs';
      return undefined;
    },
    change: (_action, f, products) => `ship ${describeLines(products)} via ${f.carrier} (${f.trackingNumber})`,
    request: (f, products) => ({ carrier: f.carrier, tracking_number: f.trackingNumber, tracking_url: f.trackingUrl, products: products ?? null }),
    send: (client, contract, _action, orders) => client.shipOrders(contract, orders.map((o) => ({
      order_reference: o.ref, carrier: o.fields.carrier, tracking_number: o.fields.trackingNumber, tracking_url: o.fields.trackingUrl, products: o.products,
    }))),
  };
}

/**
 * Why: the record checks a run applies (reference, lines, quantity, carrier against `carriers`,
 * tracking number and URL), as a pure function for the pipeline test runner; `[]` when clean.
 */
export function checkRecord(record: Row, config: Partial<ManomanoShipmentsDestinationConfig> = {}): Reject[] {
  return recordRejects(shipmentsSpec(config.carriers ?? MANOMANO_CARRIERS), record);
}

/** The destination definition (registry entry). */
const definition: DestinationDefinition<ManomanoShipmentsDestinationConfig> = {
  kind: 'destination',
  type: 'manomano-shipments',
  summary: 'Shipment Notifications: carrier and tracking for orders in PREPARATION, carrier checked, status-checked and journalled (never twice).',
  attributes: ['order_reference', 'seller_sku', 'quantity', 'seller_contract_id', 'carrier', 'tracking_number', 'tracking_url'],
  strictAttributes: true,
  api: true,
  batchSize: 500,
  checkRecord,
  create(config, ctx) {
    return createOrderActionDestination(shipmentsSpec(config.carriers ?? MANOMANO_CARRIERS), config as OrderActionConfig, ctx);
  },
};

export default definition;
