/**
 * Function values and sequence semantics of the fast path: lambdas, builtins used as values and
 * regex literals are plain JS functions tagged with their kind, and paths, predicates and array
 * constructors follow jsonata 2.2.2's evaluatePath / evaluateStep / evaluateFilter / fn.lookup.
 */
import { createSequence, fallback, isFn, nativeBoolean } from './natives.js';

/** Tag on every function value the fast path creates (never on a caller's own JS function). */
export const KIND: unique symbol = Symbol('manoflow.expr.kind');

/**
 * A function value: `lambda` (a `function(...)` closure, raw as stock passes it in tail position),
 * `closure` (what stock's evaluateFunction wraps a function argument in: it calls with input null),
 * `native` (a builtin used as a value) or `regex` (a literal; only the regex builtins read it).
 */
export interface FastFn {
  (args: unknown[], callInput: unknown): unknown;
  [KIND]: 'lambda' | 'closure' | 'native' | 'regex';
  arity: number;
  /** lambda: the context it was created in (stock `proc.input`). */
  input?: unknown;
  /** regex: the literal, with the `g` flag jsonata's parser adds. */
  re?: RegExp;
}

/** True for a function value created by the fast path. */
export function isFast(v: unknown): v is FastFn {
  return typeof v === 'function' && (v as Partial<FastFn>)[KIND] !== undefined;
}

/** Tags `f` as a fast function value. */
export function tag(f: (args: unknown[], callInput: unknown) => unknown, kind: FastFn[typeof KIND], arity: number): FastFn {
  const t = f as FastFn;
  t[KIND] = kind;
  t.arity = arity;
  return t;
}

/**
 * What a function value becomes when passed as an argument outside a tail call: stock wraps it in
 * a closure that applies it with input null (a regex closure is called the same either way).
 */
export function asArgument(v: FastFn): FastFn {
  const kind = v[KIND];
  if (kind === 'regex' || kind === 'closure') return v;
  return tag((args) => v(args, null), 'closure', v.arity);
}

/**
 * Calls a function value the way a builtin (HOF, $replace) calls its function argument. In a
 * tail call stock passed the raw value: a lambda then applies with its own input, and a builtin
 * has no `apply` method (a TypeError in stock): left to stock.
 */
export function callArg(f: unknown, args: unknown[]): unknown {
  if (!isFast(f)) return fallback();
  const kind = f[KIND];
  if (kind === 'closure') return f(args, null);
  if (kind === 'lambda') return f(args, f.input);
  return fallback();
}

/** Stock `getFunctionArity` for the values `callArg` accepts. */
export function arityOf(f: unknown): number {
  return isFast(f) ? f.arity : fallback();
}

/** Stock `evaluate`'s exit: a sequence of 0 or 1 items is unwrapped. */
export function unwrapSeq(r: unknown): unknown {
  if (r && Array.isArray(r)) {
    const seq = r as unknown[] & { sequence?: boolean; tupleStream?: boolean; keepSingleton?: boolean };
    if (seq.sequence === true && !seq.tupleStream) {
      if (seq.length === 0) return undefined;
      if (seq.length === 1) return seq.keepSingleton ? seq : seq[0];
    }
  }
  return r;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Stock `fn.lookup`: a field of an object, mapped and flattened over arrays. */
export function lookup(input: unknown, key: string): unknown {
  if (Array.isArray(input)) {
    const result = createSequence();
    for (let i = 0; i < input.length; i++) {
      const res = lookup(input[i], key);
      if (res === undefined) continue;
      if (Array.isArray(res)) for (let j = 0; j < res.length; j++) result.push(res[j]);
      else result.push(res);
    }
    return result;
  }
  if (input !== null && typeof input === 'object' && hasOwn.call(input, key) && !isFn(input)) {
    return (input as Record<string, unknown>)[key];
  }
  return undefined;
}

/** Stock `isNumeric` (±Infinity is an error there: left to stock). */
function isNumeric(v: unknown): boolean {
  if (typeof v !== 'number' || Number.isNaN(v)) return false;
  if (!Number.isFinite(v)) fallback();
  return true;
}

/** One `[...]` predicate: stock `evaluateFilter` (number literal = index, else per-item test). */
export type Predicate<F = unknown, R = unknown> = { index: number } | { test: (item: unknown, frame: F, rt: R) => unknown };

/** Stock `evaluateFilter` on a raw (not yet unwrapped) value. */
export function applyPredicate<F, R>(p: Predicate<F, R>, input: unknown, frame: F, rt: R): unknown[] {
  let results = createSequence();
  const list = Array.isArray(input) ? input : createSequence(input);
  if ('index' in p) {
    let index = Math.floor(p.index);
    if (index < 0) index = list.length + index;
    const item = list[index];
    if (item !== undefined) {
      if (Array.isArray(item)) results = item;
      else results.push(item);
    }
    return results;
  }
  for (let index = 0; index < list.length; index++) {
    const item = list[index];
    let res = p.test(item, frame, rt);
    if (isNumeric(res)) res = [res];
    if (Array.isArray(res) && res.every(isNumeric)) {
      for (const ires of res as number[]) {
        let ii = Math.floor(ires);
        if (ii < 0) ii = list.length + ii;
        if (ii === index) results.push(item);
      }
    } else if (typeof res !== 'function' && nativeBoolean(res)) {
      results.push(item);
    }
  }
  return results;
}

/** Stock `evaluateStep`: a step over every item of the input sequence, results flattened. */
export function stepOver<F, R>(input: unknown[], step: (item: unknown, frame: F, rt: R) => unknown, frame: F, rt: R, lastStep: boolean): unknown[] {
  const result: unknown[] = [];
  for (let i = 0; i < input.length; i++) {
    const res = step(input[i], frame, rt);
    if (res !== undefined) {
      if (typeof res === 'function') fallback();
      result.push(res);
    }
  }
  return flattenStep(result, lastStep);
}

/** The second half of stock `evaluateStep`: the per-item results, flattened into one sequence. */
export function flattenStep(result: unknown[], lastStep: boolean): unknown[] {
  if (lastStep && result.length === 1 && Array.isArray(result[0]) && (result[0] as { sequence?: boolean }).sequence !== true) {
    return result[0] as unknown[];
  }
  const out = createSequence();
  for (let i = 0; i < result.length; i++) {
    const res = result[i];
    if (!Array.isArray(res) || (res as { cons?: boolean }).cons) out.push(res);
    else for (let j = 0; j < res.length; j++) out.push(res[j]);
  }
  return out;
}

/** Array constructor: `[...]` items nest, other values are appended (arrays flattened one level). */
export function buildArray(values: unknown[], nested: boolean[], cons: boolean): unknown[] {
  let out: unknown[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === undefined) continue;
    if (typeof v === 'function') fallback();
    if (nested[i] || !Array.isArray(v)) out.push(v);
    else out = out.concat(v);
  }
  if (cons) Object.defineProperty(out, 'cons', { enumerable: false, configurable: false, value: true });
  return out;
}
