/**
 * Writes a fleet project into a temp dir for the tests: manoflow.yaml with N sellers (each its own
 * API key and contract on one simulator), and three pipelines: price & stock from a per-seller
 * NDJSON file (`offers`), accept every PENDING order (`accept`), ship every order in PREPARATION
 * (`ship`, after accept). Keys reach the pipelines as secrets (`${S01_API_KEY}` in the workers'
 * environment), contracts as seller variables, the simulator's URL as SIM_URL.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator } from '../../engine/manomano/simulator/index.js';

/** One seller of a test fleet. */
export interface TestSeller { id: string; key: string; contract: number }

/** Sellers s01..sNN, keys fleet-key-01.., contracts 5001.. (a simulator started with `keys: fleetKeys(n)`). */
export function testSellers(n: number): TestSeller[] {
  return Array.from({ length: n }, (_, i) => {
    const k = String(i + 1).padStart(2, '0');
    return { id: `s${k}`, key: `fleet-key-${k}-secret`, contract: 5001 + i };
  });
}

/** The simulator's `keys` option for these sellers: one key per seller, one contract per key. */
export function fleetKeys(sellers: readonly TestSeller[]): Record<string, number[]> {
  return Object.fromEntries(sellers.map((s) => [s.key, [s.contract]]));
}

/** The workers' environment: each seller's key under the variable its secret reference names. */
export function fleetEnv(sellers: readonly TestSeller[], sim: { url: string }): Record<string, string> {
  return { SIM_URL: sim.url, ...Object.fromEntries(sellers.map((s) => [`${s.id.toUpperCase()}_API_KEY`, s.key])) };
}

/** The offers each seller's `offers` pipeline sends: every SKU of its contract, with a new price and stock. */
export function desiredOffers(sim: Simulator, s: TestSeller): { sku: string; price: number; quantity: number }[] {
  return sim.state.listOffers(s.contract).map((o, i) => ({ sku: o.sku, price: Math.round((o.price + 1 + (i % 7)) * 100) / 100, quantity: (o.stock + 3 + i) % 50 }));
}

/** Writes the project; returns the path of manoflow.yaml. */
export function writeFleetProject(dir: string, sim: Simulator, sellers: readonly TestSeller[], o: { fleet?: string; state?: string; pipelines?: string; maxRetries?: number } = {}): string {
  mkdirSync(join(dir, 'pipelines'), { recursive: true });
  const api = ['  environment: local', '  base_url: ${SIM_URL}', '  api_key: ${MANOMANO_API_KEY}', '  seller_contract_id: ${MANOMANO_CONTRACT_ID}', ...(o.maxRetries === undefined ? [] : [`  max_retries: ${o.maxRetries}`])].join('\n');
  writeFileSync(join(dir, 'pipelines/offers.yaml'), [
    'version: 1', 'name: offers',
    'source: { type: ndjson, path: "../data/${MANOFLOW_SELLER}/offers.ndjson" }',
    'mapping:', '  automap: false', '  attributes: { sku: sku, quantity: quantity, price_vat_included: price }',
    'destination:', '  type: manomano-offers', api, '  batch_size: 10', '  feedback: false', '',
  ].join('\n'));
  writeFileSync(join(dir, 'pipelines/accept.yaml'), [
    'version: 1', 'name: accept',
    'source:', '  type: manomano-orders', api, '  statuses: [PENDING]',
    'mapping:', '  automap: false', '  attributes: { order_reference: order_reference, decision: { value: accept } }',
    'destination:', '  type: manomano-order-decisions', api, '  batch_size: 5', '  feedback: false', '',
  ].join('\n'));
  writeFileSync(join(dir, 'pipelines/ship.yaml'), [
    'version: 1', 'name: ship',
    'source:', '  type: manomano-orders', api, '  statuses: [PREPARATION]', '  records: lines',
    'mapping:', '  automap: false', '  attributes:',
    '    order_reference: order_reference', '    seller_sku: seller_sku', '    quantity: quantity', '    carrier: { value: Colissimo }',
    "    tracking_number: \"'6A' & $substring(order_reference, 1)\"",
    "    tracking_url: \"'https://www.laposte.fr/outils/suivre-vos-envois?code=6A' & $substring(order_reference, 1)\"",
    'destination:', '  type: manomano-shipments', api, '  batch_size: 5', '  feedback: false', '',
  ].join('\n'));
  for (const s of sellers) {
    mkdirSync(join(dir, 'data', s.id), { recursive: true });
    writeFileSync(join(dir, 'data', s.id, 'offers.ndjson'), desiredOffers(sim, s).map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
  const file = join(dir, 'manoflow.yaml');
  writeFileSync(file, [
    '# yaml-language-server: $schema=../schemas/project.schema.json',
    'version: 1', 'name: test-fleet',
    ...(o.state ? [o.state] : []),
    o.fleet ?? 'fleet: { requests_per_second: 50, attempts: 8, backoff_seconds: 0.2, lock_ttl_seconds: 10, stalled_seconds: 4 }',
    o.pipelines ?? [
      'pipelines:',
      // Schedules that fire only on 29 February: a test never sees a scheduled run appear beside its own.
      '  offers: { file: pipelines/offers.yaml, schedule: "0 4 29 2 *" }',
      '  accept: { file: pipelines/accept.yaml, schedule: "0 3 29 2 *" }',
      '  ship: { file: pipelines/ship.yaml, after: [accept] }',
    ].join('\n'),
    'sellers:',
    ...sellers.map((s) => `  ${s.id}: { vars: { MANOMANO_CONTRACT_ID: ${s.contract} }, secrets: { MANOMANO_API_KEY: "\${${s.id.toUpperCase()}_API_KEY}" } }`),
    '',
  ].join('\n'));
  return file;
}
