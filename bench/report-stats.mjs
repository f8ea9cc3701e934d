#!/usr/bin/env node
// What the HTML report's statistics cost the run loop (engine/runtime/run-stats.ts, fed from
// run.ts's `add`): the reference pipeline on a generated catalogue, each run in its own process,
// interleaved round by round so load on the machine hits every contender alike. Prints the median
// wall and CPU time of each and their ratios, from one run of this script:
//   node bench/report-stats.mjs [--rows 100000] [--rounds 3] [--before /path/to/other/manoflow]
//   off     this build, no report (the default: the hook is one `undefined` check per record)
//   html    this build, --report html (fill counts, price buckets, reject examples)
//   before  another build of manoflow (a checkout whose dist/ is built, e.g. main), no report
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { catalogPath, generateCatalog } from './generate-catalog.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const arg = (name) => { const k = argv.indexOf(name); return k >= 0 ? argv[k + 1] : undefined; };

if (argv[0] === '--child') {
  // One run: <engine index.js> <catalog> <out dir> <html: 0|1>
  const [, engine, catalog, out, html] = argv;
  const { loadPipeline, runPipeline } = await import(pathToFileURL(engine).href);
  const p = loadPipeline(join(here, 'reference-pipeline.yaml'));
  p.config.source.path = resolve(catalog);
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const s = await runPipeline(p, { output: join(out, 'feed.csv'), ...(html === '1' ? { htmlReport: true } : {}) });
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000, read: s.read, report: s.htmlReport ?? null }));
  process.exit(0);
}

if (argv.includes('--help') || argv.includes('-h')) {
  console.log('usage: node bench/report-stats.mjs [--rows N] [--rounds N] [--before DIR]   (DIR: another manoflow checkout with dist/ built)');
  process.exit(0);
}
const rows = Number(arg('--rows') ?? 100_000);
const rounds = Number(arg('--rounds') ?? 3);
const before = arg('--before');
const catalog = catalogPath(rows);
if (!existsSync(catalog)) {
  console.log(`generating ${catalog} (${rows} rows)...`);
  await generateCatalog(rows, catalog);
}
const contenders = {
  off: { engine: join(here, '../dist/engine/index.js'), html: '0' },
  html: { engine: join(here, '../dist/engine/index.js'), html: '1' },
  ...(before ? { before: { engine: join(resolve(before), 'dist/engine/index.js'), html: '0' } } : {}),
};
const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
const out = mkdtempSync(join(tmpdir(), 'manoflow-bench-report-'));
try {
  for (let r = 0; r < rounds; r++) {
    for (const [name, c] of Object.entries(contenders)) {
      const dir = join(out, `${name}-${r}`);
      mkdirSync(dir);
      const line = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', c.engine, catalog, dir, c.html], { encoding: 'utf8' }).trim().split('\n').pop();
      const t = JSON.parse(line);
      times[name].push(t);
      console.log(`  round ${r + 1} ${name.padEnd(6)} ${(t.ms / 1000).toFixed(2)} s wall, ${(t.cpuMs / 1000).toFixed(2)} s cpu, ${t.read} rows${t.report ? ' + report' : ''}`);
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const m = Object.fromEntries(Object.entries(times).map(([k, ts]) => [k, { ms: median(ts.map((t) => t.ms)), cpuMs: median(ts.map((t) => t.cpuMs)) }]));
console.log(`\n${rows} rows, median of ${rounds} (${new Date().toISOString()}):`);
for (const [k, v] of Object.entries(m)) console.log(`  ${k.padEnd(6)} ${(v.ms / 1000).toFixed(2)} s wall, ${(v.cpuMs / 1000).toFixed(2)} s cpu`);
const ratio = (a, b) => `${(m[a].ms / m[b].ms).toFixed(3)} wall, ${(m[a].cpuMs / m[b].cpuMs).toFixed(3)} cpu`;
console.log(`  html / off:    ${ratio('html', 'off')}`);
if (m.before) console.log(`  off / before:  ${ratio('off', 'before')}`);
