#!/usr/bin/env node
// The differential fuzzer of the expression layer: random JSONata expressions (lambdas, tail calls,
// blocks, conditions, higher-order functions, paths, predicates, operators, regexes) over random
// data, fast path vs stock interpreter, compared on values, sequence flags and error codes.
// Each case is one seed: a mismatch prints its seed, expression and data, and `--replay SEED`
// runs that case alone. Build first (`npm run fuzz:expr` does).
// Usage: node scripts/fuzz-expr.mjs [--seconds N (60)] [--seed START (random, printed)] [--replay SEED] [--keep-going]
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { generateCase, runCase, describeMismatch } = await import(resolve(root, 'dist/engine/expr/differential.js'));
const { values } = parseArgs({ options: { seconds: { type: 'string' }, seed: { type: 'string' }, replay: { type: 'string' }, 'keep-going': { type: 'boolean' } } });

if (values.replay !== undefined) {
  const r = await runCase(generateCase(Number(values.replay)));
  console.log(r.same ? `seed ${values.replay}: same\n  expression: ${r.case.expr}\n  data:       ${JSON.stringify(r.case.data)}\n  result:     ${JSON.stringify('error' in r.stock ? r.stock : r.stock.value)}` : describeMismatch(r));
  process.exit(r.same ? 0 : 1);
}

const seconds = Number(values.seconds ?? 60);
const start = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
console.log(`fuzz:expr: start seed ${start}, ${seconds} s (replay one case with --replay SEED)`);
const until = Date.now() + seconds * 1000;
let n = 0, bad = 0, fast = 0, sync = 0, errors = 0;
for (let seed = start; Date.now() < until; seed++) {
  const r = await runCase(generateCase(seed));
  n++;
  if (r.compiledFast) fast++;
  if (r.sync) sync++;
  if ('error' in r.stock) errors++;
  if (!r.same) {
    bad++;
    console.log(describeMismatch(r));
    if (!values['keep-going']) break;
  }
  if (n % 50000 === 0) console.log(`  ${n} cases, ${bad} mismatches`);
}
const pct = (k) => `${((k * 100) / Math.max(n, 1)).toFixed(1)}%`;
console.log(`${n} cases from seed ${start}: ${bad} mismatches; compiled fast ${pct(fast)}, answered by the fast path ${pct(sync)}, stock errors ${pct(errors)}`);
process.exit(bad === 0 ? 0 : 1);
