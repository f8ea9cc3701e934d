/**
 * Generates the simulator's taxonomy from its seed: the DIY category tree of taxonomy-tree.ts
 * (levels 1-4, then seed-chosen splits to levels 5 and 6), category ids that look like real ones,
 * and the feed-field dictionary: generic columns, then each category attribute with the final
 * categories it applies to, the ones where it is mandatory (seed-chosen), its unit column and its
 * localized accepted values. Same seed, same taxonomy.
 */
import { TAXONOMY_LOCALES, type ApiCategory, type ApiCategoryNode, type ApiFeedField, type LocalizedText } from '../taxonomy-types.js';
import { Rng, subSeed } from './random.js';
import { ATTRIBUTES, GENERIC_FIELDS, type AttributeSpec, type Localized } from './taxonomy-attributes.js';
import { SPLITS, TREE, type BranchSpec, type SplitKey, type TypeSpec } from './taxonomy-tree.js';

/** The generated taxonomy: the tree (roots with children), the same flattened, and the fields. */
export interface SimTaxonomy {
  roots: ApiCategoryNode[];
  categories: ApiCategory[];
  fields: ApiFeedField[];
  /** Attribute keys of each final category, and the mandatory ones. */
  finals: Map<number, { attrs: string[]; mandatory: string[] }>;
}

/** Share of product types split one level further, and of those children split once more. */
const SPLIT_CHANCE = 0.85;
const SECOND_SPLIT_CHANCE = 0.6;
/** Chance for each attribute of a final category to be mandatory there (at least one always is). */
const MANDATORY_CHANCE = 0.5;

/** Why: five names in one 'fr|de|es|it|en' string; the locale order is TAXONOMY_LOCALES'. */
export function localize(names: Localized): LocalizedText {
  const parts = names.split('|');
  const out: LocalizedText = {};
  TAXONOMY_LOCALES.forEach((locale, i) => { out[locale] = parts[i] ?? parts[0]!; });
  return out;
}

const lowerFirst = (s: string) => (s.length > 1 && s[1] === s[1]!.toLowerCase() ? s[0]!.toLowerCase() + s.slice(1) : s);

function splitName(template: string, parent: LocalizedText): LocalizedText {
  const parts = template.split('|');
  const out: LocalizedText = {};
  TAXONOMY_LOCALES.forEach((locale, i) => {
    const p = parent[locale] ?? '';
    out[locale] = (parts[i] ?? '').replace('{pl}', lowerFirst(p)).replace('{p}', p);
  });
  return out;
}

/** Builds the taxonomy of `seed`; cheap (a few ms), so the simulator builds it once at start. */
export function generateTaxonomy(seed: number): SimTaxonomy {
  const rng = new Rng(subSeed(seed, 'taxonomy'));
  const used = new Set<number>();
  const categories: ApiCategory[] = [];
  const finals = new Map<number, { attrs: string[]; mandatory: string[] }>();

  const idFor = (key: string): number => {
    let id = 1000 + (subSeed(seed, 'category', key) % 899_000);
    while (used.has(id)) id += 1;
    used.add(id);
    return id;
  };
  const node = (names: LocalizedText, level: number, parentId: number | null, key: string): ApiCategoryNode => {
    const n: ApiCategoryNode = { id: idFor(key), level, name: names.fr_FR ?? '', names, parentId, finalNode: false, children: [] };
    return n;
  };
  const finish = (n: ApiCategoryNode, type: TypeSpec | undefined): ApiCategoryNode => {
    n.finalNode = n.children.length === 0;
    const { children: _c, ...flat } = n;
    categories.push(flat);
    if (n.finalNode && type) {
      const mandatory = type.attrs.filter(() => rng.chance(MANDATORY_CHANCE));
      if (mandatory.length === 0 && type.attrs.length > 0) mandatory.push(type.attrs[0]!);
      finals.set(n.id, { attrs: [...type.attrs], mandatory });
    }
    return n;
  };

  const splitChildren = (parent: ApiCategoryNode, type: TypeSpec, splits: SplitKey[], key: string, chance: number): void => {
    const [first, ...rest] = splits;
    if (!first || !rng.chance(chance)) return;
    SPLITS[first].forEach((template, i) => {
      const child = node(splitName(template, parent.names), parent.level + 1, parent.id, `${key}/${first}${i}`);
      // A second split refines the first option only ("Cordless drills" → "Cordless drills 18 V", never corded ones).
      if (i === 0) splitChildren(child, type, rest, `${key}/${first}${i}`, SECOND_SPLIT_CHANCE);
      parent.children.push(finish(child, type));
    });
  };

  const build = (spec: BranchSpec | TypeSpec, level: number, parentId: number | null, key: string): ApiCategoryNode => {
    const n = node(localize(spec.names), level, parentId, key);
    if ('children' in spec) {
      spec.children.forEach((c, i) => n.children.push(build(c, level + 1, n.id, `${key}.${i}`)));
      return finish(n, undefined);
    }
    splitChildren(n, spec, spec.splits, key, SPLIT_CHANCE);
    return finish(n, spec);
  };

  const roots = TREE.map((spec, i) => build(spec, 1, null, String(i)));
  categories.sort((a, b) => a.level - b.level || a.id - b.id);
  return { roots, categories, fields: buildFields(finals), finals };
}

