#!/usr/bin/env node
// `npm run bench:state [-- --sizes 1000000,1300000,10000000] [--decide 1000] [--repeat 3] [--migrate]`
// The order-action journal holding N actions, today's files (one JSONL read whole by every run)
// against the new store (state.db, read by key), side by side in one run: the time for a run to
// start and decide 1,000 actions, and its peak RSS, each measured in a fresh process (median of
// --repeat runs after one warm-up, so the file is in the page cache for both). --migrate also
// times the one-time import of the files into state.db. Data goes to bench/data/state-<N>/
// (gitignored, reused when complete), results to bench/results/state.json. Never asserted in tests.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeLegacyJournal, writeStateDb } from './state-gen.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const argv = process.argv.slice(2);
const arg = (name) => { const k = argv.indexOf(name); return k >= 0 ? argv[k + 1] : undefined; };
const sizes = (arg('--sizes') ?? '1000000,1300000,10000000').split(',').map(Number);
const decide = Number(arg('--decide') ?? 1000);
const repeat = Number(arg('--repeat') ?? 3);
const migrate = argv.includes('--migrate');
const mb = (bytes) => Math.round(bytes / 1048576);

function measure(mode, dir, n) {
  const out = execFileSync(process.execPath, [join(here, 'state-measure.mjs'), mode, dir, String(n), String(decide)], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop());
}

function median(mode, dir, n) {
  const first = measure(mode, dir, n); // warm-up: the page cache holds the file for every measured run
  if (!first.ok) return first;
  const runs = Array.from({ length: repeat }, () => measure(mode, dir, n)).sort((a, b) => a.ms_total - b.ms_total);
  return { ...runs[Math.floor(runs.length / 2)], runs: runs.map((r) => r.ms_total) };
}

/** Times the import of the files into a state.db, then puts the files back as they were. */
function timeMigration(legacyDir, n) {
  const r = measure('migrate', legacyDir, n);
  const backup = readdirSync(legacyDir).find((f) => f.startsWith('legacy-files-'));
  if (backup) {
    renameSync(join(legacyDir, backup, 'journal', 'order-actions.jsonl'), join(legacyDir, 'journal', 'order-actions.jsonl'));
    rmSync(join(legacyDir, backup), { recursive: true, force: true });
  }
  for (const f of ['state.db', 'state.db-wal', 'state.db-shm']) rmSync(join(legacyDir, f), { force: true });
  return r;
}

const results = [];
for (const n of sizes) {
  const base = join(here, 'data', `state-${n}`);
  const legacyDir = join(base, 'files');
  const dbDir = join(base, 'db');
  mkdirSync(legacyDir, { recursive: true });
  mkdirSync(dbDir, { recursive: true });
  console.log(`journal of ${n.toLocaleString('en-US')} actions: writing the test data if missing...`);
  const t0 = Date.now();
  const fileBytes = writeLegacyJournal(legacyDir, n);
  const dbBytes = await writeStateDb(dbDir, n, dist);
  console.log(`  data ready in ${((Date.now() - t0) / 1000).toFixed(0)} s: JSONL ${mb(fileBytes)} MB, state.db ${mb(dbBytes)} MB`);
  const files = median('files', legacyDir, n);
  console.log(`  today's files: ${files.ok ? `${files.ms_total} ms, ${files.rss_mb} MB` : `FAILED ${files.error} (after ${files.ms_total} ms, ${files.rss_mb} MB)`}`);
  const sqlite = median('sqlite', dbDir, n);
  console.log(`  state.db:      ${sqlite.ok ? `${sqlite.ms_total} ms, ${sqlite.rss_mb} MB` : `FAILED ${sqlite.error}`}`);
  const row = { actions: n, journal_lines: 2 * n, jsonl_mb: mb(fileBytes), jsonl_bytes: fileBytes, state_db_mb: mb(dbBytes), files, sqlite };
  if (migrate) {
    row.migration = timeMigration(legacyDir, n);
    console.log(`  migration of the files into state.db: ${row.migration.ok ? `${(row.migration.ms_migrate / 1000).toFixed(1)} s, ${row.migration.rss_mb} MB` : `FAILED ${row.migration.error}`}`);
  }
  results.push(row);
}

const cell = (r) => (r.ok ? `${r.ms_total.toLocaleString('en-US')} ms` : `fails: ${r.error.split(':')[0]}`);
console.log(`\n| actions (journal lines) | JSONL | today's files: start + decide ${decide} | peak RSS | state.db | start + decide ${decide} | peak RSS |`);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(`| ${r.actions.toLocaleString('en-US')} (${r.journal_lines.toLocaleString('en-US')}) | ${r.jsonl_mb} MB | ${cell(r.files)} | ${r.files.rss_mb} MB | ${r.state_db_mb} MB | ${cell(r.sqlite)} | ${r.sqlite.rss_mb} MB |`);
}
for (const r of results.filter((x) => !x.files.ok)) console.log(`today's files at ${r.actions.toLocaleString('en-US')} actions: ${r.files.error}`);
mkdirSync(join(here, 'results'), { recursive: true });
const report = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, mem_gb: Math.round(totalmem() / 2 ** 30), loadavg_end: loadavg().map((x) => Math.round(x * 100) / 100), decide, repeat, results };
writeFileSync(join(here, 'results', 'state.json'), JSON.stringify(report, null, 2) + '\n');
console.log(`\nload average at the end: ${report.loadavg_end.join(' ')}; written bench/results/state.json`);

