/**
 * The differential fuzzer of the one-pass text rule boxes (scripts/fuzz/rules-fuzz.mjs), a few
 * thousand seeded cases: random and malformed markup (broken tags, comments, CDATA, script and
 * style, ">" in quoted attributes, entities with and without ";", astral characters, lone
 * surrogates, every kind of whitespace) through strip_html, trim and truncate, each native equal
 * to its JSONata body under the stock interpreter. `npm run fuzz:rules -- --seconds N` runs
 * millions; a mismatch prints the command that replays it.
 */
import { expect, it } from 'vitest';
import { describeMismatch, FUZZED_RULES, runFuzz } from '../../../scripts/fuzz/rules-fuzz.mjs';
import { bindRuleArgs, builtinRulesDir, customFunctions, loadRuleBox } from '../../../engine/rules/index.js';
import { nativeRule, NOT_NATIVE } from '../../../engine/rules/native/index.js';
import { TextFolder } from '../../../engine/rules/native/fold.js';
import { scanTags } from '../../../engine/rules/native/markup.js';

const probe = new TextFolder(true, false, true);
const engine = {
  loadRuleBox, builtinRulesDir, bindRuleArgs, nativeRule, NOT_NATIVE, customFunctions,
  scansTags: (text: string) => scanTags(text, ' ', ' ', probe),
};

it('strip_html, trim and truncate equal their bodies on 6,000 generated cases (seed 20261205)', async () => {
  const stats = await runFuzz({ seed: 20261205, cases: 6000, engine });
  expect(stats.mismatches.map(describeMismatch)).toEqual([]);
  expect(stats.mismatchCount).toBe(0);
  // every rule fuzzed, nearly every case answered natively (the body is the exception, not the test)
  for (const rule of FUZZED_RULES) expect(stats.byRule[rule]!.cases).toBeGreaterThan(1500);
  expect(stats.answered / stats.cases).toBeGreaterThan(0.98);
  // the one-pass scan itself, not only the literal passes it falls back to, meets most texts
  expect(stats.scanned / stats.stripHtml).toBeGreaterThan(0.5);
  expect(stats.stripHtml - stats.scanned).toBeGreaterThan(300);
}, 120_000);
