/**
 * Where a taxonomy comes from: the cache in the state directory (`taxonomy/<environment>.json`),
 * else the environment's API (the simulator for `local`: in-process, or MANOFLOW_SANDBOX_URL /
 * `base_url`), then cached with its fetch date. Shared by `manoflow categories` and the products
 * feed's category checks, so both read the same tree.
 */
import { ManoflowError } from '../errors.js';
import { registerSecret } from '../secrets.js';
import { createClient, type CatalogClientOptions } from '../manomano/client/index.js';
import { readTaxonomyCache, taxonomyAgeDays, taxonomyCachePath, writeTaxonomyCache } from '../manomano/taxonomy/cache.js';
import type { TaxonomyDocument } from '../manomano/taxonomy-types.js';
import type { Logger } from '../runtime/types.js';
import { acquireLocalSimulator, LOCAL_SIMULATOR_DEFAULTS, type LocalSimulatorSettings } from './manomano-api.js';

/** The simulator's public key: the only key `local` needs. */
export const SIMULATOR_KEY = 'sandbox-key-0001';

/** Where to read the taxonomy from, and whether fetching is allowed. */
export interface TaxonomySourceOptions {
  environment: 'production' | 'sandbox' | 'local';
  stateDir: string;
  apiKey?: string;
  baseUrl?: string;
  simulator?: LocalSimulatorSettings;
  /** Fetch even when cached (`--refresh`). */
  refresh?: boolean;
  /** Write what was fetched to the cache (default true; false under `plan`). */
  writeCache?: boolean;
  fieldCategories?: CatalogClientOptions['fieldCategories'];
  log: Pick<Logger, 'info' | 'warn'>;
}

/** A taxonomy and where it came from. */
export interface LoadedTaxonomy {
  doc: TaxonomyDocument;
  path: string;
  fetched: boolean;
}

/** Why: a cache made from another simulator world (another seed) must not pass for this one. */
function expectedSource(o: TaxonomySourceOptions): string | undefined {
  if (o.environment !== 'local' || o.baseUrl || process.env.MANOFLOW_SANDBOX_URL) return undefined;
  return `simulator seed ${o.simulator?.seed ?? LOCAL_SIMULATOR_DEFAULTS.seed} (in-process)`;
}

/**
 * Reads the cache or fetches. Undefined when there is none and fetching is not possible
 * (production or sandbox without an API key): the caller says how to get one.
 */
export async function loadTaxonomy(o: TaxonomySourceOptions): Promise<LoadedTaxonomy | undefined> {
  const path = taxonomyCachePath(o.stateDir, o.environment);
  const wanted = expectedSource(o);
  if (!o.refresh) {
    const cached = readTaxonomyCache(path);
    if (cached && (wanted === undefined || cached.source === wanted)) return { doc: cached, path, fetched: false };
  }
  if (o.environment !== 'local' && !o.apiKey) return undefined;
  const doc = await fetchTaxonomy(o, wanted);
  if (o.writeCache !== false) writeTaxonomyCache(path, doc);
  return { doc, path, fetched: true };
}

/**
 * Why: a mapping worker must decide without fetching, and exactly as the run did: the cached
 * taxonomy when it is valid for these options; 'fetch' when a run would fetch it (so the worker
 * cannot know what the run holds); undefined when there is none to get.
 */
export function cachedTaxonomySync(o: Pick<TaxonomySourceOptions, 'environment' | 'stateDir' | 'apiKey' | 'baseUrl' | 'simulator'>): TaxonomyDocument | 'fetch' | undefined {
  const wanted = expectedSource({ ...o, log: console });
  let cached: TaxonomyDocument | undefined;
  try {
    cached = readTaxonomyCache(taxonomyCachePath(o.stateDir, o.environment));
  } catch {
    cached = undefined;
  }
  if (cached && (wanted === undefined || cached.source === wanted)) return cached;
  return o.environment === 'local' || o.apiKey ? 'fetch' : undefined;
}

/** Fetches the tree and the field dictionary from the environment's API. */
async function fetchTaxonomy(o: TaxonomySourceOptions, inProcessSource: string | undefined): Promise<TaxonomyDocument> {
  let baseUrl = o.baseUrl || (o.environment === 'local' ? process.env.MANOFLOW_SANDBOX_URL : undefined);
  let release: (() => Promise<void>) | undefined;
  if (o.environment === 'local' && !baseUrl) {
    const local = await acquireLocalSimulator({ log: o.log as Logger }, o.simulator);
    baseUrl = local.url;
    release = local.release;
  }
  const apiKey = o.apiKey || (o.environment === 'local' ? SIMULATOR_KEY : '');
  if (!apiKey) throw new ManoflowError('CFG_API_KEY', `fetching the ${o.environment} taxonomy needs an API key`, { hint: 'set MANOMANO_API_KEY' });
  registerSecret(apiKey);
  const client = createClient({ environment: o.environment, baseUrl, apiKey, catalog: { fieldCategories: o.fieldCategories } });
  try {
    const { categories, fields } = await client.fetchTaxonomy();
    o.log.info(`taxonomy: fetched ${categories.length} categories and ${fields.length} feed fields from ${o.environment} (${client.baseUrl})`);
    return {
      format: 1, environment: o.environment, source: inProcessSource ?? client.baseUrl,
      fetched_at: new Date().toISOString(), categories, fields,
    };
  } finally {
    client.close();
    await release?.();
  }
}

/** Why: one sentence every "no taxonomy" message ends with, naming the command that fixes it. */
export function howToGetTaxonomy(environment: string): string {
  return environment === 'local'
    ? 'run `manoflow categories --refresh` (the local simulator needs no key)'
    : `run \`manoflow categories --refresh --environment ${environment}\` with MANOMANO_API_KEY set, or give taxonomy.api_key so the run fetches it`;
}

/** "fetched 2026-12-05 (3 days ago)", for messages. */
export function describeFetch(doc: TaxonomyDocument): string {
  const days = taxonomyAgeDays(doc);
  return `fetched ${doc.fetched_at.slice(0, 10)}${days > 0 ? ` (${days} day${days === 1 ? '' : 's'} ago)` : ''}`;
}
