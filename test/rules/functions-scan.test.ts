/**
 * decodeHtmlEntities and parseNumber take shortcuts (a scan instead of an entity regex, a direct
 * read of plain decimals); these compare them with the regex forms they replaced on seeded random
 * texts made of the pieces those forms care about.
 */
import { describe, expect, it } from 'vitest';
import { decodeHtmlEntities, formatDecimal, parseNumber } from '../../engine/rules/index.js';
import { prng } from '../helpers/prng.js';

function texts(pieces: string[], count: number, seed: number): string[] {
  const random = prng(seed);
  return Array.from({ length: count }, () => {
    let s = '';
    for (let k = Math.floor(random() * 12); k > 0; k--) s += pieces[Math.floor(random() * pieces.length)];
    return s;
  });
}

// The regex form decodeHtmlEntities used before the scan (with an own-key lookup of the names).
const NAMES: Record<string, string> = { amp: '&', eacute: 'é', nbsp: '\u00a0', lt: '<', gt: '>', quot: '"', euro: '€', sup3: '³', frac12: '½' };
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g;
const cp = (n: number, raw: string) => (Number.isInteger(n) && n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : raw);
const byRegex = (s: string) => s.replace(ENTITY, (raw, dec?: string, hex?: string, name?: string) =>
  dec !== undefined ? cp(parseInt(dec, 10), raw) : hex !== undefined ? cp(parseInt(hex, 16), raw) : Object.prototype.hasOwnProperty.call(NAMES, name!) ? NAMES[name!]! : raw);

describe('decodeHtmlEntities scan = the entity regex', () => {
  const pieces = ['&', '#', 'x', 'X', ';', '&amp;', '&eacute', 'eacute', 'nbsp', 'frac12', 'sup3', '1', '23', '4567', '12345678', 'E9', 'g', 'a', ' ', 'é', '&&', '#x', '#X1F600', 'constructor', 'toString', 'a'.repeat(31), 'b'.repeat(32)];
  it('on 20,000 random texts', () => {
    const diffs = texts(pieces, 20_000, 7).filter((s) => decodeHtmlEntities(s) !== byRegex(s));
    expect(diffs.slice(0, 5)).toEqual([]);
  });
  it('leaves names of Object.prototype as written', () => {
    expect(decodeHtmlEntities('&constructor; &toString; &__proto__;')).toBe('&constructor; &toString; &__proto__;');
  });
});

// The general reading parseNumber applies to every other text (see engine/rules/functions.ts).
function byRules(value: string): number | undefined {
  let s = value.replace(/[\s\u00a0\u202f']/g, '').replace(/(?:€|EUR|£|GBP|\$)$/i, '').replace(/^(?:€|£|\$)/, '');
  if (s === '') return undefined;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) s = lastComma > lastDot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  else if (lastComma >= 0) s = s.indexOf(',') !== lastComma ? s.replace(/,/g, '') : s.replace(',', '.');
  else if (lastDot >= 0 && s.indexOf('.') !== lastDot) s = s.replace(/\./g, '');
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

describe('parseNumber shortcut = the general reading', () => {
  const pieces = ['1', '0', '9', '42', '-', '+', ',', '.', ' ', 'e', '€', '9'.repeat(200), '00'];
  it('on 20,000 random texts', () => {
    const diffs = texts(pieces, 20_000, 11).filter((s) => !Object.is(parseNumber(s), byRules(s)));
    expect(diffs.slice(0, 5)).toEqual([]);
  });
});

// The form formatDecimal had before it cut the fixed text at its dot instead of splitting it.
function formatBySplit(n: number, decimals: number, sep: string, thousands: string): string {
  const d = Math.min(Math.floor(decimals), 10);
  const factor = 10 ** d;
  const rounded = Math.sign(n) * Math.round(Math.abs(n) * factor * (1 + Number.EPSILON)) / factor;
  const [int = '0', frac] = Math.abs(rounded).toFixed(d).split('.');
  const grouped = thousands !== '' ? int.replace(/\B(?=(\d{3})+(?!\d))/g, thousands) : int;
  const sign = rounded < 0 ? '-' : '';
  return frac === undefined ? sign + grouped : sign + grouped + sep + frac;
}

describe('formatDecimal = its split form', () => {
  it('on 20,000 random numbers, decimals and separators', () => {
    const random = prng(13);
    const diffs: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const n = (random() - 0.5) * 10 ** Math.floor(random() * 25 - 4);
      const d = Math.floor(random() * 11);
      const [sep, th] = random() < 0.5 ? [',', ' '] : ['.', ''];
      if (formatDecimal(n, d, sep, th) !== formatBySplit(n, d, sep, th)) diffs.push(`${n} ${d}`);
    }
    for (const n of [0, -0, 1e21, -1.5e22, 2.675, 1.005, -0.004]) if (formatDecimal(n, 2, '.', '') !== formatBySplit(n, 2, '.', '')) diffs.push(String(n));
    expect(diffs.slice(0, 5)).toEqual([]);
  });
});
