/**
 * Fast-path compilers for the data-shaped nodes: paths, operators, array and object constructors,
 * conditions and blocks. Each returns a closure; children compile through the NodeCompiler.
 */
import { isFn } from './natives.js';
import * as op from './fast-ops.js';
import { buildArray, lookup, type Predicate } from './fast-values.js';
import { objectRuntime, pathRuntime, UNBOUND, type Fn, type Frame, type Runtime } from './fast-paths.js';
import { checkKeys, hasOwn, no, yieldsThunk, type AstNode, type NodeCompiler, type Scope } from './fast-scope.js';

/** `a.b[0].c`: each step compiled, a plain field name without the general lookup. */
export function compilePath(c: NodeCompiler, steps: AstNode[], scope: Scope | undefined, depth: number, raw: boolean): Fn {
  if (depth + 1 > c.height) c.height = depth + 1;
  const fns: Fn[] = [];
  const stages: (Predicate<Frame, Runtime>[] | undefined)[] = [];
  for (const s of steps) {
    if (s.consarray === true) no(); // a leading `[...]` step is evaluated against the whole sequence
    stages.push(s.stages === undefined ? undefined : c.predicates(s.stages as AstNode[], scope, depth + 1));
    const step = { ...s, stages: undefined };
    if (s.type !== 'name') {
      fns.push(c.node(step, scope, depth + 1));
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

/** A binary operator (fast-ops.ts), `and`/`or` short-circuiting. */
export function compileBinary(c: NodeCompiler, n: AstNode, scope: Scope | undefined, depth: number): Fn {
  const l = c.node(n.lhs as AstNode, scope, depth + 1);
  const r = c.node(n.rhs as AstNode, scope, depth + 1);
  const f = op.BINARY[String(n.value)];
  if (f) return (ctx, fr, rt) => f(l(ctx, fr, rt), r(ctx, fr, rt));
  if (n.value === 'and') return (ctx, fr, rt) => op.boolize(l(ctx, fr, rt)) && op.boolize(r(ctx, fr, rt));
  if (n.value === 'or') return (ctx, fr, rt) => op.boolize(l(ctx, fr, rt)) || op.boolize(r(ctx, fr, rt));
  return no();
}

/** Unary minus, an array constructor `[...]` or an object constructor `{...}`. */
export function compileUnary(c: NodeCompiler, n: AstNode, scope: Scope | undefined, depth: number): Fn {
  if (n.value === '-') {
    const e = c.node(n.expression as AstNode, scope, depth + 1);
    return (ctx, f, rt) => op.negate(e(ctx, f, rt));
  }
  if (n.value === '[') {
    const exprs = n.expressions as AstNode[];
    const fns = exprs.map((x) => c.node(x, scope, depth + 1));
    const nested = exprs.map((x) => x.value === '[');
    const cons = n.consarray === true;
    return (ctx, f, rt) => {
      const values = new Array<unknown>(fns.length);
      for (let i = 0; i < fns.length; i++) values[i] = fns[i]!(ctx, f, rt);
      return buildArray(values, nested, cons);
    };
  }
  if (n.value === '{') return compileObject(c, n.lhs as AstNode[][], scope, depth);
  return no();
}

function compileObject(c: NodeCompiler, pairs: AstNode[][], scope: Scope | undefined, depth: number): Fn {
  const keyNodes = pairs.map((p) => (p.length === 2 ? p[0]! : no()));
  const keys = keyNodes.map((k) => c.node(k, scope, depth + 1));
  const values = pairs.map((p) => c.node(p[1]!, scope, depth + 1));
  return objectRuntime(keyNodes, keys, values) ?? no();
}

/**
 * A condition's branch or a block's last expression, leaving through stock's `evaluate` exit of
 * the condition or block: unwrapped once more, unless the value came raw from a tail call (a thunk
 * passes through stock's exits untouched and is called after them). `tailPath`: the enclosing node
 * may return a tail call's value, so it reports in `rt.tail` where this value came from.
 */
function exitOf(n: AstNode, fn: Fn, tailPath: boolean): Fn {
  if (n.type === 'lambda' && n.thunk === true) return fn; // the tail call sets rt.tail itself
  if (yieldsThunk(n)) {
    return (ctx, f, rt) => {
      const v = fn(ctx, f, rt);
      return rt.tail ? v : op.unwrap(v);
    };
  }
  if (!tailPath) return (ctx, f, rt) => op.unwrap(fn(ctx, f, rt));
  return (ctx, f, rt) => {
    const v = op.unwrap(fn(ctx, f, rt));
    rt.tail = false;
    return v;
  };
}

/**
 * `cond ? then : else`, either branch optional. `raw`: the node has predicates, which stock applies
 * before its exit (the caller unwraps after them); such a node never holds a tail call (fast.ts).
 */
export function compileCondition(c: NodeCompiler, n: AstNode, scope: Scope | undefined, depth: number, raw: boolean): Fn {
  const tailPath = yieldsThunk(n);
  const cond = c.node(n.condition as AstNode, scope, depth + 1);
  const branch = (b: AstNode | undefined): Fn => {
    if (b === undefined) return tailPath ? (_ctx, _f, rt) => { rt.tail = false; return undefined; } : () => undefined;
    const fn = c.node(b, scope, depth + 1);
    return raw ? fn : exitOf(b, fn, tailPath);
  };
  const t = branch(n.then as AstNode | undefined);
  const e = branch(n.else as AstNode | undefined);
  return (ctx, f, rt) => (op.truthy(cond(ctx, f, rt)) ? t(ctx, f, rt) : e(ctx, f, rt));
}

/** `( a; $x := b; c )`: a frame of its own only when it binds names; `raw` as for a condition. */
export function compileBlock(c: NodeCompiler, exprs: AstNode[], parent: Scope | undefined, depth: number, raw: boolean): Fn {
  const names = new Map<string, number>();
  for (const x of exprs) {
    if (x.type !== 'bind') continue;
    const name = String((x.lhs as AstNode).value);
    if (!names.has(name)) names.set(name, 2 + names.size);
  }
  // a block without `:=` needs no frame of its own
  const scope: Scope | undefined = names.size === 0 ? parent : { parent, names, lambda: false };
  const tailPath = yieldsThunk({ type: 'block', expressions: exprs });
  const fns: Fn[] = exprs.map((x, i) => {
    const last = i === exprs.length - 1;
    if (x.type !== 'bind') {
      const fn = c.node(x, scope, depth + 1);
      return last && !raw ? exitOf(x, fn, tailPath) : fn;
    }
    checkKeys(x, 'bind');
    const lhs = x.lhs as AstNode;
    if (lhs.type !== 'variable' || lhs.predicate !== undefined || lhs.value === '' || lhs.value === '$') no();
    const slot = names.get(String(lhs.value))!;
    const rhs = c.node(x.rhs as AstNode, scope, depth + 2);
    // the variable holds the value as the right side's exit left it; the `:=` node's own exit
    // unwraps it once more (and the block's exit again when it is the last expression)
    const bind: Fn = (ctx, f, rt) => op.unwrap((f[slot] = rhs(ctx, f, rt)));
    return last && !raw ? exitOf(x, bind, tailPath) : bind;
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
