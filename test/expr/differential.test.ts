/**
 * Fast path vs stock JSONata on a value matrix: every operator and fast builtin, over scalars,
 * objects, arrays and odd numbers, must give the same value or the same error (code, position,
 * token). Zero mismatches is the bar.
 */
import { describe, expect, it } from 'vitest';
import { both, pair } from './helpers.js';

const VALUES: Record<string, unknown> = {
  undef: undefined, null: null, true: true, false: false, zero: 0, negzero: -0, one: 1, neg: -1.5,
  half: 2.5, big: 1e21, tiny: 1e-7, nan: NaN, inf: Infinity, empty: '', abc: 'abc', spaced: ' A b ',
  comma: '1,5', dotted: '12.50', numstr: '42', obj: { x: 1 }, emptyObj: {}, arr: [1, 2], strs: ['x', 'y'],
  one_arr: ['z'], none: [],
};

const EXPRS = [
  '$a + $b', '$a - $b', '$a * $b', '$a / $b', '$a % $b', '-$a', '$a & $b', '$a & "-" & $b',
  '$a = $b', '$a != $b', '$a < $b', '$a <= $b', '$a > $b', '$a >= $b', '$a and $b', '$a or $b',
  '$a in $b', '$a ? "y" : "n"', '$a ? $b', '$a ?: $b', '$a ?? $b', '[$a, $b]', '[$a, [$b]]',
  '{"k": $a, "l": $b}', '{$a: $b}', '$a.x', '$string($a)', '$string($a, $b)', '$number($a)',
  '$substring($a, 1, 2)', '$substring($a, $b)', '$substringBefore($a, $b)', '$substringAfter($a, ",")',
  '$length($a)', '$uppercase($a)', '$lowercase($a)', '$trim($a)', '$contains($a, $b)',
  '$contains($a, "b")', '$exists($a)', '$boolean($a)', '$not($a)', '$round($a, 1)', '$round($a)',
  '$floor($a)', '$ceil($a)', '$abs($a)', '$join($a, ",")', '$join($a)', '$split($a, ",")',
  '$split($a, $b)', '$replace($a, ",", ".")', '$replace($a, $b, "z")', '$pad($a, 5)',
  '$formatNumber($a, "#,##0.00")', '$count($a)', '$sum($a)', '$max($a)', '$keys($a)',
  '$lookup($a, "x")', '$append($a, $b)', '$type($a)', '$number($replace($a, ",", "."))',
  '($x := $a; $y := $x & $b; $y)', '$a ~> $string()', '$a.$string()', '$sqrt($a)', '$power($a, 2)',
];

describe('fast path equals stock on a value matrix', () => {
  for (const src of EXPRS) {
    it(src, async () => {
      const run = pair(src);
      let sync = 0;
      for (const [an, a] of Object.entries(VALUES)) {
        for (const [bn, b] of Object.entries(VALUES)) {
          const r = await run({ x: 'ctx' }, { a, b });
          expect({ case: `${an},${bn}`, ...r.fast }).toStrictEqual({ case: `${an},${bn}`, ...r.stock });
          if (r.sync) sync++;
        }
      }
      // the fast path answered some of them itself (the rest fell back, and still matched)
      expect(sync).toBeGreaterThan(0);
    });
  }

  it('compiles the matrix expressions to the fast path', async () => {
    const slow = [];
    for (const src of EXPRS) if (!(await both(src, {}, {})).compiledFast) slow.push(src);
    expect(slow).toEqual([]);
  });
});

// One-field expressions read the record directly (engine/expr/index.ts): same answers as stock for
// own scalars, nulls, lists, objects, missing and inherited names, and non-object inputs.
describe('a one-field expression equals stock', () => {
  const FIELDS = ['x', 'missing', 'constructor', 'toString', '__proto__', '`prix ht`', 'n', 'arr', 'obj', 'nul', 'f', 'nan'];
  const INPUTS: unknown[] = [
    { x: 'a', 'prix ht': '12,5', n: 3, arr: ['p', 'q'], obj: { k: 1 }, nul: null, f: false, nan: NaN },
    { x: '' }, Object.create({ x: 'inherited' }), [{ x: 'in list' }, { x: 'two' }], ['plain'], 'text', 7, null, undefined,
  ];
  for (const src of FIELDS) {
    it(src, async () => {
      const run = pair(src);
      let sync = 0;
      for (const [i, input] of INPUTS.entries()) {
        const r = await run(input);
        expect({ case: i, ...r.fast }).toStrictEqual({ case: i, ...r.stock });
        if (r.sync) sync++;
      }
      expect(sync).toBeGreaterThan(0);
    });
  }
});
