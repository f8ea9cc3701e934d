/**
 * Operator semantics for the fast path, copied from jsonata 2.2.2's evaluator for the values we
 * replicate exactly, and FALLBACK for everything else (errors included: stock JSONata then throws
 * the error itself, with its own code, position and token).
 */
import { fallback, isFn, nativeBoolean, nativeString } from './natives.js';
import { unwrapSeq } from './fast-values.js';

type Bin = (l: unknown, r: unknown) => unknown;

// stock `isNumeric` throws D1001 on ±Infinity and the operators throw T2001/T2002 on NaN or non-numbers
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function arith(f: (a: number, b: number) => number): Bin {
  return (l, r) => {
    if ((l !== undefined && !num(l)) || (r !== undefined && !num(r))) fallback();
    if (l === undefined || r === undefined) return undefined;
    return f(l as number, r as number);
  };
}

function equal(l: unknown, r: unknown): boolean {
  if (typeof l === 'function' || typeof r === 'function') fallback();
  if (l === r) return true;
  // stock compares objects and arrays deeply: not replicated here
  if (typeof l === 'object' && typeof r === 'object' && l !== null && r !== null) fallback();
  return false;
}

function compare(f: (a: string | number, b: string | number) => boolean): Bin {
  return (l, r) => {
    const lt = typeof l;
    const rt = typeof r;
    if ((lt !== 'undefined' && lt !== 'string' && lt !== 'number') || (rt !== 'undefined' && rt !== 'string' && rt !== 'number')) fallback();
    if (lt === 'undefined' || rt === 'undefined') return undefined;
    if (lt !== rt) fallback();
    return f(l as string | number, r as string | number);
  };
}

/** Stock `fn.string` as `&` uses it: undefined is the empty string. */
export function str(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'function') fallback();
  return nativeString(v) as string;
}

/** Binary operators by token; `and`/`or` short-circuit and live in the compiler. */
export const BINARY: Record<string, Bin | undefined> = {
  '+': arith((a, b) => a + b),
  '-': arith((a, b) => a - b),
  '*': arith((a, b) => a * b),
  '/': arith((a, b) => a / b),
  '%': arith((a, b) => a % b),
  '=': (l, r) => (l === undefined || r === undefined ? false : equal(l, r)),
  '!=': (l, r) => (l === undefined || r === undefined ? false : !equal(l, r)),
  '<': compare((a, b) => a < b),
  '<=': compare((a, b) => a <= b),
  '>': compare((a, b) => a > b),
  '>=': compare((a, b) => a >= b),
  '&': (l, r) => str(l).concat(str(r)),
  in: (l, r) => {
    if (l === undefined || r === undefined) return false;
    if (typeof l === 'function') fallback();
    const list = Array.isArray(r) ? r : [r];
    for (let i = 0; i < list.length; i++) if (list[i] === l) return true;
    return false;
  },
};

/** Stock `boolize`: the effective boolean value, undefined counting as false. */
export function boolize(v: unknown): boolean {
  const b = nativeBoolean(v);
  return b === undefined ? false : b;
}

/** The test a condition `?:` applies. */
export function truthy(v: unknown): boolean {
  return !!nativeBoolean(v);
}

/** Unary minus. */
export function negate(v: unknown): unknown {
  if (v === undefined) return undefined;
  if (num(v)) return -v;
  return fallback();
}

/** What stock `evaluate` does to every node's result: a sequence of 0 or 1 items is unwrapped. */
export const unwrap = unwrapSeq;

/** Values the fast path carries; a function value is left to stock. */
export function checkValue(v: unknown): unknown {
  if (isFn(v)) fallback();
  return v;
}

/** Calls a plain JS function passed in bindings the way stock does (`this` = context); the result is not unwrapped. */
export function callCustom(proc: unknown, args: unknown[], ctx: unknown): unknown {
  if (typeof proc !== 'function') return fallback();
  const f = proc as ((...a: unknown[]) => unknown) & { _jsonata_function?: unknown; _jsonata_lambda?: unknown; signature?: unknown };
  if (f._jsonata_function === true || f._jsonata_lambda === true || f.signature !== undefined) fallback();
  const r = f.apply(ctx, args);
  if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') fallback();
  // raw, as stock's applyInner returns it: the call site unwraps unless it is a tail call
  return checkValue(r);
}

/** Returned by a string copy when the text needs stock's own body (the caller runs it). */
export const STOCK_BODY: unique symbol = Symbol('manoflow.expr.stockBody');

// a UTF-16 surrogate: only then do code points (stock counts them) differ from string indexes
const SURROGATE = /[\uD800-\uDFFF]/;
// what stock's `$trim` regex would change inside the text: a tab, CR, LF, or a run of spaces
const TRIM_INNER = /[\t\n\r]| {2}/;

/**
 * Stock `$substring` and `$trim` (jsonata.js) on validated arguments, for the texts where a cheaper
 * form gives the same string: `$substring` of a text without surrogates slices it directly (stock
 * splits it into an array of code points), `$trim` of a text without tabs, line breaks or double
 * spaces only drops one space at each end (stock rewrites every space with a global replace).
 * Other texts give STOCK_BODY.
 */
export const STRING_COPIES: Readonly<Record<string, (args: unknown[]) => unknown>> = {
  substring(args) {
    const str = args[0];
    if (typeof str !== 'string' || SURROGATE.test(str)) return STOCK_BODY;
    let start = args[1] as number;
    const length = args[2] as number | undefined;
    if (str.length + start < 0) start = 0;
    if (length !== undefined) {
      if (length <= 0) return '';
      return str.slice(start, start >= 0 ? start + length : str.length + start + length);
    }
    return str.slice(start);
  },
  trim(args) {
    const str = args[0];
    if (typeof str !== 'string' || TRIM_INNER.test(str)) return STOCK_BODY;
    let r = str;
    if (r.charAt(0) === ' ') r = r.substring(1);
    if (r.charAt(r.length - 1) === ' ') r = r.substring(0, r.length - 1);
    return r;
  },
};
