/**
 * The seeded differential fuzzer of the fast path: random JSONata expressions (lambdas, tail calls,
 * blocks, conditions, higher-order functions, paths, predicates, operators, regexes) over random
 * data, evaluated by the fast path and by the stock interpreter, compared on values, sequence
 * flags and error codes. One seed gives one case, so any mismatch is replayed from its seed.
 * Used by test/expr/fuzz.test.ts (a fixed seed range) and scripts/fuzz-expr.mjs (long campaigns).
 */
import { compileExpression, isPending } from './index.js';
import { prng } from '../util/prng.js';

/** One generated case. */
export interface FuzzCase {
  seed: number;
  expr: string;
  data: unknown;
}

/** What one interpreter gave: a value or an error code. */
export type FuzzOutcome = { value: unknown } | { error: string };

/** The comparison of both interpreters on one case. */
export interface FuzzResult {
  case: FuzzCase;
  same: boolean;
  fast: FuzzOutcome;
  stock: FuzzOutcome;
  /** The expression compiled to the fast path, and the fast path answered without falling back. */
  compiledFast: boolean;
  sync: boolean;
}


const FIELDS = ['a', 'b', 'c', 'items', 'tags', 'obj'];
const WORDS = ['red', 'M', 'a1', 'b', 'c22 3', '', 'Perceuse 18V', ' x ', '12,5', '7'];
const REGEXES = ['/\\d+/', '/[a-z]+/i', '/a|b/', '/\\s+/', '/^.$/', '/(\\w)(\\d)?/', '/e/m'];
const BINARY = ['+', '-', '*', '/', '%', '&', '=', '!=', '<', '<=', '>', '>=', 'and', 'or', 'in'];
// builtins by arity, called on generated arguments (many give type errors: those must match too)
const UNARY_FNS = ['$count', '$string', '$sum', '$keys', '$length', '$exists', '$type', '$reverse', '$distinct', '$boolean', '$not', '$number', '$uppercase', '$trim', '$max', '$spread', '$count', '$string', '$keys', '$exists', '$type'];
// builtins the fast path leaves to stock: a few, so mixed expressions are covered too
const STOCK_FNS = ['$single', '$sort'];
const BINARY_FNS = ['$append', '$join', '$split', '$lookup', '$contains', '$substringBefore', '$merge', '$zip', '$substring'];

/** Random generator state: the PRNG and the names in scope (lambda parameters, block variables). */
class Gen {
  readonly r: () => number;
  constructor(seed: number) {
    this.r = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
  chance(p: number): boolean {
    return this.r() < p;
  }

  /** Random input data: records with scalars, lists, nested objects, and odd values. */
  data(depth: number): unknown {
    const k = this.int(depth > 1 ? 5 : 9);
    switch (k) {
      case 0: return this.pick([0, 1, -1, 2.5, 3, 10, -0]);
      case 1: return this.pick(WORDS);
      case 2: return this.pick([true, false, null]);
      case 3: return this.int(4) === 0 ? [] : Array.from({ length: 1 + this.int(3) }, () => this.data(depth + 1));
      case 4: return Array.from({ length: this.int(4) }, () => this.pick([1, 2, 3, 'x', 'y']));
      case 5: return this.record(depth + 1);
      default: return this.record(depth + 1);
    }
  }

  record(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of FIELDS) {
      if (!this.chance(depth > 1 ? 0.3 : 0.7)) continue;
      out[f] = f === 'items' && depth < 2 ? Array.from({ length: this.int(4) }, () => this.record(depth + 2)) : this.data(depth + 1);
    }
    return out;
  }

  /** A random expression of at most `depth` levels, over the names in `scope`. */
  expr(depth: number, scope: string[]): string {
    if (depth <= 0) return this.leaf(scope);
    switch (this.int(15)) {
      case 0: return this.leaf(scope);
      case 1: return this.path(depth, scope);
      case 2: return this.binary(depth, scope);
      case 3: return this.condition(depth, scope);
      case 4: return this.block(depth, scope);
      case 5: return `${this.chance(0.05) ? this.pick(STOCK_FNS) : this.pick(UNARY_FNS)}(${this.expr(depth - 1, scope)})`;
      case 6: return `${this.pick(BINARY_FNS)}(${this.expr(depth - 1, scope)}, ${this.expr(depth - 1, scope)})`;
      case 7:
      case 8: return this.hof(depth, scope);
      case 9: return `[${this.list(depth, scope)}]`;
      case 10: return `{"k": ${this.expr(depth - 1, scope)}, "v": ${this.expr(depth - 1, scope)}}`;
      case 11: return `${this.expr(depth - 1, scope)} ~> ${this.pick(['$string()', '$count()', '$join(",")', '$keys()', '$append([1])'])}`;
      case 12: return `${this.pick(['$match', '$replace', '$split', '$contains'])}(${this.expr(depth - 1, scope)}, ${this.pick(REGEXES)}${this.chance(0.5) ? ', "_"' : ''})`;
      case 13: return `(function($p){ ${this.body(depth - 1, [...scope, '$p'])} })(${this.expr(depth - 1, scope)})`;
      default: return `(${this.expr(depth - 1, scope)})[${this.predicate(depth - 1, scope)}]`;
    }
  }

