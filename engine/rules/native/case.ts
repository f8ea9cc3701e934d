/**
 * Native versions of the rule boxes that reshape a text in place (rules/trim, uppercase,
 * lowercase, capitalize): a text is changed, a list item by item, any other scalar passes through.
 * Objects, nested lists and JSONata sequences return NOT_NATIVE (the body decides).
 */
import { eachText } from './jsonata-like.js';
import type { NativeFactory } from './types.js';

// rules/trim.jsonata: `$replace($l, /[\s\u00a0\u202f]+/, " ")` then `$trim`, per line with keep_newlines
const SPACES = /[\s\u00a0\u202f]+/g;
const LINE_BREAK = /\r?\n/;

// whitespace other than a single space: without it the replace above changes nothing
const NOT_SINGLE_SPACE = /[^\S ]| {2}/;

/** `$trim($replace(s, SPACES, " "))`; once runs are single spaces, $trim only drops one at each end. */
function trimLine(s: string): string {
  let r = NOT_SINGLE_SPACE.test(s) ? s.replace(SPACES, ' ') : s;
  if (r.charCodeAt(0) === 32) r = r.substring(1);
  if (r.charCodeAt(r.length - 1) === 32) r = r.substring(0, r.length - 1);
  return r;
}

/** rules/trim: texts and lists of scalars; keep_newlines trims line by line and drops blank lines. */
export const trim: NativeFactory = (args) => {
  const keepNewlines = args.keep_newlines;
  if (typeof keepNewlines !== 'boolean') return undefined;
  if (!keepNewlines) return eachText(trimLine);
  return eachText((s) => {
    const lines: string[] = [];
    for (const line of s.split(LINE_BREAK)) {
      const l = trimLine(line);
      if (l !== '') lines.push(l);
    }
    // no line left: $filter gives nothing and $join of nothing is undefined (a list drops the item)
    return lines.length > 0 ? lines.join('\n') : undefined;
  });
};

/** rules/uppercase: texts and lists of scalars ($uppercase is toUpperCase in jsonata.js). */
export const uppercase: NativeFactory = () => eachText((s) => s.toUpperCase());

/** rules/lowercase: texts and lists of scalars ($lowercase is toLowerCase in jsonata.js). */
export const lowercase: NativeFactory = () => eachText((s) => s.toLowerCase());

// rules/capitalize.jsonata's regexes; $replace with a function walks the matches as a global replace does
const WORD_START = /(^|[\s\-/])([^\s\-/])/g;
const TEXT_START = /^(\s*)(\S)/;

function upperSecond(_m: string, before: string, letter: string): string {
  return before + letter.toUpperCase();
}

/** rules/capitalize: the body's regex and upper-casing of the matched letter, on texts and lists. */
export const capitalize: NativeFactory = (args) => {
  const { each_word: eachWord, lower_rest: lowerRest } = args;
  if (typeof eachWord !== 'boolean' || typeof lowerRest !== 'boolean') return undefined;
  const re = eachWord ? WORD_START : TEXT_START;
  return eachText((s) => (lowerRest ? s.toLowerCase() : s).replace(re, upperSecond));
};
