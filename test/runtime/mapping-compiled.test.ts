/**
 * The mapping's generated code (engine/runtime/mapping/compiled.ts) gives what evaluating each
 * attribute in turn gives, under the stock interpreter too: on records whose columns are missing,
 * numbers, lists or null, on values a native declines, with defaults, spreads, expressions and
 * JSONata steps between them, and on a record flagged as a JSONata function.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPipeline } from '../../engine/config/load.js';
import { compileMapping } from '../../engine/runtime/mapping/index.js';
import { RecordError } from '../../engine/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'manoflow-compiled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PIPELINE = `version: 1
name: compiled
source: { type: json, path: records.json }
mapping:
  automap: false
  attributes:
    sku: code
    title: { from: name, rules: [strip_html, { truncate: 12 }] }
    quantity: { from: stock, rules: [to_number], default: 0 }
    label: { from: name, rules: [strip_html, { jsonata: "$uppercase($)" }] }
    image: { from: images, spread: { prefix: image_, count: 2 } }
    total: $string(stock) & "-" & code
    colour: { from: colour, rules: [{ lookup: { table: { rouge: Rouge } } }], default: none }
    fixed: { value: kg, rules: [{ replace: { pattern: k, with: K } }] }
destination: { type: csv, output: out.csv }
`;

const RECORDS: Record<string, unknown>[] = [
  { code: 'A1', name: '<b>Perceuse</b> &amp; visseuse 18V', stock: '12', images: 'a.jpg', colour: 'rouge' },
  { code: 'A2', name: '  espaces   partout  ', stock: ' 7 ', images: ['a.jpg', 'b.jpg', 'c.jpg'], colour: 'bleu' },
  // missing columns: the defaults, an empty spread
  { code: 'A3' },
  // numbers, booleans and null where text is expected: JSONata's path semantics decide
  { code: 4, name: 42, stock: 12.5, images: null, colour: true },
  // a list in a column read plainly
  { code: ['A5', 'B5'], name: ['<i>x</i>', 'y'], stock: ['1', '2'] },
  // values to_number's native declines: the JSONata body decides (here: an error, below)
  { code: 'A6', name: 'ok', stock: '' },
  { code: 'A7', name: '', stock: '0', colour: '' },
  // a record flagged as a JSONata function: stock reads no column of it
  { _jsonata_function: true, code: 'A8', name: 'n', stock: '1' },
];

async function outcome(mapping: ReturnType<typeof compileMapping>, record: Record<string, unknown>): Promise<unknown> {
  try {
    return { record: await mapping.mapRecord(record) };
  } catch (err) {
    if (!(err instanceof RecordError)) throw err;
    return { error: err.code, message: err.message, attribute: err.attribute };
  }
}

describe('compiled mapping', () => {
  writeFileSync(join(dir, 'p.yaml'), PIPELINE);
  writeFileSync(join(dir, 'records.json'), '[]');
  const fast = compileMapping(loadPipeline(join(dir, 'p.yaml')), undefined, {});
  const stock = compileMapping(loadPipeline(join(dir, 'p.yaml')), undefined, { fastPath: false });

  it('runs column reads with built-in rule boxes as generated code, the rest through the plans', () => {
    expect(fast.compiledAttributes).toEqual(['sku', 'title', 'quantity', 'image', 'colour']);
    // the stock interpreter has no natives and no plain field reads: nothing is generated
    expect(stock.compiledAttributes).toEqual([]);
  });

  it.each(RECORDS.map((r, i) => [i, r] as const))('record %i: the same output or error as the stock interpreter', async (_i, record) => {
    expect(await outcome(fast, record)).toEqual(await outcome(stock, record));
  });

  it('uses the generated path for plain records and falls back per attribute', async () => {
    expect(await fast.mapRecord(RECORDS[0]!)).toEqual({
      sku: 'A1', title: 'Perceuse &…', quantity: 12, label: 'PERCEUSE & VISSEUSE 18V', image_1: 'a.jpg', total: '12-A1', colour: 'Rouge', fixed: 'Kg',
    });
    // a default replaces an empty result; a missing spread leaves its columns out
    expect(await fast.mapRecord(RECORDS[2]!)).toEqual({ sku: 'A3', quantity: 0, total: '-A3', colour: 'none', fixed: 'Kg' });
    // a number column is not read plainly: the general path gives JSONata's answer
    expect((await fast.mapRecord({ code: 'N', name: 'x', stock: 12.5 }) as Record<string, unknown>).quantity).toBe(12.5);
  });

  it('names the attribute when a declined value fails in the JSONata body', async () => {
    const a = await outcome(fast, { code: 'A9', name: 'x', stock: 'abc' }) as { error?: string; attribute?: string };
    expect(a).toEqual(await outcome(stock, { code: 'A9', name: 'x', stock: 'abc' }));
    expect(a.attribute).toBe('quantity');
  });
});
