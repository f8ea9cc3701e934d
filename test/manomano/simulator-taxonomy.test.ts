/**
 * The simulator's generated taxonomy: a DIY tree of 300+ categories over levels 1-6 named in five
 * languages, every final category with its attributes (some mandatory), units and localized
 * accepted values; the same seed gives the same taxonomy.
 */
import { describe, expect, it } from 'vitest';
import { TAXONOMY_LOCALES } from '../../engine/manomano/taxonomy-types.js';
import { generateTaxonomy } from '../../engine/manomano/simulator/index.js';

describe('generateTaxonomy', () => {
  it.each([1, 2, 7, 42, 2026])('seed %i: 300+ categories, final ones at levels 4-6, every name in five languages', (seed) => {
    const t = generateTaxonomy(seed);
    expect(t.categories.length).toBeGreaterThanOrEqual(300);
    const ids = new Set(t.categories.map((c) => c.id));
    expect(ids.size).toBe(t.categories.length);
    const finals = t.categories.filter((c) => c.finalNode);
    expect(new Set(finals.map((c) => c.level))).toEqual(new Set([4, 5, 6]));
    expect(t.roots.map((c) => c.names.en_GB)).toEqual(
      ['Tools', 'Garden', 'Plumbing', 'Electrical', 'Paint & decorating', 'Hardware', 'Heating & cooling', 'Bathroom']);
    for (const c of t.categories) {
      for (const l of TAXONOMY_LOCALES) expect(c.names[l], `${c.id} ${l}`).toMatch(/\S/);
      if (c.parentId !== null) expect(ids.has(c.parentId)).toBe(true);
    }
    for (const c of finals) {
      const spec = t.finals.get(c.id)!;
      expect(spec.attrs.length, c.names.en_GB).toBeGreaterThan(0);
      expect(spec.mandatory.length).toBeGreaterThan(0);
    }
  });

  it('names split categories in each language from their parent ("Perceuses sans fil", "Akku-Bohrmaschinen")', () => {
    const names = generateTaxonomy(1).categories.map((c) => c.names);
    expect(names).toContainEqual({ fr_FR: 'Perceuses sans fil', de_DE: 'Akku-Bohrmaschinen', es_ES: 'Taladros sin cable', it_IT: 'Trapani a batteria', en_GB: 'Cordless drills' });
  });

  it('links every category attribute to its final categories, with a unit list or parallel localized accepted values', () => {
    const t = generateTaxonomy(1);
    const finals = new Set(t.categories.filter((c) => c.finalNode).map((c) => c.id));
    const byId = new Map(t.fields.map((f) => [f.id, f]));
    for (const f of t.fields.filter((x) => x.category_ids)) {
      expect(f.category_ids!.every((id) => finals.has(id)), f.name).toBe(true);
      if (f.field_id_for_units_list) expect(byId.get(f.field_id_for_units_list)!.name).toBe(`${f.name}_unit`);
      for (const l of TAXONOMY_LOCALES) {
        if (f.accepted_values.length) expect(f.localized_accepted_values[l], `${f.name} ${l}`).toHaveLength(f.accepted_values.length);
      }
    }
    for (const [id, spec] of t.finals) {
      for (const a of spec.mandatory) expect(t.fields.find((f) => f.name === a)!.mandatory_category_ids).toContain(id);
    }
  });

  it('is the same for the same seed and different for another', () => {
    expect(generateTaxonomy(5)).toEqual(generateTaxonomy(5));
    expect(generateTaxonomy(5).categories.map((c) => c.id)).not.toEqual(generateTaxonomy(6).categories.map((c) => c.id));
  });
});