  /** An operator, half the time on operands of the types it takes (so values, not only errors, are compared). */
  binary(depth: number, scope: string[]): string {
    const op = this.pick(BINARY);
    if (this.chance(0.5)) return `${this.expr(depth - 1, scope)} ${op} ${this.expr(depth - 1, scope)}`;
    const typed = (): string => {
      if ('+-*/%<<=>>='.includes(op) && op !== '&') return this.chance(0.5) ? String(this.pick([0, 1, 2, 3.5, -1])) : `$count(${this.expr(depth - 1, scope)})`;
      if (op === '&') return this.chance(0.5) ? JSON.stringify(this.pick(WORDS)) : `$string(${this.expr(depth - 1, scope)})`;
      return this.expr(depth - 1, scope);
    };
    return `${typed()} ${op} ${typed()}`;
  }

  leaf(scope: string[]): string {
    switch (this.int(7)) {
      case 0: return String(this.pick([0, 1, 2, -1, 3.5]));
      case 1: return JSON.stringify(this.pick(WORDS));
      case 2: return this.pick(['true', 'false', 'null']);
      case 3: return scope.length > 0 ? this.pick(scope) : '$';
      case 4: return this.pick(['[]', '[1]', '[1, 2]', '["a"]', '[[1]]']);
      default: return this.pick(FIELDS);
    }
  }

  path(depth: number, scope: string[]): string {
    const head = this.chance(0.3) && scope.length > 0 ? this.pick(scope) : this.pick([...FIELDS, '$', '$$']);
    let p = head;
    const steps = 1 + this.int(2);
    for (let i = 0; i < steps; i++) {
      if (this.chance(0.6)) p += `.${this.pick(FIELDS)}`;
      if (this.chance(0.3)) p += `[${this.predicate(depth - 1, scope)}]`;
    }
    return p;
  }

  predicate(depth: number, scope: string[]): string {
    return this.chance(0.5) ? String(this.pick([0, 1, -1])) : this.expr(Math.min(depth, 2), scope);
  }

  condition(depth: number, scope: string[]): string {
    const c = this.expr(depth - 1, scope);
    switch (this.int(4)) {
      case 0: return `${c} ? ${this.expr(depth - 1, scope)} : ${this.expr(depth - 1, scope)}`;
      case 1: return `${c} ? ${this.expr(depth - 1, scope)}`;
      case 2: return `${c} ?: ${this.expr(depth - 1, scope)}`;
      default: return `${c} ?? ${this.expr(depth - 1, scope)}`;
    }
  }

  block(depth: number, scope: string[]): string {
    const name = `$v${depth}`;
    if (this.chance(0.4)) {
      // a named lambda called later: tail calls inside its body are trampolined by stock
      const f = `$f${depth}`;
      return `(${f} := function($x){ ${this.body(depth - 1, [...scope, '$x'])} }; ${this.callOf(f, depth, scope)})`;
    }
    return `(${name} := ${this.expr(depth - 1, scope)}; ${this.expr(depth - 1, [...scope, name])})`;
  }

  callOf(f: string, depth: number, scope: string[]): string {
    return this.chance(0.5) ? `${f}(${this.expr(depth - 1, scope)})` : `$map(${this.expr(depth - 1, scope)}, ${f})`;
  }

  list(depth: number, scope: string[]): string {
    return Array.from({ length: this.int(3) }, () => this.expr(depth - 1, scope)).join(', ');
  }

  /** A lambda body: often a tail call, or a condition or block ending in one. */
  body(depth: number, scope: string[]): string {
    switch (this.int(5)) {
      case 0: return this.tailCall(depth, scope);
      case 1: return `${this.expr(depth - 1, scope)} ? ${this.tailCall(depth, scope)} : ${this.chance(0.5) ? this.tailCall(depth, scope) : this.expr(depth - 1, scope)}`;
      case 2: return `($w := ${this.expr(depth - 1, scope)}; ${this.tailCall(depth, [...scope, '$w'])})`;
      default: return this.expr(depth, scope);
    }
  }

  tailCall(depth: number, scope: string[]): string {
    if (this.chance(0.5)) return this.hof(depth, scope);
    const fn = this.pick([...UNARY_FNS, '$match', '$keys', '$filter', '$append']);
    if (fn === '$match') return `$match(${this.expr(depth - 1, scope)}, ${this.pick(REGEXES)})`;
    if (fn === '$filter') return `$filter(${this.expr(depth - 1, scope)}, function($e){ ${this.expr(depth - 1, [...scope, '$e'])} })`;
    if (fn === '$append') return `$append(${this.expr(depth - 1, scope)}, ${this.expr(depth - 1, scope)})`;
    return `${fn}(${this.expr(depth - 1, scope)})`;
  }

