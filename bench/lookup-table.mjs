#!/usr/bin/env node
// Keyed lookup tables at scale: load time, peak RSS and lookups per second for a ~20-column CSV
// table of 100k and 1M rows (bench/data/, generated once, seeded), each size in its own child
// process so that its peak RSS (VmHWM) is its own. `--naive` adds, per size, the same table held
// the obvious way (a Map of row objects), for comparison.
//   npm run -s build && node bench/lookup-table.mjs [--rows 100000,1000000] [--lookups 500000] [--naive]
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const arg = (name, dflt) => { const k = argv.indexOf(name); return k >= 0 ? argv[k + 1] : dflt; };

/** A seeded PRNG (mulberry32): the same table on every machine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const COLUMNS = ['Product ID', 'sku', 'ean', 'name', 'brand', 'category', 'subcategory', 'price', 'vat', 'stock', 'weight',
  'length', 'width', 'height', 'colour', 'material', 'warranty', 'origin', 'image', 'description'];
const WORDS = ['perceuse', 'visseuse', 'sans', 'fil', 'scie', 'circulaire', 'marteau', 'tournevis', 'lame', 'bois', 'métal', 'jardin',
  'tuyau', 'arrosage', 'échelle', 'aluminium', 'peinture', 'blanche', 'mate', 'vis', 'inox', 'cheville', 'béton', 'pro'];
const BRANDS = ['Bosch', 'Makita', 'Stanley', 'Ryobi', 'DeWalt', 'Einhell', 'Black+Decker', 'Facom', 'Gardena', 'Würth'];

/** Row `i` of the table (its cells, in COLUMNS order). */
export function row(i, random) {
  const words = (n) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
  const brand = BRANDS[i % BRANDS.length];
  return [String(i + 1), `SKU-${String(i + 1).padStart(7, '0')}`, String(3000000000000 + i), `${words(4)} ${brand}`, brand,
    `Outillage > ${words(1)}`, words(2), (random() * 500).toFixed(2), '20', String(Math.floor(random() * 100)),
    (random() * 30).toFixed(3), String(Math.floor(random() * 200)), String(Math.floor(random() * 100)), String(Math.floor(random() * 80)),
    ['rouge', 'bleu', 'vert', 'noir'][i % 4], words(1), '2 ans', 'FR', `https://cdn.example.fr/img/${i + 1}.jpg`, `${words(18)}.`];
}

async function generate(rows, file) {
  mkdirSync(dirname(file), { recursive: true });
  const out = createWriteStream(file);
  const random = prng(42);
  out.write(`${COLUMNS.join(';')}\n`);
  for (let i = 0; i < rows; i++) if (!out.write(`${row(i, random).join(';')}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'close');
}

function peakRssMb() {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : undefined;
}

/** In the child: load the table (manoflow, or a Map of objects), then look keys up. */
async function child(mode, file, rows, lookups) {
  const { loadPipeline, loadLookups } = await import('../dist/engine/index.js');
  const started = process.hrtime.bigint();
  let get;
  let stats = {};
  if (mode === 'manoflow') {
    const yaml = join(dirname(file), 'lookup-bench.yaml');
    writeFileSync(yaml, `version: 1\nname: lookup-bench\nsource: { type: csv, path: ${file} }\nlookups:\n  products: { path: ${file}, delimiter: ";", key: Product ID }\ndestination: { type: json, output: out.json }\n`);
    const loaded = await loadLookups(loadPipeline(yaml));
    get = loaded.bindings['lookups.products'];
    const s = loaded.stats().products;
    stats = { tableMemoryMb: Math.round(s.memory / 1024 / 1024), tableDiskMb: Math.round(s.disk / 1024 / 1024) };
  } else {
    const { default: csvSource } = await import('../dist/engine/connectors/sources/csv/index.js');
    const map = new Map();
    const ctx = { resolvePath: (p) => p };
    for await (const item of csvSource.create({ type: 'csv', path: file, delimiter: ';' }, ctx).read()) if (item.ok) map.set(item.record['Product ID'], item.record);
    get = (k) => map.get(k);
  }
  const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
  const rssAfterLoad = peakRssMb();
  const t = process.hrtime.bigint();
  let hits = 0;
  let check = 0;
  const random = prng(7);
  for (let i = 0; i < lookups; i++) {
    const r = get(String(Math.floor(random() * rows * 1.05) + 1)); // ~5% misses
    if (r !== undefined) { hits++; check += r.name.length; }
  }
  const lookupMs = Number(process.hrtime.bigint() - t) / 1e6;
  // spot check: row 12345 (or the last) is what the generator wrote
  const probe = Math.min(12345, rows - 1);
  const expected = row(probe, (() => { const r = prng(42); for (let i = 0; i < probe; i++) row(i, r); return r; })());
  const got = get(String(probe + 1));
  const correct = COLUMNS.every((c, i) => got?.[c] === expected[i]);
  console.log(JSON.stringify({ mode, rows, loadMs: Math.round(loadMs), rowsPerSec: Math.round(rows / (loadMs / 1000)), peakRssMbAfterLoad: rssAfterLoad,
    peakRssMb: peakRssMb(), lookups, hits, lookupsPerSec: Math.round(lookups / (lookupMs / 1000)), correct, check, ...stats }));
}

if (argv[0] === '--child') {
  await child(argv[1], argv[2], Number(argv[3]), Number(argv[4]));
} else {
  const sizes = arg('--rows', '100000,1000000').split(',').map(Number);
  const lookups = Number(arg('--lookups', '500000'));
  const results = [];
  for (const rows of sizes) {
    const file = join(here, 'data', `lookup-table-${rows}.csv`);
    if (!existsSync(file)) await generate(rows, file);
    const mb = Math.round(statSync(file).size / 1024 / 1024);
    for (const mode of ['manoflow', ...(argv.includes('--naive') ? ['naive'] : [])]) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, file, String(rows), String(lookups)], { encoding: 'utf8', maxBuffer: 1 << 20 });
      const r = { fileMb: mb, ...JSON.parse(out.trim().split('\n').pop()) };
      results.push(r);
      console.log(`${mode.padEnd(8)} ${String(rows).padStart(8)} rows (${mb} MB): load ${(r.loadMs / 1000).toFixed(1)} s (${r.rowsPerSec.toLocaleString('en')} rows/s), peak RSS ${r.peakRssMb} MB, ${r.lookupsPerSec.toLocaleString('en')} lookups/s (${r.hits} hits of ${r.lookups}), row check ${r.correct ? 'ok' : 'WRONG'}`);
    }
  }
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'lookup-table.json'), JSON.stringify(results, null, 2));
}
