#!/usr/bin/env node
// `npm run bench [-- --rows 100000] [--no-check] [--only limit,manoflow] [--repeat 3] [--pipeline file.yaml] [--workload variants] [--catalog f.csv] [--results dir]`: the contenders
// side by side on the same generated catalogue, each in its own child process (so peak RSS is its
// own), one after the other: (1) the bare limit, papaparse parse + write, no mapping; (1b) the
// floor, the same with the reference pipeline's mapping hand-written in JavaScript (reference
// pipeline only); (2) manoflow on the reference pipeline; (3) the pandas peer when a python3 with
// pandas is there (bench/pandas); (4) the baseline, fast-csv + one stock JSONata evaluation per
// record. manoflow-csv is manoflow writing the same mapping to a plain csv destination (no feed
// checks): what the engine costs beside the floor without the ManoMano feed. Then, unless --no-check, manoflow again with the fast path off (the stock interpreter)
// and a byte comparison of the two feeds and reject reports. Prints a table and the ratios, and
// writes bench/results/latest.json. Results are never asserted in tests. `--repeat N` runs the
// targets' contenders (limit, floor, manoflow, manoflow-csv) N times, one round of each after the
// other, and reports each one's median time and CPU (peak RSS: the highest): on a shared machine
// one contender's time moves by up to a third between identical runs, so one round can pass or
// fail a ratio by chance.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogPath, generateCatalog } from './generate-catalog.mjs';
import { generateVariants, variantsPaths } from './variants/generate.mjs';
import { pandasPython, PANDAS_HINT } from './pandas/python.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const arg = (name) => { const k = argv.indexOf(name); return k >= 0 ? argv[k + 1] : undefined; };
const rows = Number(arg('--rows') ?? 1_000_000);
const only = arg('--only')?.split(',');
const check = !argv.includes('--no-check');
const keep = argv.includes('--keep-output');
const repeat = Number(arg('--repeat') ?? 1);
if (!Number.isInteger(repeat) || repeat < 1) {
  console.error(`--repeat takes a whole number of rounds, 1 or more, not "${arg('--repeat')}"`);
  process.exit(2);
}
const pipeline = arg('--pipeline');
const workload = arg('--workload') ?? 'reference';
// --results DIR: where latest.json / variants.json and the contenders' outputs go (test/perf/bench-smoke uses a temp dir)
const resultsDir = arg('--results') ? resolve(arg('--results')) : join(here, 'results');
if (workload !== 'reference' && workload !== 'variants') {
  console.error(`--workload reference (the default) or variants, not "${workload}"`);
  process.exit(2);
}

const catalog = arg('--catalog') ?? catalogPath(rows);
if (!existsSync(catalog)) {
  console.log(`generating ${catalog} (${rows} rows)...`);
  await generateCatalog(rows, catalog);
}
const outDir = join(resultsDir, 'out');
mkdirSync(outDir, { recursive: true });

