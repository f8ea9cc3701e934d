/**
 * Synchronous copies of the builtins stock implements as async functions because they call a
 * function argument: $map, $filter, $reduce, $each, and the regex forms of $replace, $split,
 * $contains, $match. Each mirrors jsonata 2.2.2's code line by line (functions.js: map, filter,
 * foldLeft, each, replace, split, contains, match, evaluateMatcher; jsonata.js: evaluateRegex);
 * every error case signals a fallback so stock throws its own error.
 */
import { createSequence, fallback, nativeBoolean } from './natives.js';
import { arityOf, callArg, isFast, KIND } from './fast-values.js';

interface Match {
  match: string;
  start: number;
  end: number;
  groups: (string | undefined)[];
  last: number;
}

function regexOf(v: unknown): RegExp | undefined {
  return isFast(v) && v[KIND] === 'regex' ? v.re : undefined;
}

/** evaluateRegex's closure: exec from `from`; `last` is lastIndex right after (read before any callback). */
function exec(re: RegExp, str: string, from: number): Match | undefined {
  re.lastIndex = from;
  const m = re.exec(str);
  if (m === null) return undefined;
  return { match: m[0], start: m.index, end: m.index + m[0].length, groups: m.slice(1), last: re.lastIndex };
}

/** The matcher's `next()`: stock throws D1004 on a later zero-length match. */
function next(re: RegExp, str: string, prev: Match): Match | undefined {
  if (prev.last >= str.length) return undefined;
  const n = exec(re, str, prev.last);
  if (n && n.match === '') fallback();
  return n;
}

/** Stock's string replacement with `$0`, `$n`, `$$` tokens (not JS's `$&`). */
function substitute(replacement: string, m: Match): string {
  let out = '';
  let position = 0;
  let index = replacement.indexOf('$', position);
  while (index !== -1 && position < replacement.length) {
    out += replacement.substring(position, index);
    position = index + 1;
    const dollarVal = replacement.charAt(position);
    if (dollarVal === '$') {
      out += '$';
      position++;
    } else if (dollarVal === '0') {
      out += m.match;
      position++;
    } else {
      const maxDigits = m.groups.length === 0 ? 1 : Math.floor(Math.log(m.groups.length) * Math.LOG10E) + 1;
      index = parseInt(replacement.substring(position, position + maxDigits), 10);
      if (maxDigits > 1 && index > m.groups.length) index = parseInt(replacement.substring(position, position + maxDigits - 1), 10);
      if (!Number.isNaN(index)) {
        if (m.groups.length > 0) {
          const sub = m.groups[index - 1];
          if (sub !== undefined) out += sub;
        }
        position += index.toString().length;
      } else {
        out += '$';
      }
    }
    index = replacement.indexOf('$', position);
  }
  return out + replacement.substring(position);
}

/** The object a function replacer receives (stock passes the matcher result itself). */
function matcherResult(re: RegExp, str: string, m: Match): Record<string, unknown> {
  return { match: m.match, start: m.start, end: m.end, groups: m.groups, next: () => fallback() };
}

function replace(str: unknown, pattern: unknown, replacement: unknown, limit: unknown): unknown {
  if (str === undefined) return undefined;
  if (pattern === '' || (limit !== undefined && (typeof limit !== 'number' || limit < 0))) fallback();
  const s = str as string;
  if (limit !== undefined && !((limit as number) > 0)) return s;
  const lim = limit as number | undefined;
  if (typeof pattern === 'string') {
    if (typeof replacement !== 'string') fallback();
    let result = '';
    let position = 0;
    let count = 0;
    let index = s.indexOf(pattern, position);
    while (index !== -1 && (lim === undefined || count < lim)) {
      result += s.substring(position, index) + replacement;
      position = index + pattern.length;
      count++;
      index = s.indexOf(pattern, position);
    }
    return result + s.substring(position);
  }
  const re = regexOf(pattern);
  if (!re) return fallback();
  if (typeof replacement !== 'string' && !isFast(replacement)) fallback();
  let m = exec(re, s, 0);
  if (m === undefined) return s;
  let result = '';
  let position = 0;
  let count = 0;
  while (m !== undefined && (lim === undefined || count < lim)) {
    result += s.substring(position, m.start);
    const r = typeof replacement === 'string' ? substitute(replacement, m) : callArg(replacement, [matcherResult(re, s, m)]);
    if (typeof r !== 'string') fallback(); // D3012
    result += r;
    position = m.start + m.match.length;
    count++;
    m = next(re, s, m);
  }
  return result + s.substring(position);
}

