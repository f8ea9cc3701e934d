/**
 * The connector registry: adding a connector is adding its folder, its schema in
 * schemas/connectors/, and one line here. Nothing else switches on connector types.
 */
import type { DestinationDefinition, SourceDefinition } from '../runtime/types.js';
import csvSource from './sources/csv/index.js';
import jsonSource from './sources/json/index.js';
import ndjsonSource from './sources/ndjson/index.js';
import csvDestination from './destinations/csv/index.js';
import jsonDestination from './destinations/json/index.js';
import ndjsonDestination from './destinations/ndjson/index.js';
import manomanoProducts from './destinations/manomano-products/index.js';
import manomanoOrders from './sources/manomano-orders/index.js';
import manomanoOrderDecisions from './destinations/manomano-order-decisions/index.js';
import manomanoRefunds from './destinations/manomano-refunds/index.js';
import manomanoShipments from './destinations/manomano-shipments/index.js';
import manomanoOffers from './destinations/manomano-offers/index.js';
import manomanoInvoices from './destinations/manomano-invoices/index.js';

export const sources: SourceDefinition[] = [
  csvSource,
  jsonSource,
  ndjsonSource,
  manomanoOrders,
];

export const destinations: DestinationDefinition[] = [
  manomanoProducts,
  csvDestination,
  jsonDestination,
  ndjsonDestination,
  manomanoOrderDecisions,
  manomanoRefunds,
  manomanoShipments,
  manomanoOffers,
  manomanoInvoices,
];

export function findSource(type: string): SourceDefinition | undefined {
  return sources.find((s) => s.type === type);
}

export function findDestination(type: string): DestinationDefinition | undefined {
  return destinations.find((d) => d.type === type);
}
