/**
 * What a job locks: its seller contract(s) and flow, so that at most one job at a time works on
 * one contract's offers, one contract's order actions (accept, refuse, ship and refund share one
 * lock: they change the same orders), one contract's orders import or product feed, anywhere in
 * the fleet. A pipeline with no ManoMano contract locks itself (`pipeline:<seller>/<id>`).
 */
import type { LoadedPipeline } from '../config/load.js';
import { contractIdOf } from '../connectors/manomano-api.js';

const FLOWS: Record<string, string> = {
  'manomano-offers': 'offers',
  'manomano-order-decisions': 'order-actions',
  'manomano-shipments': 'order-actions',
  'manomano-refunds': 'order-actions',
  'manomano-products': 'products',
};

interface Api { type?: string; environment?: string; seller_contract_id?: number | string }

/** Why: the lock names of a job, sorted (taken in this order, two jobs never wait on each other in a cycle). */
export function jobLockNames(p: LoadedPipeline, seller: string, pipeline: string): string[] {
  const dest = (p.config.destination ?? {}) as Api;
  const source = (p.config.source ?? {}) as Api;
  const flow = FLOWS[dest.type ?? ''] ?? (source.type === 'manomano-orders' ? 'orders-import' : undefined);
  const api = FLOWS[dest.type ?? ''] ? dest : source;
  if (!flow || api.seller_contract_id === undefined) return [`job:pipeline:${seller}/${pipeline}`];
  const contracts = new Set<string>();
  const add = (a: Api) => {
    if (a.seller_contract_id === undefined) return;
    try {
      contracts.add(`${a.environment ?? api.environment}-${contractIdOf(a.seller_contract_id)}`);
    } catch {
      // an invalid contract id fails the run itself, with its own error
    }
  };
  add(api);
  const markets = (p.config as { markets?: Record<string, { destination?: Api }> }).markets ?? {};
  if (FLOWS[dest.type ?? '']) for (const m of Object.values(markets)) if (m?.destination) add({ environment: api.environment, ...m.destination });
  return [...contracts].sort().map((c) => `job:${flow}:${c}`);
}
