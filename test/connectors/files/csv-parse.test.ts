// The CSV state machine must give the same records however the text is cut into chunks, and the
// file reader must decode multi-byte characters that straddle a chunk boundary.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CsvParser, parseCsvText, sniffDelimiter } from '../../../engine/runtime/csv-parse.js';
import csvSource from '../../../engine/connectors/sources/csv/index.js';
import { makeContext, readAll, tempDir } from './context.js';

const EDGE = join(import.meta.dirname, '../../fixtures/catalogs/edge');
// (unterminated-long.csv: 1100 lines cut at every character would take minutes; read whole below)
const texts = readdirSync(EDGE).filter((f) => !['latin1.csv', 'mixed-encoding.csv', 'unterminated-long.csv'].includes(f)).map((f) => [f, readFileSync(join(EDGE, f), 'utf8')] as const);

describe('CsvParser', () => {
  it.each(texts)('%s: every split into two chunks gives the same records as one chunk', (_name, text) => {
    const delimiter = sniffDelimiter(text.split('\n')[0] ?? '');
    const whole = parseCsvText(text, { delimiter });
    for (let cut = 0; cut <= text.length; cut++) {
      const p = new CsvParser({ delimiter });
      const got = p.end(p.push(text.slice(cut), p.push(text.slice(0, cut))));
      expect(got, `cut at ${cut}`).toEqual(whole);
    }
    const p = new CsvParser({ delimiter });
    const out = [...text].reduce((acc, ch) => p.push(ch, acc), [] as ReturnType<CsvParser['end']>);
    expect(p.end(out), 'one character per chunk').toEqual(whole);
  });

  it.each([
    ['a,b\n1,2\n', [['a', 'b'], ['1', '2']]],
    ['a,b\r1,2\r', [['a', 'b'], ['1', '2']]],
    ['a,\n,\n', [['a', ''], ['', '']]],
    ['a,b,', [['a', 'b', '']]],
    ['"a" ,"b"\t\n', [['a', 'b']]],
    ['x"y,z\n', [['x"y', 'z']]],
    ['\n\na\n\n', [['a']]],
    ['"",""\n', [['', '']]],
  ])('%j', (text, fields) => {
    expect(parseCsvText(text, { delimiter: ',' }).map((r) => r.fields)).toEqual(fields);
  });

  // Bad quoting gives ONE record with a problem (its first line as raw) and parsing resumes on the next line.
  it.each([
    ['h;a\nA3;"7"x;1\nA4;ok;2\n', [['h', 'a'], { line: 2, kind: 'stray', at: 2, char: 'x', raw: 'A3;"7"x;1' }, ['A4', 'ok', '2']]],
    ['h;a\nB;"x"  y;1\nC;d\n', [['h', 'a'], { line: 2, kind: 'stray', at: 2, char: 'y', raw: 'B;"x"  y;1' }, ['C', 'd']]],
    ['h;a\nB;"open\nC;y\nD;"z"\n', [['h', 'a'], { line: 2, kind: 'stray', at: 4, char: 'z', raw: 'B;"open' }, ['C', 'y'], ['D', 'z']]],
    ['h;a\nB;"open\nC;y\n', [['h', 'a'], { line: 2, kind: 'unterminated', at: 2, raw: 'B;"open' }, ['C', 'y']]],
    ['h;a\r\nB;"open\r\nC;y', [['h', 'a'], { line: 2, kind: 'unterminated', at: 2, raw: 'B;"open' }, ['C', 'y']]],
    ['h;a\rB;"open\rC;y\r', [['h', 'a'], { line: 2, kind: 'unterminated', at: 2, raw: 'B;"open' }, ['C', 'y']]],
    ['h;a\nB;"x', [['h', 'a'], { line: 2, kind: 'unterminated', at: 2, raw: 'B;"x' }]],
    ['B;"1\n2\n3\n4";x\nC;y\n', [{ line: 1, kind: 'too-long', at: 1, raw: 'B;"1' }, ['2'], ['3'], ['4"', 'x'], ['C', 'y']]],
  ])('bad quoting in %j', (text, expected) => {
    const got = parseCsvText(text, { delimiter: ';', maxRecordLines: 3 }).map((r) => (r.problem
      ? { line: r.line, kind: r.problem.kind, at: r.problem.line, ...(r.problem.char ? { char: r.problem.char } : {}), raw: r.raw }
      : r.fields));
    expect(got).toEqual(expected);
  });

  it('a quoted cell longer than maxRecordChars is taken as unclosed', () => {
    const text = `h\n"${'x'.repeat(50)}\nnext\n`;
    const got = parseCsvText(text, { delimiter: ',', maxRecordChars: 20 });
    expect(got.map((r) => [r.line, r.problem?.kind ?? r.fields[0]])).toEqual([[1, 'h'], [2, 'too-long'], [3, 'next']]);
  });

  it('unterminated-long.csv: same records cut in 64-character chunks as whole', () => {
    const text = readFileSync(join(EDGE, 'unterminated-long.csv'), 'utf8');
    const whole = parseCsvText(text, { delimiter: ',' });
    expect(whole).toHaveLength(1 + 1 + 1101);
    const p = new CsvParser({ delimiter: ',' });
    const out: ReturnType<CsvParser['end']> = [];
    for (let k = 0; k < text.length; k += 64) p.push(text.slice(k, k + 64), out);
    expect(p.end(out)).toEqual(whole);
  });

  it('counts lines through blank lines, CR and multi-line cells', () => {
    const recs = parseCsvText('h\r\n\r\n"a\nb"\r\nc\rd\n', { delimiter: ',', startLine: 1 });
    expect(recs.map((r) => [r.fields[0], r.line])).toEqual([['h', 1], ['a\nb', 3], ['c', 5], ['d', 6]]);
  });

  it('refuses a multi-character delimiter', () => {
    expect(() => new CsvParser({ delimiter: ';;' })).toThrow(/one character/);
  });

  it.each([
    ['ID,"Is featured?",Name', ','],
    ['a;b;"c,d,e"', ';'],
    ['a\tb\tc', '\t'],
    ['a|b|c', '|'],
    ['single', ','],
  ])('sniffs %j as %j', (line, d) => expect(sniffDelimiter(line)).toBe(d));
});

describe('csv source: chunk boundaries', () => {
  let dir = '';
  let cleanup = async () => undefined as void;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('keeps multi-byte characters intact across 64 KiB chunks', async () => {
    // Row lengths vary so that 2-, 3- and 4-byte characters fall on chunk boundaries.
    const rows = Array.from({ length: 6000 }, (_, i) => `SKU${i};"Münster€ länder 🔧 ${'ß'.repeat(i % 7)}\nzweite Zeile";${i}`);
    await writeFile(join(dir, 'big.csv'), `sku;name;n\n${rows.join('\n')}\n`);
    const items = await readAll(await csvSource.create({ type: 'csv', path: 'big.csv', delimiter: ';' }, makeContext(dir)));
    expect(items).toHaveLength(6000);
    items.forEach((item, i) => {
      expect(item.ok).toBe(true);
      if (item.ok) {
        expect(item.record.name).toBe(`Münster€ länder 🔧 ${'ß'.repeat(i % 7)}\nzweite Zeile`);
        expect(item.position.line).toBe(2 + 2 * i);
      }
    });
  });
});
