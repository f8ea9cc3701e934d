/**
 * The fast path: compiles a JSONata AST (from `jsonata(src).ast()`) into synchronous closures for
 * a subset of the language. Where a value shows up whose semantics the closures do not replicate
 * exactly (an array in a path, a type error, an unknown function), a closure throws FALLBACK and
 * the caller re-evaluates the whole call with the stock interpreter, so values and errors stay
 * identical. `compileFast` returns undefined when any node is outside the subset.
 */
import { ALL_BUILTINS, ASYNC_COPIED, SYNC_FAST_BUILTINS, createSequence, fallback, isFn, makeBuiltin, type FastBuiltin } from './natives.js';
import * as op from './fast-ops.js';
import { HOF_COPIES } from './fast-hof.js';
import { applyPredicate, asArgument, buildArray, isFast, KIND, lookup, tag, type FastFn, type Predicate } from './fast-values.js';
import { objectRuntime, pathRuntime, UNBOUND, type Fn, type Frame, type Runtime } from './fast-paths.js';

/** A JSONata AST node as jsonata's parser produces it (only the fields we read). */
export interface AstNode {
  type: string;
  value?: unknown;
  position?: number;
  [key: string]: unknown;
}

/** Limits for the compiled program (stock's guardrails, replicated by falling back before them). */
export interface FastOptions {
  maxDepth?: number;
  timeLimitMs?: number;
}

/** A compiled fast expression: `run` may throw FALLBACK; `height` bounds stock's evaluate depth. */
export interface FastProgram {
  run(input: unknown, bindings: Record<string, unknown> | undefined): unknown;
  height: number;
}

class Unsupported extends Error {}
const no = (): never => {
  throw new Unsupported();
};

// Node fields we understand, per type; any other field (group, focus, tuple, keepArray...) → stock.
const KEYS: Record<string, ReadonlySet<string>> = {
  path: new Set(['type', 'steps']),
  name: new Set(['type', 'value', 'position']),
  variable: new Set(['type', 'value', 'position']),
  string: new Set(['type', 'value', 'position']),
  number: new Set(['type', 'value', 'position']),
  value: new Set(['type', 'value', 'position']),
  regex: new Set(['type', 'value', 'position']),
  binary: new Set(['type', 'value', 'position', 'lhs', 'rhs']),
  unary: new Set(['type', 'value', 'position', 'expression', 'expressions', 'lhs', 'consarray']),
  function: new Set(['type', 'value', 'position', 'arguments', 'procedure']),
  lambda: new Set(['type', 'position', 'arguments', 'body', 'thunk']),
  condition: new Set(['type', 'position', 'condition', 'then', 'else']),
  block: new Set(['type', 'position', 'expressions']),
  bind: new Set(['type', 'value', 'position', 'lhs', 'rhs']),
  apply: new Set(['type', 'value', 'position', 'lhs', 'rhs']),
};

/** Compile-time scope: a block's `:=` names or a lambda's parameters, by slot. */
interface Scope {
  parent: Scope | undefined;
  names: Map<string, number>;
  /** Lambda parameters are bound from the start; block names only once their `:=` ran. */
  lambda: boolean;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Rejects a node carrying any field we do not model (fields present but undefined do not count). */
function checkKeys(n: AstNode, type: string): void {
  const allowed = KEYS[type];
  if (!allowed) no();
  for (const k of Object.keys(n)) if (n[k] !== undefined && !allowed!.has(k)) no();
}
// stock binds only own enumerable keys; `hasOwn` first: most names looked up there are builtins, and it is the cheaper miss
const isEnum = Object.prototype.propertyIsEnumerable;

/** Counts a lambda call; past the caps the evaluation goes to stock, which applies its guardrails. */
function enter(rt: Runtime): void {
  if (++rt.calls > rt.maxCalls) fallback();
  if (rt.deadline !== 0 && (++rt.ticks & 255) === 0 && Date.now() > rt.deadline) fallback();
}

/** Builtins the fast path runs: stock's synchronous ones, and the copies of the async ones. */
const BUILTINS = new Map<string, FastBuiltin>(SYNC_FAST_BUILTINS);
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
// the builtins whose arguments may be function values (the rest leave those calls to stock)
const TAKES_FN = new Set<string>(ASYNC_COPIED);

/** A builtin used as a value (`$map(xs, $trim)`): applied like stock's applyInner does it. */
function nativeValue(b: FastBuiltin): FastFn {
  return tag((args, ci) => op.checkValue(op.unwrap(b.run(b.validate(args, ci), ci))), 'native', b.arity);
}
const NATIVE_VALUES = new Map([...BUILTINS].map(([n, b]) => [n, nativeValue(b)] as const));

class Compiler {
  slotCount = 0;
  height = 0;

