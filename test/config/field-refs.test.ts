// Which source fields an expression reads, as data: expression → the names collected (in order).
// The rule is "no false positives": a name whose context is not certainly the record is skipped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fieldRefsOf } from '../../engine/config/field-refs.js';
import { readCsvHeaderSync } from '../../engine/connectors/sources/csv/header.js';

const cases: [string, string[]][] = [
  // plain references and the first step of a path
  ['sku', ['sku']],
  ['price.amount', ['price']],
  ['`Is featured?`', ['Is featured?']],
  ['$number(price) * (1 + $vars.vat_rate)', ['price']],
  ["name & ' ' & brand", ['name', 'brand']],
  ['stock > 0 ? "in" : out_label', ['stock', 'out_label']],
  ['-discount', ['discount']],
  ['[ean, gtin]', ['ean', 'gtin']],
  ['{"a": sku, "b": name}', ['sku', 'name']],
  ['(a; b)', ['a', 'b']],
  ['$x := sku', ['sku']],
  ['name ~> $substring(0, max_len)', ['name', 'max_len']],
  ['$f(?, qty)', ['qty']],
  ['$string(sku).x', ['sku']],
  ['(a).b', ['a']],
  ['tags[0]', ['tags']],
  ['x@$v.y', ['x']],
  // the record through $, $$ and $record
  ['$.sku', ['sku']],
  ['$$.sku', ['sku']],
  ['$record.sku', ['sku']],
  ['items[$$.min_qty < qty]', ['items', 'min_qty']],
  // a lambda's body runs on the input where it is defined (here: the record)
  ['$map(tags, function($t) { $t & suffix })', ['tags', 'suffix']],
  // skipped: later steps, predicates, sort terms, groups, transforms, variables, literals
  ['items[qty > 0].name', ['items']],
  ['items^(price)', ['items']],
  ['items{name: price}', ['items']],
  ['$sum(items.(price * qty))', ['items']],
  ['$vars.rate', []],
  ['$lookups.brands[code = brand_code].label', []],
  ['$', []],
  ['$.sku.x[y]', ['sku']],
  ['| a | {"b": c} |', []],
  ["'literal' & 42 & true & null", []],
  ['/ab+/', []],
  ['*.x', []],
  ['**.x', []],
  ['a.%.b', ['a']],
  // $record rebound in the expression: not the record any more
  ['function($record) { $record.x }', []],
  ['($record := {"x": 1}; $record.x)', []],
  // a syntax error: nothing to say (CFG_JSONATA_SYNTAX reports it)
  ['$substring(', undefined as unknown as string[]],
];

describe('fieldRefsOf', () => {
  it.each(cases)('%s', (expr, names) => {
    const refs = fieldRefsOf(expr);
    expect(refs?.map((r) => r.name)).toEqual(names);
  });

  it.each([
    ['sku', 'sku', 0],
    ['$number(prise) * 2', 'prise', 8],
    ["`Is featurd?` = '1'", 'Is featurd?', 0],
    ['a & $$.skku', 'skku', 7],
  ])('%s: %s starts at offset %i', (expr, name, offset) => {
    expect(fieldRefsOf(expr)?.find((r) => r.name === name)?.offset).toBe(offset);
  });
});

describe('readCsvHeaderSync', () => {
  let dir = '';
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'manoflow-header-')); });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['BOM, quotes, comma', '\uFEFFID,"Is featured?","a,b"\n1,2,3\n', {}, ['ID', 'Is featured?', 'a,b']],
    ['auto finds ;', 'sku;name\nA;x\n', { delimiter: 'auto' }, ['sku', 'name']],
    ['skip_lines and trim', 'preamble\n sku , name \nA,x\n', { skip_lines: 1, trim: true }, ['sku', 'name']],
    ['header: false', 'A,x,1\n', { header: false }, ['col_1', 'col_2', 'col_3']],
    ['header: names', 'A,x\n', { header: ['code', 'label'] }, ['code', 'label']],
    ['CRLF, no data', 'sku,name\r\n', {}, ['sku', 'name']],
    ['header without newline', 'sku,name', {}, ['sku', 'name']],
    ['empty file: unknown', '', {}, undefined],
    ['wrong delimiter: unknown (the run refuses it)', 'sku,name\nA,x\n', { delimiter: ';' }, undefined],
    ['duplicate names: unknown (the run refuses it)', 'sku,sku\n', {}, undefined],
    ['unclosed quote in the header: unknown', '"sku,name\nA,x\n', {}, undefined],
    ['invalid settings: unknown', 'sku,name\n', { delimiter: ';;' }, undefined],
  ])('%s', async (_name, text, settings, expected) => {
    await writeFile(join(dir, 'h.csv'), text);
    expect(readCsvHeaderSync(join(dir, 'h.csv'), settings)).toEqual(expected);
  });

  it('decodes windows-1252 and refuses invalid UTF-8 under utf8', async () => {
    await writeFile(join(dir, 'l.csv'), Buffer.from('R\xe9f;Prix\nA;1\n', 'latin1'));
    expect(readCsvHeaderSync(join(dir, 'l.csv'), { delimiter: ';', encoding: 'latin1' })).toEqual(['Réf', 'Prix']);
    expect(readCsvHeaderSync(join(dir, 'l.csv'), { delimiter: ';' })).toBeUndefined();
  });

  it('a missing file: unknown', () => {
    expect(readCsvHeaderSync(join(dir, 'nope.csv'), {})).toBeUndefined();
  });
});
