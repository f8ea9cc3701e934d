#!/usr/bin/env node
// Young-generation collection time of the reference pipeline against the batch size (`options.batch_size`):
// records wait in a batch until the destination writes them, and every scavenge meanwhile copies
// them. Runs the manoflow contender under `--trace-gc` once per size on the same catalogue and
// sums the scavenges' and mark-compacts' pause times it prints. After `npm run build`:
//   node bench/gc-batches.mjs [--rows 100000] [--sizes 64,128,256,500]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { catalogPath, generateCatalog } from './generate-catalog.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : fallback; };
const rows = Number(arg('--rows', '100000'));
const sizes = arg('--sizes', '64,128,256,500').split(',').map(Number);
const catalog = catalogPath(rows);
if (!existsSync(catalog)) await generateCatalog(rows, catalog);
const dir = mkdtempSync(join(tmpdir(), 'mf-gc-batches-'));
const pipeline = readFileSync(join(here, 'reference-pipeline.yaml'), 'utf8');
const pause = (lines, kind) => lines.filter((l) => l.includes(kind)).reduce((ms, l) => ms + Number(/, ([\d.]+) \/ [\d.]+ ms/.exec(l)?.[1] ?? 0), 0);
console.log(`${rows} rows, one run per batch size (${catalog})`);
for (const size of sizes) {
  const file = join(here, `.gc-batch-${size}.yaml`); // beside the reference pipeline: its lookups resolve
  writeFileSync(file, pipeline.replace(/^destination:/m, `options:\n  batch_size: ${size}\n\ndestination:`));
  try {
    const out = execFileSync(process.execPath, ['--trace-gc', join(here, 'contenders.mjs'), 'manoflow', catalog, dir], { env: { ...process.env, BENCH_PIPELINE: file }, encoding: 'utf8', maxBuffer: 1 << 28 });
    const lines = out.split('\n');
    const result = JSON.parse(lines.filter((l) => l.startsWith('{')).pop());
    const scavenges = lines.filter((l) => l.includes('Scavenge')).length;
    console.log(`  batch ${String(size).padStart(4)}: ${scavenges} scavenges ${pause(lines, 'Scavenge').toFixed(0)} ms, mark-compact ${pause(lines, 'Mark-Compact').toFixed(0)} ms; run ${(result.ms / 1000).toFixed(1)} s (cpu ${(result.cpuMs / 1000).toFixed(1)} s)`);
  } finally {
    rmSync(file, { force: true });
  }
}
rmSync(dir, { recursive: true, force: true });
