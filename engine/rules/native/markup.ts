/**
 * The tags of rules/strip_html.jsonata in one scan. The body runs seven global regex replacements
 * in a row (script/style blocks, comments, <br>, <li>, block tags, cells, any other tag); the scan
 * gives their joint result by reading each tag once, and hands the text to those seven passes,
 * literally, whenever their order could matter.
 *
 * Why one scan is exact: once scripts, styles and comments are out of the way, each of the five
 * tag patterns matches a "<" that starts a tag (a letter, or "/" and a letter, after it) up to the
 * first ">" after it, and replaces it with text holding neither "<" nor ">". If no other tag start
 * lies between a tag's "<" and its ">", the tags are separate spans: replacing one changes no
 * other one, so each span gets the replacement of the first pattern, in the body's order, that
 * matches it, whatever the order of the passes. A "<" that does not start a tag never starts one
 * later: passes 3 to 6 put a space or a line break after it, and pass 7 (the last) is not
 * re-scanned. So the scan goes to the literal passes only for
 * - a "<!--" anywhere (pass 2 removes comments before any tag pass, and may join the text around);
 * - a tag named script or style (pass 1 removes them with their content, across other tags);
 * - a tag start inside another tag (`<a <p> x>`: pass 5 takes `<p>`, then pass 7 finds `<a \n x>`).
 * test/rules/native compares this with the body on every value of its corpus and on generated
 * malformed markup (test/rules/native/fuzz.test.ts, `npm run fuzz:rules` for millions of cases).
 */
import { isJsSpace, type TextFolder } from './fold.js';

// The body's regexes, in its order (JSONata's $replace replaces every match, left to right).
const SCRIPT_STYLE = /<(script|style)\b[^>]*>[\s\S]*?<\/(script|style)\s*>/gi;
const COMMENT = /<!--[\s\S]*?-->/g;
const BR = /<br\s*\/?>/gi;
const LI_OPEN = /<li\b[^>]*>/gi;
const BLOCK = /<\/?(p|div|ul|ol|li|h[1-6]|tr|table|section|article|blockquote)\b[^>]*>/gi;
const CELL = /<\/?(td|th)\b[^>]*>/gi;
const ANY_TAG = /<\/?[A-Za-z][^>]*>/g;

/** The seven passes as the body writes them: the answer whenever the scan is not certain. */
export function literalTagPasses(s: string, nl: string, item: string): string {
  return s.replace(SCRIPT_STYLE, ' ').replace(COMMENT, '').replace(BR, nl).replace(LI_OPEN, item)
    .replace(BLOCK, nl).replace(CELL, ' ').replace(ANY_TAG, '');
}

const LT = 60;
const GT = 62;
const SLASH = 47;

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** A character of `\w` (ASCII without the `u` flag): where `\b` after a tag name does not fall. */
const isWordChar = (c: number) => isLetter(c) || (c >= 48 && c <= 57) || c === 95;

/** The "<" at `at` starts a tag for ANY_TAG: `<` then a letter, or `</` then a letter. */
function startsTag(u: Uint16Array, at: number): boolean {
  const c = u[at + 1]!;
  return isLetter(c) || (c === SLASH && isLetter(u[at + 2]!));
}

const startsComment = (s: string, at: number) => s.startsWith('<!--', at);

/**
 * The tag name `u[start..end)` is `name` (lower-case ASCII letters and digits), ignoring case as
 * the `i` flag without `u` does: ASCII letters only (`c | 0x20` lowers a letter and leaves digits).
 */
function nameIs(u: Uint16Array, start: number, end: number, name: string): boolean {
  if (end - start !== name.length) return false;
  for (let k = 0; k < name.length; k++) if ((u[start + k]! | 0x20) !== name.charCodeAt(k)) return false;
  return true;
}

/**
 * What the first matching pass puts in place of the tag `s[lt..gt]` whose name (the run of word
 * characters after `<` or `</`: the patterns' `\b` falls at its end) is `u[start..end)`, compared
 * without cutting it out; undefined for a script or style tag (pass 1 is not modelled).
 */