function contender(name, input = catalog) {
  const loadBefore = +loadavg()[0].toFixed(2);
  // from the repository's root: the reject reports name rule files and the pipeline from there
  const line = execFileSync(process.execPath, [join(here, 'contenders.mjs'), name, input, outDir], {
    cwd: join(here, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24,
    env: pipeline ? { ...process.env, BENCH_PIPELINE: pipeline } : process.env,
  }).trim().split('\n').pop();
  const r = { ...JSON.parse(line), loadBefore };
  const records = r.records === undefined ? '' : `  ${r.records} records (${r.recordsPerSec}/s)`;
  console.log(`  ${name.padEnd(15)} ${String(r.rows).padStart(8)} rows  ${(r.ms / 1000).toFixed(1).padStart(7)} s (cpu ${(r.cpuMs / 1000).toFixed(1)} s)  ${String(r.rowsPerSec).padStart(7)} rows/s${records}  peak RSS ${r.peakRssMb} MB  (load ${loadBefore})`);
  return r;
}

const median = (xs) => { const a = [...xs].sort((x, y) => x - y); return a.length % 2 ? a[a.length >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2; };

/** A contender's rounds as one result: median wall and CPU time, the highest peak RSS, every round kept. */
function medianOf(name, runs) {
  const ms = Math.round(median(runs.map((r) => r.ms)));
  const cpuMs = Math.round(median(runs.map((r) => r.cpuMs)));
  const peakRssMb = Math.max(...runs.map((r) => r.peakRssMb));
  const last = runs[runs.length - 1];
  const summary = { ...last, ms, cpuMs, peakRssMb, rowsPerSec: Math.round(last.rows / (ms / 1000)), rounds: runs.map(({ ms: m, cpuMs: c, peakRssMb: p, loadBefore }) => ({ ms: m, cpuMs: c, peakRssMb: p, loadBefore })) };
  console.log(`  ${(name + ', median').padEnd(23)} ${(ms / 1000).toFixed(1).padStart(7)} s (cpu ${(cpuMs / 1000).toFixed(1)} s)  peak RSS ${peakRssMb} MB (highest of ${runs.length})`);
  return summary;
}

/** The targets' ratios round by round (each round's contenders ran one after the other). */
function printRounds(byName) {
  const pairs = [['floor', 'limit'], ['manoflow', 'floor'], ['manoflow', 'limit']].filter(([a, b]) => byName[a] && byName[b]);
  for (const [a, b] of pairs) {
    const each = byName[a].map((r, i) => (r.ms / byName[b][i].ms).toFixed(2));
    console.log(`  ${a} / ${b} by round: ${each.join(', ')}`);
  }
}

async function sha256(file) {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk);
  return h.digest('hex');
}

const loadAverageAtStart = loadavg().map((l) => +l.toFixed(2));
console.log(`catalogue: ${catalog} (${rows} rows); pipeline: ${pipeline ?? 'bench/reference-pipeline.yaml'}; ${cpus().length} CPUs, node ${process.version}; load average ${loadAverageAtStart.join(' ')}`);
const results = {};
if (workload === 'variants') await variantsWorkload();
// the contenders whose ratios are targets first and close together (in rounds with --repeat); the
// pandas peer and the baseline (minutes per 100k rows) after them, so that a change of the
// machine's load during those does not sit between them
const TARGETS = ['limit', 'floor', 'manoflow', 'manoflow-csv'];
const wanted = (name) => {
  // the floor and the pandas peer write the reference pipeline by hand: meaningless for another one
  if ((name === 'floor' || name === 'pandas' || name === 'manoflow-csv') && pipeline) return false;
  return !only || only.includes(name);
};
const rounds = Object.fromEntries(TARGETS.filter(wanted).map((name) => [name, []]));
for (let round = 1; round <= repeat; round++) {
  if (repeat > 1) console.log(`round ${round} of ${repeat}`);
  for (const name of Object.keys(rounds)) rounds[name].push(contender(name));
}
for (const [name, runs] of Object.entries(rounds)) results[name] = repeat > 1 ? medianOf(name, runs) : runs[0];
if (repeat > 1) printRounds(rounds);
for (const name of ['pandas', 'baseline']) {
  if (!wanted(name)) continue;
  if (name === 'pandas' && !pandasPython()) {
    console.log(`  pandas          skipped: ${PANDAS_HINT}`);
    continue;
  }
  results[name] = contender(name);
}
let identical;
if (check && results.manoflow) {
  results['manoflow-stock'] = contender('manoflow-stock');
  const [fast, stock] = [results.manoflow.outputs, results['manoflow-stock'].outputs];
  const hashes = await Promise.all([...fast, ...stock].map(sha256));
  identical = { feed: hashes[0] === hashes[2], rejects: hashes[1] === hashes[3], sha256: { feed: hashes[0], rejects: hashes[1] } };
}

// the pandas peer must write the same feed and reject report as manoflow (bench/pandas/README.md)
let pandasAgrees;
if (results.pandas && results.manoflow) {
  const hashes = await Promise.all([...results.manoflow.outputs, ...results.pandas.outputs].map(sha256));
  pandasAgrees = { feed: hashes[0] === hashes[2], rejects: hashes[1] === hashes[3] };
}

const { limit, floor, baseline, manoflow, pandas } = results;
const ratios = {
  pandasTimeOverManoflow: pandas && manoflow ? +(pandas.ms / manoflow.ms).toFixed(2) : undefined,
  pandasCpuOverManoflow: pandas && manoflow ? +(pandas.cpuMs / manoflow.cpuMs).toFixed(2) : undefined,
  pandasRssOverManoflow: pandas && manoflow ? +(pandas.peakRssMb / manoflow.peakRssMb).toFixed(2) : undefined,
  manoflowTimeOverLimit: limit && manoflow ? +(manoflow.ms / limit.ms).toFixed(2) : undefined,
  floorTimeOverLimit: limit && floor ? +(floor.ms / limit.ms).toFixed(2) : undefined,
  manoflowTimeOverFloor: floor && manoflow ? +(manoflow.ms / floor.ms).toFixed(2) : undefined,
  floorCpuOverLimit: limit && floor ? +(floor.cpuMs / limit.cpuMs).toFixed(2) : undefined,
  manoflowCpuOverFloor: floor && manoflow ? +(manoflow.cpuMs / floor.cpuMs).toFixed(2) : undefined,
  plainCsvTimeOverFloor: floor && results['manoflow-csv'] ? +(results['manoflow-csv'].ms / floor.ms).toFixed(2) : undefined,
  plainCsvCpuOverFloor: floor && results['manoflow-csv'] ? +(results['manoflow-csv'].cpuMs / floor.cpuMs).toFixed(2) : undefined,
  baselineTimeOverManoflow: baseline && manoflow ? +(baseline.ms / manoflow.ms).toFixed(2) : undefined,
};
const targets = {
  'manoflow <= 1.1x floor': ratios.manoflowTimeOverFloor === undefined ? undefined : ratios.manoflowTimeOverFloor <= 1.1,
  'floor <= 2.5x limit': ratios.floorTimeOverLimit === undefined ? undefined : ratios.floorTimeOverLimit <= 2.5,
  'manoflow >= 8x faster than baseline': ratios.baselineTimeOverManoflow === undefined ? undefined : ratios.baselineTimeOverManoflow >= 8,
  'manoflow peak RSS < 300 MB': manoflow ? manoflow.peakRssMb < 300 : undefined,
  'output byte-identical to stock': identical ? identical.feed && identical.rejects : undefined,
  'pandas output byte-identical to manoflow\'s': pandasAgrees ? pandasAgrees.feed && pandasAgrees.rejects : undefined,
};
console.log(`\nmanoflow time / limit time:    ${ratios.manoflowTimeOverLimit ?? '-'}`);
console.log(`baseline time / manoflow time: ${ratios.baselineTimeOverManoflow ?? '-'}  (target >= 8)`);
console.log(`floor time / limit time:       ${ratios.floorTimeOverLimit ?? '-'}  (CPU ${ratios.floorCpuOverLimit ?? '-'}; target <= 2.5: the work itself, hand-written: bench/floor.mjs)`);
console.log(`manoflow time / floor time:    ${ratios.manoflowTimeOverFloor ?? '-'}  (CPU ${ratios.manoflowCpuOverFloor ?? '-'}; target <= 1.1: the engine's own cost, feed checks included)`);
if (ratios.plainCsvTimeOverFloor !== undefined) console.log(`manoflow-csv time / floor time: ${ratios.plainCsvTimeOverFloor}  (CPU ${ratios.plainCsvCpuOverFloor}; the same mapping into a plain csv file: the engine without the ManoMano feed)`);
if (pandas) console.log(`pandas / manoflow:             time ${ratios.pandasTimeOverManoflow}, CPU ${ratios.pandasCpuOverManoflow}, peak RSS ${ratios.pandasRssOverManoflow}`);
if (pandasAgrees) console.log(`pandas vs manoflow output:     feed ${pandasAgrees.feed ? 'identical' : 'DIFFERENT'}, rejects ${pandasAgrees.rejects ? 'identical' : 'DIFFERENT'}`);
if (identical) console.log(`fast path vs stock interpreter: feed ${identical.feed ? 'identical' : 'DIFFERENT'}, rejects ${identical.rejects ? 'identical' : 'DIFFERENT'}`);
for (const [k, v] of Object.entries(targets)) if (v !== undefined) console.log(`  ${v ? 'met    ' : 'NOT met'}  ${k}`);

const report = {
  date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model,
  memoryMb: Math.round(totalmem() / 1048576), loadAverageAtStart, loadAverageAtEnd: loadavg().map((l) => +l.toFixed(2)), rows, catalog, pipeline: pipeline ?? 'bench/reference-pipeline.yaml',
  contenders: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, { rows: r.rows, ms: r.ms, cpuMs: r.cpuMs, rowsPerSec: r.rowsPerSec, peakRssMb: r.peakRssMb, written: r.written, rejected: r.rejected, loadBefore: r.loadBefore, rounds: r.rounds }])),
  ratios, identical, pandasAgrees, targets,
};
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
console.log(`\nwritten: ${join(resultsDir, 'latest.json')}`);
if (!keep) rmSync(outDir, { recursive: true, force: true });