  node(n: AstNode, scope: Scope | undefined, depth: number): Fn {
    if (n.predicate === undefined) return this.inner(n, scope, depth, false);
    const preds = this.predicates(n.predicate as AstNode[], scope, depth);
    const base = this.inner({ ...n, predicate: undefined }, scope, depth, true);
    return (ctx, f, rt) => {
      let r = base(ctx, f, rt);
      for (let i = 0; i < preds.length; i++) r = applyPredicate(preds[i]!, r, f, rt);
      return op.unwrap(r);
    };
  }

  predicates(list: AstNode[], scope: Scope | undefined, depth: number): Predicate<Frame, Runtime>[] {
    return list.map((p) => {
      if (p.type !== 'filter' || Object.keys(p).some((k) => k !== 'type' && k !== 'expr' && k !== 'position')) no();
      const e = p.expr as AstNode;
      if (e.type === 'number' && e.predicate === undefined) return { index: Number(e.value) };
      const test = this.node(e, scope, depth + 1);
      return { test: (item: unknown, f: Frame, rt: Runtime) => test(item, f, rt) };
    });
  }

  /** `raw`: leave a 0/1-item sequence wrapped (predicates apply before stock unwraps). */
  inner(n: AstNode, scope: Scope | undefined, depth: number, raw: boolean): Fn {
    checkKeys(n, n.type);
    if (depth > this.height) this.height = depth;
    switch (n.type) {
      case 'string':
      case 'number':
      case 'value': {
        const v = n.value;
        return () => v;
      }
      case 'regex': {
        const re = n.value as RegExp;
        if (!(re instanceof RegExp)) no();
        const value = tag(() => fallback(), 'regex', 1);
        value.re = new RegExp(re.source, re.flags);
        return () => value;
      }
      case 'variable':
        return this.variable(String(n.value), scope, raw);
      case 'path':
        return this.path(n.steps as AstNode[], scope, depth, raw);
      case 'binary':
        return this.binary(n, scope, depth);
      case 'unary':
        return this.unary(n, scope, depth);
      case 'function':
        return this.call(n, scope, depth, undefined, false, raw);
      case 'apply': {
        const rhs = n.rhs as AstNode;
        if (rhs.type !== 'function' || rhs.predicate !== undefined) no();
        return this.call(rhs, scope, depth + 1, this.node(n.lhs as AstNode, scope, depth + 1), false, raw);
      }
      case 'lambda':
        return this.lambda(n, scope, depth);
      case 'condition':
        return this.condition(n, scope, depth);
      case 'block':
        return this.block(n.expressions as AstNode[], scope, depth);
      default:
        // a `:=` outside a block's direct children binds in a frame we do not model
        return no();
    }
  }

  /** Where `name` may live, nearest first: [frames up, slot, always bound]. */
  resolve(name: string, scope: Scope | undefined): [number, number, boolean][] {
    const found: [number, number, boolean][] = [];
    let hops = 0;
    for (let s = scope; s; s = s.parent) {
      const slot = s.names.get(name);
      if (slot !== undefined) {
        found.push([hops, slot, s.lambda]);
        if (s.lambda) break;
      }
      hops++;
    }
    return found;
  }

  /** A lookup through the frames, then the bindings; UNBOUND when neither has the name. */
  lookup(name: string, scope: Scope | undefined): (f: Frame, rt: Runtime) => unknown {
    const found = this.resolve(name, scope);
    const global = (rt: Runtime): unknown => {
      const b = rt.bindings;
      if (b === undefined || !isEnum.call(b, name)) return UNBOUND;
      return op.checkValue(op.unwrap(b[name]));
    };
    if (found.length === 1 && found[0]![0] === 0 && found[0]![2]) {
      const slot = found[0]![1];
      return (f) => f[slot];
    }
    if (found.length === 0) return (_f, rt) => global(rt);
    return (f, rt) => {
      for (let i = 0; i < found.length; i++) {
        const [hops, slot] = found[i]!;
        let fr = f;
        for (let h = 0; h < hops; h++) fr = fr[0] as Frame;
        const v = fr[slot];
        if (v !== UNBOUND) return v;
      }
      return global(rt);
    };
  }

