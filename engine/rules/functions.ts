/**
 * The few custom functions rule boxes need and JSONata lacks: HTML entity decoding, emoji removal,
 * tolerant number parsing (decimal comma, spaced thousands), decimal formatting, and regular
 * expressions built from strings (JSONata only has regex literals). Pure, synchronous and fast;
 * everything else belongs in the rule boxes themselves.
 */
import { safeRegExp } from '../expr/regex.js';

/** Named entities seen in French, German, Spanish and Italian catalogues (PrestaShop, WooCommerce, Magento). */
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', shy: '',
  eacute: 'é', egrave: 'è', ecirc: 'ê', euml: 'ë', Eacute: 'É', Egrave: 'È', Ecirc: 'Ê', Euml: 'Ë',
  aacute: 'á', agrave: 'à', acirc: 'â', auml: 'ä', atilde: 'ã', aring: 'å', aelig: 'æ',
  Aacute: 'Á', Agrave: 'À', Acirc: 'Â', Auml: 'Ä', Atilde: 'Ã', Aring: 'Å', AElig: 'Æ',
  iacute: 'í', igrave: 'ì', icirc: 'î', iuml: 'ï', Iacute: 'Í', Igrave: 'Ì', Icirc: 'Î', Iuml: 'Ï',
  oacute: 'ó', ograve: 'ò', ocirc: 'ô', ouml: 'ö', otilde: 'õ', oslash: 'ø', oelig: 'œ',
  Oacute: 'Ó', Ograve: 'Ò', Ocirc: 'Ô', Ouml: 'Ö', Otilde: 'Õ', Oslash: 'Ø', OElig: 'Œ',
  uacute: 'ú', ugrave: 'ù', ucirc: 'û', uuml: 'ü', Uacute: 'Ú', Ugrave: 'Ù', Ucirc: 'Û', Uuml: 'Ü',
  ccedil: 'ç', Ccedil: 'Ç', ntilde: 'ñ', Ntilde: 'Ñ', szlig: 'ß', yuml: 'ÿ', yacute: 'ý',
  euro: '€', pound: '£', cent: '¢', yen: '¥', deg: '°', micro: 'µ', para: '¶', sect: '§', middot: '·',
  copy: '©', reg: '®', trade: '™', laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›',
  ldquo: '“', rdquo: '”', bdquo: '„', lsquo: '‘', rsquo: '’', sbquo: '‚', hellip: '…',
  ndash: '–', mdash: '—', bull: '•', times: '×', divide: '÷', plusmn: '±', frac12: '½', frac14: '¼',
  frac34: '¾', sup2: '²', sup3: '³', iexcl: '¡', iquest: '¿', ordf: 'ª', ordm: 'º',
  thinsp: '\u2009', ensp: '\u2002', emsp: '\u2003', zwnj: '\u200c', zwj: '\u200d', minus: '−', prime: '′',
};

