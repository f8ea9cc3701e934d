/**
 * The builtins the fast path runs, built once at load: stock's synchronous ones, copies of the
 * async ones (fast-hof.ts), and the cheaper $substring/$trim where they cannot differ (fast-ops.ts).
 */
import { ASYNC_COPIED, SYNC_FAST_BUILTINS, makeBuiltin, type FastBuiltin } from './natives.js';
import * as op from './fast-ops.js';
import { HOF_COPIES } from './fast-hof.js';
import { tag, type FastFn } from './fast-values.js';

/** Builtins the fast path runs: stock's synchronous ones, and the copies of the async ones. */
export const BUILTINS = new Map<string, FastBuiltin>(SYNC_FAST_BUILTINS);
for (const n of ASYNC_COPIED) {
  const b = makeBuiltin(n, HOF_COPIES[n]);
  if (b) BUILTINS.set(n, b);
}
// $substring and $trim: stock's body only for the texts where a cheaper form could differ (fast-ops.ts)
for (const [n, copy] of Object.entries(op.STRING_COPIES)) {
  const b = BUILTINS.get(n);
  if (!b) continue;
  BUILTINS.set(n, { validate: b.validate, arity: b.arity, run: (args, input) => {
    const r = copy(args);
    return r === op.STOCK_BODY ? b.run(args, input) : r;
  } });
}
/** The builtins whose arguments may be function values (the rest leave those calls to stock). */
export const TAKES_FN = new Set<string>(ASYNC_COPIED);

/**
 * A builtin used as a value (`$map(xs, $keys)`): applied like stock's applyInner does it, so the
 * result is raw (a 1-item sequence from `$keys` stays one); a call site unwraps it as stock's
 * `evaluate` would.
 */
function nativeValue(b: FastBuiltin): FastFn {
  return tag((args, ci) => op.checkValue(b.run(b.validate(args, ci), ci)), 'native', b.arity);
}
/** Each fast builtin as a function value, for `$name` read as a variable. */
export const NATIVE_VALUES = new Map([...BUILTINS].map(([n, b]) => [n, nativeValue(b)] as const));
