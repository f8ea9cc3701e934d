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
const texts = readdirSync(EDGE).filter((f) => f !== 'latin1.csv').map((f) => [f, readFileSync(join(EDGE, f), 'utf8')] as const);

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
    ['"a"b",c\n', [['a"b', 'c']]],
    ['x"y,z\n', [['x"y', 'z']]],
    ['\n\na\n\n', [['a']]],
    ['"",""\n', [['', '']]],
  ])('%j', (text, fields) => {
    expect(parseCsvText(text, { delimiter: ',' }).map((r) => r.fields)).toEqual(fields);
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
