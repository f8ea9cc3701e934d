/**
 * Native versions of the text rule boxes (rules/strip_html, truncate, replace, join): the bodies'
 * results on plain strings, strip_html and truncate in one pass each (markup.ts, fold.ts).
 * Whatever they do not model returns NOT_NATIVE.
 */
import { foldSpaces, isJsSpace, TextFolder } from './fold.js';
import { eachText, isScalar, jsonataTrim, NOT_NATIVE } from './jsonata-like.js';
import { literalTagPasses, scanTags } from './markup.js';
import type { NativeFactory } from './types.js';

/** rules/strip_html: the tag passes in one scan, then entities, whitespace and lines in one pass. */
export const stripHtml: NativeFactory = (args) => {
  const newlines = args.newlines;
  if (typeof newlines !== 'boolean') return undefined;
  const nl = newlines ? '\n' : ' ';
  const item = newlines ? '\n- ' : ' ';
  const fold = new TextFolder(true, newlines, true);
  return eachText((value) => {
    // no tag and no entity (most titles): only whitespace to fold, found by a regex test
    if (!newlines && value.indexOf('<') < 0 && value.indexOf('&') < 0) return foldSpaces(value);
    if (!scanTags(value, nl, item, fold)) {
      const text = literalTagPasses(value, nl, item);
      fold.start();
      fold.add(text, 0, text.length);
    }
    // no line left: $filter's empty result is JSONata's business
    return fold.end() ?? NOT_NATIVE;
  });
};

// rules/truncate.jsonata's `/[\s,;:\-–—]+$/`: what is taken off the end of a cut text
const isTrailing = (c: number) => isJsSpace(c) || c === 44 || c === 59 || c === 58 || c === 45 || c === 0x2013 || c === 0x2014;
const isPairAt = (s: string, i: number) => (s.charCodeAt(i) & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;

/**
 * The body's cut of a text longer than `max` UTF-16 units, in one walk: JSONata counts characters
 * as code points (`$substring`), the regexes `/\s+\S*$/` and `/[\s,;:\-–—]+$/` then work on UTF-16
 * units at the end of the cut, here read backwards from it.
 */
function cut(s: string, max: number, room: number, ell: string, wordBoundary: boolean): string {
  const n = s.length;
  let i = 0;
  let count = 0;
  let roomAt = 0;
  while (i < n && count <= max) {
    if (count === room) roomAt = i;
    i += isPairAt(s, i) ? 2 : 1;
    count++;
  }
  // `$substring($s, 0, $max) = $s`: no more than max characters
  if (count <= max) return s;
  let keptEnd = roomAt;
  // `$contains($substring($s, $room, 1), /\s/)`: a surrogate pair is never whitespace
  if (wordBoundary && !isJsSpace(s.charCodeAt(roomAt))) {
    // `$replace($cut, /\s+\S*$/, "")`: the last word and the whitespace before it go; `$word = ""` keeps the cut
    let j = roomAt - 1;
    while (j >= 0 && !isJsSpace(s.charCodeAt(j))) j--;
    if (j >= 0) {
      while (j >= 0 && isJsSpace(s.charCodeAt(j))) j--;
      if (j >= 0) keptEnd = j + 1;
    }
  }
  let k = keptEnd;
  while (k > 0 && isTrailing(s.charCodeAt(k - 1))) k--;
  return s.slice(0, k) + ell;
}

/** rules/truncate: texts and lists of texts; a text of `max` UTF-16 units or fewer is returned as it is. */
export const truncate: NativeFactory = (args) => {
  const { length: max, ellipsis, word_boundary: wordBoundary } = args;
  if (typeof max !== 'number' || !Number.isInteger(max) || max <= 0) return undefined;
  if (typeof ellipsis !== 'string' || typeof wordBoundary !== 'boolean') return undefined;
  // `$count($split($ellipsis, ""))` counts UTF-16 units
  const ell = ellipsis.length < max ? ellipsis : '';
  const room = max - ell.length;
  if (room <= 0) return undefined;
  // max UTF-16 units hold at most max characters: `$substring($s, 0, $max) = $s`
  return eachText((s) => (s.length <= max ? s : cut(s, max, room, ell, wordBoundary)));
};

export const replace: NativeFactory = (args) => {
  const { pattern, with: replacement, ignore_case: ignoreCase } = args;
  if (typeof pattern !== 'string' || typeof replacement !== 'string' || ignoreCase !== false) return undefined;
  return (value) => {
    if (typeof value !== 'string' || pattern === '') return isScalar(value) ? value : NOT_NATIVE;
    // JSONata inserts a replacement for a text pattern as written, left to right
    const at = value.indexOf(pattern);
    if (at < 0) return value;
    const after = at + pattern.length;
    // one match ("2-3"): two slices around it, without split's list
    if (value.indexOf(pattern, after) < 0) return value.slice(0, at) + replacement + value.slice(after);
    return value.split(pattern).join(replacement);
  };
};

export const join: NativeFactory = (args) => {
  const separator = args.separator;
  if (typeof separator !== 'string') return undefined;
  return (value) => {
    if (!Array.isArray(value)) return typeof value === 'string' ? value : NOT_NATIVE;
    // the kept items joined as they come: no list to build and join
    let joined: string | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') {
        if (item === '') continue;
        const t = jsonataTrim(item);
        if (t !== '') joined = joined === undefined ? t : joined + separator + t;
      } else if (item !== null) {
        // numbers and booleans go through $string; objects, nested lists and holes through $filter
        return NOT_NATIVE;
      }
    }
    return joined ?? NOT_NATIVE;
  };
};