/**
 * `--workload variants`: the reference pipeline and the variants workload (rows grouped into
 * products, joined to a parent table, one record per variant in four markets) on the same number
 * of rows, one after the other; the cost per output record is compared. Writes
 * bench/results/variants.json and exits.
 */
async function variantsWorkload() {
  const paths = variantsPaths(rows);
  if (!existsSync(paths.catalog) || !existsSync(paths.parents)) {
    console.log(`generating ${paths.catalog} and its parent table...`);
    await generateVariants(rows);
  }
  const reference = contender('manoflow');
  const fanned = contender('variants', paths.catalog);
  const usPerRecord = (r, n) => +((r.ms * 1000) / n).toFixed(2);
  const ratios = {
    referenceUsPerRecord: usPerRecord(reference, reference.rows),
    variantsUsPerRecord: usPerRecord(fanned, fanned.records),
  };
  ratios.costPerRecordOverReference = +(ratios.variantsUsPerRecord / ratios.referenceUsPerRecord).toFixed(2);
  const targets = {
    'variants peak RSS < 400 MB': fanned.peakRssMb < 400,
    'cost per output record <= 1.5x the reference pipeline\'s': ratios.costPerRecordOverReference <= 1.5,
  };
  console.log(`\nvariants: ${fanned.rows} rows → ${fanned.products} products → ${fanned.records} records in 4 markets`);
  console.log(`cost per output record: reference ${ratios.referenceUsPerRecord} µs, variants ${ratios.variantsUsPerRecord} µs: ${ratios.costPerRecordOverReference}x (target <= 1.5)`);
  for (const [k, v] of Object.entries(targets)) console.log(`  ${v ? 'met    ' : 'NOT met'}  ${k}`);
  const report = {
    date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadAverageAtEnd: loadavg().map((l) => +l.toFixed(2)), rows,
    contenders: { reference, variants: fanned }, ratios, targets,
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'variants.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(`\nwritten: ${join(resultsDir, 'variants.json')}`);
  if (!keep) rmSync(outDir, { recursive: true, force: true });
  process.exit(0);
}
