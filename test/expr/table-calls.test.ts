/**
 * `$lookups.<name>(args)` is a call evaluated in the current context (engine/expr/table-calls.ts):
 * the parsed call becomes exactly the node JSONata builds for `$f(args)`, so its arguments read
 * the record on the stock interpreter and on the fast path alike; a record error raised by the
 * table (a required miss) comes out unchanged, from one evaluation.
 */
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { compileExpression, isPending } from '../../engine/expr/index.js';
import { normalizeTableCalls, lookupUsesOf } from '../../engine/expr/table-calls.js';
import { RecordError } from '../../engine/errors.js';

/** The AST without positions (they differ between the two spellings). */
function shape(ast: unknown): unknown {
  return JSON.parse(JSON.stringify(ast, (k, v) => (k === 'position' ? undefined : v)));
}

describe('table calls: the rewrite', () => {
  it.each([
    ['$lookups.parents(id)', '$F(id)'],
    ['$lookups.parents(id).Name', '$F(id).Name'],
    ['$lookups.parents(id)[0]', '$F(id)[0]'],
    ['$lookups.parents(id)[0].Name', '$F(id)[0].Name'],
    ['$lookups.prices(sku, market).price[1]', '$F(sku, market).price[1]'],
    ['$uppercase($lookups.parents($lowercase(id)).Name)', '$uppercase($F($lowercase(id)).Name)'],
    ['id ~> $lookups.parents()', 'id ~> $F()'],
    ['$map(ids, function($i) { $lookups.parents($i).Name })', '$map(ids, function($i) { $F($i).Name })'],
  ])('%s is parsed as %s', (lookup, plain) => {
    const a = jsonata(lookup).ast();
    normalizeTableCalls(a);
    const b = shape(jsonata(plain).ast());
    const rename = (s: unknown) => JSON.parse(JSON.stringify(s).replaceAll('"value":"F"', `"value":"lookups.${lookup.includes('prices') ? 'prices' : 'parents'}"`));
    expect(shape(a)).toEqual(rename(b));
  });

  it('leaves other forms as JSONata parses them', () => {
    for (const src of ['$lookups.parents', '$lookups.parents(id){"a": 1}', '$lookups.parents(id)#$i', '$other.parents(id)', '$lookups[0].parents(id)']) {
      const a = jsonata(src).ast();
      const before = shape(a);
      normalizeTableCalls(a);
      expect(shape(a)).toEqual(before);
    }
  });

  it('finds the calls and the names read, for validation', () => {
    const a = jsonata('$lookups.parents(id).Name & $lookup($lookups.categories, c) & $lookups.prices(a, b)').ast();
    normalizeTableCalls(a);
    const uses = lookupUsesOf(a);
    expect(uses.calls.map((c) => [c.name, c.args])).toEqual([['parents', 1], ['prices', 2]]);
    expect(uses.refs.map((r) => r.name).sort()).toEqual(['categories', 'parents', 'prices']);
  });
});

describe('table calls: evaluation', () => {
  let calls = 0;
  const table = (key: unknown) => {
    calls++;
    if (key === 'miss') throw new RecordError('LOOKUP_MISSING', 'no row with the key "miss"');
    return key === undefined ? undefined : { Name: `name of ${String(key)}`, tags: ['a', 'b'] };
  };
  const bindings = { lookups: { parents: table }, 'lookups.parents': table };
  const sources = ['$lookups.parents(id).Name', '$lookups.parents(id).tags[1]', '$uppercase($lookups.parents(id).Name)', '$lookups.parents(nothing)'];

  it.each(sources)('%s: the fast path answers synchronously what stock answers', async (src) => {
    const fast = compileExpression(src);
    const stock = compileExpression(src, { fastPath: false });
    expect(fast.fast).toBe(true);
    const value = fast.evaluate({ id: '12' }, bindings);
    expect(isPending(value)).toBe(false);
    expect(value).toEqual(await stock.evaluate({ id: '12' }, bindings));
  });

  it('a record error from the table keeps its class and code, after one call, on both interpreters', async () => {
    for (const fastPath of [true, false]) {
      calls = 0;
      const e = compileExpression('$lookups.parents(id).Name', { fastPath });
      let error: unknown;
      try {
        await e.evaluate({ id: 'miss' }, bindings);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(RecordError);
      expect(error).toMatchObject({ code: 'LOOKUP_MISSING' });
      expect(calls).toBe(1);
    }
  });
});
