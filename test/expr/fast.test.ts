/**
 * The expression layer on feed-style rules: the fast path answers synchronously and equals stock
 * JSONata, falls back on arrays, keeps error code and position, calls bound JS functions, and the
 * guardrails stop runaway recursion and loops.
 */
import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionError, GUARDRAIL_CODE, isPending } from '../../engine/expr/index.js';
import { both, pair } from './helpers.js';

const record = (i: number): Record<string, unknown> => ({
  id: `SKU-${i}`,
  name: i % 3 === 0 ? `  Perceuse <b>${i}</b> ` : `Scie ${i}`,
  price_ex_vat: i % 4 === 0 ? `${i},50` : `${i}.25`,
  stock: String(i % 5),
  brand: i % 2 ? 'Bosch' : '',
  ean: i % 7 === 0 ? undefined : `3165140${String(i).padStart(6, '0')}`,
  weight: i % 6 === 0 ? null : i / 10,
  category: { name: 'Outillage', path: 'Bricolage > Outillage' },
});

const vars = { vat_rate: 0.2, currency: 'EUR', prefix: 'MM-' };
const decodeHtmlEntities = (s: unknown): unknown => (typeof s === 'string' ? s.replace(/<[^>]+>/g, '') : s);

// feed rule boxes, as data: each must compile to the fast path and equal stock on every record
const FEED_RULES = [
  'id',
  '$vars.prefix & id',
  '$trim($uppercase(name))',
  '$substring($trim(name), 0, 10)',
  '$number($replace(price_ex_vat, ",", "."))',
  '$round($number($replace(price_ex_vat, ",", ".")) * (1 + $vars.vat_rate), 2)',
  '$number(stock) > 0 ? "in_stock" : "out_of_stock"',
  'brand ? brand : "Generic"',
  'brand ?: "Generic"',
  'ean ?? "none"',
  '$exists(ean) and $length(ean) = 13',
  '$string(weight)',
  'weight = null ? 0 : $floor(weight * 1000)',
  '$contains(name, "Perceuse") or $contains(name, "Scie")',
  '$join($split(category.path, " > "), "/")',
  '$decodeHtmlEntities($trim(name))',
  '($p := $number($replace(price_ex_vat, ",", ".")); $p > 10 ? $string($p) & " " & $vars.currency : "cheap")',
  '$$.category.name & " / " & $.id',
  '{"sku": id, "title": $trim(name), "n": $number(stock)}',
];

const BIG_OBJECT = `{
  "sku": id, "seller_sku": $vars.prefix & id, "title": $trim(name), "title_upper": $uppercase($trim(name)),
  "short": $substring($trim(name), 0, 8), "price": $number($replace(price_ex_vat, ",", ".")),
  "price_vat": $round($number($replace(price_ex_vat, ",", ".")) * (1 + $vars.vat_rate), 2),
  "quantity": $number(stock), "available": $number(stock) > 0, "brand": brand ?: "Generic",
  "ean": ean, "has_ean": $exists(ean), "weight_g": weight = null ? 0 : $round(weight * 1000),
  "weight": $string(weight), "category": category.name, "path": category.path,
  "path_slash": $join($split(category.path, " > "), "/"), "currency": $vars.currency,
  "carrier": "DPD", "shipping_time": "2-3", "garanty": 2, "is_bosch": brand = "Bosch",
  "label": id & " - " & $trim(name), "clean": $decodeHtmlEntities(name), "lower": $lowercase(brand)
}`;

