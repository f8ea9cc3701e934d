// Shared test harness: a real RunContext over a temp dir, collecting rejects and warnings.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { OutputItem, Reject, Row, RunContext, RunOptions } from '../../../engine/runtime/types.js';
import definition from '../../../engine/connectors/destinations/manomano-products/index.js';
import type { ManomanoProductsDestinationConfig } from '../../../engine/types/generated/pipeline.js';
import { generateTaxonomy } from '../../../engine/manomano/simulator/index.js';
import { taxonomyCachePath, writeTaxonomyCache } from '../../../engine/manomano/taxonomy/cache.js';
import type { TaxonomyDocument } from '../../../engine/manomano/taxonomy-types.js';

export interface Harness {
  dir: string;
  ctx: RunContext;
  rejects: Reject[];
  /** Log warnings (ctx.log.warn). */
  warnings: string[];
  /** Per-record warnings (ctx.warn): records written with a problem. */
  recordWarnings: Reject[];
}

export async function harness(options: RunOptions = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'mm-products-'));
  const rejects: Reject[] = [];
  const warnings: string[] = [];
  const recordWarnings: Reject[] = [];
  const ctx: RunContext = {
    pipelineFile: join(dir, 'pipeline.yaml'),
    pipelineDir: dir,
    pipelineName: 'test',
    resolvePath: (p) => resolve(dir, p),
    reject: (r) => rejects.push(r),
    warn: (w) => recordWarnings.push(w),
    report: () => undefined,
    log: { info: () => undefined, warn: (m) => warnings.push(m), debug: () => undefined },
    options,
    stateDir: join(dir, '.manoflow'),
  };
  return { dir, ctx, rejects, warnings, recordWarnings };
}

export function items(records: Row[], firstIndex = 0): OutputItem[] {
  return records.map((record, i) => ({ record, position: { index: firstIndex + i, line: firstIndex + i + 2 } }));
}

/** The feed destination; without a `taxonomy` setting its category checks are off (category.test.ts covers them). */
export function feed(h: Harness, config: Partial<ManomanoProductsDestinationConfig> = {}) {
  return definition.create({ type: 'manomano-products', output: 'out/feed.csv', taxonomy: { enabled: false }, ...config }, h.ctx);
}

/** Writes the simulator's taxonomy of `seed` as the `local` cache of a state dir, as `manoflow categories` would. */
export function cacheLocalTaxonomy(stateDir: string, seed = 1): TaxonomyDocument {
  const t = generateTaxonomy(seed);
  const doc: TaxonomyDocument = {
    format: 1, environment: 'local', source: `simulator seed ${seed} (in-process)`, fetched_at: new Date().toISOString(),
    categories: t.categories, fields: t.fields,
  };
  writeTaxonomyCache(taxonomyCachePath(stateDir, 'local'), doc);
  return doc;
}

/** A valid record, to patch in tests. */
export const good: Row = {
  sku: 'SKU-1', ean: '4006381333931', brand: 'Bosch', title: 'Perceuse visseuse 18V',
  description: '<p>Perceuse</p>', image_1: 'https://cdn.example.com/1.jpg', mm_category_id: 1234,
  product_price_vat_inc: 59.99, quantity: 5, carrier: 'DPD', shipping_time: '2#4', shipping_price_vat_inc: 0,
};