function split(str: unknown, separator: unknown, limit: unknown): unknown {
  if (str === undefined) return undefined;
  if (limit !== undefined && (typeof limit !== 'number' || limit < 0)) fallback();
  const s = str as string;
  const lim = limit as number | undefined;
  if (lim !== undefined && !(lim > 0)) return [];
  if (typeof separator === 'string') return s.split(separator, lim);
  const re = regexOf(separator);
  if (!re) return fallback();
  const result: string[] = [];
  let m = exec(re, s, 0);
  if (m === undefined) return [s];
  let start = 0;
  let count = 0;
  while (m !== undefined && (lim === undefined || count < lim)) {
    result.push(s.substring(start, m.start));
    start = m.end;
    m = next(re, s, m);
    count++;
  }
  if (lim === undefined || count < lim) result.push(s.substring(start));
  return result;
}

function contains(str: unknown, token: unknown): unknown {
  if (str === undefined || token === undefined) return undefined;
  if (typeof token === 'string') return (str as string).indexOf(token) !== -1;
  const re = regexOf(token);
  if (!re) return fallback();
  return exec(re, str as string, 0) !== undefined;
}

function match(str: unknown, regex: unknown, limit: unknown): unknown {
  if (str === undefined) return undefined;
  if (limit !== undefined && (typeof limit !== 'number' || limit < 0)) fallback();
  const re = regexOf(regex);
  if (!re) return fallback();
  const s = str as string;
  const lim = limit as number | undefined;
  const result = createSequence();
  if (lim === undefined || lim > 0) {
    let m = exec(re, s, 0);
    let count = 0;
    while (m !== undefined && (lim === undefined || count < lim)) {
      result.push({ match: m.match, index: m.start, groups: m.groups });
      m = next(re, s, m);
      count++;
    }
  }
  return result;
}

/** Stock `hofFuncArgs`: (value, index, array) cut to the function's arity. */
function hofArgs(func: unknown, a1: unknown, a2: unknown, a3: unknown): unknown[] {
  const n = arityOf(func);
  return n >= 3 ? [a1, a2, a3] : n >= 2 ? [a1, a2] : [a1];
}

function map(arr: unknown, func: unknown): unknown {
  if (arr === undefined) return undefined;
  const list = arr as unknown[];
  const result = createSequence();
  for (let i = 0; i < list.length; i++) {
    const res = callArg(func, hofArgs(func, list[i], i, list));
    if (typeof res === 'function') fallback(); // a sequence of functions: stock's own lambda objects
    if (res !== undefined) result.push(res);
  }
  return result;
}

function filter(arr: unknown, func: unknown): unknown {
  if (arr === undefined) return undefined;
  const list = arr as unknown[];
  const result = createSequence();
  for (let i = 0; i < list.length; i++) {
    const res = callArg(func, hofArgs(func, list[i], i, list));
    if (typeof res !== 'function' && nativeBoolean(res)) result.push(list[i]);
  }
  return result;
}

function reduce(sequence: unknown, func: unknown, init: unknown): unknown {
  if (sequence === undefined) return undefined;
  const list = sequence as unknown[];
  const arity = arityOf(func);
  if (arity < 2) fallback(); // D3050
  let result: unknown;
  let index: number;
  if (init === undefined && list.length > 0) {
    result = list[0];
    index = 1;
  } else {
    result = init;
    index = 0;
  }
  while (index < list.length) {
    const args = [result, list[index]];
    if (arity >= 3) args.push(index);
    if (arity >= 4) args.push(list);
    result = callArg(func, args);
    index++;
  }
  return result;
}

/** Builtins the fast path runs from these copies (stock's versions are async), by name. */
export const HOF_COPIES: Record<string, (...a: unknown[]) => unknown> = {
  map: (a, f) => map(a, f),
  filter: (a, f) => filter(a, f),
  reduce: (a, f, i) => reduce(a, f, i),
  replace: (a, b, c, d) => replace(a, b, c, d),
  split: (a, b, c) => split(a, b, c),
  contains: (a, b) => contains(a, b),
  match: (a, b, c) => match(a, b, c),
};
