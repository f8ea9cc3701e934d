/**
 * A record longer than the chunks it arrives in: the parser holds chunks back until the new text
 * is as long as the kept part (csv-parse.ts push), so a huge cell is copied O(log n) times instead
 * of once per chunk (it was quadratic: ~2 s for one 16 MiB cell). Records, lines, problems and raw
 * text must be what one whole-text parse gives, and the source must read such files as before.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import csvSource from '../../engine/connectors/sources/csv/index.js';
import { CsvParser, parseCsvText, type CsvRawRecord } from '../../engine/runtime/csv-parse.js';
import { makeContext, readAll, tempDir } from '../connectors/files/context.js';

const BIG = 'x'.repeat(300_000);
const LIMIT = 1_000_000; // maxRecordChars: the quoted cells below fit, the 1.2M one does not
const TEXTS: Record<string, string> = {
  'unquoted cells': `a;b;c\n1;${BIG};3\n2;y;${BIG}\n3;"q";4\n`,
  'quoted multi-line cell, doubled quotes, CRLF, no final newline': `a;b;c\n1;"${BIG}\n${BIG}\r\nz""q";3\n2;"y""z";4\r\n3;5;6`,
  'stray quotes after a long line and in a multi-line cell': `a;b;c\n1;${BIG};"x"y\n2;2;2\n3;"multi\n${BIG}\nline"z;3\n4;4;4\n`,
  'unclosed quote before a long tail': `a;b\n1;2\n3;"open ${BIG}\n4;5\n${BIG};7\n`,
  'too long for maxRecordChars': `a;b\n1;"${BIG.repeat(4)}\n2;3\n`,
};

/** Long cells shown by length, so a failure does not print megabytes. */
const short = (recs: CsvRawRecord[]) => recs.map((r) => ({ ...r, fields: r.fields.map((f) => (f.length > 50 ? f.length : f)) }));

function chunked(text: string, size: number, options = {}): CsvRawRecord[] {
  const p = new CsvParser({ delimiter: ';', maxRecordChars: LIMIT, ...options });
  const out: CsvRawRecord[] = [];
  for (let k = 0; k < text.length; k += size) p.push(text.slice(k, k + size), out);
  return p.end(out);
}

describe('records longer than the chunks', () => {
  for (const [name, text] of Object.entries(TEXTS)) {
    it(`${name}: same records in 64 KiB, 4 KiB and 1,000-character chunks as whole`, () => {
      const whole = parseCsvText(text, { delimiter: ';', maxRecordChars: LIMIT });
      expect(whole.length).toBeGreaterThan(2);
      for (const size of [65_536, 4096, 1000]) {
        const got = chunked(text, size);
        expect(short(got), `${size}-character chunks`).toEqual(short(whole));
        expect(got.map((r) => r.fields.join('|'))).toEqual(whole.map((r) => r.fields.join('|')));
      }
    });
  }

  it('counts the lines of long multi-line cells', () => {
    const recs = chunked(TEXTS['quoted multi-line cell, doubled quotes, CRLF, no final newline']!, 4096);
    expect(short(recs).map((r) => [r.line, ...r.fields])).toEqual([[1, 'a', 'b', 'c'], [2, '1', 600_006, '3'], [5, '2', 'y"z', '4'], [6, '3', '5', '6']]);
    expect(recs[1]!.fields[1] === `${BIG}\n${BIG}\r\nz"q`).toBe(true);
    const bad = chunked(TEXTS['stray quotes after a long line and in a multi-line cell']!, 1000);
    expect(short(bad).map((r) => [r.line, r.problem?.kind ?? r.fields[0], r.problem?.line, r.raw?.length])).toEqual([
      [1, 'a', undefined, undefined], [2, 'stray', 2, 4096], [3, '2', undefined, undefined],
      [4, 'stray', 6, 8], [5, 300_000, undefined, undefined], [6, 'line"z', undefined, undefined], [7, '4', undefined, undefined],
    ]);
  });

  it('the csv source reads a file with a 3 MiB unquoted cell and the rows after it', async () => {
    const temp = await tempDir();
    try {
      const cell = 'y'.repeat(3 * 1024 * 1024);
      writeFileSync(join(temp.dir, 'huge.csv'), `sku;text;n\nA;${cell};1\nB;b;2\nC;"c";3\n`);
      const items = await readAll(await csvSource.create({ type: 'csv', path: 'huge.csv', delimiter: ';', id_column: 'sku' }, makeContext(temp.dir)));
      expect(items.map((i) => (i.ok ? [i.position, i.record.n, String(i.record.text).length] : i.error.code))).toEqual([
        [{ index: 0, line: 2, id: 'A' }, '1', cell.length],
        [{ index: 1, line: 3, id: 'B' }, '2', 1],
        [{ index: 2, line: 4, id: 'C' }, '3', 1],
      ]);
    } finally {
      await temp.cleanup();
    }
  });
});