  variable(name: string, scope: Scope | undefined, raw: boolean): Fn {
    if (name === '') {
      return (ctx) => {
        const v = ctx && Array.isArray(ctx) && (ctx as { outerWrapper?: boolean }).outerWrapper ? ctx[0] : ctx;
        return raw ? v : op.unwrap(v);
      };
    }
    if (name === '$') return (_ctx, _f, rt) => (raw ? rt.root : op.unwrap(rt.root));
    const look = this.lookup(name, scope);
    const native = NATIVE_VALUES.get(name);
    const builtinName = ALL_BUILTINS.has(name);
    return (_ctx, f, rt) => {
      const v = look(f, rt);
      if (v === UNBOUND) return native ?? (builtinName ? fallback() : undefined);
      return raw ? v : op.unwrap(v);
    };
  }

  path(steps: AstNode[], scope: Scope | undefined, depth: number, raw: boolean): Fn {
    if (depth + 1 > this.height) this.height = depth + 1;
    const fns: Fn[] = [];
    const stages: (Predicate<Frame, Runtime>[] | undefined)[] = [];
    for (const s of steps) {
      if (s.consarray === true) no(); // a leading `[...]` step is evaluated against the whole sequence
      stages.push(s.stages === undefined ? undefined : this.predicates(s.stages as AstNode[], scope, depth + 1));
      const step = { ...s, stages: undefined };
      if (s.type !== 'name') {
        fns.push(this.node(step, scope, depth + 1));
        continue;
      }
      checkKeys(step, 'name');
      const key = String(s.value);
      fns.push((item) => {
        // a record field (the usual case) without the general lookup's array walk
        if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
          if (!hasOwn.call(item, key) || isFn(item)) return undefined;
          return op.unwrap((item as Record<string, unknown>)[key]);
        }
        return op.unwrap(lookup(item, key));
      });
    }
    return pathRuntime(fns, stages, steps[0]!.type === 'variable', raw);
  }

  binary(n: AstNode, scope: Scope | undefined, depth: number): Fn {
    const l = this.node(n.lhs as AstNode, scope, depth + 1);
    const r = this.node(n.rhs as AstNode, scope, depth + 1);
    const f = op.BINARY[String(n.value)];
    if (f) return (ctx, fr, rt) => f(l(ctx, fr, rt), r(ctx, fr, rt));
    if (n.value === 'and') return (ctx, fr, rt) => op.boolize(l(ctx, fr, rt)) && op.boolize(r(ctx, fr, rt));
    if (n.value === 'or') return (ctx, fr, rt) => op.boolize(l(ctx, fr, rt)) || op.boolize(r(ctx, fr, rt));
    return no();
  }

  unary(n: AstNode, scope: Scope | undefined, depth: number): Fn {
    if (n.value === '-') {
      const e = this.node(n.expression as AstNode, scope, depth + 1);
      return (ctx, f, rt) => op.negate(e(ctx, f, rt));
    }
    if (n.value === '[') {
      const exprs = n.expressions as AstNode[];
      const fns = exprs.map((x) => this.node(x, scope, depth + 1));
      const nested = exprs.map((x) => x.value === '[');
      const cons = n.consarray === true;
      return (ctx, f, rt) => {
        const values = new Array<unknown>(fns.length);
        for (let i = 0; i < fns.length; i++) values[i] = fns[i]!(ctx, f, rt);
        return buildArray(values, nested, cons);
      };
    }
    if (n.value === '{') return this.object(n.lhs as AstNode[][], scope, depth);
    return no();
  }

  object(pairs: AstNode[][], scope: Scope | undefined, depth: number): Fn {
    const keyNodes = pairs.map((p) => (p.length === 2 ? p[0]! : no()));
    const keys = keyNodes.map((k) => this.node(k, scope, depth + 1));
    const values = pairs.map((p) => this.node(p[1]!, scope, depth + 1));
    return objectRuntime(keyNodes, keys, values) ?? no();
  }

  condition(n: AstNode, scope: Scope | undefined, depth: number): Fn {
    const c = this.node(n.condition as AstNode, scope, depth + 1);
    const t = n.then === undefined ? undefined : this.node(n.then as AstNode, scope, depth + 1);
    const e = n.else === undefined ? undefined : this.node(n.else as AstNode, scope, depth + 1);
    return (ctx, f, rt) => {
      if (op.truthy(c(ctx, f, rt))) return t ? t(ctx, f, rt) : undefined;
      return e ? e(ctx, f, rt) : undefined;
    };
  }

