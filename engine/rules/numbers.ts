/**
 * Number reading and formatting for the rule boxes (`$parseNumber`, `$formatDecimal`) and their
 * natives. Each has a fast path for the common case, exact by construction, and the general path
 * on decimal text for everything else: plain decimals ("12", "-3,5", up to 15 digits) are read
 * with integer arithmetic instead of a regex and a new string, and a number is rounded to a few
 * decimals by scaling it to an integer (roundScaled) instead of splitting and re-joining
 * String(n). test/rules/numbers-fast.test.ts holds both fast paths to the general ones on seeded
 * numbers (halves, negatives, -0, 1e21, 1e-7, large integers).
 */

/** 10^k, exact for k <= 22 (read from decimal text: `10 ** k` may be off by an ulp). */
const POW10: number[] = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * Below FAST_LIMIT[k], a double's spacing (ulp) is under 10^-(k+1): no two decimals of at most k+1
 * fraction digits read back as the same double. So when a decimal of at most k fraction digits
 * reads back as the number, it is the number's shortest form (String(n)'s digits): the shortest
 * form has no more significant digits, hence at most k+1 fraction digits, and is the same double.
 * 2^52 / 10^(k+1), less 1% for the rounding of that division; scaled integers stay below 2^53.
 */
const FAST_LIMIT: number[] = POW10.map((_, k) => (k + 1 < POW10.length ? (2 ** 52 / POW10[k + 1]!) * 0.99 : 0));

/** How many fraction digits a rule's `decimals` argument asks for (2 when it is no number >= 0, 10 at most). */
function decimalCount(decimals: unknown): number {
  return typeof decimals === 'number' && decimals >= 0 ? Math.min(Math.floor(decimals), 10) : 2;
}

/** 2^-50: four times the most a scaled double can be off from its shortest decimal form, relative to it. */
const SCALED_ERROR = 2 ** -50;

/**
 * `a` (finite, >= 0) rounded half away from zero to `decimals` digits on its shortest decimal form
 * S (String(a)'s digits), as an integer scaled by 10^decimals; -1 when the fast path cannot tell
 * (the caller then rounds the text). Exported for the tests, which hold it to roundDecimal.
 * - Mostly: S lies within half a spacing of `a` (it reads back as `a`), and y = a * 10^decimals
 *   within half a spacing of the exact product, so y is within y * 2^-52 of S * 10^decimals. The
 *   rounding of S is floor(S * 10^decimals + 0.5): when y's fraction is farther than that from
 *   0.5, y rounds the same way.
 * - Near a half (1.005, 2.675): the fewest fraction digits k whose scaled integer m reads back as
 *   `a` (m / 10^k is then Number's reading of that decimal: both exact doubles, one rounding); by
 *   FAST_LIMIT, m's digits are S's, and the digit after the kept ones decides.
 */
export function roundScaled(a: number, decimals: number): number {
  const y = a * POW10[decimals]!;
  if (y < 2 ** 50) {
    const floor = Math.floor(y);
    const fraction = y - floor;
    // 2^-1000: a subnormal `a` is off by an absolute amount, not a relative one
    const margin = y * SCALED_ERROR + 2 ** -1000;
    if (fraction < 0.5 - margin) return floor;
    if (fraction > 0.5 + margin) return floor + 1;
  }
  for (let k = decimals; k <= decimals + 8 && k < FAST_LIMIT.length; k++) {
    const p = POW10[k]!;
    if (!(a < FAST_LIMIT[k]!)) return -1;
    const m = Math.round(a * p);
    if (m / p !== a) continue;
    if (k === decimals) return m;
    const unit = POW10[k - decimals]!;
    const rest = m % unit;
    return (m - rest) / unit + (rest >= unit / 2 ? 1 : 0);
  }
  return -1;
}

/**
 * `Number(formatDecimal(n, decimals, ".", ""))` without the text (add_vat and discount read their
 * result back as a number); undefined when only the text path can tell.
 */
