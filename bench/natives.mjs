#!/usr/bin/env node
// The native rule boxes of the reference pipeline, measured apart from parsing and writing:
//   node bench/natives.mjs [--catalog bench/data/catalog-100k.csv] [--rounds 8] [--against DIR]
// Streams the catalogue through papaparse (objects, as the floor does) once a round and, right
// after each chunk is parsed, runs the floor's mapping (floor.mjs) over its rows, in ms per 100k
// rows (only the mapping is timed); with `--against DIR` (another checkout with its dist/ built,
// e.g. main's) the two builds' mappings alternate chunk by chunk, and every cell of both is
// compared first. Then each rule box alone over its column, the same way (min of the rounds).
// Why chunk by chunk: the rule boxes read slices of the chunk papaparse has just parsed, still in
// the CPU's cache, as in a real run; a pass over a whole parsed catalogue (67 MB of text for 100k
// rows) misses the cache at every value and measured the opposite of the floor once (a copy of
// the input into a typed array looked slower; in the floor it is faster). Each output text is read
// once in its middle, so that building a string by parts costs its flattening here, as it does
// when the row is written.
import { createReadStream, existsSync } from 'node:fs';
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

/** Streams the catalogue through papaparse as the floor does; `each(rows)` runs right after each chunk is parsed. */
function eachChunk(each) {
  return new Promise((done, fail) => {
    Papa.parse(createReadStream(catalog, { encoding: 'utf8' }), {
      delimiter: ';', header: true, skipEmptyLines: true,
      chunk: (result) => each(result.data), complete: () => done(), error: fail,
    });
  });
}
/** Wall ns of `fn()`: a chunk's work is ~1 ms, below the CPU clock's resolution. */
const ns = (fn) => { const t0 = process.hrtime.bigint(); fn(); return Number(process.hrtime.bigint() - t0); };
const builds = { this: await floorMapping() };
if (against) builds.against = await floorMapping(resolve(against));
let sink = 0;
const touch = (x) => { if (typeof x === 'string') sink += x.charCodeAt(x.length >> 1) | 0; };
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
let rowCount = 0;
await eachChunk((rows) => { rowCount += rows.length; });
const per100k = (total) => (total / 1e6) * (100_000 / rowCount);

console.log(`${catalog}: ${rowCount} rows, ${rounds} rounds`);
if (against) {
  let differing = 0;
  await eachChunk((rows) => {
    for (const r of rows) {
      const a = builds.this(r);
      const b = builds.against(r);
      for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differing++;
    }
  });
  console.log(`cells differing between this build and ${against}: ${differing}`);
}
const times = Object.fromEntries(Object.keys(builds).map((k) => [k, []]));
for (let round = 0; round < rounds; round++) {
  const total = Object.fromEntries(Object.keys(builds).map((k) => [k, 0]));
  let flip = round % 2 === 1;
  await eachChunk((rows) => {
    const order = flip ? Object.keys(builds).reverse() : Object.keys(builds);
    flip = !flip;
    for (const name of order) total[name] += ns(() => { for (const r of rows) for (const x of builds[name](r)) touch(x); });
  });
  for (const name of Object.keys(builds)) times[name].push(per100k(total[name]));
}
for (const [name, t] of Object.entries(times)) console.log(`mapping, ${name.padEnd(7)} ms per 100k rows: min ${Math.min(...t).toFixed(0)}, median ${median(t).toFixed(0)}`);
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
  const colours = { rouge: 'Rouge', bleu: 'Bleu', vert: 'Vert', noir: 'Noir', blanc: 'Blanc', gris: 'Gris', inox: 'Inox', jaune: 'Jaune' };
  return {
    'strip_html (nom)': [strip, (r) => r.nom],
    'strip_html (description)': [strip, (r) => r.description_html],
    'truncate 150': [rule('truncate', { length: 150, ellipsis: '…', word_boundary: true }), (r) => unsymbol(strip(r.nom))],
    'truncate 5000': [rule('truncate', { length: 5000, ellipsis: '…', word_boundary: true }), (r) => unsymbol(strip(r.description_html))],
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
console.log(`each rule box alone, ms per 100k values (min of the rounds, the builds alternating): ${Object.keys(roots).join(' | ')}`);
const best = {};
for (let round = 0; round < rounds; round++) {
  const total = {};
  await eachChunk((rows) => {
    for (const ruleName of Object.keys(perRule.this)) {
      const inputs = rows.map(perRule.this[ruleName][1]);
      for (const name of Object.keys(roots)) {
        const fn = perRule[name][ruleName][0];
        const key = `${ruleName}|${name}`;
        total[key] = (total[key] ?? 0) + ns(() => { for (let i = 0; i < inputs.length; i++) touch(fn(inputs[i], rows[i], vars)); });
      }
    }
  });
  for (const [key, t] of Object.entries(total)) best[key] = Math.min(best[key] ?? Infinity, per100k(t));
}
for (const ruleName of Object.keys(perRule.this)) {
  console.log(`  ${ruleName.padEnd(26)} ${Object.keys(roots).map((n) => best[`${ruleName}|${n}`].toFixed(1).padStart(7)).join(' |')}`);
}
if (sink === 0.5) console.log(sink);
