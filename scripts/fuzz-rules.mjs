#!/usr/bin/env node
// `npm run fuzz:rules -- [--seconds 60] [--cases N] [--seed S] [--rules strip_html,trim,truncate] [--replay CASE_SEED]`
// The differential fuzzer of the one-pass text rule boxes (scripts/fuzz/rules-fuzz.mjs) on the
// compiled engine (dist/: `npm run fuzz:rules` builds it first): random and malformed markup
// through each native rule box and its JSONata body under the stock interpreter. Prints the seed
// (a run with the same seed runs the same cases), the counts, and each mismatch with its input
// and the seed that replays that one case. Exit 1 on any mismatch.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMismatch, fuzzCase, FUZZED_RULES, runFuzz } from './fuzz/rules-fuzz.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const arg = (name) => { const k = argv.indexOf(name); return k >= 0 ? argv[k + 1] : undefined; };
const number = (name, fallback) => {
  const raw = arg(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) { console.error(`fuzz:rules: ${name} takes a number, not "${raw}"`); process.exit(2); }
  return n;
};
const rules = arg('--rules')?.split(',') ?? FUZZED_RULES;
const unknown = rules.filter((r) => !FUZZED_RULES.includes(r));
if (unknown.length > 0) { console.error(`fuzz:rules: no cases for ${unknown.join(', ')} (fuzzed: ${FUZZED_RULES.join(', ')})`); process.exit(2); }

const rulesLib = await import(resolve(root, 'dist/engine/rules/index.js'));
const nativeLib = await import(resolve(root, 'dist/engine/rules/native/index.js'));
const { scanTags } = await import(resolve(root, 'dist/engine/rules/native/markup.js'));
const { TextFolder } = await import(resolve(root, 'dist/engine/rules/native/fold.js'));
const probe = new TextFolder(true, false, true);
const engine = { ...rulesLib, ...nativeLib, scansTags: (text) => scanTags(text, ' ', ' ', probe) };

const replay = arg('--replay');
if (replay !== undefined) {
  const caseSeed = number('--replay', 0);
  const c = fuzzCase(caseSeed, rules);
  console.log(`case ${caseSeed}: ${c.rule} ${JSON.stringify(c.args)} on ${JSON.stringify(c.value)}`);
  // the run below starts from a master seed; one case is replayed by running it alone
  const stats = await runFuzz({ seed: 0, cases: 1, rules, engine: { ...engine }, keep: 1, caseSeeds: [caseSeed] });
  report(stats);
} else {
  const seed = number('--seed', Math.floor(Math.random() * 4294967296));
  const seconds = number('--seconds', arg('--cases') === undefined ? 60 : Infinity);
  const cases = number('--cases', Infinity);
  console.log(`fuzz:rules seed ${seed} (replay the whole run with --seed ${seed}); rules ${rules.join(', ')}; ${seconds === Infinity ? `${cases} cases` : `${seconds} s`}`);
  const started = Date.now();
  const stats = await runFuzz({
    seed, cases, seconds, rules, engine,
    onProgress: (s) => { if (s.cases % 100000 === 0) console.log(`  ${s.cases} cases, ${s.mismatchCount} mismatches, ${Math.round((Date.now() - started) / 1000)} s`); },
  });
  report(stats);
}

function report(stats) {
  const share = (n, d) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)} %`);
  console.log(`cases ${stats.cases}: answered natively ${stats.answered}, declined (the body decides) ${stats.declined}, no native for the arguments ${stats.noNative}`);
  for (const [rule, r] of Object.entries(stats.byRule)) console.log(`  ${rule}: ${r.cases} cases, ${r.answered} answered`);
  if (stats.stripHtml > 0) console.log(`strip_html texts through the one-pass scan: ${stats.scanned} of ${stats.stripHtml} (${share(stats.scanned, stats.stripHtml)}); the rest through the literal passes`);
  console.log(`mismatches: ${stats.mismatchCount}`);
  for (const m of stats.mismatches) console.log(describeMismatch(m));
  process.exitCode = stats.mismatchCount === 0 ? 0 : 1;
}
