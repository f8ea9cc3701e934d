/**
 * Every built-in rule box (rules/*.jsonata) on the fast path: compiled fast, and for every case of
 * its rules/<name>.test.yaml, plus typical feed values (HTML text, "59,99", numbers, "", missing)
 * with that case's arguments, the fast path answers synchronously with exactly stock's value.
 * The few evaluations still left to stock are listed below with the reason, and must stay so.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileExpression, isPending } from '../../engine/expr/index.js';
import { bindRuleArgs, builtinRulesDir, customFunctions, listRuleBoxes, loadRuleBox } from '../../engine/rules/index.js';

interface Case {
  name?: string;
  input?: unknown;
  args?: unknown;
  record?: unknown;
  vars?: unknown;
}

const TYPICAL: [string, unknown][] = [
  ['html', '  <p>Perceuse <b>sans fil</b> 18V &amp; chargeur</p><br/>Bosch  '],
  ['decimal comma', '59,99'],
  ['number', 42.5],
  ['empty', ''],
  ['missing', undefined],
];

// rule/case[/typical] → why stock answers it; every other evaluation must be fast. Besides these,
// only evaluations that end in an error (a rule's own $error, a JSONata type error) go to stock.
const OBJECTS_OVER_A_LIST = 'the body builds objects while `$` is a list (stock would group an object constructor over it: '
  + 'the fast path leaves that to stock); on the fast path the native rule box answers these values';
const LEFT_TO_STOCK: Record<string, string> = {
  'parse_pairs/Magento configurable_variations, cut on "|" first (rules [{ split "|" }, parse_pairs]), give a list of objects': OBJECTS_OVER_A_LIST,
  'parse_pairs/a list of one item stays a list': OBJECTS_OVER_A_LIST,
  'parse_list/a list is read item by item (Magento configurable_variations cut on "|")': OBJECTS_OVER_A_LIST,
};

type Outcome = { value: unknown } | { error: string };

async function outcome(run: () => unknown): Promise<{ out: Outcome; sync: boolean }> {
  let sync = false;
  try {
    const r = run();
    sync = !isPending(r);
    return { out: { value: await r }, sync };
  } catch (err) {
    return { out: { error: String((err as { code?: string }).code) }, sync };
  }
}

const dir = builtinRulesDir();
const rules = listRuleBoxes([dir]).filter((r) => r.file.startsWith(dir));

describe('built-in rule boxes on the fast path', () => {
  it('finds the built-in rule boxes', () => {
    expect(rules.length).toBeGreaterThan(20);
  });

  for (const { name } of rules) {
    it(`${name}: compiled fast, synchronous and equal to stock on its cases and typical values`, async () => {
      const rule = loadRuleBox(name, [dir]);
      expect(rule.compiled.fast).toBe(true);
      const stock = compileExpression(rule.source, { fastPath: false });
      const spec = parse(readFileSync(join(dir, `${name}.test.yaml`), 'utf8')) as { cases: Case[] };
      expect(spec.cases.length).toBeGreaterThan(0);
      const slow: string[] = [];
      let answered = 0;
      for (const [i, c] of spec.cases.entries()) {
        let params: Record<string, unknown>;
        try {
          params = bindRuleArgs(rule, c.args);
        } catch (err) {
          // a case about argument binding (CFG_RULE_ARGS): nothing is evaluated
          expect((err as { code?: string }).code).toBe('CFG_RULE_ARGS');
          continue;
        }
        const bindings = { ...customFunctions, ...params, record: c.record ?? {}, vars: c.vars ?? {} };
        const inputs: [string, unknown][] = [['', c.input], ...TYPICAL];
        for (const [label, input] of inputs) {
          const id = `${name}/${c.name ?? `case ${i + 1}`}${label ? `/${label}` : ''}`;
          const fast = await outcome(() => rule.compiled.evaluate(input, bindings));
          const ref = await outcome(() => stock.evaluate(input, bindings));
          expect({ id, ...fast.out }).toStrictEqual({ id, ...ref.out });
          // an error (a rule's own $error) is always thrown by stock, with its code and position
          if (!fast.sync && !('error' in ref.out)) slow.push(id);
          if (fast.sync) answered++;
        }
      }
      expect(slow.filter((id) => !(id in LEFT_TO_STOCK))).toEqual([]);
      expect(answered).toBeGreaterThan(spec.cases.length);
    });
  }
});
