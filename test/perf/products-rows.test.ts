/**
 * Shortcuts on the products feed's hot path that must give what the plain code gave: one quoting
 * regex instead of four `includes`, rows encoded to UTF-8 one by one (Utf8Batch) instead of one
 * joined text, the EAN check digits without split/regex, and trim skipped when both ends are
 * printable ASCII.
 */
import { describe, expect, it } from 'vitest';
import { formatCsvCell, Utf8Batch } from '../../engine/runtime/csv-format.js';
import { isDecimal, normalizeValue } from '../../engine/connectors/destinations/manomano-products/normalize.js';
import { eanCheckDigitsValid, gs1CheckDigitValid } from '../../engine/connectors/destinations/manomano-products/record-checks.js';

const texts = ['', 'a', 'a;b', 'a,b', 'a|b', 'a||b', 'a.b', 'a\\b', 'x^', '$', '*', '+', '?', '(', ')', '[', ']', '{', '}', '/', '-', '\t',
  'ab', '"q"', 'l\nb', 'c\rd', 'é', '💡', 'a-b', '[]', 'plain text 123', '\ud83d', 'x\u2028y', 'a\u0000b'];

describe('products feed row shortcuts', () => {
  it('quotes a cell exactly where one of the four `includes` tests would', () => {
    const delimiters = [';', ',', '|', '||', '.', '\\', '^', '$', '*', '+', '?', '(', ')', '[', ']', '{', '}', '/', '-', '\t', '', 'ab', '"', '\n', 'é', '💡', 'a-b', '[]', '\u0000'];
    for (const d of delimiters) {
      for (const t of texts) {
        const quoted = t.includes(d) || t.includes('"') || t.includes('\n') || t.includes('\r');
        const want = quoted ? `"${t.replaceAll('"', '""')}"` : t;
        expect({ d, t, cell: formatCsvCell(t, d) }).toStrictEqual({ d, t, cell: want });
      }
    }
    expect(formatCsvCell({ a: 'x;y' }, ';')).toBe('"{""a"":""x;y""}"');
    expect(formatCsvCell(1.5, ',')).toBe('1.5');
    expect(formatCsvCell(null, ';')).toBe('');
    expect(() => formatCsvCell({ toJSON: () => undefined }, ';')).toThrow(TypeError);
  });

  it('encodes rows one by one to the bytes of their joined text, across growth', () => {
    const batch = new Utf8Batch(4);
    const rows: string[] = [];
    for (let i = 0; i < 400; i++) rows.push(`${texts[i % texts.length]!.repeat(i % 7)};${i}\n`);
    for (const r of rows.slice(0, 150)) batch.add(r);
    const first = batch.take();
    for (const r of rows.slice(150)) batch.add(r);
    expect(batch.length).toBeGreaterThan(0);
    const second = batch.take();
    expect(batch.length).toBe(0);
    expect(Buffer.compare(first, Buffer.from(rows.slice(0, 150).join(''), 'utf8'))).toBe(0);
    expect(Buffer.compare(second, Buffer.from(rows.slice(150).join(''), 'utf8'))).toBe(0);
  });

  it('checks EAN check digits as split + gs1CheckDigitValid does', () => {
    const codes = ['4006381333931', '036000291452', '10012345678902', '96385074', '4006381333932', '40063813339a1', '', '#', '4006381333931#',
      '#4006381333931', '4006381333931#036000291452', '4006381333931##036000291452', '4006381333931#036000291453', '1234567', '123456789012345', '０１２３４５６７８９０１２'];
    let a = 3;
    for (let i = 0; i < 3000; i++) {
      a = (Math.imul(a, 1103515245) + 12345) >>> 0;
      let s = '';
      for (let n = 8 + (a % 20); n > 0; n--) { a = (Math.imul(a, 1103515245) + 12345) >>> 0; s += (a >>> 9) % 23 === 0 ? '#' : String((a >>> 5) % 10); }
      codes.push(s);
    }
    let valid = 0;
    for (const code of codes) {
      const want = code.split('#').every((c) => gs1CheckDigitValid(c));
      expect({ code, ok: eanCheckDigitsValid(code) }).toStrictEqual({ code, ok: want });
      if (want) valid++;
    }
    expect(valid).toBeGreaterThan(10);
  });

  it('recognises decimals as the regex it replaces', () => {
    const regex = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/;
    const alphabet = ['0', '7', '.', ',', '+', '-', ' ', 'e', '٣', '１', '\n'];
    const all: string[] = [''];
    for (let len = 1; len <= 4; len++) {
      for (let k = 0; k < alphabet.length ** len; k++) {
        let s = '';
        for (let j = 0, x = k; j < len; j++, x = Math.floor(x / alphabet.length)) s += alphabet[x % alphabet.length];
        all.push(s);
      }
    }
    let decimals = 0;
    for (const s of all) {
      expect({ s, ok: isDecimal(s) }).toStrictEqual({ s, ok: regex.test(s) });
      if (regex.test(s)) decimals++;
    }
    expect(decimals).toBeGreaterThan(100);
  });

  it('trims as String.prototype.trim on every kind of end', () => {
    const ends = [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u2028', '\u202f', '\u3000', '\ufeff', '\u0085', '\u200b', 'a', '~', '!', '\u007f', 'é', '💡', '\ud83d', ''];
    for (const x of ends) {
      for (const y of ends) {
        const raw = `${x}mid dle${y}`;
        const want = raw.trim() === '' ? undefined : raw.trim();
        expect({ raw, v: normalizeValue('title', raw) }).toStrictEqual({ raw, v: want });
      }
    }
  });
});
