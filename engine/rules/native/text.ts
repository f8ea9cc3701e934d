/**
 * Native versions of the text rule boxes (rules/strip_html, truncate, replace, join): the same
 * steps as their JSONata bodies, on plain strings. Whatever they do not model returns NOT_NATIVE.
 */
import { decodeHtmlEntities } from '../functions.js';
import { hasSurrogates, isScalar, jsonataTrim, NOT_NATIVE, trimCollapsed } from './jsonata-like.js';
import type { NativeFactory } from './types.js';

// The regexes of rules/strip_html.jsonata, in its order (JSONata's $replace replaces every match).
const SCRIPT_STYLE = /<(script|style)\b[^>]*>[\s\S]*?<\/(script|style)\s*>/gi;
const COMMENT = /<!--[\s\S]*?-->/g;
const BR = /<br\s*\/?>/gi;
const LI_OPEN = /<li\b[^>]*>/gi;
const BLOCK = /<\/?(p|div|ul|ol|li|h[1-6]|tr|table|section|article|blockquote)\b[^>]*>/gi;
const CELL = /<\/?(td|th)\b[^>]*>/gi;
const ANY_TAG = /<\/?[A-Za-z][^>]*>/g;
const SPACES = /[\s\u00a0\u202f]+/g;
const LINE_BREAK = /\r?\n/;

export const stripHtml: NativeFactory = (args) => {
  const newlines = args.newlines;
  if (typeof newlines !== 'boolean') return undefined;
  const nl = newlines ? '\n' : ' ';
  const item = newlines ? '\n- ' : ' ';
  return (value) => {
    if (typeof value !== 'string') return isScalar(value) ? value : NOT_NATIVE;
    let s = value;
    // a text without "<" has no tag for any of the tag patterns to match
    if (s.includes('<')) {
      s = s.replace(SCRIPT_STYLE, ' ').replace(COMMENT, '').replace(BR, nl).replace(LI_OPEN, item)
        .replace(BLOCK, nl).replace(CELL, ' ').replace(ANY_TAG, '');
    }
    s = decodeHtmlEntities(s) as string;
    // SPACES turns every whitespace run (tabs, line breaks, double spaces included) into one space
    if (!newlines) return trimCollapsed(s.replace(SPACES, ' '));
    const lines: string[] = [];
    for (const line of s.split(LINE_BREAK)) {
      const l = trimCollapsed(line.replace(SPACES, ' '));
      if (l !== '' && l !== '-') lines.push(l);
    }
    // no line left: $filter's empty result is JSONata's business
    return lines.length > 0 ? lines.join('\n') : NOT_NATIVE;
  };
};

const SPACE = /\s/;
const LAST_WORD = /\s+\S*$/;
const TRAILING_PUNCTUATION = /[\s,;:\-–—]+$/;

export const truncate: NativeFactory = (args) => {
  const { length: max, ellipsis, word_boundary: wordBoundary } = args;
  if (typeof max !== 'number' || !Number.isInteger(max) || max <= 0) return undefined;
  if (typeof ellipsis !== 'string' || typeof wordBoundary !== 'boolean') return undefined;
  // `$count($split($ellipsis, ""))` counts UTF-16 units
  const ell = ellipsis.length < max ? ellipsis : '';
  const room = max - ell.length;
  if (room <= 0) return undefined;
  return (value) => {
    if (typeof value !== 'string') return isScalar(value) ? value : NOT_NATIVE;
    if (hasSurrogates(value)) return NOT_NATIVE;
    if (value.length <= max) return value;
    const cut = value.substring(0, room);
    const atSpace = SPACE.test(value.charAt(room));
    const word = wordBoundary && !atSpace ? cut.replace(LAST_WORD, '') : cut;
    const kept = word === '' ? cut : word;
    return kept.replace(TRAILING_PUNCTUATION, '') + ell;
  };
};

export const replace: NativeFactory = (args) => {
  const { pattern, with: replacement, ignore_case: ignoreCase } = args;
  if (typeof pattern !== 'string' || typeof replacement !== 'string' || ignoreCase !== false) return undefined;
  return (value) => {
    if (typeof value !== 'string' || pattern === '') return isScalar(value) ? value : NOT_NATIVE;
    // JSONata inserts a replacement for a text pattern as written, left to right
    return value.includes(pattern) ? value.split(pattern).join(replacement) : value;
  };
};

export const join: NativeFactory = (args) => {
  const separator = args.separator;
  if (typeof separator !== 'string') return undefined;
  return (value) => {
    if (!Array.isArray(value)) return typeof value === 'string' ? value : NOT_NATIVE;
    const kept: string[] = [];
    for (const item of value) {
      if (typeof item === 'string') {
        const t = jsonataTrim(item);
        if (t !== '') kept.push(t);
      } else if (item !== null) {
        // numbers and booleans go through $string; objects and nested lists through $filter
        return NOT_NATIVE;
      }
    }
    return kept.length > 0 ? kept.join(separator) : NOT_NATIVE;
  };
};
