/**
 * decodeHtmlEntities, parseNumber and formatDecimal take shortcuts (a scan instead of an entity
 * regex, a direct read of plain decimals, digit strings instead of integers); these compare them
 * with plain definitions on seeded random inputs made of the pieces those definitions care about.
 */
import { describe, expect, it } from 'vitest';
import { ambiguousNumber, decodeHtmlEntities, formatDecimal, parseNumber } from '../../engine/rules/index.js';
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

// What parseNumber means, written as its definition: a text is read with "," as the decimal mark
// and with "." (the other mark may only group thousands, by three, the first group not starting
// with 0); a given mark takes its reading; `auto` takes the one valid reading, or the common value
// of both, and refuses two different ones (ambiguous).
function reading(value: string, mark: ',' | '.'): number | undefined {
  const s = value.replace(/[\s\u00a0\u202f']/g, '').replace(/(?:€|EUR|£|GBP|\$)$/i, '').replace(/^(?:€|£|\$)/, '');
  const group = mark === ',' ? '\\.' : ',';
  const point = mark === ',' ? ',' : '\\.';
  const m = new RegExp(`^([+-]?)(\\d*|[1-9]\\d{0,2}(?:${group}\\d{3})+)(?:${point}(\\d*))?(e[+-]?\\d+)?$`, 'i').exec(s);
  if (!m || (m[2] === '' && !m[3])) return undefined;
  const n = Number(`${m[1]}${m[2]!.split(mark === ',' ? '.' : ',').join('') || '0'}${m[3] ? `.${m[3]}` : ''}${m[4] ?? ''}`);
  return Number.isFinite(n) ? n : undefined;
}
function byDefinition(value: string, mark: 'auto' | ',' | '.'): number | undefined {
  if (mark !== 'auto') return reading(value, mark);
  const comma = reading(value, ',');
  const dot = reading(value, '.');
  if (comma === undefined) return dot;
  if (dot === undefined || Object.is(comma, dot)) return comma;
  return undefined;
}

describe('parseNumber = its definition (both readings, one mark, or refuse)', () => {
  const pieces = ['1', '0', '9', '42', '234', '-', '+', ',', '.', ',000', '.500', ' ', 'e', '€', '9'.repeat(200), '00'];
  it.each(['auto', ',', '.'] as const)('on 20,000 random texts, decimal %s', (mark) => {
    const diffs = texts(pieces, 20_000, 11).filter((s) => !Object.is(parseNumber(s, mark), byDefinition(s, mark)));
    expect(diffs.slice(0, 5)).toEqual([]);
  });
  it('ambiguousNumber is true exactly when both readings are numbers and differ', () => {
    const diffs = texts(pieces, 20_000, 12).filter((s) => {
      const comma = reading(s, ',');
      const dot = reading(s, '.');
      return ambiguousNumber(s) !== (comma !== undefined && dot !== undefined && !Object.is(comma, dot));
    });
    expect(diffs.slice(0, 5)).toEqual([]);
  });
  it.each([
    ['1,234', undefined, 1.234, 1234], ['1.234', undefined, 1234, 1.234], ['1,2,3', undefined, undefined, undefined],
    ['59,99', 59.99, 59.99, undefined], ['1,234.50', 1234.5, undefined, 1234.5], ['0,125', 0.125, 0.125, undefined],
  ] as const)('%s: auto %s, "," %s, "." %s', (text, auto, comma, dot) => {
    expect([parseNumber(text), parseNumber(text, ','), parseNumber(text, '.')]).toEqual([auto, comma, dot]);
  });
});

// formatDecimal's definition in integer arithmetic: the number's shortest decimal text as a
// BigInt scaled by a power of ten, rounded half away from zero to `decimals` digits.
function formatExactly(n: number, decimals: number, sep: string, thousands: string): string {
  const d = Math.min(Math.floor(decimals), 10);
  const [mantissa, exponent = '0'] = String(Math.abs(n)).split('e');
  const [int, frac = ''] = mantissa!.split('.');
  const digits = BigInt(int! + frac);
  const scale = frac.length - Number(exponent); // |n| = digits / 10^scale
  let q: bigint;
  if (d >= scale) q = digits * 10n ** BigInt(d - scale);
  else {
    const div = 10n ** BigInt(scale - d);
    q = digits / div + ((digits % div) * 2n >= div ? 1n : 0n);
  }
  const text = q.toString().padStart(d + 1, '0');
  const whole = text.slice(0, text.length - d);
  const grouped = thousands !== '' ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, thousands) : whole;
  const sign = n < 0 && q !== 0n ? '-' : '';
  return d === 0 ? sign + grouped : sign + grouped + sep + text.slice(text.length - d);
}

describe('formatDecimal = its definition in integer arithmetic', () => {
  it('on 20,000 random numbers, decimals and separators', () => {
    const random = prng(13);
    const diffs: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const n = (random() - 0.5) * 10 ** Math.floor(random() * 25 - 4);
      const d = Math.floor(random() * 11);
      const [sep, th] = random() < 0.5 ? [',', ' '] : ['.', ''];
      if (formatDecimal(n, d, sep, th) !== formatExactly(n, d, sep, th)) diffs.push(`${n} ${d}`);
    }
    for (const n of [0, -0, 1e21, -1.5e22, 2.675, 1.005, -0.004, 1e15, 5e-324, 1.7976931348623157e308]) {
      if (formatDecimal(n, 2, '.', '') !== formatExactly(n, 2, '.', '')) diffs.push(String(n));
    }
    expect(diffs.slice(0, 5)).toEqual([]);
  });
  it('is exact where float scaling was not (issue 11: 1e15 gave "1000000000000000.13")', () => {
    expect(formatDecimal(1e15, 2)).toBe('1000000000000000.00');
    expect(formatDecimal(1e21, 2)).toBe('1000000000000000000000.00');
    expect(formatDecimal(-1.5e22, 0, '.', ' ')).toBe('-15 000 000 000 000 000 000 000');
  });
});
