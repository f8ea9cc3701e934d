/**
 * Every native rule box (engine/rules/native) against its JSONata body run by the stock
 * interpreter: for each argument set of cases.yaml and each value of a corpus (typical feed
 * values, edge cases, values of a generated catalogue, random mixes of markup, entities, spaces
 * and separators), the native either declines (NOT_NATIVE) or gives exactly stock's value; a value
 * stock rejects with an error must be declined. Natives must also answer most values themselves,
 * so this cannot pass by declining everything.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bindRuleArgs, builtinRulesDir, customFunctions, listRuleBoxes, loadRuleBox } from '../../../engine/rules/index.js';
import { NATIVE_RULES, nativeRule, NOT_NATIVE } from '../../../engine/rules/native/index.js';
import { generateCatalog } from '../../../bench/generate-catalog.mjs';
import { corpus } from './corpus.js';

interface ArgSet { args: Record<string, unknown>; vars?: Record<string, unknown>; native?: boolean; min_answered?: number }
const CASES = parse(readFileSync(join(import.meta.dirname, 'cases.yaml'), 'utf8')) as Record<string, ArgSet[]>;

let values: unknown[] = [];
let dir = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'manoflow-native-'));
  const file = join(dir, 'catalog.csv');
  await generateCatalog(300, file);
  values = corpus(readFileSync(file, 'utf8'));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
    let answered = 0;
    const mismatches: string[] = [];
    for (const value of values) {
      const record = { stock: value, nom: 'x' };
      const mine = native!(value, record, vars);
      if (mine === NOT_NATIVE) continue;
      answered++;
      let expected: unknown;
      try {
        expected = await stock.compiled.evaluate(value, { ...customFunctions, ...args, record, vars });
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
