#!/usr/bin/env node
// The products feed's category checks alone: 100k mapped records that meet their category (the
// simulator's tree, seed 1: every final category with a valid value for each attribute), written
// by the manomano-products destination with its taxonomy on and off, alternately, three times
// each; prints CPU µs per record and the ratio. `node bench/category-checks.mjs [--rows N]`
// after `npm run build`. Never asserted in tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import definition from '../dist/engine/connectors/destinations/manomano-products/index.js';
import { generateTaxonomy } from '../dist/engine/manomano/simulator/index.js';
import { acceptedValues, TaxonomyIndex } from '../dist/engine/manomano/taxonomy/taxonomy-index.js';
import { taxonomyCachePath, writeTaxonomyCache } from '../dist/engine/manomano/taxonomy/cache.js';

const rows = Number(process.argv[process.argv.indexOf('--rows') + 1] || 100_000) || 100_000;
const dir = mkdtempSync(join(tmpdir(), 'mf-bench-categories-'));
const t = generateTaxonomy(1);
const doc = { format: 1, environment: 'local', source: 'simulator seed 1 (in-process)', fetched_at: new Date().toISOString(), categories: t.categories, fields: t.fields };
writeTaxonomyCache(taxonomyCachePath(join(dir, '.manoflow'), 'local'), doc);
const index = new TaxonomyIndex(doc);
const finals = index.finals;
const base = { ean: '4006381333931', brand: 'Bosch', title: 'Produit', description: 'Description', image_1: 'https://cdn.example.com/1.jpg', product_price_vat_inc: 59.99, quantity: 5, carrier: 'DPD', shipping_time: '2#4', shipping_price_vat_inc: 0 };
const records = [];
for (let i = 0; i < rows; i++) {
  const c = finals[i % finals.length];
  const r = { sku: `S-${i}`, ...base, ean: undefined, sku_manufacturer: `M-${i}`, mm_category_id: c.id };
  for (const f of index.fieldsOf(c.id)) {
    const values = acceptedValues(f.field, 'fr_FR');
    r[f.field.name] = values.length ? values[i % values.length] : 12.5;
    if (f.unit) r[f.unit.name] = acceptedValues(f.unit, 'fr_FR')[0];
  }
  records.push(r);
}

async function once(enabled) {
  const ctx = {
    pipelineFile: join(dir, 'p.yaml'), pipelineDir: dir, pipelineName: 'bench', resolvePath: (p) => join(dir, p),
    reject() { throw new Error('a bench record was rejected'); }, report() {}, log: { info() {}, warn() {}, debug() {} }, options: {}, stateDir: join(dir, '.manoflow'),
  };
  const dest = await definition.create({ type: 'manomano-products', output: 'out.csv', taxonomy: enabled ? { environment: 'local' } : { enabled: false } }, ctx);
  const start = process.cpuUsage();
  for (let i = 0; i < records.length; i += 500) {
    await dest.write(records.slice(i, i + 500).map((record, k) => ({ record, position: { index: i + k } })));
  }
  await dest.close(true);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / records.length;
}

const results = { on: [], off: [] };
for (let round = 0; round < 3; round++) {
  results.off.push(await once(false));
  results.on.push(await once(true));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[1];
const on = median(results.on);
const off = median(results.off);
console.log(`${rows} records, ${finals.length} final categories; CPU µs per record (median of 3): checks off ${off.toFixed(2)}, on ${on.toFixed(2)}; on/off ${(on / off).toFixed(2)}x (+${(on - off).toFixed(2)} µs)`);
console.log(`  rounds off: ${results.off.map((x) => x.toFixed(2)).join(' ')}; on: ${results.on.map((x) => x.toFixed(2)).join(' ')}`);
rmSync(dir, { recursive: true, force: true });
