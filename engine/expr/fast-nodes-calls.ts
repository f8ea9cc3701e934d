/**
 * Fast-path compilers for the nodes that name or make functions: variables, lambdas and calls
 * (builtins, lambdas in scope, custom functions in the bindings). Anything else goes to stock.
 */
import { ALL_BUILTINS, fallback } from './natives.js';
import { timeLimitStop } from './stock.js';
import * as op from './fast-ops.js';
import { asArgument, isFast, KIND, tag } from './fast-values.js';
import { UNBOUND, type Fn, type Frame, type Runtime } from './fast-paths.js';
import { BUILTINS, NATIVE_VALUES, TAKES_FN } from './fast-builtins.js';
import { checkKeys, hasOwn, isEnum, lookupName, no, resolve, type AstNode, type NodeCompiler, type Scope } from './fast-scope.js';

/**
 * Counts a lambda call. Past the depth cap the evaluation goes to stock, which applies its depth
 * guardrail exactly; past the deadline it stops here with stock's time-limit error (stock would
 * only start the clock again).
 */
function enter(rt: Runtime): void {
  if (++rt.calls > rt.maxCalls) fallback();
  if (rt.deadline !== 0 && (++rt.ticks & 255) === 0 && Date.now() > rt.deadline) timeLimitStop(rt.timeLimit);
}

/** `$`, `$$`, or `$name` read through frames, bindings, then the builtins as values. */
export function compileVariable(name: string, scope: Scope | undefined, raw: boolean): Fn {
  if (name === '') {
    return (ctx) => {
      const v = ctx && Array.isArray(ctx) && (ctx as { outerWrapper?: boolean }).outerWrapper ? ctx[0] : ctx;
      return raw ? v : op.unwrap(v);
    };
  }
  if (name === '$') return (_ctx, _f, rt) => (raw ? rt.root : op.unwrap(rt.root));
  const look = lookupName(name, scope);
  const native = NATIVE_VALUES.get(name);
  const builtinName = ALL_BUILTINS.has(name);
  return (_ctx, f, rt) => {
    const v = look(f, rt);
    if (v === UNBOUND) return native ?? (builtinName ? fallback() : undefined);
    return raw ? v : op.unwrap(v);
  };
}

/** `function($a, $b) { body }`, or a tail call stock would trampoline. */
export function compileLambda(c: NodeCompiler, n: AstNode, parent: Scope | undefined, depth: number): Fn {
  checkKeys(n, 'lambda');
  if (n.thunk === true) {
    // a call in tail position (stock trampolines it): a direct call, with the caller's apply input.
    // Its result is what stock's applyInner returned, never passed through an `evaluate` exit: a
    // sequence of 0 or 1 items stays as it is, through the conditions and blocks around it.
    const body = n.body as AstNode;
    if (body.type !== 'function' || (n.arguments as AstNode[]).length !== 0) no();
    return compileCall(c, body, parent, depth + 1, undefined, true, true);
  }
  const params = (n.arguments as AstNode[]).map((a) => (a.type === 'variable' ? String(a.value) : no()));
  const names = new Map<string, number>();
  params.forEach((p, i) => names.set(p, 2 + i));
  const body = c.node(n.body as AstNode, { parent, names, lambda: true }, depth + 1);
  const arity = params.length;
  return (ctx, f, rt) => {
    const lam = tag((args, ci) => {
      enter(rt);
      const fr: Frame = new Array(2 + arity);
      fr[0] = f;
      fr[1] = ci;
      for (let i = 0; i < arity; i++) fr[2 + i] = args[i];
      const r = body(ctx, fr, rt);
      rt.calls--;
      return r;
    }, 'lambda', arity);
    lam.input = ctx;
    return lam;
  };
}

/** `$f(args)`, or `x ~> $f(args)` when `applied` is the left side. */
export function compileCall(c: NodeCompiler, n: AstNode, scope: Scope | undefined, depth: number, applied: Fn | undefined, tail: boolean, raw: boolean): Fn {
  checkKeys(n, 'function');
  const proc = n.procedure as AstNode;
  if (proc.type !== 'variable' || proc.predicate !== undefined) no();
  checkKeys(proc, 'variable');
  const name = String(proc.value);
  if (name === '' || name === '$') no();
  if (depth + 1 > c.height) c.height = depth + 1;
  const inScope = resolve(name, scope).length > 0;
  const builtin = BUILTINS.get(name);
  if (ALL_BUILTINS.has(name) && !builtin && !inScope) no();
  const look = inScope ? lookupName(name, scope) : undefined;
  const takesFn = TAKES_FN.has(name);
  const argFns = (n.arguments as AstNode[]).map((a) => c.node(a, scope, depth + 1));
  if (applied) argFns.unshift(applied);
  const first = applied ? 1 : 0;
  return (ctx, f, rt) => {
    const args = new Array<unknown>(argFns.length);
    let fns = false;
    for (let i = 0; i < argFns.length; i++) {
      let a = argFns[i]!(ctx, f, rt);
      if (typeof a === 'function') {
        // stock passes `~>`'s left side raw and wraps other function arguments (not in a tail call)
        if (i < first || !isFast(a)) fallback();
        if (!tail) a = asArgument(a);
        fns = true;
      }
      args[i] = a;
    }
    const input = tail ? f[1] : ctx;
    let r: unknown;
    const v = look ? look(f, rt) : UNBOUND;
    if (v !== UNBOUND) {
      if (!isFast(v) || v[KIND] === 'regex') return fallback();
      r = v(args, input);
    } else {
      const b = rt.bindings;
      if (b !== undefined && hasOwn.call(b, name) && isEnum.call(b, name)) {
        if (fns) fallback();
        r = op.callCustom(b[name], args, input);
        if (tail) rt.tail = true;
        return raw ? r : op.checkValue(op.unwrap(r));
      }
      if (!builtin || (fns && !takesFn)) return fallback();
      r = op.checkValue(builtin.run(builtin.validate(args, input), input));
    }
    if (tail) rt.tail = true;
    return raw ? r : op.unwrap(r);
  };
}
