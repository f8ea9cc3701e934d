/**
 * JSONata's own builtin implementations, fetched once from the stock interpreter, so the fast path
 * calls exactly the code (and the signature validation) that stock JSONata would call. The
 * builtins that stock implements as async functions get synchronous copies in fast-hof.ts.
 */
import jsonata from 'jsonata';

/** Thrown inside a fast-path closure when stock JSONata must re-evaluate the whole call. */
export const FALLBACK: unique symbol = Symbol('manoflow.expr.fallback');

/** Why: one place to bail out, so every "not replicated here" case looks the same. */
export function fallback(): never {
  throw FALLBACK;
}

/** The shape jsonata gives its builtins (`defineFunction`). */
export interface NativeFunction {
  _jsonata_function: true;
  implementation: (...args: unknown[]) => unknown;
  signature?: { validate(args: unknown[], context: unknown): unknown[] };
}

/** Builtins the fast path may call: pure, synchronous, no access to the evaluation environment. */
const SYNC_BUILTINS = [
  'string', 'substring', 'substringBefore', 'substringAfter', 'lowercase', 'uppercase', 'length',
  'trim', 'pad', 'join', 'formatNumber', 'formatBase', 'formatInteger', 'parseInteger', 'number',
  'floor', 'ceil', 'round', 'abs', 'sqrt', 'power', 'boolean', 'not', 'exists', 'type',
  'base64encode', 'base64decode', 'encodeUrlComponent', 'encodeUrl', 'decodeUrlComponent',
  'decodeUrl', 'keys', 'lookup', 'append', 'count', 'sum', 'max', 'min', 'average', 'merge',
  'reverse', 'distinct', 'spread', 'zip', 'error', 'assert', 'fromMillis',
] as const;

/** Builtins whose stock versions are async: fast-hof.ts has synchronous copies. */
export const ASYNC_COPIED = ['contains', 'replace', 'split', 'match', 'map', 'filter', 'reduce'] as const;

/** Every builtin name the stock interpreter defines (a call to one we do not run stays on stock). */
export const ALL_BUILTINS = new Set<string>([
  ...SYNC_BUILTINS, ...ASYNC_COPIED, 'sum', 'count', 'max', 'min', 'average', 'match', 'map',
  'zip', 'filter', 'single', 'reduce', 'sift', 'each', 'sort', 'shuffle', 'eval', 'toMillis',
  'clone', 'random', 'now', 'millis',
]);

const list = [...SYNC_BUILTINS, ...ASYNC_COPIED];
const fetched = (await jsonata(`{${list.map((n) => `"${n}": $${n}`).join(', ')}}`).evaluate({})) as Record<
  string,
  NativeFunction
>;

/** Mirrors stock `createSequence` (no `sequence` option: manoflow never sets one). */
export function createSequence(...items: unknown[]): unknown[] {
  const seq: unknown[] & { sequence?: boolean } = [];
  seq.sequence = true;
  if (items.length === 1) seq.push(items[0]);
  return seq;
}

/** Replica of stock `isFunction`. */
export function isFn(v: unknown): boolean {
  if (typeof v === 'function') return true;
  if (typeof v !== 'object' || v === null) return false;
  const o = v as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return o._jsonata_function === true || o._jsonata_lambda === true;
}

/** Stock signature symbols (`getSymbol` in jsonata's signature.js). */
function symbol(v: unknown): string {
  if (isFn(v)) return 'f';
  switch (typeof v) {
    case 'string':
      return 's';
    case 'number':
      return 'n';
    case 'boolean':
      return 'b';
    case 'object':
      return v === null ? 'l' : Array.isArray(v) ? 'a' : 'o';
    default:
      return 'm';
  }
}

const PROBE = Object.freeze({ probe: true });

/**
 * Signature validation with a per-shape shortcut: stock's regex match depends only on the argument
 * types, so when a shape (no arrays: their items are checked) once validated to the arguments themselves,
 * with no context substituted (checked with a probe context), later calls of that shape skip it.
 */
function cachedValidator(sig: { validate(args: unknown[], ctx: unknown): unknown[] }) {
  const identity = new Map<string, boolean>();
  return (args: unknown[], ctx: unknown): unknown[] => {
    let key = '';
    for (let i = 0; i < args.length; i++) key += symbol(args[i]);
    let known = identity.get(key);
    if (known === undefined) {
      known = false;
      if (!key.includes('a')) {
        try {
          const probed = sig.validate(args, PROBE);
          known = probed.length >= args.length && probed.every((v, i) => (i < args.length ? v === args[i] : v === undefined));
        } catch {
          known = false;
        }
      }
      identity.set(key, known);
    }
    return known ? args : sig.validate(args, ctx);
  };
}

/** A builtin ready for the fast path: stock's signature check, then a synchronous body. */
export interface FastBuiltin {
  validate(args: unknown[], context: unknown): unknown[];
  /** Stock `getFunctionArity` of the builtin (its implementation's declared parameters). */
  arity: number;
  run(args: unknown[], input: unknown): unknown;
}

/** Stock's signature check for `name`, then `copy` (a synchronous body) or stock's own body. */
export function makeBuiltin(name: string, copy?: (...a: unknown[]) => unknown): FastBuiltin | undefined {
  const native = fetched[name];
  if (!native || native._jsonata_function !== true) return undefined;
  const sig = native.signature;
  const validate = sig ? cachedValidator(sig) : (args: unknown[]) => args;
  if (copy) return { validate, arity: native.implementation.length, run: (args) => copy(...args) };
  const impl = native.implementation;
  return {
    validate,
    arity: impl.length,
    run(args, input) {
      const focus = { environment: undefined, input, options: undefined, createSequence };
      const r = impl.apply(focus, args);
      if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') fallback();
      return r;
    },
  };
}

/** Builtins the fast path runs with stock's own synchronous body, by name (without `$`). */
export const SYNC_FAST_BUILTINS: ReadonlyMap<string, FastBuiltin> = new Map(
  SYNC_BUILTINS.map((n) => [n, makeBuiltin(n)] as const).filter((e): e is [typeof e[0], FastBuiltin] => e[1] !== undefined),
);

/** Stock's `fn.string` and `fn.boolean`, used by `&`, `and`/`or` and conditions. */
export const nativeString = fetched.string!.implementation as (v: unknown) => string | undefined;
export const nativeBoolean = fetched.boolean!.implementation as (v: unknown) => boolean | undefined;
