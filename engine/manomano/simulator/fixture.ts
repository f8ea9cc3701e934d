/**
 * Builds the simulator's starting world from the options: a fixture (file or object) where given,
 * generated data (deterministic from the seed) for whatever the fixture leaves out.
 */
import { readFileSync } from 'node:fs';
import { ManoflowError } from '../../errors.js';
import type { OfferInformation, Order } from '../api-types.js';
import { generateOffers } from './catalog.js';
import { DEFAULT_DATA_EPOCH, defaultContract, generateOrders, type SimContract } from './generate.js';
import { SimulatorState } from './state.js';

/** A fixture: any part left out is generated. `orders`/`offers` present = used verbatim, none generated. */
export interface SimulatorFixture {
  keys?: Record<string, number[]>;
  contracts?: SimContract[];
  orders?: Order[];
  offers?: (Partial<OfferInformation> & { sku: string; seller_contract_id: number })[];
}

/** The default key and contracts: two EUR contracts (FR, DE) and one GBP (UK) contract. */
export const DEFAULT_KEYS: Record<string, number[]> = { 'sandbox-key-0001': [110841, 110842, 220001] };

export interface WorldOptions {
  seed: number;
  fixture?: string | SimulatorFixture;
  keys?: Record<string, number[]>;
  ordersPerContract: number;
  offersPerContract: number;
  dataEpoch: string;
  now: () => Date;
}

/** Reads a fixture file, with a typed error naming the file when it is missing or not JSON. */
export function loadFixture(fixture: string | SimulatorFixture | undefined): SimulatorFixture {
  if (fixture === undefined) return {};
  if (typeof fixture !== 'string') return fixture;
  try {
    return JSON.parse(readFileSync(fixture, 'utf8')) as SimulatorFixture;
  } catch (err) {
    throw new ManoflowError('SIM_FIXTURE', `cannot read simulator fixture ${fixture}: ${(err as Error).message}`, {
      hint: 'a fixture is a JSON object { keys, contracts, orders, offers }; every part is optional',
      cause: err,
    });
  }
}

/** Keys and a populated state, ready to serve. */
export function buildWorld(opts: WorldOptions): { keys: Record<string, number[]>; state: SimulatorState } {
  const fx = loadFixture(opts.fixture);
  const keys = opts.keys ?? fx.keys ?? DEFAULT_KEYS;
  const state = new SimulatorState(opts.now);
  const ids = [...new Set(Object.values(keys).flat().map(Number))];
  const given = new Map((fx.contracts ?? []).map((c) => [Number(c.id), c]));
  ids.forEach((id, i) => state.addContract(given.get(id) ?? defaultContract(id, i)));
  for (const c of given.values()) state.addContract(c);
  const contracts = [...state.contracts.values()];
  const epochMs = Date.parse(opts.dataEpoch || DEFAULT_DATA_EPOCH);

  if (fx.offers) {
    for (const { seller_contract_id, ...offer } of fx.offers) state.setOffer(Number(seller_contract_id), offer);
  } else {
    for (const c of contracts) for (const o of generateOffers(opts.seed, c.id, c.market, opts.offersPerContract)) state.setOffer(c.id, o);
  }
  if (fx.orders) {
    for (const o of fx.orders) state.addOrder(structuredClone(o));
  } else {
    contracts.forEach((c, i) => {
      for (const o of generateOrders(opts.seed, c, state.listOffers(c.id), opts.ordersPerContract, epochMs, i + 1)) state.addOrder(o);
    });
  }
  return { keys, state };
}