function valuesOf(spec: AttributeSpec): { accepted: string[]; localized: Record<string, string[]> } {
  if (spec.values) {
    const v = spec.values;
    return { accepted: [...v.en], localized: { fr_FR: [...v.fr], de_DE: [...v.de], es_ES: [...v.es], it_IT: [...v.it], en_GB: [...v.en] } };
  }
  if (spec.units) {
    const units = [...spec.units];
    return { accepted: units, localized: Object.fromEntries(TAXONOMY_LOCALES.map((l) => [l, units])) };
  }
  return { accepted: [], localized: {} };
}

const UNIT_NAMES: Localized = 'Unité : {n}|Einheit: {n}|Unidad: {n}|Unità: {n}|{n} unit';

/** The field dictionary: generic columns first, then each attribute used by a final category and its unit column. */
function buildFields(finals: Map<number, { attrs: string[]; mandatory: string[] }>): ApiFeedField[] {
  const fields: ApiFeedField[] = [];
  let next = 101;
  const id = () => String(next++);
  for (const g of GENERIC_FIELDS) {
    const names = localize(g.names);
    const values = g.values ? [...g.values] : [];
    fields.push({
      id: id(), name: g.name, names, descriptions: names, mandatory: g.mandatory, datatype: g.datatype,
      contract_type: g.contract ?? 'all', variant: false, field_id_for_units_list: null, accepted_values: values,
      localized_accepted_values: values.length ? Object.fromEntries(TAXONOMY_LOCALES.map((l) => [l, values])) : {},
    });
  }
  const usedBy = new Map<string, { categories: number[]; mandatory: number[] }>();
  for (const [cat, { attrs, mandatory }] of finals) {
    for (const a of attrs) {
      const entry = usedBy.get(a) ?? { categories: [], mandatory: [] };
      entry.categories.push(cat);
      if (mandatory.includes(a)) entry.mandatory.push(cat);
      usedBy.set(a, entry);
    }
  }
  for (const [key, use] of [...usedBy].sort(([a], [b]) => a.localeCompare(b))) {
    const spec = ATTRIBUTES[key];
    if (!spec) throw new Error(`simulator taxonomy: attribute "${key}" is used by a product type but not defined`);
    const names = localize(spec.names);
    const categories = [...use.categories].sort((a, b) => a - b);
    const mandatory = [...use.mandatory].sort((a, b) => a - b);
    const attrId = id();
    const unitId = spec.units ? id() : null;
    const { accepted, localized } = spec.units ? { accepted: [], localized: {} } : valuesOf(spec);
    const descriptions: LocalizedText = {};
    for (const l of TAXONOMY_LOCALES) descriptions[l] = spec.units ? `${names[l]} (${spec.units.join(', ')})` : names[l];
    fields.push({
      id: attrId, name: key, names, descriptions, mandatory: false, datatype: spec.datatype, contract_type: 'all',
      variant: key === 'colour' || key === 'finish', field_id_for_units_list: unitId, accepted_values: accepted,
      localized_accepted_values: localized, category_ids: categories, mandatory_category_ids: mandatory,
    });
    if (unitId && spec.units) {
      const unitNames: LocalizedText = {};
      const template = UNIT_NAMES.split('|');
      TAXONOMY_LOCALES.forEach((l, i) => { unitNames[l] = template[i]!.replace('{n}', i === 4 ? names[l]! : (names[l] ?? '').toLowerCase()); });
      const units = valuesOf(spec);
      fields.push({
        id: unitId, name: `${key}_unit`, names: unitNames, descriptions: unitNames, mandatory: false, datatype: 'text',
        contract_type: 'all', variant: false, field_id_for_units_list: null, accepted_values: units.accepted,
        localized_accepted_values: units.localized, category_ids: categories, mandatory_category_ids: mandatory,
      });
    }
  }
  return fields;
}