function codePoint(n: number, raw: string): string {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : raw;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isHexDigit = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The entity starting at `amp` (an "&"), as `/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/`
 * would match it there: [end offset, replacement], or undefined. A scan instead of that regex:
 * descriptions carry dozens of entities, and a replace callback per entity cost more than the rest
 * of strip_html together.
 */
function entityAt(str: string, amp: number): [number, string] | undefined {
  const first = str.charCodeAt(amp + 1);
  if (first === 35 /* # */) {
    let j = amp + 2;
    while (isDigit(str.charCodeAt(j))) j++;
    if (j > amp + 2 && j - amp - 2 <= 7 && str.charCodeAt(j) === 59 /* ; */) {
      return [j + 1, codePoint(parseInt(str.slice(amp + 2, j), 10), str.slice(amp, j + 1))];
    }
    const x = str.charCodeAt(amp + 2);
    if (x !== 120 && x !== 88) return undefined;
    j = amp + 3;
    while (isHexDigit(str.charCodeAt(j))) j++;
    if (j > amp + 3 && j - amp - 3 <= 6 && str.charCodeAt(j) === 59) {
      return [j + 1, codePoint(parseInt(str.slice(amp + 3, j), 16), str.slice(amp, j + 1))];
    }
    return undefined;
  }
  if (!isLetter(first)) return undefined;
  let j = amp + 2;
  while (isLetter(str.charCodeAt(j)) || isDigit(str.charCodeAt(j))) j++;
  if (j - amp - 1 < 2 || j - amp - 1 > 32 || str.charCodeAt(j) !== 59) return undefined;
  const name = str.slice(amp + 1, j);
  return [j + 1, hasOwn.call(NAMED_ENTITIES, name) ? NAMED_ENTITIES[name]! : str.slice(amp, j + 1)];
}

/** Decodes named (`&eacute;`) and numeric (`&#233;`, `&#xE9;`) entities; unknown ones stay as written. */
export function decodeHtmlEntities(str: unknown): unknown {
  if (typeof str !== 'string') return str;
  let amp = str.indexOf('&');
  if (amp < 0) return str;
  let out = '';
  let last = 0;
  while (amp >= 0) {
    const hit = entityAt(str, amp);
    if (hit === undefined) {
      amp = str.indexOf('&', amp + 1);
      continue;
    }
    out += str.slice(last, amp) + hit[1];
    last = hit[0];
    amp = str.indexOf('&', last);
  }
  return last === 0 ? str : out + str.slice(last);
}

// Pictographs, emoji presentation, flags, keycaps, skin tones, ZWJ and variation selectors.
const EMOJI = /(?:\p{Extended_Pictographic}|\p{Emoji_Presentation}|\p{Regional_Indicator}|[\u{1F3FB}-\u{1F3FF}]|\u20E3|\uFE0F|\u200D)/gu;
const KEYCAP_BASE = /[#*0-9](?=\uFE0F?\u20E3)/gu;

/** Removes emojis (and their joiners/modifiers) but keeps ©, ®, ™ and ordinary symbols like ° and €. */
export function removeEmojis(str: unknown): unknown {
  if (typeof str !== 'string') return str;
  return str
    .replace(KEYCAP_BASE, '')
    .replace(EMOJI, (m) => (m === '©' || m === '®' || m === '™' ? m : ''))
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
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
  const d = typeof decimals === 'number' && decimals >= 0 ? Math.min(Math.floor(decimals), 10) : 2;
  const { negative, int, frac } = roundDecimal(n, d);
  const grouped = typeof thousands === 'string' && thousands !== '' ? int.replace(/\B(?=(\d{3})+(?!\d))/g, thousands) : int;
  const sign = negative ? '-' : '';
  return d === 0 ? sign + grouped : sign + grouped + String(sep ?? '.') + frac;
}

/**
 * A finite number rounded half away from zero to `decimals` digits, as decimal text: its integer
 * digits, exactly `decimals` fraction digits, and whether a minus sign is due (never for a zero).
 * Works on the shortest round-trip text of the number (String(n)), digit by digit.
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

const regexCache = new Map<string, RegExp>();

function regex(pattern: unknown, flags: unknown, global: boolean): RegExp {
  const f = typeof flags === 'string' ? flags.replace(/g/g, '') : '';
  const key = `${global ? 'g' : ''}${f}/${String(pattern)}`;
  let re = regexCache.get(key);
  if (!re) {
    // safeRegExp: the same matches, but a runaway pattern cannot hang the run (engine/expr/regex.ts)
    re = safeRegExp(String(pattern), (global ? 'g' : '') + f);
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

/** Replaces every match of a regex given as a string (JSONata has literals only); `$1`, `$<name>` work. */
export function regexReplace(str: unknown, pattern: unknown, flags: unknown, replacement: unknown): unknown {
  if (typeof str !== 'string') return str;
  return str.replace(regex(pattern, flags, true), String(replacement ?? ''));
}

/** True when a regex given as a string matches the text. */
export function regexTest(str: unknown, pattern: unknown, flags?: unknown): boolean {
  if (str === undefined || str === null) return false;
  return regex(pattern, flags, false).test(typeof str === 'string' ? str : String(str));
}

/** Bound as `$decodeHtmlEntities`, `$removeEmojis`, ... in every rule-box evaluation. */
export const customFunctions: Record<string, (...args: any[]) => unknown> = {
  decodeHtmlEntities,
  removeEmojis,
  parseNumber,
  ambiguousNumber,
  formatDecimal,
  regexReplace,
  regexTest,
};