export function roundedNumber(n: number, decimals: unknown): number | undefined {
  const d = decimalCount(decimals);
  const m = roundScaled(Math.abs(n), d);
  if (m < 0) return undefined;
  // the text of a zero has no minus sign: "0.00" reads as 0, never -0
  if (m === 0) return 0;
  const x = m / POW10[d]!;
  return n < 0 ? -x : x;
}

/** Which character marks the decimals in a text: "," or ".", or `auto` (read both, refuse to guess). */
export type DecimalMark = 'auto' | ',' | '.';

const PLAIN_DECIMAL = /^-?\d+(?:[.,]\d+)?$/;
const NUMBER_TEXT = /^([+-]?)([\d.,]+)(e[+-]?\d+)?$/i;

/**
 * Parses "12,5", "1 234,50", "1.234,50", "1,234.50", " 12.5 ", "59,99 €" and numbers; undefined
 * when the text is not a number. `decimal` names the decimal mark; the other one may only group
 * thousands (`1.234.567,5`, groups of three). Under `auto` (the default) both are read: with both
 * present the last one is the decimal mark; a repeated one groups thousands; a single one is the
 * decimal mark unless the text could be read either way ("1,234" and "1.234": 1 to 3 digits, not
 * starting with 0, then exactly 3), which gives undefined (see ambiguousNumber): a US price
 * "1,234" read as 1.234 would be 1,000 times too small.
 */
export function parseNumber(value: unknown, decimal: unknown = 'auto'): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const mark = decimal === ',' || decimal === '.' ? decimal : undefined;
  const plain = plainDecimal(value, mark);
  return plain !== null ? plain : parseNumberText(value, mark);
}

/**
 * parseNumber of the commonest texts, `-?\d+([.,]\d+)?` with 15 digits at most, by integer
 * arithmetic: the digits make an exact integer m, and m / 10^fraction digits is Number's reading
 * of the text (both exact doubles, one rounding). null for any other text (parseNumberText reads it).
 */
function plainDecimal(value: string, mark: ',' | '.' | undefined): number | undefined | null {
  const len = value.length;
  const negative = value.charCodeAt(0) === 45; // "-"
  let i = negative ? 1 : 0;
  let m = 0;
  let digit = 0;
  while (i < len && (digit = value.charCodeAt(i) - 48) >= 0 && digit <= 9) {
    m = m * 10 + digit;
    i++;
  }
  const intDigits = negative ? i - 1 : i;
  if (intDigits === 0) return null;
  // an integer: Number("-0") is -0, as -m is
  if (i === len) return intDigits <= 15 ? (negative ? -m : m) : null;
  const sepCode = value.charCodeAt(i);
  if (sepCode !== 44 && sepCode !== 46) return null;
  const sep = i++;
  while (i < len && (digit = value.charCodeAt(i) - 48) >= 0 && digit <= 9) {
    m = m * 10 + digit;
    i++;
  }
  const fracDigits = i - sep - 1;
  if (fracDigits === 0 || i !== len || intDigits + fracDigits > 15) return null;
  if (mark !== undefined && sepCode !== mark.charCodeAt(0)) {
    // the other mark groups thousands: "1,234" under "." is 1234; "1,23" and "0,123" are no number
    if (!couldBeThousands(value, sep, intDigits, fracDigits)) return undefined;
    return negative ? -m : m;
  }
  if (mark === undefined && couldBeThousands(value, sep, intDigits, fracDigits)) return undefined;
  const x = m / POW10[fracDigits]!;
  return negative ? -x : x;
}

/**
 * parseNumber's general reading of a text, every shape it accepts, on the text itself; exported so
 * that tests hold plainDecimal to it.
 */
