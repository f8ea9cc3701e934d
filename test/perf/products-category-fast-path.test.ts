/**
 * With a taxonomy, the products feed's fast path (slots + CategoryChecker.passes) must still write
 * exactly what the exact path writes (normalizeRecord + FeedChecker.check with the category
 * problems): same feed, same rejects in the same order, same warnings. Fuzzed records around
 * real categories of the simulator's tree, with every kind of category attribute value.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reject, Row } from '../../engine/runtime/types.js';
import { formatCsvRow } from '../../engine/runtime/csv-format.js';
import { defaultColumnOrder } from '../../engine/connectors/destinations/manomano-products/columns.js';
import { resolveConfig } from '../../engine/connectors/destinations/manomano-products/index.js';
import { CategoryChecker } from '../../engine/connectors/destinations/manomano-products/category-checks.js';
import { formatValue, normalizeRecord } from '../../engine/connectors/destinations/manomano-products/normalize.js';
import { FeedChecker } from '../../engine/connectors/destinations/manomano-products/record-checks.js';
import { FastFeed } from '../../engine/connectors/destinations/manomano-products/fast-path.js';
import { TaxonomyIndex } from '../../engine/manomano/taxonomy/taxonomy-index.js';
import { cacheLocalTaxonomy, feed, good, harness, items } from '../connectors/manomano-products/helpers.js';

function fuzz(n: number, seed: number, index: TaxonomyIndex): Row[] {
  let a = seed;
  const rnd = (m: number): number => { a = (Math.imul(a, 1103515245) + 12345) >>> 0; return (a >>> 8) % m; };
  const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
  const finals = index.finals.slice(0, 40).map((c) => c.id);
  const inner = index.doc.categories.filter((c) => !c.finalNode).slice(0, 5).map((c) => c.id);
  const fields = index.doc.fields.filter((f) => f.category_ids);
  const junk: unknown[] = ['', ' ', 'abc', '12', '12,5', ' 7 ', '-3', '1 234', 0, 1.5, -0, NaN, true, null, undefined, [], ['a', 'b'], [1, 2], { a: 1 }, '#', 'a#', 'é'];
  const out: Row[] = [];
  for (let i = 0; i < n; i++) {
    const r: Row = { ...good, sku: `S-${i}`, sku_manufacturer: `M-${i}`, mm_category_id: pick([...finals, ...finals, ...inner, 999, '999', String(finals[0]), 'x1', undefined]) };
    const id = typeof r.mm_category_id === 'number' ? r.mm_category_id : Number(r.mm_category_id);
    // mostly a complete, valid set for the category, then some damage
    for (const f of index.fieldsOf(id)) {
      if (rnd(10) === 0) continue;
      const values = f.field.localized_accepted_values.fr_FR ?? [];
      r[f.field.name] = values.length ? pick(values) : pick([5, '5', '2,5', 12.75]);
      if (f.unit) r[f.unit.name] = pick(f.unit.localized_accepted_values.fr_FR ?? f.unit.accepted_values);
    }
    for (let k = rnd(3); k > 0; k--) {
      const f = pick(fields);
      const other = pick(['en_GB', 'de_DE', 'it_IT']);
      r[pick([f.name, `${f.name}_unit`])] = pick([...junk, ...(f.localized_accepted_values[other] ?? []), ...(f.localized_accepted_values.fr_FR ?? []).map((v) => v.toUpperCase()), (f.localized_accepted_values.fr_FR ?? ['x']).slice(0, 2).join('#')]);
    }
    out.push(r);
  }
  return out;
}

describe('products fast path with category checks', () => {
  it('writes what the exact path writes on fuzzed records of real categories', async () => {
    const h = await harness();
    const doc = cacheLocalTaxonomy(h.ctx.stateDir);
    const index = new TaxonomyIndex(doc);
    const records = fuzz(2500, 7, index);
    const config = { taxonomy: { environment: 'local' as const } };

    const dest = await feed(h, config);
    const all = items(records);
    for (let i = 0; i < all.length; i += 100) await dest.write(all.slice(i, i + 100));
    await dest.close(true);
    const got = readFileSync(join(h.dir, 'out/feed.csv'), 'utf8');

    const cfg = resolveConfig({ type: 'manomano-products', output: 'x.csv', ...config }, { resolvePath: (p: string) => p, options: {} } as never);
    const checker = new FeedChecker(cfg.checks, new CategoryChecker(index, 'fr_FR', `local taxonomy fetched ${doc.fetched_at.slice(0, 10)}`));
    const columns = defaultColumnOrder(records.slice(0, 100).flatMap((r) => Object.keys(r)));
    const rejects: Reject[] = [];
    let text = formatCsvRow(columns, ';');
    records.forEach((record, i) => {
      const r = normalizeRecord(record);
      const problems = checker.check(r);
      for (const p of problems) rejects.push({ stage: 'destination', index: i, line: i + 2, id: r.sku as string, ...p });
      if (problems.length) return;
      checker.remember(r);
      text += formatCsvRow(columns.map((c) => formatValue(c, r[c], '.')), ';');
    });

    expect(got.split('\n')).toStrictEqual(text.split('\n'));
    expect(h.rejects).toStrictEqual(rejects);
    expect(h.warnings.filter((w) => !w.includes('first appeared after the header'))).toEqual([]);
    // the fuzz reaches every category code and still writes most records
    for (const code of ['MM_CATEGORY_UNKNOWN', 'MM_CATEGORY_NOT_FINAL', 'MM_ATTRIBUTE_REQUIRED', 'MM_ATTRIBUTE_VALUE']) {
      expect(rejects.some((r) => r.code === code), code).toBe(true);
    }
    expect(text.split('\n').length).toBeGreaterThan(500);
  }, 60_000);

  it('keeps a record that meets its category on the fast path (the exact path is only for problems)', async () => {
    const h = await harness();
    const index = new TaxonomyIndex(cacheLocalTaxonomy(h.ctx.stateDir));
    const cfg = resolveConfig({ type: 'manomano-products', output: 'x.csv' }, { resolvePath: (p: string) => p, options: {} } as never);
    const fast = FastFeed.create(new FeedChecker(cfg.checks), (slotOf) => new CategoryChecker(index, 'fr_FR', 'test', slotOf))!;
    const tap = { ...good, mm_category_id: 355568, material: 'Laiton', spout_height: 22, spout_height_unit: 'cm', colour: 'Noir' };
    const verdicts = [tap, { ...tap, material: 'Brass' }, { ...tap, spout_height_unit: undefined }, { ...tap, mm_category_id: 12997 }].map((r) => {
      const ok = fast.passes(r);
      fast.clear();
      return ok;
    });
    expect(verdicts).toEqual([true, false, false, false]);
  });
});
