/**
 * Sequence semantics of the fast path where stock's evaluator is subtle: a lambda body's tail call
 * returns its value raw (a 0- or 1-item sequence is not unwrapped), through the conditions and
 * blocks around it, while every other value is unwrapped again at each condition, block and `:=`
 * exit; a builtin used as a function value returns raw too. Cases from issue 11 and from the
 * differential fuzzer (by seed), as data.
 */
import { describe, expect, it } from 'vitest';
import { compileExpression, isPending } from '../../engine/expr/index.js';
import { sameValue } from '../../engine/expr/differential.js';

const CASES: { expr: string; data?: unknown; stock: unknown }[] = [
  // issue 11's table
  { expr: '$map([1,2], function($v){ $map([$v], function($w){$w*10}) })', stock: [[10], [20]] },
  { expr: '$count($map(["a1","b","c22 3"], function($x){ $match($x, /\\d+/) }))', stock: 3 },
  { expr: '$map(attrs, function($o){ $keys($o) }) ~> $join(",")', data: { attrs: [{ color: 'red' }, { size: 'M' }] }, stock: { error: 'T0412' } },
  // a tail call through a condition and a block keeps its sequence; a non-tail value is unwrapped
  { expr: '$map([1,2], function($v){ $v > 1 ? $map([$v], function($w){$w}) : $v })', stock: [1, [2]] },
  { expr: '$map([1,2], function($v){ ($w := $v * 2; $map([$w], function($x){$x})) })', stock: [[2], [4]] },
  // fuzzer seeds: a builtin as a function value, and unwraps at block, condition and `:=` exits
  { expr: '$map([{"a": 1}, {"b": 2}], $keys)', stock: [['a'], ['b']] },
  { expr: '($w := "c22 3"; $map("c22 3", $keys))', stock: undefined },
  { expr: '$map("c22 3", $keys)', stock: [] },
  { expr: 'true ? $map(["a"], $keys) : 0', stock: undefined },
  { expr: '($x := $map(["a"], $keys))', stock: undefined },
  { expr: '$count(($map(1, function($e){ $map(1, function($f){ ($w := null; $append(0, "red")) }) }))[-1])', stock: 2 },
  // the single-field shortcut reads no field of a record flagged as a function
  { expr: 'x', data: { _jsonata_function: true, x: 1 }, stock: undefined },
  { expr: 'x', data: { _jsonata_lambda: true, x: 'a' }, stock: undefined },
];

async function outcome(expr: string, data: unknown, fastPath: boolean): Promise<{ value: unknown; sync: boolean } | { error: string }> {
  try {
    const r = compileExpression(expr, { fastPath }).evaluate(data ?? {});
    const sync = !isPending(r);
    return { value: await r, sync };
  } catch (err) {
    return { error: String((err as { code?: string }).code) };
  }
}

describe('tail calls and sequence unwrapping: fast path equals stock', () => {
  for (const c of CASES) {
    it(c.expr, async () => {
      const stock = await outcome(c.expr, c.data, false);
      const fast = await outcome(c.expr, c.data, true);
      // stock gives what the case says (plain JSON view), and the fast path gives the same, flags included
      if ('error' in stock) expect(stock).toEqual(c.stock);
      else expect(JSON.parse(JSON.stringify(stock.value ?? null))).toEqual(c.stock ?? null);
      if ('error' in stock || 'error' in fast) expect(fast).toEqual(stock);
      else expect(sameValue(fast.value, stock.value)).toBe(true);
    });
  }

  it('answers the issue-11 cases on the fast path itself', async () => {
    for (const c of CASES.slice(0, 2)) {
      const r = await outcome(c.expr, c.data, true);
      expect('sync' in r && r.sync).toBe(true);
    }
  });
});
