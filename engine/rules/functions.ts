/**
 * The few custom functions rule boxes need and JSONata lacks: HTML entity decoding, emoji removal,
 * tolerant number parsing (decimal comma, spaced thousands), decimal formatting, and regular
 * expressions built from strings (JSONata only has regex literals). Pure, synchronous and fast;
 * everything else belongs in the rule boxes themselves.
 */

import { decodeHtmlEntities } from './entities.js';

export { decodeHtmlEntities } from './entities.js';

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
    re = new RegExp(String(pattern), (global ? 'g' : '') + f);
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
