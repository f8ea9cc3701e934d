#!/usr/bin/env node
// The native rule boxes of the reference pipeline, measured apart from parsing and writing:
//   node bench/natives.mjs [--catalog bench/data/catalog-100k.csv] [--rounds 8] [--against DIR]
// Parses the catalogue once (papaparse objects, as the floor does), then runs the floor's mapping
// (floor.mjs) over every row, `--rounds` times, in CPU ms per pass; with `--against DIR` (another
// checkout with its dist/ built, e.g. main's) the two builds' mappings alternate in one process,
// and every cell of both is compared first. Then each rule box alone over its column (min of the
// rounds). Each output text is read once in its middle, so that building a string by parts costs
// its flattening here, as it does when the row is written.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Papa from 'papaparse';
import { floorMapping } from './floor.mjs';
import { generateCatalog } from './generate-catalog.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const arg = (name) => { const k = argv.indexOf(name); return k >= 0 ? argv[k + 1] : undefined; };
const catalog = resolve(arg('--catalog') ?? join(here, 'data', 'catalog-100k.csv'));
const rounds = Number(arg('--rounds') ?? 8);
const against = arg('--against');
if (!existsSync(catalog)) {
  console.log(`generating ${catalog} (100000 rows)...`);
  await generateCatalog(100_000, catalog);
}

const rows = Papa.parse(readFileSync(catalog, 'utf8'), { delimiter: ';', header: true, skipEmptyLines: true }).data;
const builds = { this: await floorMapping() };
if (against) builds.against = await floorMapping(resolve(against));
let sink = 0;
const touch = (x) => { if (typeof x === 'string') sink += x.charCodeAt(x.length >> 1) | 0; };
const cpuMs = (fn) => { const t0 = process.cpuUsage(); fn(); const t = process.cpuUsage(t0); return (t.user + t.system) / 1000; };
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

console.log(`${catalog}: ${rows.length} rows, ${rounds} rounds`);
if (against) {
  let differing = 0;
  for (const r of rows) {
    const a = builds.this(r);
    const b = builds.against(r);
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differing++;
  }
  console.log(`cells differing between this build and ${against}: ${differing}`);
}
const times = Object.fromEntries(Object.keys(builds).map((k) => [k, []]));
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? Object.keys(builds) : Object.keys(builds).reverse();
  for (const name of order) times[name].push(cpuMs(() => { for (const r of rows) for (const x of builds[name](r)) touch(x); }));
}
for (const [name, t] of Object.entries(times)) console.log(`mapping, ${name.padEnd(7)} CPU ms per pass: min ${Math.min(...t).toFixed(0)}, median ${median(t).toFixed(0)}`);
if (against) {
  console.log(`this / against: min ${(Math.min(...times.this) / Math.min(...times.against)).toFixed(3)}, median ${(median(times.this) / median(times.against)).toFixed(3)}`);
}

// each rule box alone over its column, as the mapping calls it
async function singleRules(root) {
  const dist = (path) => pathToFileURL(join(root, 'dist', path)).href;
  const { bindRuleArgs, builtinRulesDir, loadRuleBox } = await import(dist('engine/rules/index.js'));
  const { NATIVE_RULES } = await import(dist('engine/rules/native/index.js'));
  const rule = (name, args) => NATIVE_RULES[name](bindRuleArgs(loadRuleBox(name, [builtinRulesDir()]), args));
  const strip = rule('strip_html', { newlines: false });
  const unsymbol = (x) => (typeof x === 'symbol' ? '' : x);
  const titles = rows.map((r) => unsymbol(strip(r.nom)));
  const descriptions = rows.map((r) => unsymbol(strip(r.description_html)));
  const colours = { rouge: 'Rouge', bleu: 'Bleu', vert: 'Vert', noir: 'Noir', blanc: 'Blanc', gris: 'Gris', inox: 'Inox', jaune: 'Jaune' };
  return {
    'strip_html (nom)': [strip, (r) => r.nom],
    'strip_html (description)': [strip, (r) => r.description_html],
    'truncate 150': [rule('truncate', { length: 150, ellipsis: '…', word_boundary: true }), (r, i) => titles[i]],
    'truncate 5000': [rule('truncate', { length: 5000, ellipsis: '…', word_boundary: true }), (r, i) => descriptions[i]],
    join: [rule('join', { separator: '#' }), (r) => [r.image_1, r.image_2, r.image_3, r.image_4, r.image_5]],
    'add_vat 0.2': [rule('add_vat', { rate: 0.2, decimals: 2 }), (r) => r.prix_ht],
    'number_format 2': [rule('number_format', { decimals: 2, decimal_separator: '.', thousands_separator: '' }), (r) => r.prix_barre_ttc],
    'number_format 3': [rule('number_format', { decimals: 3, decimal_separator: '.', thousands_separator: '' }), (r) => r.poids_kg],
    'to_number (stock)': [rule('to_number', {}), (r) => r.stock],
    'to_number (shipping)': [rule('to_number', {}), (r) => r.frais_port_ttc],
    lookup: [rule('lookup', { table: colours }), (r) => r.couleur],
    replace: [rule('replace', { pattern: '-', with: '#' }), (r) => r.delai_livraison],
    if_then_else: [rule('if_then_else', { equals: 'oui', then: 1, else: 0, case_sensitive: false }), (r) => r.retour_gratuit],
  };
}
const roots = { this: join(here, '..'), ...(against ? { against: resolve(against) } : {}) };
const perRule = {};
for (const [name, root] of Object.entries(roots)) perRule[name] = await singleRules(root);
const vars = { vat_rate: 0.2 };
console.log(`each rule box alone, CPU ms per pass (min of the rounds, the builds alternating): ${Object.keys(roots).join(' | ')}`);
for (const ruleName of Object.keys(perRule.this)) {
  const inputs = rows.map(perRule.this[ruleName][1]);
  const best = {};
  for (let round = 0; round < rounds; round++) {
    for (const name of Object.keys(roots)) {
      const fn = perRule[name][ruleName][0];
      const t = cpuMs(() => { for (let i = 0; i < inputs.length; i++) touch(fn(inputs[i], rows[i], vars)); });
      best[name] = Math.min(best[name] ?? Infinity, t);
    }
  }
  console.log(`  ${ruleName.padEnd(26)} ${Object.keys(roots).map((n) => best[n].toFixed(1).padStart(7)).join(' |')}`);
}
if (sink === 0.5) console.log(sink);
