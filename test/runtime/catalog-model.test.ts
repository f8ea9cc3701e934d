/**
 * The catalogue model on real files: `let` computed once per record and read by attributes and
 * rule arguments, `each` turning one record into several (an empty list, a single value), rule
 * arguments as expressions, `spread` into numbered columns, and the accounting that goes with it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../engine/runtime/run.js';
import { parseCsvText } from '../../engine/runtime/csv-parse.js';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'manoflow-model-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function csvRows(path: string): Record<string, string>[] {
  const [head, ...rows] = parseCsvText(readFileSync(path, 'utf8'), { delimiter: ',' });
  return rows.map((r) => Object.fromEntries(head!.fields.map((h, i) => [h, r.fields[i] ?? ''])));
}

const products = [
  { ref: 'P1', name: 'Perceuse', brand: 'Bosch', variants: 'sku=P1-R,color=rouge|sku=P1-B,color=bleu' },
  { ref: 'P2', name: 'Scie', brand: 'Makita', variants: '' },
  { ref: 'P3', name: 'Marteau', brand: 'Stanley', variants: 'sku=P3-X,color=noir' },
];

const variantsPipeline = (extra = '') => `
version: 1
name: variants
source: { type: json, path: products.json }
vars: { image_base: "https://cdn.example.com/" }
mapping:
  let:
    items: "variants = '' ? [] : [$map($split(variants, '|'), function($v) { $merge($map($split($v, ','), function($p) { { $substringBefore($p, '='): $substringAfter($p, '=') } })) })]"
    parent_title: name & " " & brand
  each: $items
  attributes:
    sku: $item.sku
    parent_sku: ref
    title: $parent_title & " " & $item.color
    position: $item_index
    image: { from: $item.sku, rules: [{ append: ".jpg" }, { prepend: { text: { expr: "$vars.image_base" } } }] }
${extra}
destination: { type: csv, output: out.csv }
`;

describe('let and each', () => {
  it('one record per item, with the parent record and the let values at hand; an empty list gives none', async () => {
    const dir = workspace({ 'products.json': JSON.stringify(products), 'p.yaml': variantsPipeline() });
    const s = await runPipeline(join(dir, 'p.yaml'));
    expect(s).toMatchObject({ read: 3, records: 4, written: 3, rejected: 0, filtered: 1 });
    expect(s.records).toBe(s.written + s.rejected + s.filtered);
    expect(csvRows(join(dir, 'out.csv'))).toEqual([
      { sku: 'P1-R', parent_sku: 'P1', title: 'Perceuse Bosch rouge', position: '1', image: 'https://cdn.example.com/P1-R.jpg' },
      { sku: 'P1-B', parent_sku: 'P1', title: 'Perceuse Bosch bleu', position: '2', image: 'https://cdn.example.com/P1-B.jpg' },
      { sku: 'P3-X', parent_sku: 'P3', title: 'Marteau Stanley noir', position: '1', image: 'https://cdn.example.com/P3-X.jpg' },
    ]);
  });

  it('a value that is not a list is one item; the fast path and the stock interpreter agree', async () => {
    const single = workspace({
      'products.json': JSON.stringify([{ ref: 'A', one: { sku: 'A-1' } }, { ref: 'B' }]),
      'p.yaml': `version: 1
name: single
source: { type: json, path: products.json }
mapping:
  each: one
  attributes: { sku: $item.sku, parent: ref }
destination: { type: csv, output: out.csv }
`,
    });
    for (const fastPath of [true, false]) {
      const s = await runPipeline(join(single, 'p.yaml'), { fastPath });
      expect(s).toMatchObject({ read: 2, records: 2, written: 1, filtered: 1 });
      expect(csvRows(join(single, 'out.csv'))).toEqual([{ sku: 'A-1', parent: 'A' }]);
    }
  });

  it('a failing item is rejected alone; a failing let rejects its record, once', async () => {
    const dir = workspace({
      'products.json': JSON.stringify([
        { ref: 'P1', variants: [{ sku: 'P1-A', qty: '2' }, { sku: 'P1-B', qty: [1, 2] }] },
        { ref: 'P2', bad: true, variants: [{ sku: 'P2-A', qty: '1' }] },
      ]),
      'p.yaml': `version: 1
name: fails
source: { type: json, path: products.json }
mapping:
  let:
    check: "bad ? $error('bad parent') : true"
  each: variants
  attributes:
    sku: $item.sku
    quantity: $number($item.qty)
destination: { type: csv, output: out.csv }
`,
    });
    for (const fastPath of [true, false]) {
      const s = await runPipeline(join(dir, 'p.yaml'), { fastPath, force: true });
      expect(s).toMatchObject({ read: 2, records: 3, written: 1, rejected: 2, filtered: 0 });
      const rejects = csvRows(s.rejectReport);
      expect(rejects.map((r) => [r.index, r.attribute, r.code])).toEqual([
        ['0', 'quantity', 'EXPR_T0410'],
        ['1', 'let "check"', 'EXPR_D3137'],
      ]);
      expect(rejects[1]!.message).toContain('p.yaml:6:5');
    }
  });

  it('a rule argument given as an expression of the wrong type rejects the record with a hint', async () => {
    const dir = workspace({
      'products.json': JSON.stringify([{ ref: 'A', name: 'Perceuse sans fil', max: '5' }, { ref: 'B', name: 'Scie', max: 3 }]),
      'p.yaml': `version: 1
name: arg-type
source: { type: json, path: products.json }
mapping:
  attributes:
    sku: ref
    title: { from: name, rules: [{ truncate: { length: { expr: max } } }] }
destination: { type: csv, output: out.csv }
`,
    });
    const s = await runPipeline(join(dir, 'p.yaml'));
    expect(s).toMatchObject({ read: 2, written: 1, rejected: 1 });
    expect(csvRows(join(dir, 'out.csv'))).toEqual([{ sku: 'B', title: 'Sc…' }]);
    const [reject] = csvRows(s.rejectReport);
    expect(reject).toMatchObject({ index: '0', attribute: 'title', code: 'RULE_ARG_TYPE' });
    expect(reject!.message).toContain('parameter "length" must be a number, the expression gave string "5"');
  });
});

describe('let written like an attribute', () => {
  it('from + rules + default give a value that later lets, each and attributes read', async () => {
    const dir = workspace({
      'products.json': JSON.stringify([{ ref: 'A', tags: ' perceuse | sans fil ' }, { ref: 'B' }]),
      'p.yaml': `version: 1
name: let-rules
source: { type: json, path: products.json }
mapping:
  let:
    tags: { from: tags, rules: [{ split: "|" }, trim], default: [] }
    tag_count: $count($tags)
  each: $tags
  attributes:
    sku: ref & "-" & $item_index
    tag: $item
    of: $tag_count
destination: { type: csv, output: out.csv }
`,
    });
    for (const fastPath of [true, false]) {
      const s = await runPipeline(join(dir, 'p.yaml'), { fastPath });
      expect(s).toMatchObject({ read: 2, records: 3, written: 2, filtered: 1 });
      expect(csvRows(join(dir, 'out.csv'))).toEqual([{ sku: 'A-1', tag: 'perceuse', of: '2' }, { sku: 'A-2', tag: 'sans fil', of: '2' }]);
    }
  });
});

describe('spread', () => {
  it('fills numbered columns from a list; a short list leaves the rest empty, a long one is cut', async () => {
    const dir = workspace({
      'products.json': JSON.stringify([
        { ref: 'A', images: 'a1.jpg, a2.jpg' },
        { ref: 'B', images: 'b1.jpg, b2.jpg, b3.jpg, b4.jpg' },
        { ref: 'C' },
      ]),
      'p.yaml': `version: 1
name: spread
source: { type: json, path: products.json }
mapping:
  attributes:
    sku: ref
    images:
      from: $split(images, ", ")
      spread: { prefix: image_, count: 3 }
    note: { value: x }
destination: { type: csv, output: out.csv }
`,
    });
    const s = await runPipeline(join(dir, 'p.yaml'));
    expect(s).toMatchObject({ written: 3, rejected: 0 });
    expect(csvRows(join(dir, 'out.csv'))).toEqual([
      { sku: 'A', image_1: 'a1.jpg', image_2: 'a2.jpg', image_3: '', note: 'x' },
      { sku: 'B', image_1: 'b1.jpg', image_2: 'b2.jpg', image_3: 'b3.jpg', note: 'x' },
      { sku: 'C', image_1: '', image_2: '', image_3: '', note: 'x' },
    ]);
  });
});
