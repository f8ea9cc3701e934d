/**
 * Every native rule box (engine/rules/native) against its JSONata body run by the stock
 * interpreter: for each argument set of cases.yaml and values of a corpus (typical feed values,
 * edge cases, values of a generated catalogue, random mixes of markup, entities, spaces and
 * separators), the native either declines (NOT_NATIVE) or gives exactly stock's value; a value
 * stock rejects with an error must be declined. Natives must also answer most values themselves,
 * so this cannot pass by declining everything.
 *
 * The stock interpreter is the cost (~80 µs a value, ~125 argument sets): every argument set runs
 * the hand-picked kinds of the corpus whole (edge cases, long texts, small catalogue columns) and
 * its own seeded share of each large generated kind, each generated value going to two of the
 * rule's argument sets (all of them when it has one or two), so that a rule's sets together run
 * the whole corpus. `npm run fuzz:rules` is the long campaign.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bindRuleArgs, builtinRulesDir, customFunctions, listRuleBoxes, loadRuleBox } from '../../../engine/rules/index.js';
import { NATIVE_RULES, nativeRule, NOT_NATIVE } from '../../../engine/rules/native/index.js';
import { generateCatalog } from '../../../bench/generate-catalog.mjs';
import { corpus, type CorpusKind } from './corpus.js';
import { prng } from '../../helpers/prng.js';

interface ArgSet { args: Record<string, unknown>; vars?: Record<string, unknown>; native?: boolean; min_answered?: number }
const CASES = parse(readFileSync(join(import.meta.dirname, 'cases.yaml'), 'utf8')) as Record<string, ArgSet[]>;

let kinds: CorpusKind[] = [];
let dir = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'manoflow-native-'));
  const file = join(dir, 'catalog.csv');
  await generateCatalog(300, file);
  kinds = corpus(readFileSync(file, 'utf8'));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** How many of a rule's argument sets check each generated value: two catch a native wrong for one set's arguments only on some values. */
const CHECKS_PER_VALUE = 2;

/** A seed per rule (a string hash): its argument sets share the values out the same way, another rule another way. */
function ruleSeed(rule: string): number {
  let h = 0;
  for (let i = 0; i < rule.length; i++) h = (Math.imul(h, 31) + rule.charCodeAt(i)) | 0;
  return h;
}

/**
 * The values argument set `set` (0-based among the rule's `count` native sets) runs: the whole
 * kinds, and of each generated kind the values dealt to it. A seeded shuffle deals each kind's
 * values round the sets, each value to CHECKS_PER_VALUE neighbouring sets: every set gets an even
 * share of every kind, and the sets together get all of it.
 */
function valuesFor(rule: string, set: number, count: number): unknown[] {
  const random = prng(ruleSeed(rule));
  const checks = Math.min(CHECKS_PER_VALUE, count);
  const values: unknown[] = [];
  for (const kind of kinds) {
    if (kind.whole || checks === count) {
      values.push(...kind.values);
      continue;
    }
    const order = kind.values.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    order.forEach((index, place) => {
      if ((set - (place % count) + count) % count < checks) values.push(kind.values[index]);
    });
  }
  return values;
}

/** The argument sets of cases.yaml that have a native (`native: false` ones check that none is made). */
const nativeSets = (rule: string) => CASES[rule]!.filter((set) => set.native !== false);

/** Equal as values, distinguishing -0 from 0 and "1" from 1 (both reach the feed differently); objects key by key, in order. */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return Object.is(a, b);
}

it('every built-in rule box has a native version, and every native has argument sets here', () => {
  const builtins = listRuleBoxes([builtinRulesDir()]).map((r) => r.name).sort();
  expect(Object.keys(NATIVE_RULES).sort()).toEqual(builtins);
  expect(Object.keys(CASES).sort()).toEqual(builtins);
});

it("a rule's argument sets together run every value of the corpus, and each set some of every kind", () => {
  const all = kinds.flatMap((kind) => kind.values);
  expect(all.length).toBeGreaterThan(6000);
  for (const rule of Object.keys(NATIVE_RULES)) {
    const count = nativeSets(rule).length;
    const shares = Array.from({ length: count }, (_, set) => valuesFor(rule, set, count));
    // the corpus holds no two exactly equal values, so each must be run itself (0 and -0, which a Set
    // takes as one, are both edge cases: whole)
    const run = new Set(shares.flat());
    expect(all.filter((value) => !run.has(value)), rule).toEqual([]);
    for (const share of shares) {
      const mine = new Set(share);
      for (const kind of kinds) expect(kind.values.some((value) => mine.has(value)), `${rule}: ${kind.name}`).toBe(true);
    }
  }
});

describe.each(Object.keys(NATIVE_RULES))('native %s = its JSONata body', (name) => {
  const stock = loadRuleBox(name, [builtinRulesDir()], { fastPath: false });
  it.each(CASES[name]!.map((c, i) => [i + 1, c] as const))('argument set %i', async (_i, set) => {
    const args = bindRuleArgs(stock, set.args);
    const native = nativeRule(stock, args);
    if (set.native === false) {
      expect(native).toBeUndefined();
      return;
    }
    expect(native).toBeDefined();
    const vars = set.vars ?? { vat_rate: 0.2 };
    const values = valuesFor(name, nativeSets(name).indexOf(set), nativeSets(name).length);
    // built once: jsonata reads the bindings at each evaluate, so only the record changes
    const bindings: Record<string, unknown> = { ...customFunctions, ...args, record: undefined, vars };
    let answered = 0;
    const mismatches: string[] = [];
    for (const value of values) {
      const record = { stock: value, nom: 'x' };
      const mine = native!(value, record, vars);
      if (mine === NOT_NATIVE) continue;
      answered++;
      let expected: unknown;
      bindings.record = record;
      try {
        expected = await stock.compiled.evaluate(value, bindings);
      } catch (err) {
        mismatches.push(`${JSON.stringify(value)}: native ${JSON.stringify(mine)}, stock error ${(err as Error).message}`);
        continue;
      }
      if (!same(mine, expected)) mismatches.push(`${JSON.stringify(value)}: native ${JSON.stringify(mine)}, stock ${JSON.stringify(expected)}`);
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    // declining is for the rare values: most of the corpus (or the share cases.yaml says) is answered natively
    expect(answered / values.length).toBeGreaterThanOrEqual(set.min_answered ?? 0.5);
  });
});

it('a rule box beside a pipeline shadows the built-in and gets no native', () => {
  const builtin = loadRuleBox('to_number', [builtinRulesDir()]);
  const shadow = { ...builtin, file: join(dir, 'to_number.jsonata') };
  expect(nativeRule(builtin, bindRuleArgs(builtin, {}))).toBeDefined();
  expect(nativeRule(shadow, bindRuleArgs(shadow, {}))).toBeUndefined();
});