  block(exprs: AstNode[], parent: Scope | undefined, depth: number): Fn {
    const names = new Map<string, number>();
    for (const x of exprs) {
      if (x.type !== 'bind') continue;
      const name = String((x.lhs as AstNode).value);
      if (!names.has(name)) names.set(name, 2 + names.size);
    }
    // a block without `:=` needs no frame of its own
    const scope: Scope | undefined = names.size === 0 ? parent : { parent, names, lambda: false };
    const fns: Fn[] = exprs.map((x) => {
      if (x.type !== 'bind') return this.node(x, scope, depth + 1);
      checkKeys(x, 'bind');
      const lhs = x.lhs as AstNode;
      if (lhs.type !== 'variable' || lhs.predicate !== undefined || lhs.value === '' || lhs.value === '$') no();
      const slot = names.get(String(lhs.value))!;
      const rhs = this.node(x.rhs as AstNode, scope, depth + 2);
      return (ctx, f, rt) => (f[slot] = rhs(ctx, f, rt));
    });
    const size = 2 + names.size;
    const body = (ctx: unknown, f: Frame, rt: Runtime): unknown => {
      let result: unknown;
      for (let i = 0; i < fns.length; i++) result = fns[i]!(ctx, f, rt);
      return result;
    };
    if (names.size === 0) return body;
    return (ctx, f, rt) => {
      const fr: Frame = new Array(size).fill(UNBOUND);
      fr[0] = f;
      fr[1] = f[1];
      return body(ctx, fr, rt);
    };
  }

  lambda(n: AstNode, parent: Scope | undefined, depth: number): Fn {
    checkKeys(n, 'lambda');
    if (n.thunk === true) {
      // a call in tail position (stock trampolines it): a direct call, with the caller's apply input
      const body = n.body as AstNode;
      if (body.type !== 'function' || (n.arguments as AstNode[]).length !== 0) no();
      return this.call(body, parent, depth + 1, undefined, true, false);
    }
    const params = (n.arguments as AstNode[]).map((a) => (a.type === 'variable' ? String(a.value) : no()));
    const names = new Map<string, number>();
    params.forEach((p, i) => names.set(p, 2 + i));
    const body = this.node(n.body as AstNode, { parent, names, lambda: true }, depth + 1);
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

  call(n: AstNode, scope: Scope | undefined, depth: number, applied: Fn | undefined, tail: boolean, raw: boolean): Fn {
    checkKeys(n, 'function');
    const proc = n.procedure as AstNode;
    if (proc.type !== 'variable' || proc.predicate !== undefined) no();
    checkKeys(proc, 'variable');
    const name = String(proc.value);
    if (name === '' || name === '$') no();
    if (depth + 1 > this.height) this.height = depth + 1;
    const inScope = this.resolve(name, scope).length > 0;
    const builtin = BUILTINS.get(name);
    if (ALL_BUILTINS.has(name) && !builtin && !inScope) no();
    const look = inScope ? this.lookup(name, scope) : undefined;
    const takesFn = TAKES_FN.has(name);
    const argFns = (n.arguments as AstNode[]).map((a) => this.node(a, scope, depth + 1));
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
          return op.callCustom(b[name], args, input);
        }
        if (!builtin || (fns && !takesFn)) return fallback();
        r = op.checkValue(builtin.run(builtin.validate(args, input), input));
      }
      return raw ? r : op.unwrap(r);
    };
  }
}

const TOP: Frame = [undefined, undefined];

/** Lambda calls nested deeper than this go to stock (its trampoline has no JS stack limit). */
const CALL_CAP = 400;

/** Compiles `ast` for the fast path, or returns undefined when it uses anything outside the subset. */
export function compileFast(ast: AstNode, options: FastOptions = {}): FastProgram | undefined {
  const c = new Compiler();
  let fn: Fn;
  try {
    fn = c.node(ast, undefined, 1);
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  const height = c.height;
  // stock nests at most height + 1 evaluations per active lambda call (the call site, then the body)
  const maxCalls = options.maxDepth !== undefined && options.maxDepth > 0 ? Math.min(CALL_CAP, Math.floor(options.maxDepth / (height + 1)) - 1) : CALL_CAP;
  const timeLimit = options.timeLimitMs !== undefined && options.timeLimitMs > 0 ? options.timeLimitMs : 0;
  return {
    height,
    run(input, bindings) {
      let ctx = input;
      if (Array.isArray(input) && (input as { sequence?: boolean }).sequence !== true) {
        // stock wraps an array input in a one-item sequence (`$` reads through it)
        const wrapper = createSequence(input) as unknown[] & { outerWrapper?: boolean };
        wrapper.outerWrapper = true;
        ctx = wrapper;
      }
      const rt: Runtime = { root: input, bindings, calls: 0, maxCalls, deadline: timeLimit ? Date.now() + timeLimit : 0, ticks: 0 };
      const r = fn(ctx, TOP, rt);
      if (typeof r === 'function') fallback();
      return r;
    },
  };
}