export function parseNumberText(value: string, mark: ',' | '.' | undefined): number | undefined {
  // the common shapes ("12", "-3.5", "12,5"): one separator at most
  if (PLAIN_DECIMAL.test(value)) {
    let sep = value.indexOf(',');
    if (sep < 0) sep = value.indexOf('.');
    let n: number;
    if (sep < 0) n = Number(value);
    else {
      const intDigits = value.charCodeAt(0) === 45 ? sep - 1 : sep;
      const fracDigits = value.length - sep - 1;
      if (mark !== undefined && value[sep] !== mark) {
        // the other mark groups thousands: "1,234" under "." is 1234; "1,23" and "0,123" are no number
        if (!couldBeThousands(value, sep, intDigits, fracDigits)) return undefined;
        n = Number(value.slice(0, sep) + value.slice(sep + 1));
      } else if (mark === undefined && couldBeThousands(value, sep, intDigits, fracDigits)) return undefined;
      else n = Number(value.replace(',', '.'));
    }
    return Number.isFinite(n) ? n : undefined;
  }
  const s = value.replace(/[\s\u00a0\u202f']/g, '').replace(/(?:€|EUR|£|GBP|\$)$/i, '').replace(/^(?:€|£|\$)/, '');
  const m = NUMBER_TEXT.exec(s);
  if (!m) return undefined;
  const [, sign, body, exponent = ''] = m as unknown as [string, string, string, string | undefined];
  const commas = count(body, ',');
  const dots = count(body, '.');
  let point: ',' | '.' | undefined;
  if (mark !== undefined) point = body.includes(mark) ? mark : undefined;
  else if (commas > 0 && dots > 0) point = body.lastIndexOf(',') > body.lastIndexOf('.') ? ',' : '.';
  else if (commas === 1) point = ',';
  else if (dots === 1) point = '.';
  if (point !== undefined && count(body, point) > 1) return undefined;
  // the mark that may only group thousands
  const group = mark !== undefined ? (mark === ',' ? '.' : ',') : point !== undefined ? (point === ',' ? '.' : ',') : dots > 0 ? '.' : ',';
  const at = point === undefined ? body.length : body.indexOf(point);
  let int = body.slice(0, at);
  const frac = point === undefined ? '' : body.slice(at + 1);
  if (!/^\d*$/.test(frac)) return undefined;
  if (int.includes(group)) {
    if (!thousandsGroups(int, group)) return undefined;
    int = int.split(group).join('');
  } else if (!/^\d*$/.test(int)) return undefined;
  if (int === '' && frac === '') return undefined;
  // a single separator and nothing else to tell which it is
  if (mark === undefined && commas + dots === 1 && couldBeThousands(body, at, at, frac.length)) return undefined;
  const n = Number(`${sign}${int || '0'}${frac ? `.${frac}` : ''}${exponent}`);
  return Number.isFinite(n) ? n : undefined;
}

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
}

/** `^[1-9]\d{0,2}(G\d{3})+$`: digits grouped by three with `group`, the first group not starting with 0. */
function thousandsGroups(int: string, group: string): boolean {
  const parts = int.split(group);
  const head = parts[0]!;
  return /^[1-9]\d{0,2}$/.test(head) && parts.slice(1).every((p) => /^\d{3}$/.test(p));
}

/** 1 to 3 digits not starting with 0, one separator, exactly 3 digits: "1,234" is 1.234 or 1234. */
function couldBeThousands(text: string, sep: number, intDigits: number, fracDigits: number): boolean {
  return fracDigits === 3 && intDigits >= 1 && intDigits <= 3 && text.charCodeAt(sep - intDigits) !== 48;
}

/**
 * True when `parseNumber(value, decimal)` refuses a text only because its decimal mark is
 * ambiguous: read with "," and with "." it gives two different numbers ("1,234", "-1.500 €").
 * Rule boxes use it to say so, with a hint, instead of "not a number".
 */
export function ambiguousNumber(value: unknown, decimal: unknown = 'auto'): boolean {
  if (decimal === ',' || decimal === '.' || typeof value !== 'string' || parseNumber(value, decimal) !== undefined) return false;
  const comma = parseNumber(value, ',');
  const dot = parseNumber(value, '.');
  return comma !== undefined && dot !== undefined && comma !== dot;
}

/**
 * Formats a number with a fixed count of decimals, a decimal mark and a thousands separator:
 * formatDecimal(1234.5, 2, ",", " ") = "1 234,50". Rounds half away from zero on the number's
 * shortest decimal form (1.005 → "1.01"), exactly at any magnitude: 1e15 → "1000000000000000.00",
 * 1e21 → "1000000000000000000000.00" (toFixed and float scaling give noise or an exponent there).
 */
export function formatDecimal(value: unknown, decimals: unknown = 2, sep: unknown = '.', thousands: unknown = ''): unknown {
  const n = parseNumber(value);
  if (n === undefined) return value;
  const d = decimalCount(decimals);
  const m = roundScaled(Math.abs(n), d);
  let negative: boolean;
  let int: string;
  let frac: string;
  if (m >= 0) {
    const p = POW10[d]!;
    const f = m % p;
    negative = n < 0 && m > 0;
    int = String((m - f) / p);
    // p + f has d + 1 digits: its last d are f with its leading zeros
    frac = String(p + f).slice(1);
  } else ({ negative, int, frac } = roundDecimal(n, d));
  const grouped = typeof thousands === 'string' && thousands !== '' ? int.replace(/\B(?=(\d{3})+(?!\d))/g, thousands) : int;
  const sign = negative ? '-' : '';
  return d === 0 ? sign + grouped : sign + grouped + String(sep ?? '.') + frac;
}

/**
 * A finite number rounded half away from zero to `decimals` digits, as decimal text: its integer
 * digits, exactly `decimals` fraction digits, and whether a minus sign is due (never for a zero).
 * Works on the shortest round-trip text of the number (String(n)), digit by digit: formatDecimal's
 * answer wherever its fast path (roundScaled) cannot tell, and the reference tests hold it to.
 */
export function roundDecimal(n: number, decimals: number): { negative: boolean; int: string; frac: string } {
  const text = String(Math.abs(n));
  let int: string;
  let frac: string;
  const e = text.indexOf('e');
  if (e < 0) {
    const dot = text.indexOf('.');
    int = dot < 0 ? text : text.slice(0, dot);
    frac = dot < 0 ? '' : text.slice(dot + 1);
  } else {
    const mantissa = text.slice(0, e);
    const dot = mantissa.indexOf('.');
    const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
    const point = (dot < 0 ? mantissa.length : dot) + Number(text.slice(e + 1));
    if (point <= 0) { int = '0'; frac = '0'.repeat(-point) + digits; }
    else if (point >= digits.length) { int = digits + '0'.repeat(point - digits.length); frac = ''; }
    else { int = digits.slice(0, point); frac = digits.slice(point); }
  }
  if (frac.length <= decimals) return { negative: n < 0 && !isZero(int, frac), int, frac: frac.padEnd(decimals, '0') };
  const up = frac.charCodeAt(decimals) >= 53; // '5'
  frac = frac.slice(0, decimals);
  if (up) {
    const all = increment(int + frac);
    int = all.slice(0, all.length - decimals);
    frac = all.slice(all.length - decimals);
  }
  return { negative: n < 0 && !isZero(int, frac), int, frac };
}

function isZero(int: string, frac: string): boolean {
  return /^0*$/.test(int) && /^0*$/.test(frac);
}

/** Adds one to a string of decimal digits ("0999" → "1000", "99" → "100"). */
function increment(digits: string): string {
  const chars = digits.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] === '9') chars[i] = '0';
    else {
      chars[i] = String.fromCharCode(chars[i]!.charCodeAt(0) + 1);
      return chars.join('');
    }
  }
  return `1${chars.join('')}`;
}

