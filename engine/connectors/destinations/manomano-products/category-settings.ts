/**
 * The products feed's `taxonomy:` settings resolved (defaults applied, the language taken from the
 * market), and the taxonomy they lead to: cached, or fetched from the environment's API. Used by
 * the destination and by `manoflow categories --pipeline`, so both read the same tree.
 */
import { resolve } from 'node:path';
import { MARKET_LOCALES, type TaxonomyLocale } from '../../../manomano/taxonomy-types.js';
import { cachedTaxonomySync, describeFetch, howToGetTaxonomy, loadTaxonomy, type LoadedTaxonomy } from '../../taxonomy.js';
import { TaxonomyIndex } from '../../../manomano/taxonomy/taxonomy-index.js';
import type { TaxonomyDocument } from '../../../manomano/taxonomy-types.js';
import { CategoryChecker } from './category-checks.js';
import { generateTaxonomy } from '../../../manomano/simulator/taxonomy.js';
import type { LocalSimulatorSettings } from '../../manomano-api.js';
import type { Logger } from '../../../runtime/types.js';
import { taxonomyAgeDays } from '../../../manomano/taxonomy/cache.js';

/** `destination.taxonomy` of manomano-products, defaults applied. */
export interface ProductsTaxonomySettings {
  enabled: boolean;
  environment: 'production' | 'sandbox' | 'local';
  locale: TaxonomyLocale;
  apiKey?: string;
  baseUrl?: string;
  simulator?: LocalSimulatorSettings;
  fieldCategories: 'inline' | 'per-category';
  maxAgeDays: number;
}

/** The raw `taxonomy:` block (schemas/connectors/destination-manomano-products.schema.json). */
export interface ProductsTaxonomyConfig {
  enabled?: boolean;
  environment?: 'production' | 'sandbox' | 'local';
  language?: TaxonomyLocale;
  api_key?: string;
  base_url?: string;
  simulator?: LocalSimulatorSettings;
  field_categories?: 'inline' | 'per-category';
  max_age_days?: number;
}

/** Why: the feed's market decides the language of accepted values unless the pipeline says otherwise. */
export function resolveTaxonomySettings(config: ProductsTaxonomyConfig | undefined, market: keyof typeof MARKET_LOCALES = 'FR'): ProductsTaxonomySettings {
  const c = config ?? {};
  return {
    enabled: c.enabled ?? true,
    environment: c.environment ?? 'production',
    locale: c.language ?? MARKET_LOCALES[market],
    apiKey: c.api_key || undefined,
    baseUrl: c.base_url || undefined,
    simulator: c.simulator,
    fieldCategories: c.field_categories ?? 'inline',
    maxAgeDays: c.max_age_days ?? 30,
  };
}

/** The state directory of a pipeline (`state.dir`, default `.manoflow` beside the pipeline). */
export function pipelineStateDir(pipelineDir: string, config: { state?: unknown }): string {
  return resolve(pipelineDir, (config.state as { dir?: string } | undefined)?.dir ?? '.manoflow');
}

/**
 * The taxonomy for the feed's category checks, or undefined after ONE warning saying why and how
 * to get it (the checks are then skipped). `plan` fetches but does not write the cache.
 */
export async function taxonomyForFeed(s: ProductsTaxonomySettings, stateDir: string, log: Logger, plan: boolean): Promise<LoadedTaxonomy | undefined> {
  if (!s.enabled) return undefined;
  let loaded: LoadedTaxonomy | undefined;
  try {
    loaded = await loadTaxonomy({
      environment: s.environment, stateDir, apiKey: s.apiKey, baseUrl: s.baseUrl, simulator: s.simulator,
      fieldCategories: s.fieldCategories, writeCache: !plan, log,
    });
  } catch (err) {
    log.warn(`manomano-products: category checks skipped: the ${s.environment} taxonomy could not be read or fetched (${(err as Error).message}); ${howToGetTaxonomy(s.environment)}`);
    return undefined;
  }
  if (!loaded) {
    log.warn(`manomano-products: category checks skipped: no ${s.environment} taxonomy cached in ${stateDir} (mandatory attributes, units and accepted values per category are not checked); ${howToGetTaxonomy(s.environment)}, or set taxonomy.enabled: false`);
    return undefined;
  }
  if (!loaded.fetched && taxonomyAgeDays(loaded.doc) > s.maxAgeDays) {
    log.warn(`manomano-products: the ${s.environment} taxonomy was ${describeFetch(loaded.doc)}, more than taxonomy.max_age_days (${s.maxAgeDays}); refresh it with \`manoflow categories --refresh${s.environment === 'local' ? '' : ` --environment ${s.environment}`}\``);
  }
  return loaded;
}

/** The feed's two category checkers (exact path, fast path's slots) over one taxonomy. */
export interface FeedCategories {
  exact: CategoryChecker;
  fast(slotOf: (name: string) => number): CategoryChecker;
}

/** Why: the destination and its worker preparer build their checkers the same way from one document. */
export function feedCategories(doc: TaxonomyDocument, s: ProductsTaxonomySettings): FeedCategories {
  const index = new TaxonomyIndex(doc);
  const origin = `${s.environment} taxonomy ${describeFetch(doc)}`;
  return { exact: new CategoryChecker(index, s.locale, origin), fast: (slotOf) => new CategoryChecker(index, s.locale, origin, slotOf) };
}

/**
 * What a mapping worker's preparer uses: the cached taxonomy the run also read, 'unknown' when the
 * run may have fetched one the worker cannot see (the preparer then leaves the checks to the main
 * thread), undefined when the run has none.
 */
export function feedCategoriesSync(s: ProductsTaxonomySettings, stateDir: string | undefined): FeedCategories | 'unknown' | undefined {
  if (!s.enabled) return undefined;
  if (stateDir === undefined) return 'unknown';
  const doc = cachedTaxonomySync({ environment: s.environment, stateDir, apiKey: s.apiKey, baseUrl: s.baseUrl, simulator: s.simulator });
  if (doc === 'fetch') return 'unknown';
  return doc ? feedCategories(doc, s) : undefined;
}

/**
 * Why: validate warns about attributes it does not know; the taxonomy's columns (`power`,
 * `spout_height`...) are known once it is cached. For the in-process simulator the tree is its
 * seed's, generated here without a server.
 */
export function taxonomyColumnsSync(s: ProductsTaxonomySettings, stateDir: string): string[] | undefined {
  if (!s.enabled) return undefined;
  let doc = cachedTaxonomySync({ environment: s.environment, stateDir, apiKey: s.apiKey, baseUrl: s.baseUrl, simulator: s.simulator });
  if (doc === 'fetch' && s.environment === 'local' && !s.baseUrl && !process.env.MANOFLOW_SANDBOX_URL) {
    return generateTaxonomy(s.simulator?.seed ?? 1).fields.map((f) => f.name);
  }
  return doc && doc !== 'fetch' ? doc.fields.map((f) => f.name) : undefined;
}
