/**
 * Native versions of the rule boxes that reshape a text in place (rules/trim, uppercase,
 * lowercase, capitalize): a text is changed, a list item by item, any other scalar passes through.
 * Objects, nested lists and JSONata sequences return NOT_NATIVE (the body decides).
 */
import { foldLines, foldSpaces } from './fold.js';
import { eachText } from './jsonata-like.js';
import type { NativeFactory } from './types.js';

// rules/trim.jsonata: `$trim($replace($l, /[\s\u00a0\u202f]+/, " "))`, per line with keep_newlines: one pass (fold.ts)

/**
 * rules/trim: texts and lists of scalars; keep_newlines trims line by line and drops blank lines (no
 * line left: $filter gives nothing and $join of nothing is undefined, which a list drops).
 */
export const trim: NativeFactory = (args) => {
  const keepNewlines = args.keep_newlines;
  if (typeof keepNewlines !== 'boolean') return undefined;
  return eachText(keepNewlines ? foldLines : foldSpaces);
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
