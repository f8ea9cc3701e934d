#!/usr/bin/env node
// One benchmark contender, run in its own process so that its peak RSS (VmHWM) is its own:
//   node bench/contenders.mjs <limit|baseline|manoflow|manoflow-stock> <catalog.csv> <out dir>
// Prints one JSON line: { contender, rows, ms, cpuMs, rowsPerSec, peakRssMb, outputs } (cpuMs: user +
// system time of the process, all threads: on a shared machine it moves less than wall time).
import { createReadStream, createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as fastCsvParse, format as fastCsvFormat } from 'fast-csv';
import jsonata from 'jsonata';
import { loadPipeline, runPipeline } from '../dist/engine/index.js';
import { baselineExpression } from './baseline.mjs';
import { floor } from './floor.mjs';
import { papaStream } from './papa-stream.mjs';

const here = dirname(fileURLToPath(import.meta.url));
/** The pipeline benchmarked: the reference one, or `BENCH_PIPELINE` (run.mjs --pipeline). */
export const PIPELINE = process.env.BENCH_PIPELINE ? resolve(process.env.BENCH_PIPELINE) : join(here, 'reference-pipeline.yaml');

function peakRssMb() {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : undefined;
}

/** The reference pipeline, pointed at `catalog`. */
export function loadReference(catalog) {
  const loaded = loadPipeline(PIPELINE);
  loaded.config.source.path = resolve(catalog);
  // BENCH_TAXONOMY=off: the same pipeline with the products feed's category checks off (category-pipeline.yaml)
  if (process.env.BENCH_TAXONOMY === 'off' && loaded.config.destination.type === 'manomano-products') loaded.config.destination.taxonomy = { enabled: false };
  return loaded;
}

/** (1) The bare limit: papaparse parses the file and writes the same rows back, no mapping. */
async function limit(catalog, outDir) {
  const output = join(outDir, 'limit.csv');
  return { rows: await papaStream(catalog, output, { header: false }), outputs: [output] };
}

/** (2) The baseline: fast-csv parse, one stock JSONata object expression per record, fast-csv format. */
async function baseline(catalog, outDir) {
  const { source, bindings, columns } = baselineExpression(loadReference(catalog));
  const expr = jsonata(source);
  const output = join(outDir, 'baseline.csv');
  const out = createWriteStream(output, { encoding: 'utf8' });
  const formatter = fastCsvFormat({ headers: columns, delimiter: ';' });
  formatter.pipe(out);
  let rows = 0;
  const parser = createReadStream(catalog).pipe(fastCsvParse({ headers: true, delimiter: ';' }));
  for await (const record of parser) {
    const mapped = await expr.evaluate(record, bindings);
    rows++;
    if (!formatter.write(mapped ?? {})) await once(formatter, 'drain');
  }
  formatter.end();
  await once(out, 'close');
  return { rows, outputs: [output] };
}

/** (3) manoflow on the reference pipeline; `fastPath: false` is the stock-interpreter reference. */
async function manoflow(catalog, outDir, fastPath) {
  const output = join(outDir, fastPath ? 'manoflow.csv' : 'manoflow-stock.csv');
  const summary = await runPipeline(loadReference(catalog), { output, fastPath });
  return { rows: summary.read, outputs: [output, summary.rejectReport], written: summary.written, rejected: summary.rejected };
}

/**
 * (4) The variants workload: variant rows grouped by product, joined to a parent table, one record
 * per variant in four markets. `catalog` is the variant rows; the parent table sits beside it.
 */
async function variants(catalog, outDir) {
  const loaded = loadPipeline(join(here, 'variants', 'pipeline.yaml'));
  loaded.config.source.path = resolve(catalog);
  loaded.config.lookups.parents.path = resolve(catalog).replace(/variants-(\d+)\.csv$/, 'variants-parents-$1.csv');
  loaded.config.destination.output = join(outDir, 'variants-{market}.csv');
  const summary = await runPipeline(loaded);
  const markets = Object.values(summary.markets ?? {});
  return {
    rows: summary.rows, products: summary.read, records: markets.reduce((n, m) => n + (m.records ?? 0), 0),
    outputs: markets.flatMap((m) => [...m.outputs, m.rejectReport]), written: summary.written, rejected: summary.rejected,
  };
}

const CONTENDERS = {
  limit: (c, o) => limit(c, o),
  floor: (c, o) => floor(c, join(o, 'floor.csv')),
  baseline: (c, o) => baseline(c, o),
  manoflow: (c, o) => manoflow(c, o, true),
  'manoflow-stock': (c, o) => manoflow(c, o, false),
  variants: (c, o) => variants(c, o),
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [name, catalog, outDir] = process.argv.slice(2);
  const run = CONTENDERS[name ?? ''];
  if (!run || !catalog || !outDir) {
    console.error(`usage: node bench/contenders.mjs <${Object.keys(CONTENDERS).join('|')}> <catalog.csv> <out dir>`);
    process.exit(2);
  }
  mkdirSync(outDir, { recursive: true });
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const r = await run(catalog, outDir);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const perSecond = (n) => (n === undefined ? undefined : Math.round(n / (ms / 1000)));
  console.log(JSON.stringify({ contender: name, ...r, ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), rowsPerSec: perSecond(r.rows), recordsPerSec: perSecond(r.records), peakRssMb: peakRssMb() }));
}
