/**
 * Fast path vs stock JSONata on the language the rule boxes use beyond operators: lambdas and
 * closures, recursion and tail calls, higher-order builtins and their arity rules, regex literals
 * with jsonata's own `$0`/`$n` replacement tokens, predicates (index, negative, float, boolean),
 * sequences from paths, `in`. Same value or same error; sync on the inputs listed as such.
 */
import { describe, expect, it } from 'vitest';
import { GUARDRAIL_CODE, compileExpression, isPending } from '../../engine/expr/index.js';
import { pair } from './helpers.js';

const DATA: unknown[] = [
  { s: '  Perceuse <b>18V</b>  Bosch ', items: [{ n: 'a', p: 2 }, { n: 'b', p: 5 }, { n: 'c', p: 1 }], tags: ['x', '', 'y'], t: { k: 'v', l: 'w' } },
  { s: 'abc', items: [{ n: 'z', p: 3 }], tags: ['q'], t: {} },
  { s: '', items: [], tags: [] },
  {},
  ['x', 'y'],
];

// [expression, answered synchronously on every DATA item whose stock result is not an error]
const CASES: [string, boolean][] = [
  ['($f := function($x){ $x & "!" }; $f(s))', true],
  ['($n := 2; $f := function($x){ $x * $n }; $map(items.p, $f))', true],
  ['($f := function($x){ $x > 0 ? $x + $f($x - 1) : 0 }; $f(10))', true],
  ['($fact := function($n, $acc){ $n <= 1 ? $acc : $fact($n - 1, $n * $acc) }; $fact(8, 1))', true],
  ['($g := function(){ $h() }; $h := function(){ "late" }; $g())', true],
  ['($x := 1; $f := function(){ $x }; $x := 2; $f())', true],
  ['$map(items, function($v, $i){ $v.n & $i })', true],
  ['$map(items, function($v, $i, $a){ $count($a) - $i })', true],
  ['$map(tags, $uppercase)', true],
  ['$map(tags, $trim)', true],
  ['$filter(items, function($v){ $v.p > 1 }).n', true],
  ['$filter(tags, function($v, $i){ $i < 2 })', true],
  ['$reduce(items.p, function($a, $b){ $a + $b })', true],
  ['$reduce(items.p, function($a, $b, $i){ $a + $b * $i }, 100)', true],
  ['$reduce(tags, function($a, $b){ $a & "," & $b }, "")', true],
  ['$replace(s, /<[^>]+>/, "")', true],
  ['$replace(s, /(\\d+)(V)/, "$2-$1-$0-$$-$3-$x")', true],
  ['$replace(s, /(o)(s)(c)(h)(.)(.)(.)(.)(.)(.)?/, "[$10|$1$2]")', true],
  ['$replace(s, /\\s+/, " ", 2)', true],
  ['$replace(s, /B(OSCH)/i, function($m){ $lowercase($m.groups[0]) })', true],
  ['$replace(s, /x*/, "-")', true],
  ['$split(s, /\\s+/)', true],
  ['$split(s, /\\s+/, 2)', true],
  ['$contains(s, /bosch/i)', true],
  ['$match(s, /([a-z])([a-z])/).match', true],
  ['$match(s, /(\\d)/, 1)', true],
  ['items[1].n', true],
  ['items[-1].n', true],
  ['items[0.7].n', true],
  ['items[p > 1].n', true],
  ['items[[0, 2]].n', true],
  ['tags[$ != ""]', true],
  ['$filter(tags, function($t){ $t != "" })[0]', true],
  ['$keys(t)[$ = "l"]', true],
  ['"a" in tags', true],
  ['s in ["abc", "x"]', true],
  ['[tags, "z", [1]]', true],
  ['items.n & "|"', true],
  ['$type(items.p)', true],
  ['$exists(items.q)', true],
  ['$count(items[p > 10])', true],
  ['$lookup(t, "k")', true],
  ['$join($map($keys(t), function($k){ $k & "=" & $lookup(t, $k) }), "&")', true],
  ['$map([1, 2], $string)', true],
  ['$reduce([1, 2], function($a){ $a })', false],
  ['$replace(s, /o/, function($m){ 1 })', false],
  ['$split(s, /x*/)', false],
];

describe('fast path equals stock on lambdas, builtins with functions, regex and predicates', () => {
  for (const [src, sync] of CASES) {
    it(src, async () => {
      const run = pair(src);
      let answered = 0;
      for (const [i, data] of DATA.entries()) {
        const r = await run(data, {});
        expect(r.compiledFast).toBe(true);
        expect({ i, ...r.fast }).toStrictEqual({ i, ...r.stock });
        if (sync && !('error' in r.stock)) expect({ i, sync: r.sync }).toEqual({ i, sync: true });
        if (r.sync) answered++;
      }
      if (!sync) expect(answered).toBeLessThan(DATA.length);
    });
  }
});

describe('function values never leave the fast path', () => {
  for (const src of ['($f := function($x){ $x }; $f)', '$map(items, function($v){ function(){ $v } })', '{"f": function(){ 1 }}']) {
    it(`${src} is answered by stock (its own lambda objects)`, async () => {
      const expr = compileExpression(src);
      expect(expr.fast).toBe(true);
      const r = expr.evaluate(DATA[0]);
      expect(isPending(r)).toBe(true);
      const value = (await r) as Record<string, unknown> | Record<string, unknown>[];
      const first = Array.isArray(value) ? value[0] : 'f' in value ? (value.f as Record<string, unknown>) : value;
      expect(first?._jsonata_lambda).toBe(true);
    });
  }
});

describe('guardrails with lambdas on the fast path', () => {
  it('runaway recursion still stops with the depth error', async () => {
    const expr = compileExpression('($f := function($x){ 1 + $f($x) }; $f(1))', { maxDepth: 100, timeLimitMs: 5000 });
    expect(expr.fast).toBe(true);
    await expect(expr.evaluate({})).rejects.toMatchObject({ code: GUARDRAIL_CODE });
  });

  it('a deep but finite recursion gives stock value and stays within maxDepth', async () => {
    const src = '($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(30))';
    const run = pair(src, { maxDepth: 60 });
    const r = await run({}, {});
    expect(r.fast).toStrictEqual(r.stock);
    expect('error' in r.stock && r.stock.error.code).toBe(GUARDRAIL_CODE);
  });

  it('an endless tail recursion stops on time', async () => {
    const expr = compileExpression('($loop := function($n){ $loop($n + 1) }; $loop(0))', { timeLimitMs: 50 });
    await expect(expr.evaluate({})).rejects.toMatchObject({ code: GUARDRAIL_CODE });
  });
});