  /** A higher-order function with a lambda (or a builtin) as its function argument. */
  hof(depth: number, scope: string[]): string {
    const arr = this.chance(0.3) ? this.pick(['[1, 2, 3]', '["a1", "b", "c22 3"]', '[[1], [2, 3]]', '[{"a": 1}, {"b": 2}]', 'items', 'tags']) : this.expr(depth - 1, scope);
    const v = `$e${depth}`;
    const inner = [...scope, v];
    switch (this.int(this.chance(0.8) ? 4 : 7)) {
      case 0: return `$map(${arr}, function(${v}){ ${this.body(depth - 1, inner)} })`;
      case 1: return `$map(${arr}, function(${v}, $i){ ${this.body(depth - 1, [...inner, '$i'])} })`;
      case 2: return `$filter(${arr}, function(${v}){ ${this.body(depth - 1, inner)} })`;
      case 3: return `$reduce(${arr}, function($acc, ${v}){ ${this.body(depth - 1, [...inner, '$acc'])} }${this.chance(0.5) ? `, ${this.leaf(scope)}` : ''})`;
      case 4: return `$each(${this.chance(0.5) ? 'obj' : this.expr(depth - 1, scope)}, function(${v}, $k){ ${this.body(depth - 1, [...inner, '$k'])} })`;
      case 5: return `$sift(${this.chance(0.5) ? '$' : this.expr(depth - 1, scope)}, function(${v}){ ${this.body(depth - 1, inner)} })`;
      default: return `$map(${arr}, ${this.pick(['$string', '$count', '$keys', '$uppercase', '$exists'])})`;
    }
  }
}

/** The case a seed stands for. */
export function generateCase(seed: number): FuzzCase {
  const g = new Gen(seed);
  const data = g.record(0);
  const expr = g.chance(0.6) ? g.body(4, []) : g.expr(4, []);
  return { seed, expr, data };
}

/** Deep equality that also compares the flags stock puts on arrays (sequence, keepSingleton, cons) and -0. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    const fa = a as unknown as Record<string, unknown>;
    const fb = b as unknown as Record<string, unknown>;
    for (const flag of ['sequence', 'keepSingleton', 'cons']) if ((fa[flag] === true) !== (fb[flag] === true)) return false;
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function sameOutcome(a: FuzzOutcome, b: FuzzOutcome): boolean {
  if ('error' in a || 'error' in b) return 'error' in a && 'error' in b && a.error === b.error;
  return sameValue(a.value, b.value);
}

/** A stock function value (a lambda or builtin) compares by kind only: the fast path hands those to stock. */
function plain(v: unknown): unknown {
  if (typeof v === 'function' || (v !== null && typeof v === 'object' && ((v as { _jsonata_lambda?: unknown })._jsonata_lambda === true || (v as { _jsonata_function?: unknown })._jsonata_function === true))) return '<function>';
  return v;
}

async function outcome(run: () => unknown): Promise<FuzzOutcome> {
  try {
    return { value: plain(await run()) };
  } catch (err) {
    return { error: String((err as { code?: unknown }).code ?? 'no code') };
  }
}

/** Evaluates a case both ways (a syntax error in a generated expression counts as the same outcome when both agree). */
export async function runCase(c: FuzzCase): Promise<FuzzResult> {
  let compiledFast = false;
  let sync = false;
  const fast = await outcome(() => {
    const e = compileExpression(c.expr);
    compiledFast = e.fast;
    const r = e.evaluate(c.data);
    sync = e.fast && !isPending(r);
    return r;
  });
  const stock = await outcome(() => compileExpression(c.expr, { fastPath: false }).evaluate(c.data));
  return { case: c, same: sameOutcome(fast, stock), fast, stock, compiledFast, sync };
}

/** A mismatch as text a person can replay: seed, expression, data, both outcomes. */
export function describeMismatch(r: FuzzResult): string {
  const show = (o: FuzzOutcome) => ('error' in o ? `error ${o.error}` : showValue(o.value));
  return [
    `seed ${r.case.seed}: fast path and stock differ`,
    `  expression: ${r.case.expr}`,
    `  data:       ${JSON.stringify(r.case.data)}`,
    `  fast path:  ${show(r.fast)}`,
    `  stock:      ${show(r.stock)}`,
  ].join('\n');
}

/** JSON with the sequence flag shown (`seq[...]`), so a flag-only difference is visible. */
function showValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) {
    const items = v.map((x) => showValue(x)).join(',');
    return `${(v as { sequence?: boolean }).sequence === true ? 'seq' : ''}[${items}]`;
  }
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${showValue(x)}`).join(',')}}`;
  return Object.is(v, -0) ? '-0' : JSON.stringify(v) ?? String(v);
}
