/**
 * Native versions of the clean-up rule boxes (rules/replace_regex, remove_emojis, dedupe_words,
 * remove_brackets): the same regular expressions as their bodies, built once per step instead of
 * once per value. Arguments that make the body fail (a bad regex) keep the body.
 */
import { regexReplace, removeEmojis as removeEmojisText } from '../functions.js';
import { safeRegExp } from '../../expr/regex.js';
import { eachText, hasSurrogates, isScalar, jsonataTrim, NOT_NATIVE } from './jsonata-like.js';
import type { NativeFactory } from './types.js';

/** rules/replace_regex: the regex $regexReplace would build, compiled once per step. */
export const replaceRegex: NativeFactory = (args) => {
  const { pattern, with: replacement, flags } = args;
  if (typeof pattern !== 'string' || typeof replacement !== 'string' || typeof flags !== 'string') return undefined;
  let re: RegExp;
  try {
    // the regex $regexReplace builds (functions.ts): always global, a "g" in flags dropped
    re = safeRegExp(pattern, `g${flags.replace(/g/g, '')}`);
  } catch {
    return undefined;
  }
  return eachText((s) => s.replace(re, replacement));
};

/** rules/remove_emojis: the body's own $removeEmojis, without the JSONata around it. */
export const removeEmojis: NativeFactory = () => eachText((s) => removeEmojisText(s));

// rules/dedupe_words.jsonata: `$replace($, /\s+/, " ")` and $key's `$regexReplace(..., "u", "")`
const WHITESPACE = /\s+/g;
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/** rules/dedupe_words: the body's $reduce over words as a loop with a Set of keys. */
export const dedupeWords: NativeFactory = (args) => {
  const { case_sensitive: caseSensitive, consecutive_only: consecutiveOnly } = args;
  if (typeof caseSensitive !== 'boolean' || typeof consecutiveOnly !== 'boolean') return undefined;
  return (value) => {
    if (typeof value !== 'string') return isScalar(value) ? value : NOT_NATIVE;
    const words = jsonataTrim(value.replace(WHITESPACE, ' ')).split(' ');
    // the $reduce accumulator { out, seen, last }: a word is kept unless its key repeats
    const out: string[] = [];
    const seen = new Set<string>();
    let last = '';
    for (const w of words) {
      const bare = w.replace(EDGE_PUNCTUATION, '');
      const k = caseSensitive ? bare : bare.toLowerCase();
      if (k !== '' && (consecutiveOnly ? last === k : seen.has(k))) continue;
      out.push(w);
      seen.add(k);
      last = k;
    }
    return out.join(' ');
  };
};

// rules/remove_brackets.jsonata's $esc, verbatim
const SPECIAL = '[\\\\^$.|?*+()\\[\\]{}\\-]';
const esc = (c: string) => regexReplace(c, SPECIAL, '', '\\$&') as string;
const PAIR = /[\s\S]{2}/g;
const SPACE_RUNS = /\s+/g;
const SPACE_BEFORE_PUNCTUATION = /\s+([,.;:!?])/g;

/** rules/remove_brackets: the body's per-pair regexes, built once, then its loop and tidy. */
export const removeBrackets: NativeFactory = (args) => {
  const brackets = args.brackets;
  // $substring counts code points where $match cuts UTF-16 pairs: texts with surrogates keep the body
  if (typeof brackets !== 'string' || hasSurrogates(brackets)) return undefined;
  const pairs: RegExp[] = [];
  try {
    for (const [p] of brackets.matchAll(PAIR)) {
      const open = esc(p.charAt(0));
      const close = esc(p.charAt(1));
      pairs.push(new RegExp(`${open}[^${open}${close}]*${close}`, 'g'));
    }
  } catch {
    return undefined;
  }
  const strip = (s: string) => {
    for (const re of pairs) s = s.replace(re, '');
    return s;
  };
  return eachText((value) => {
    // $loop($, 5): at most six passes, stopping when one changes nothing
    let s = value;
    for (let n = 5; ; n--) {
      const t = strip(s);
      if (t === s || n === 0) {
        s = t;
        break;
      }
      s = t;
    }
    // $tidy; JSONata's "$1" names group 1 as JavaScript's does
    return jsonataTrim(s.replace(SPACE_RUNS, ' ').replace(SPACE_BEFORE_PUNCTUATION, '$1'));
  });
};
