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

/**
 * Parses "12,5", "1 234,50", "1.234,50", "1,234.50", " 12.5 ", "59,99 €" and numbers; undefined when
 * the text is not a number. With both separators the last one is the decimal mark; a single
 * separator is always the decimal mark ("1,234" = 1.234, the French reading); a repeated one
 * groups thousands ("1.234.567").
 */
const PLAIN_DECIMAL = /^-?\d+(?:[.,]\d+)?$/;

export function parseNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean' || typeof value !== 'string') return undefined;
  // the common shapes ("12", "-3.5", "12,5"): one separator at most, so it is the decimal mark
  if (PLAIN_DECIMAL.test(value)) {
    const n = Number(value.replace(',', '.'));
    return Number.isFinite(n) ? n : undefined;
  }
  let s = value.replace(/[\s\u00a0\u202f']/g, '').replace(/(?:€|EUR|£|GBP|\$)$/i, '').replace(/^(?:€|£|\$)/, '');
  if (s === '') return undefined;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    s = lastComma > lastDot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (lastComma >= 0) {
    if (s.indexOf(',') !== lastComma) s = s.replace(/,/g, ''); // "1,234,567"
    else s = s.replace(',', '.');
  } else if (lastDot >= 0 && s.indexOf('.') !== lastDot) {
    s = s.replace(/\./g, ''); // "1.234.567"
  }
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Formats a number with a fixed count of decimals, a decimal mark and a thousands separator:
 * formatDecimal(1234.5, 2, ",", " ") = "1 234,50". Rounds half away from zero, unlike toFixed's binary quirks.
 */
export function formatDecimal(value: unknown, decimals: unknown = 2, sep: unknown = '.', thousands: unknown = ''): unknown {
  const n = parseNumber(value);
  if (n === undefined) return value;
  const d = typeof decimals === 'number' && decimals >= 0 ? Math.min(Math.floor(decimals), 10) : 2;
  const factor = 10 ** d;
  const rounded = Math.sign(n) * Math.round(Math.abs(n) * factor * (1 + Number.EPSILON)) / factor;
  const fixed = Math.abs(rounded).toFixed(d);
  const dot = fixed.indexOf('.');
  const int = dot < 0 ? fixed : fixed.slice(0, dot);
  const grouped = typeof thousands === 'string' && thousands !== '' ? int.replace(/\B(?=(\d{3})+(?!\d))/g, thousands) : int;
  const sign = rounded < 0 ? '-' : '';
  return dot < 0 ? sign + grouped : sign + grouped + String(sep ?? '.') + fixed.slice(dot + 1);
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
  formatDecimal,
  regexReplace,
  regexTest,
};
