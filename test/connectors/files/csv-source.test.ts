// The csv source on hand-made fixtures, one per edge case found in real shop exports
// (test/fixtures/catalogs/README.md). Each case: the fixture, the config, and every item expected.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import csvSource from '../../../engine/connectors/sources/csv/index.js';
import type { CsvSourceConfig } from '../../../engine/types/generated/pipeline.js';
import { makeContext, readAll, tempDir } from './context.js';

const EDGE = join(import.meta.dirname, '../../fixtures/catalogs/edge');

type Expected = { line: number; record: Record<string, string> } | { line: number; code: string; message?: string };
interface Case { name: string; file: string; config?: Partial<CsvSourceConfig>; items: Expected[] }

const cases: Case[] = [
  { name: 'BOM stripped, quoted header names', file: 'bom-quoted-header.csv', items: [
    { line: 2, record: { ID: '1', 'Is featured?': '1', 'Weight (lbs)': '.5', Name: 'Shirt, V-neck' } },
    { line: 3, record: { ID: '2', 'Is featured?': '0', 'Weight (lbs)': '', Name: 'Hoodie' } },
  ] },
  { name: 'semicolons and commas inside quotes', file: 'quoted-delimiters.csv', config: { delimiter: ';' }, items: [
    { line: 2, record: { sku: 'A1', name: 'Bolt; M8, zinc', tags: 'apple, ipod, nano' } },
    { line: 3, record: { sku: 'A2', name: 'Nut', tags: 'x;y;z' } },
  ] },
  { name: 'multi-line quoted cells keep physical line numbers', file: 'multiline.csv', items: [
    { line: 2, record: { sku: 'P1', information: 'Line one\nLine two\nLine three', price: '10.5' } },
    { line: 5, record: { sku: 'P2', information: 'single', price: '3' } },
    { line: 6, record: { sku: 'P3', information: 'a\n\nb', price: '4' } },
    { line: 9, record: { sku: 'P4', information: 'last', price: '5' } },
  ] },
  { name: 'doubled quotes', file: 'doubled-quotes.csv', items: [
    { line: 2, record: { sku: 'S1', spec: 'Width: 3" wide' } },
    { line: 3, record: { sku: 'S2', spec: 'He said "hi"' } },
    { line: 4, record: { sku: 'S3', spec: '"' } },
    { line: 5, record: { sku: 'S4', spec: '' } },
  ] },
  { name: 'umlauts, ß and decimal commas stay text', file: 'de-prices.csv', config: { delimiter: ';' }, items: [
    { line: 2, record: { ordernumber: 'SW10002.1', price: '59,99', _name: 'Münsterländer Lagerkorn 32%', _additionaltext: '1,5 Liter' } },
    { line: 3, record: { ordernumber: 'SW10003', price: '199', _name: 'Ölwechsel Großpackung', _additionaltext: '0,5 Liter' } },
  ] },
  { name: 'typographic quotes are not CSV quotes', file: 'typographic.csv', items: [
    { line: 2, record: { sku: 'T1', spec: 'Width: 3”', note: 'It’s “great” — really' } },
    { line: 3, record: { sku: 'T2', spec: 'Height: 5”, depth: 2”', note: 'dash – and “quotes”' } },
  ] },
  { name: 'trailing delimiter on records (PrestaShop)', file: 'trailing-delimiter.csv', config: { delimiter: ';' }, items: [
    { line: 2, record: { 'Product ID': '1', 'Name *': 'iPod Nano', 'Acessories  (x,y,z...)': '' } },
    { line: 3, record: { 'Product ID': '2', 'Name *': 'iPod shuffle', 'Acessories  (x,y,z...)': '' } },
  ] },
  { name: 'trailing delimiter on the header too: empty name becomes col_3', file: 'trailing-delimiter-header.csv', config: { delimiter: ';' }, items: [
    { line: 2, record: { sku: 'A', name: 'x', col_3: '' } },
    { line: 3, record: { sku: 'B', name: 'y', col_3: '' } },
  ] },
  { name: 'CRLF, with CRLF kept inside a quoted cell', file: 'crlf.csv', items: [
    { line: 2, record: { sku: 'A', name: 'x\r\ny' } },
    { line: 4, record: { sku: 'B', name: 'z' } },
  ] },
  { name: 'no final newline', file: 'no-final-newline.csv', items: [
    { line: 2, record: { sku: 'A', name: 'x' } },
    { line: 3, record: { sku: 'B', name: 'y' } },
  ] },
  { name: 'empty file', file: 'empty.csv', items: [] },
  { name: 'empty file without a header', file: 'empty.csv', config: { header: false }, items: [] },
  { name: 'header only', file: 'header-only.csv', items: [] },
  { name: 'header only, no newline', file: 'header-only-no-newline.csv', items: [] },
  { name: 'ragged rows are rejected with their line, later rows still read', file: 'ragged.csv', items: [
    { line: 2, record: { sku: 'A', name: 'x', price: '1' } },
    { line: 3, code: 'CSV_RAGGED_ROW', message: 'line 3 has 2 fields, the header has 3' },
    { line: 4, record: { sku: 'C', name: 'z', price: '3' } },
    { line: 5, code: 'CSV_RAGGED_ROW', message: 'line 5 has 4 fields, the header has 3' },
    { line: 7, record: { sku: 'E', name: 'w', price: '5' } },
  ] },
  { name: 'unterminated quote at EOF: one row rejected, reading resumes on the next line', file: 'unterminated.csv', items: [
    { line: 2, record: { sku: 'A', name: 'x' } },
    { line: 3, code: 'CSV_UNTERMINATED_QUOTE',
      message: 'line 3: a quoted cell opened on this line is never closed before the end of the file; the row is rejected and reading resumes at line 4' },
    { line: 4, record: { sku: 'C', name: 'y' } },
  ] },
  { name: 'stray character after a closing quote (`"7"x`): that row only', file: 'stray-quote.csv', config: { delimiter: ';' }, items: [
    { line: 2, record: { sku: 'A1', qty: '5', stock: '1' } },
    { line: 3, code: 'CSV_QUOTE_STRAY', message: 'line 3: a closing quote is followed by "x"; the row is rejected and reading resumes at line 4' },
    { line: 4, record: { sku: 'A4', qty: '9', stock: '2' } },
  ] },
  { name: 'unclosed quote noticed at a later quoted cell: rows after the opening line are read again', file: 'unterminated-middle.csv', items: [
    { line: 2, record: { sku: 'A', name: 'x' } },
    { line: 3, code: 'CSV_QUOTE_STRAY', message: 'line 3: the quoted cell opened on this line runs on to line 5, where a closing quote is followed by "z" (a quote never closed on line 3, or an undoubled quote inside a multi-line cell); the row is rejected and reading resumes at line 4' },
    { line: 4, record: { sku: 'C', name: 'y' } },
    { line: 5, record: { sku: 'D', name: 'z' } },
    { line: 6, record: { sku: 'E', name: 'w' } },
  ] },
  { name: 'unclosed quote 1100 lines before the end: one row rejected, the 1101 rows after it read', file: 'unterminated-long.csv', items: [
    { line: 2, code: 'CSV_QUOTE_STRAY', message: 'line 2: the quoted cell opened on this line runs on to line 1103, where a closing quote is followed by "z" (a quote never closed on line 2, or an undoubled quote inside a multi-line cell); the row is rejected and reading resumes at line 3' },
    ...Array.from({ length: 1100 }, (_, k) => ({ line: k + 3, record: { sku: `R${k + 3}`, name: 'v', n: String(k + 3) } })),
    { line: 1103, record: { sku: 'Z', name: 'z', n: '1103' } },
  ] },
  { name: 'spaces between a closing quote and the delimiter are ignored', file: 'quote-then-spaces.csv', items: [
    { line: 2, record: { sku: 'A', name: 'x', price: '1' } },
    { line: 3, record: { sku: 'B', name: 'y', price: '2' } },
  ] },
  { name: 'a one-column header in quotes may hold a comma', file: 'one-column-quoted.csv', items: [
    { line: 2, record: { 'Price, EUR': '12.50' } },
    { line: 3, record: { 'Price, EUR': '3.00' } },
  ] },
  { name: 'a wrong delimiter on a header-only file reads nothing, without error', file: 'header-only.csv', config: { delimiter: ';' }, items: [] },
  { name: 'latin1 (windows-1252) file', file: 'latin1.csv', config: { delimiter: ';', encoding: 'latin1' }, items: [
    { line: 2, record: { sku: 'A', name: 'Münsterländer Straße', price: '12,50' } },
    { line: 3, record: { sku: 'B', name: 'Café € 5', price: '3' } },
  ] },
  { name: 'skip_lines before the header', file: 'skip-lines.csv', config: { skip_lines: 2 }, items: [
    { line: 4, record: { sku: 'A', name: 'x' } },
    { line: 5, record: { sku: 'B', name: 'y' } },
  ] },
  { name: 'header: false names columns col_1..N', file: 'no-final-newline.csv', config: { header: false }, items: [
    { line: 1, record: { col_1: 'sku', col_2: 'name' } },
    { line: 2, record: { col_1: 'A', col_2: 'x' } },
    { line: 3, record: { col_1: 'B', col_2: 'y' } },
  ] },
  { name: 'explicit header names, first row is data', file: 'no-final-newline.csv', config: { header: ['code', 'label'], skip_lines: 1 }, items: [
    { line: 2, record: { code: 'A', label: 'x' } },
    { line: 3, record: { code: 'B', label: 'y' } },
  ] },
  { name: 'delimiter auto: semicolon', file: 'de-prices.csv', config: { delimiter: 'auto' }, items: [
    { line: 2, record: { ordernumber: 'SW10002.1', price: '59,99', _name: 'Münsterländer Lagerkorn 32%', _additionaltext: '1,5 Liter' } },
    { line: 3, record: { ordernumber: 'SW10003', price: '199', _name: 'Ölwechsel Großpackung', _additionaltext: '0,5 Liter' } },
  ] },
  { name: 'delimiter auto: tab', file: 'tab.tsv', config: { delimiter: 'auto' }, items: [
    { line: 2, record: { sku: 'A', name: 'x, y', price: '1' } },
  ] },
  { name: 'delimiter auto: pipe', file: 'pipe.csv', config: { delimiter: 'auto' }, items: [
    { line: 2, record: { sku: 'A', name: 'x; y, z', price: '1' } },
  ] },
  { name: 'delimiter auto with skip_lines', file: 'skip-lines.csv', config: { delimiter: 'auto', skip_lines: 2 }, items: [
    { line: 4, record: { sku: 'A', name: 'x' } },
    { line: 5, record: { sku: 'B', name: 'y' } },
  ] },
  { name: 'trim values and names', file: 'spaces.csv', config: { trim: true, id_column: 'sku' }, items: [
    { line: 2, record: { sku: 'A', name: 'x y' } },
  ] },
  { name: 'no trim by default', file: 'spaces.csv', items: [
    { line: 2, record: { ' sku ': ' A ', ' name ': '  x y  ' } },
  ] },
];