describe('feed-style expressions', () => {
  for (const src of FEED_RULES) {
    it(`fast and equal to stock: ${src}`, async () => {
      const run = pair(src);
      for (let i = 0; i < 40; i++) {
        const r = await run(record(i), { vars, decodeHtmlEntities });
        expect(r.compiledFast).toBe(true);
        expect(r.sync).toBe(true);
        expect(r.fast).toStrictEqual(r.stock);
      }
    });
  }

  it('builds a 25-attribute object synchronously, equal to stock', async () => {
    expect((BIG_OBJECT.match(/": /g) ?? []).length).toBe(25);
    const run = pair(BIG_OBJECT);
    for (let i = 0; i < 40; i++) {
      const r = await run(record(i), { vars, decodeHtmlEntities });
      expect(r.sync).toBe(true);
      expect(r.fast).toStrictEqual(r.stock);
      expect(Object.keys((r.fast as { value: object }).value).length).toBeGreaterThanOrEqual(23);
    }
  });

  it('returns a plain value, not a Promise, on the fast path', () => {
    const expr = compileExpression('$uppercase(name) & "!"');
    expect(expr.fast).toBe(true);
    const value = expr.evaluate({ name: 'scie' });
    expect(isPending(value)).toBe(false);
    expect(value).toBe('SCIE!');
  });

  it('stays on stock when fastPath is off or the expression is outside the subset', () => {
    expect(compileExpression('id', { fastPath: false }).fast).toBe(false);
    expect(compileExpression('items^(price).name').fast).toBe(false);
    expect(compileExpression('$map(items, $f(?, 2))').fast).toBe(false);
    expect(compileExpression('**.name').fast).toBe(false);
  });
});

describe('fallback to stock', () => {
  it('maps paths over arrays like stock, synchronously', async () => {
    const data = { items: [{ name: 'a' }, { name: 'b' }], tags: ['x', 'y'] };
    for (const src of ['items.name', 'tags', '$join(tags, ",")', 'items.name & "!"', '{"n": items.name}', 'items[1].name', 'items[name = "b"]']) {
      const r = await both(src, data);
      expect(r.compiledFast).toBe(true);
      expect(r.sync).toBe(true);
      expect(r.fast).toStrictEqual(r.stock);
    }
  });

  it('falls back where stock semantics are not replicated (an object built over an array context)', async () => {
    const r = await both('{"n": $count($)}', [1, 2]);
    expect(r.compiledFast).toBe(true);
    expect(r.sync).toBe(false);
    expect(r.fast).toStrictEqual(r.stock);
    const arr = await both('$string($)', [1, 2]);
    expect(arr.sync).toBe(true);
    expect(arr.fast).toStrictEqual(arr.stock);
  });
});

describe('errors keep code and position', () => {
  const CASES: [string, unknown, string][] = [
    ['price + 1', { price: '12,5' }, 'T2001'],
    ['1 + price', { price: 'x' }, 'T2002'],
    ['$substring(name, "x")', { name: 'abc' }, 'T0410'],
    ['name < 3', { name: 'abc' }, 'T2009'],
    ['{"a": 1, "a": 2}', {}, 'D1009'],
    ['$replace(name, "", "x")', { name: 'abc' }, 'D3010'],
    ['$unknownFn(name)', { name: 'abc' }, 'T1006'],
    ['-name', { name: 'abc' }, 'D1002'],
  ];
  for (const [src, data, code] of CASES) {
    it(`${src} → ${code}`, async () => {
      const r = await both(src, data);
      expect(r.fast).toStrictEqual(r.stock);
      expect('error' in r.fast && r.fast.error.code).toBe(code);
      expect('error' in r.fast && typeof r.fast.error.position).toBe('number');
    });
  }

  it('rejects with an ExpressionError (not a raw jsonata object)', async () => {
    await expect(compileExpression('price + 1').evaluate({ price: 'x' })).rejects.toBeInstanceOf(ExpressionError);
    expect(() => compileExpression('price +')).toThrow(ExpressionError);
  });
});

describe('guardrails', () => {
  it('stops infinite recursion with the depth error', async () => {
    const expr = compileExpression('($f := function($x){$f($x)}; $f(1))', { maxDepth: 200, timeLimitMs: 10_000 });
    await expect(expr.evaluate({})).rejects.toMatchObject({ code: GUARDRAIL_CODE, name: 'ExpressionError' });
  });

  it('stops a long loop on time', async () => {
    // tail-recursive: depth stays flat, only the clock can stop it
    const expr = compileExpression('($loop := function($n){ $n > 0 ? $loop($n - 1) : 0 }; $loop(1e9))', { timeLimitMs: 50 });
    await expect(expr.evaluate({})).rejects.toMatchObject({ code: GUARDRAIL_CODE });
  });

  it('keeps an expression deeper than maxDepth off the fast path', async () => {
    // stock would stop this one (nesting 6 > 3), so the fast path must not answer it
    const deep = compileExpression('$string($string($string($string(a))))', { maxDepth: 3 });
    expect(deep.fast).toBe(false);
    await expect(deep.evaluate({ a: 1 })).rejects.toMatchObject({ code: GUARDRAIL_CODE });
    const shallow = compileExpression('a.b.c.d.e.f', { maxDepth: 3 });
    expect(shallow.fast).toBe(true);
    const doc = { a: { b: { c: { d: { e: { f: 1 } } } } } };
    expect(shallow.evaluate(doc)).toBe(1);
    expect(await compileExpression('a.b.c.d.e.f', { maxDepth: 3, fastPath: false }).evaluate(doc)).toBe(1);
  });
});
