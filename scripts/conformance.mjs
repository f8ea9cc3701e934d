#!/usr/bin/env node
// Runs JSONata's test suite (or any folder laid out like it) through manoflow's expression layer.
// Usage: node scripts/conformance.mjs [DIR] [--stock]   (after `tsc`; DIR defaults to ../shared/conformance/jsonata)
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const stock = args.includes('--stock');
const dir = resolve(args.find((a) => !a.startsWith('--')) ?? resolve(root, '../shared/conformance/jsonata'));
if (!existsSync(resolve(dir, 'groups'))) {
  console.error(`conformance: no groups/ folder in ${dir}`);
  process.exit(2);
}
const { runConformance, formatReport } = await import(resolve(root, 'dist/engine/expr/conformance.js'));
const report = await runConformance(dir, stock ? { fastPath: false } : {});
console.log(formatReport(report));
process.exit(report.total.failed === 0 ? 0 : 1);