describe('csv source: edge cases', () => {
  let dir = '';
  let cleanup = async () => undefined as void;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it.each(cases)('$name', async ({ file, config, items }) => {
    await copyFile(join(EDGE, file), join(dir, file));
    const ctx = makeContext(dir);
    const got = await readAll(await csvSource.create({ type: 'csv', path: file, ...config }, ctx));
    const shaped = got.map((item): Expected => item.ok
      ? { line: item.position.line!, record: item.record as Record<string, string> }
      : { line: item.position.line!, code: item.error.code, ...(items.find((e) => e.line === item.position.line && 'message' in e && e.message) ? { message: item.error.message } : {}) });
    expect(shaped).toEqual(items);
    expect(got.map((i) => i.position.index)).toEqual(items.map((_, k) => k));
  });

  it('duplicate header names are a fatal CSV_DUPLICATE_HEADER naming them', async () => {
    await copyFile(join(EDGE, 'duplicate-header.csv'), join(dir, 'd.csv'));
    const source = await csvSource.create({ type: 'csv', path: 'd.csv' }, makeContext(dir));
    await expect(readAll(source)).rejects.toMatchObject({
      code: 'CSV_DUPLICATE_HEADER',
      message: expect.stringContaining('"sku" (columns 1, 3), "name" (columns 2, 4)'),
    });
  });

  it.each([
    { file: 'latin1.csv', config: { delimiter: ';' }, code: 'CSV_ENCODING',
      message: 'line 2 is not valid UTF-8 (byte 0xFC at column 4): the file is probably in windows-1252 (latin1); nothing is read as U+FFFD',
      hint: 'set encoding: windows-1252 (or latin1) on the source' },
    { file: 'mixed-encoding.csv', config: { delimiter: ';' }, code: 'CSV_ENCODING',
      message: 'line 4 is not valid UTF-8 (byte 0xE9 at column 6): the file is probably in windows-1252 (latin1); nothing is read as U+FFFD',
      hint: 'set encoding: windows-1252 (or latin1) on the source' },
    { file: 'comma-for-semicolon.csv', config: { delimiter: ';', id_column: 'sku' }, code: 'CSV_DELIMITER_MISMATCH',
      message: 'the header has a single column "sku,name,price": the file looks delimited by "," (2 in the header line), not by ";"',
      hint: 'set delimiter: "," (or auto)' },
    { file: 'de-prices.csv', config: { delimiter: ',' }, code: 'CSV_DELIMITER_MISMATCH',
      message: 'the header has a single column "ordernumber;price;_name;_additionaltext": the file looks delimited by ";" (3 in the header line), not by ","',
      hint: 'set delimiter: ";" (or auto)' },
    { file: 'tab.tsv', config: {}, code: 'CSV_DELIMITER_MISMATCH',
      message: 'the header has a single column "sku\\tname\\tprice": the file looks delimited by "\\t" (2 in the header line), not by ","',
      hint: 'set delimiter: "\\t" (or auto)' },
    { file: 'header-stray.csv', config: {}, code: 'CSV_QUOTE_STRAY',
      message: 'line 1: a closing quote is followed by "x"; the header row cannot be read',
      hint: 'a quote inside a quoted cell must be doubled (""), and only the delimiter or the end of the line may follow a closing quote' },
  ])('$file with $config is a fatal $code before any record', async ({ file, config, code, message, hint }) => {
    await copyFile(join(EDGE, file), join(dir, file));
    const items: unknown[] = [];
    const run = async () => { for await (const item of (await csvSource.create({ type: 'csv', path: file, ...config }, makeContext(dir))).read()) items.push(item); };
    await expect(run()).rejects.toMatchObject({ code, message: `${join(dir, file)}: ${message}`, hint });
    expect(items).toEqual([]);
  });

  it('latin1.csv with encoding: latin1 still reads (the fix the hint gives)', async () => {
    await copyFile(join(EDGE, 'latin1.csv'), join(dir, 'l.csv'));
    const items = await readAll(await csvSource.create({ type: 'csv', path: 'l.csv', delimiter: 'auto', encoding: 'windows-1252' }, makeContext(dir)));
    expect(items.map((i) => i.ok && i.record.name)).toEqual(['Münsterländer Straße', 'Café € 5']);
  });

  it('an invalid byte far past the first 64 KiB chunk is located by line, after the rows before it were read', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `SKU${i};Münster ${i}`);
    const bytes = Buffer.concat([Buffer.from(`sku;name\n${rows.join('\n')}\n`), Buffer.from('BAD;Caf\xe9\n', 'latin1'), Buffer.from('Z;ok\n')]);
    await writeFile(join(dir, 'big.csv'), bytes);
    let read = 0;
    const run = async () => { for await (const item of (await csvSource.create({ type: 'csv', path: 'big.csv', delimiter: ';' }, makeContext(dir))).read()) if (item.ok) read++; };
    await expect(run()).rejects.toMatchObject({ code: 'CSV_ENCODING', message: expect.stringContaining('line 5002 is not valid UTF-8 (byte 0xE9 at column 8)') });
    expect(read).toBeGreaterThan(1000);
  });

  it('a missing file is a fatal FILE_NOT_FOUND', async () => {
    const source = await csvSource.create({ type: 'csv', path: 'nope.csv' }, makeContext(dir));
    await expect(readAll(source)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('id_column names the item, also on rejected rows', async () => {
    await copyFile(join(EDGE, 'ragged.csv'), join(dir, 'r.csv'));
    const items = await readAll(await csvSource.create({ type: 'csv', path: 'r.csv', id_column: 'sku' }, makeContext(dir)));
    expect(items.map((i) => i.position.id)).toEqual(['A', 'B', 'C', 'D', 'E']);
    const bad = items[1]!;
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.raw).toBe('B,y');
      expect(bad.error.hint).toContain('line 3');
    }
  });

  it('an unknown id_column is a fatal CSV_UNKNOWN_ID_COLUMN listing the columns', async () => {
    await copyFile(join(EDGE, 'ragged.csv'), join(dir, 'r.csv'));
    const source = await csvSource.create({ type: 'csv', path: 'r.csv', id_column: 'SKU' }, makeContext(dir));
    await expect(readAll(source)).rejects.toMatchObject({ code: 'CSV_UNKNOWN_ID_COLUMN', hint: expect.stringContaining('"sku"') });
  });
});
