#!/usr/bin/env node
// Writes the lookups of bench/category-pipeline.yaml from the simulator's taxonomy (seed 1): each
// shop category of the generated catalogue → the best final ManoMano category (the `suggest`
// ranking), and a valid value for every attribute of that category (numbers with their unit,
// accepted values in fr_FR), so that records pass the category checks and the benchmark measures
// their cost on the fast path. Deterministic: `node bench/category-lookups.mjs` (after npm run build).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTaxonomy } from '../dist/engine/manomano/simulator/index.js';
import { TaxonomyIndex, acceptedValues } from '../dist/engine/manomano/taxonomy/taxonomy-index.js';
import { suggestCategories } from '../dist/engine/manomano/taxonomy/search.js';

const here = dirname(fileURLToPath(import.meta.url));
const shop = Object.keys(JSON.parse((await import('node:fs')).readFileSync(join(here, 'lookups/categories.json'), 'utf8')));
const t = generateTaxonomy(1);
const index = new TaxonomyIndex({ format: 1, environment: 'local', source: 'simulator seed 1 (in-process)', fetched_at: '', categories: t.categories, fields: t.fields });
const ids = {};
const attributes = {};
const names = new Set();
for (const category of shop) {
  const best = suggestCategories(index, category, { locales: ['fr_FR'], limit: 1 })[0];
  ids[category] = best.category.id;
  const values = {};
  for (const f of index.fieldsOf(best.category.id)) {
    const accepted = acceptedValues(f.field, 'fr_FR');
    values[f.field.name] = accepted.length ? accepted[0] : 12.5;
    names.add(f.field.name);
    if (f.unit) { values[f.unit.name] = acceptedValues(f.unit, 'fr_FR')[0]; names.add(f.unit.name); }
  }
  attributes[category] = values;
}
writeFileSync(join(here, 'lookups/mm-categories.json'), JSON.stringify(ids, null, 2) + '\n');
writeFileSync(join(here, 'lookups/category-attributes.json'), JSON.stringify(attributes, null, 2) + '\n');
console.log(`${shop.length} shop categories; attributes: ${[...names].sort().join(' ')}`);