function replacement(u: Uint16Array, start: number, end: number, gt: number, closing: boolean, nl: string, item: string): string | undefined {
  switch (u[start]! | 0x20) {
    case 98: // b: BR (`<br\s*\/?>`, the rest of the tag whitespace and one "/" at most), blockquote
      if (!closing && nameIs(u, start, end, 'br')) {
        let k = end;
        while (k < gt && isJsSpace(u[k]!)) k++;
        if (k < gt && u[k] === SLASH) k++;
        return k === gt ? nl : '';
      }
      return nameIs(u, start, end, 'blockquote') ? nl : '';
    case 108: // l: LI_OPEN before BLOCK
      if (!nameIs(u, start, end, 'li')) return '';
      return closing ? nl : item;
    case 112: return end - start === 1 ? nl : ''; // p
    case 100: return nameIs(u, start, end, 'div') ? nl : '';
    case 117: return nameIs(u, start, end, 'ul') ? nl : '';
    case 111: return nameIs(u, start, end, 'ol') ? nl : '';
    case 104: { // h1 to h6
      const digit = u[start + 1]!;
      return end - start === 2 && digit >= 49 && digit <= 54 ? nl : '';
    }
    case 116: // t: BLOCK's tr and table, CELL's td and th
      if (nameIs(u, start, end, 'tr') || nameIs(u, start, end, 'table')) return nl;
      return nameIs(u, start, end, 'td') || nameIs(u, start, end, 'th') ? ' ' : '';
    case 115: // s: section; script and style (opening) are pass 1's
      if (!closing && (nameIs(u, start, end, 'script') || nameIs(u, start, end, 'style'))) return undefined;
      return nameIs(u, start, end, 'section') ? nl : '';
    case 97: return nameIs(u, start, end, 'article') ? nl : '';
    default: return '';
  }
}

const AMP = 38;
const HASH = 35;

/**
 * Whether the text before a tag that vanishes (`s[from..lt)`) ends in what could be the start of
 * an entity ("&", then letters, digits or "#"): the text after the tag could complete it
 * (`&am<b>p;` is `&amp;` once the tag is gone), so the two are folded together.
 */
function mayEndInEntity(u: Uint16Array, from: number, lt: number): boolean {
  for (let k = lt - 1; k >= from && k >= lt - 40; k--) {
    const c = u[k]!;
    if (c === AMP) return true;
    if (!(isWordChar(c) || c === HASH) || c === 95) return false;
  }
  return false;
}

/**
 * Feeds `fold` (started afresh) the text after the body's seven tag passes (`nl` for <br> and
 * block tags, `item` for <li>), in one scan, without building that text: the text between tags
 * and each tag's replacement go to the fold in turn. False when the passes could interact (see
 * the file's comment): then fold literalTagPasses' text instead.
 */
export function scanTags(s: string, nl: string, item: string, fold: TextFolder): boolean {
  fold.start();
  let lt = s.indexOf('<');
  // a text without tags is one piece: add() loads it
  const u = lt < 0 ? undefined : fold.load(s);
  let from = 0;
  // text before vanished tags that may end in the start of an entity, waiting for what follows
  let glued = '';
  while (u !== undefined && lt >= 0) {
    let start = lt + 1;
    const closing = u[start] === SLASH;
    if (closing) start++;
    if (!isLetter(u[start]!)) {
      // a "<" that starts no tag stays text
      if (startsComment(s, lt)) return false;
      lt = s.indexOf('<', lt + 1);
      continue;
    }
    // the name (word characters: the patterns' `\b` falls at its end), then the tag's ">": tags are
    // short, so a walk costs less than indexOf; a "<" on the way that starts a tag or a comment
    // makes the passes interact, if a ">" closes this tag at all
    let end = start + 1;
    while (isWordChar(u[end]!)) end++;
    let gt = end;
    let inner = false;
    for (let c = u[gt]!; c !== GT; c = u[++gt]!) {
      if (gt >= s.length) break;
      if (c === LT && (startsTag(u, gt) || startsComment(s, gt))) inner = true;
    }
    // no ">" after it: this "<" and every later one stay text (and no comment can close)
    if (gt >= s.length) break;
    if (inner) return false;
    // the first "<" after the tag is where the scan goes on
    const next = s.indexOf('<', gt + 1);
    const r = replacement(u, start, end, gt, closing, nl, item);
    if (r === undefined) return false;
    if (r === '' && (glued !== '' || mayEndInEntity(u, from, lt))) glued += s.slice(from, lt);
    else {
      if (glued !== '') {
        const joined = glued + s.slice(from, lt);
        glued = '';
        fold.add(joined, 0, joined.length);
      } else if (from < lt) fold.add(s, from, lt);
      // a space (every block tag without lines) only marks whitespace
      if (r === ' ') fold.space();
      else if (r !== '') fold.add(r, 0, r.length);
    }
    from = gt + 1;
    lt = next;
  }
  if (glued !== '') {
    const joined = glued + s.slice(from);
    fold.add(joined, 0, joined.length);
  } else fold.add(s, from, s.length);
  return true;
}
