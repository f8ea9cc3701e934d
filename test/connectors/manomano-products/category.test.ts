/**
 * The products feed's category checks against the simulator's taxonomy (seed 1, cached in the
 * state dir as `manoflow categories` leaves it): each code, did-you-mean within and across
 * languages, units, the market's language, and what happens without a taxonomy (one warning), with
 * one fetched from the local simulator (cached, except under `plan`), or with the checks off.
 * The wording of the rejects is pinned by category-rejects.expected.txt (UPDATE_GOLDEN=1 rewrites it).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../../engine/runtime/types.js';
import { CATEGORY_CODES } from '../../../engine/connectors/destinations/manomano-products/index.js';
import { taxonomyCachePath } from '../../../engine/manomano/taxonomy/cache.js';
import type { TaxonomyDocument } from '../../../engine/manomano/taxonomy-types.js';
import { cacheLocalTaxonomy, feed, good, harness, items, type Harness } from './helpers.js';

// Seed 1: "Mitigeurs de cuisine" (final) takes colour, material (mandatory) and spout_height (mandatory, unit mm|cm);
// "Ampoules LED" is not final (split by cap: E27, E14, GU10).
const TAP = 355568;
const NOT_FINAL = 12997;
const tap: Row = { ...good, mm_category_id: TAP, material: 'Acier inoxydable', spout_height: 22, spout_height_unit: 'cm', colour: 'Chromé' };

let doc: TaxonomyDocument;
beforeAll(async () => {
  doc = cacheLocalTaxonomy((await harness()).ctx.stateDir);
});

async function run(records: Row[], config: Record<string, unknown> = {}, h?: Harness) {
  h ??= await harness();
  cacheLocalTaxonomy(h.ctx.stateDir);
  const dest = await feed(h, { taxonomy: { environment: 'local' }, ...config });
  const written = (await dest.write(items(records))).written;
  await dest.close(true);
  return { h, written, rejects: h.rejects };
}

describe('category checks', () => {
  it('the fixture categories are what the cases say', () => {
    const byId = new Map(doc.categories.map((c) => [c.id, c]));
    expect([byId.get(TAP)!.names.fr_FR, byId.get(TAP)!.finalNode]).toEqual(['Mitigeurs de cuisine', true]);
    expect([byId.get(NOT_FINAL)!.names.fr_FR, byId.get(NOT_FINAL)!.finalNode]).toEqual(['Ampoules LED', false]);
  });

  it('writes a record that meets its category, and words every other problem (golden)', async () => {
    const records: Row[] = [
      tap,
      { ...tap, sku: 'NO-HEIGHT', spout_height: undefined, spout_height_unit: undefined },
      { ...tap, sku: 'ENGLISH', material: 'Stainless steel' },
      { ...tap, sku: 'NEAR', colour: 'Noir mat' },
      { ...tap, sku: 'TYPO', material: 'Acier inoxidable' },
      { ...tap, sku: 'TEXT-HEIGHT', spout_height: '22 cm' },
      { ...tap, sku: 'UNIT-CASE', spout_height_unit: 'CM' },
      { ...tap, sku: 'NO-UNIT', spout_height_unit: undefined },
      { ...tap, sku: 'MULTI-OK', material: 'Acier#Laiton', spout_height: '21,5' },
      { ...tap, sku: 'MULTI-BAD', material: 'Acier#Gold' },
      { ...tap, sku: 'UNKNOWN', mm_category_id: 999 },
      { ...tap, sku: 'NOT-FINAL', mm_category_id: String(NOT_FINAL) },
    ];
    const { written, rejects } = await run(records);
    expect(written).toBe(2);
    const text = rejects.map((r) => `${r.id} ${r.code} ${r.attribute}: ${r.message}\n    hint: ${r.hint}`).join('\n').replace(/fetched \d{4}-\d\d-\d\d/g, 'fetched YYYY-MM-DD') + '\n';
    const golden = join(__dirname, 'category-rejects.expected.txt');
    if (process.env.UPDATE_GOLDEN || !existsSync(golden)) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
    expect(new Set(rejects.map((r) => r.code))).toEqual(new Set(CATEGORY_CODES));
    expect(rejects.every((r) => r.stage === 'destination' && r.index !== undefined)).toBe(true);
  });

  it('takes the accepted values in the language of the market, or of taxonomy.language', async () => {
    const de = await run([{ ...tap, material: 'Edelstahl', colour: 'Chrom' }, { ...tap, sku: 'FR', material: 'Acier inoxydable', colour: 'Chrom' }], { market: 'DE' });
    expect(de.written).toBe(1);
    expect(de.rejects.map((r) => [r.id, r.code, r.hint?.split('?')[0]])).toEqual([['FR', 'MM_ATTRIBUTE_VALUE', 'did you mean "Edelstahl"']]);
    const it_ = await run([{ ...tap, material: 'Acciaio inox', colour: 'Cromato' }], { taxonomy: { environment: 'local', language: 'it_IT' } });
    expect(it_.written).toBe(1);
  });

  it('without a cached taxonomy and no way to fetch it: one warning that says how to get it, and no category check', async () => {
    const h = await harness();
    const dest = await feed(h, { taxonomy: {} });
    await dest.write(items([{ ...tap, mm_category_id: 999 }, { ...tap, sku: 'B', mm_category_id: 998 }]));
    await dest.close(true);
    expect(h.rejects).toEqual([]);
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toContain('category checks skipped: no production taxonomy cached');
    expect(h.warnings[0]).toContain('manoflow categories --refresh --environment production');
  });

  it('with taxonomy.enabled false: no check and no warning', async () => {
    const h = await harness();
    const dest = await feed(h, { taxonomy: { enabled: false } });
    await dest.write(items([{ ...tap, mm_category_id: 999 }]));
    await dest.close(true);
    expect([h.rejects, h.warnings]).toEqual([[], []]);
  });

  it('local and not cached: fetched from the in-process simulator and cached; under plan, fetched but not cached', async () => {
    const planned = await harness({ plan: true });
    const p = await feed(planned, { taxonomy: { environment: 'local' } });
    await p.write(items([{ ...tap, mm_category_id: 999 }]));
    await p.close(true);
    expect(planned.rejects.map((r) => r.code)).toEqual(['MM_CATEGORY_UNKNOWN']);
    expect(existsSync(taxonomyCachePath(planned.ctx.stateDir, 'local'))).toBe(false);

    const h = await harness();
    const dest = await feed(h, { taxonomy: { environment: 'local' } });
    await dest.write(items([tap]));
    await dest.close(true);
    expect([h.rejects, h.warnings]).toEqual([[], []]);
    const cached = JSON.parse(readFileSync(taxonomyCachePath(h.ctx.stateDir, 'local'), 'utf8')) as TaxonomyDocument;
    expect([cached.environment, cached.source, cached.categories.length]).toEqual(['local', 'simulator seed 1 (in-process)', doc.categories.length]);
  });

  it('warns when the cached taxonomy is older than max_age_days, and still checks with it', async () => {
    const h = await harness();
    const old = cacheLocalTaxonomy(h.ctx.stateDir);
    writeFileSync(taxonomyCachePath(h.ctx.stateDir, 'local'), JSON.stringify({ ...old, fetched_at: '2026-01-01T00:00:00.000Z' }));
    const dest = await feed(h, { taxonomy: { environment: 'local', max_age_days: 7 } });
    await dest.write(items([{ ...tap, mm_category_id: 999 }]));
    await dest.close(true);
    expect(h.rejects.map((r) => r.code)).toEqual(['MM_CATEGORY_UNKNOWN']);
    expect(h.warnings.join()).toContain('fetched 2026-01-01');
    expect(h.warnings.join()).toContain('manoflow categories --refresh');
  });
});
