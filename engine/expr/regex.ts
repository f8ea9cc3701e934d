/**
 * Regexes that cannot hang a run. A single RegExp exec cannot be interrupted, and a backtracking
 * pattern such as `^(a+)+$` takes exponential time on a 35-character value. manoflow turns on V8's
 * own linear-time engine for excessive backtracking (`--enable-experimental-regexp-engine-on-
 * excessive-backtracks`, process-wide): after 50,000 backtracks a match restarts on the linear
 * engine, with the same ECMAScript semantics, so ordinary patterns run as before at full speed.
 * That engine takes the flags g, m, s, y and no backreference or lookaround; a case-insensitive
 * pattern is rewritten without `i` into exactly the same language (each letter → its case orbit
 * as JavaScript's non-unicode matching canonicalizes it), so it is covered too. bench/regex.mjs
 * measured this against re2 and a vm deadline (README, "Runaway regexes").
 */
import v8 from 'node:v8';
import { nodesOf, parseRegex, type ClassItem, type RxNode } from './regex-syntax.js';

// read by V8 when a regexp is compiled or tiers up: set before any pattern of a pipeline runs
v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** V8's experimental engine replicates a bounded quantifier's body; it refuses more than this. */
const MAX_REPLICATION = 16;

let canon: Uint16Array | undefined;
let orbits: Map<number, number[]> | undefined;

/**
 * The code units JavaScript's non-unicode `i` matching treats as equal to `code` (ECMA-262
 * 22.2.2.7.3 Canonicalize). An ASCII code unit's are itself and its other case (no non-ASCII unit
 * canonicalizes to ASCII); other units read a table of all 65,536, built on first need.
 */
function orbitOf(code: number): number[] {
  if (code < 128) {
    const lower = code | 0x20;
    return lower >= 97 && lower <= 122 ? [lower & ~0x20, lower] : [code];
  }
  if (!canon || !orbits) {
    canon = new Uint16Array(0x10000);
    orbits = new Map();
    for (let u = 0; u < 0x10000; u++) {
      const up = String.fromCharCode(u).toUpperCase();
      const c = up.length === 1 && !(u >= 128 && up.charCodeAt(0) < 128) ? up.charCodeAt(0) : u;
      canon[u] = c;
      const list = orbits.get(c);
      if (list) list.push(u);
      else orbits.set(c, [u]);
    }
  }
  return orbits.get(canon[code]!)!;
}

const unit = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;

/** A set of code units (members between `from` and `to`) as class ranges. */
function ranges(set: Uint8Array, from: number, to: number): string {
  let out = '';
  for (let u = from; u <= to; u++) {
    if (!set[u]) continue;
    let end = u;
    while (end + 1 < set.length && set[end + 1]) end++;
    out += end === u ? unit(u) : `${unit(u)}-${unit(end)}`;
    u = end;
  }
  return out;
}

/** A class with every code unit's case orbit added (escapes \d \w \s and their negations are closed already). */
function foldedClass(negate: boolean, items: ClassItem[]): string {
  const set = new Uint8Array(0x10000);
  let escapes = '';
  let from = 0xffff;
  let to = 0;
  for (const it of items) {
    if ('esc' in it) {
      escapes += `\\${it.esc}`;
      continue;
    }
    for (let u = it.lo; u <= it.hi; u++) {
      if (set[u]) continue;
      for (const o of orbitOf(u)) {
        set[o] = 1;
        if (o < from) from = o;
        if (o > to) to = o;
      }
    }
  }
  return `[${negate ? '^' : ''}${ranges(set, from, to)}${escapes}]`;
}

function quantText(n: { min: number; max: number; lazy: boolean }): string {
  const q = n.min === 0 && n.max === Infinity ? '*' : n.min === 1 && n.max === Infinity ? '+' : n.min === 0 && n.max === 1 ? '?'
    : n.max === Infinity ? `{${n.min},}` : n.max === n.min ? `{${n.min}}` : `{${n.min},${n.max}}`;
  return n.lazy ? `${q}?` : q;
}

/** The pattern again, letters folded to their case orbits when `fold`. */
function print(n: RxNode, fold: boolean): string {
  switch (n.t) {
    case 'seq': return n.items.map((x) => print(x, fold)).join('');
    case 'alt': return n.alts.map((x) => print(x, fold)).join('|');
    case 'group': {
      const head = n.kind === 'noncapture' ? '?:' : n.kind === 'lookahead' ? (n.negate ? '?!' : '?=') : n.kind === 'lookbehind' ? (n.negate ? '?<!' : '?<=') : n.name ? `?<${n.name}>` : '';
      return `(${head}${print(n.body, fold)})`;
    }
    case 'quant': return print(n.body, fold) + quantText(n);
    case 'char': {
      if (!fold) return unit(n.code);
      const o = orbitOf(n.code);
      return o.length === 1 ? unit(n.code) : `[${o.map(unit).join('')}]`;
    }
    case 'class': {
      if (fold) return foldedClass(n.negate, n.items);
      return `[${n.negate ? '^' : ''}${n.items.map((it) => ('esc' in it ? `\\${it.esc}` : it.lo === it.hi ? unit(it.lo) : `${unit(it.lo)}-${unit(it.hi)}`)).join('')}]`;
    }
    case 'esc': return `\\${n.esc}`;
    case 'dot': return '.';
    case 'assert': return n.kind === 'b' || n.kind === 'B' ? `\\${n.kind}` : n.kind;
    case 'backref': return `\\${n.index}`;
  }
}

