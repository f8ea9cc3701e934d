/**
 * The few custom functions rule boxes need and JSONata lacks: HTML entity decoding, emoji removal,
 * tolerant number parsing (decimal comma, spaced thousands), decimal formatting, and regular
 * expressions built from strings (JSONata only has regex literals). Pure, synchronous and fast;
 * everything else belongs in the rule boxes themselves.
 */
import { safeRegExp } from '../expr/regex.js';
import { decodeHtmlEntities } from './entities.js';
import { ambiguousNumber, formatDecimal, parseNumber } from './numbers.js';

export { decodeHtmlEntities } from './entities.js';
export { ambiguousNumber, formatDecimal, parseNumber, roundDecimal, roundedNumber, type DecimalMark } from './numbers.js';

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