/** True when V8's linear engine can run the tree (flags aside): no backreference, no lookaround, bounded replication. */
function linearTree(tree: RxNode): boolean {
  const ok = (n: RxNode, factor: number): boolean => {
    switch (n.t) {
      case 'seq': return n.items.every((x) => ok(x, factor));
      case 'alt': return n.alts.every((x) => ok(x, factor));
      case 'group': return n.kind !== 'lookahead' && n.kind !== 'lookbehind' && ok(n.body, factor);
      case 'quant': {
        if (n.min > MAX_REPLICATION || (n.max !== Infinity && n.max > MAX_REPLICATION)) return false;
        const f = factor * (n.max === Infinity ? n.min + 1 : n.max);
        return f <= MAX_REPLICATION && ok(n.body, f);
      }
      case 'backref': return false;
      default: return true;
    }
  };
  return ok(tree, 1);
}

const rewritten = new Map<string, string | null>();

/** The source to run: `i` dropped and letters folded when that lets the linear engine take the pattern; null: as written. */
function foldedSource(source: string, flags: string): string | null {
  const key = `${flags}/${source}`;
  let hit = rewritten.get(key);
  if (hit === undefined) {
    const tree = flags.includes('i') && !flags.includes('u') ? parseRegex(source) : undefined;
    hit = tree && linearTree(tree) ? print(tree, true) : null;
    if (rewritten.size > 1000) rewritten.clear();
    rewritten.set(key, hit);
  }
  return hit;
}

/**
 * The RegExp manoflow runs for `source`/`flags`: the same language and the same errors as
 * `new RegExp(source, flags)`, in a form V8's linear engine can take over when possible.
 */
export function safeRegExp(source: string, flags: string): RegExp {
  const re = new RegExp(source, flags); // a syntax error is thrown as JavaScript would
  const folded = foldedSource(source, flags);
  return folded === null ? re : new RegExp(folded, flags.replace('i', ''));
}

/**
 * The RegexEngine option of stock jsonata: it calls `new RegexEngine(literal)` for each
 * evaluation of a regex literal; a constructor returning an object gives that object.
 */
export const SafeRegexEngine = function SafeRegexEngine(re: RegExp): RegExp {
  return safeRegExp(re.source, re.flags);
} as unknown as RegExpConstructor;

/** What `validate` says about a pattern: a nested quantifier (a fragment of it), and whether the linear engine covers it. */
export interface RegexRisk {
  fragment: string;
  covered: boolean;
}

/** First-character classes, roughly: a code unit set, or 'any' when the analysis gives up. */
type First = Set<number> | 'any';

function firstOf(n: RxNode, fold: boolean): First {
  switch (n.t) {
    case 'char': return new Set(fold ? orbitOf(n.code) : [n.code]);
    case 'seq': {
      const out = new Set<number>();
      for (const x of n.items) {
        if (x.t === 'assert') continue;
        const f = firstOf(x, fold);
        if (f === 'any') return 'any';
        for (const c of f) out.add(c);
        if (!(x.t === 'quant' && x.min === 0)) return out;
      }
      return out;
    }
    case 'alt': {
      const out = new Set<number>();
      for (const x of n.alts) {
        const f = firstOf(x, fold);
        if (f === 'any') return 'any';
        for (const c of f) out.add(c);
      }
      return out;
    }
    case 'group': return n.kind === 'lookahead' || n.kind === 'lookbehind' ? new Set() : firstOf(n.body, fold);
    case 'quant': return firstOf(n.body, fold);
    default: return 'any';
  }
}

const overlap = (a: First, b: First): boolean => a === 'any' || b === 'any' || [...a].some((c) => b.has(c));
const repeats = (n: RxNode): n is Extract<RxNode, { t: 'quant' }> => n.t === 'quant' && n.max > 1;

/**
 * Finds what makes a pattern backtrack exponentially: a repeated group that holds another
 * repetition (`(a+)+`, `(a*)*`, `(\w+\s?)+`) or alternatives that can start alike (`(a|aa)+`).
 * Undefined when there is none (or the pattern is beyond the parser).
 */
export function regexRisk(source: string, flags: string): RegexRisk | undefined {
  const tree = parseRegex(source);
  if (!tree) return undefined;
  const fold = flags.includes('i');
  for (const n of nodesOf(tree)) {
    if (!repeats(n) || n.max !== Infinity) continue;
    const inner = [...nodesOf(n.body)].slice(1);
    const nested = inner.some((x) => repeats(x) && x.max === Infinity);
    const alt = inner.find((x): x is Extract<RxNode, { t: 'alt' }> => x.t === 'alt');
    const ambiguous = alt !== undefined && alt.alts.some((a, i) => alt.alts.some((b, j) => j > i && overlap(firstOf(a, fold), firstOf(b, fold))));
    if (!nested && !ambiguous) continue;
    const covered = !flags.includes('u') && linearTree(tree);
    return { fragment: n.text ?? print(n, false), covered };
  }
  return undefined;
}
