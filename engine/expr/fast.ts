/**
 * The fast path: compiles a JSONata AST (from `jsonata(src).ast()`) into synchronous closures for
 * a subset of the language. Where a value shows up whose semantics the closures do not replicate
 * exactly (an array in a path, a type error, an unknown function), a closure throws FALLBACK and
 * the caller re-evaluates the whole call with the stock interpreter, so values and errors stay
 * identical. `compileFast` returns undefined when any node is outside the subset.
 */
import { ALL_BUILTINS, FAST_BUILTINS, fallback, isFn } from './natives.js';
import * as op from './fast-ops.js';

/** A JSONata AST node as jsonata's parser produces it (only the fields we read). */
export interface AstNode {
  type: string;
  value?: unknown;
  position?: number;
  [key: string]: unknown;
}

/** Per-evaluation state: the root input, the caller's bindings, block-variable slots. */
export interface Runtime {
  root: unknown;
  bindings: Record<string, unknown> | undefined;
  slots: unknown[];
}

type Fn = (ctx: unknown, rt: Runtime) => unknown;

/** A compiled fast expression: `run` may throw FALLBACK; `height` bounds stock's evaluate depth. */
export interface FastProgram {
  run(input: unknown, bindings: Record<string, unknown> | undefined): unknown;
  height: number;
}

class Unsupported extends Error {}
const no = (): never => {
  throw new Unsupported();
};

// Node fields we understand, per type; any other field (predicate, stages, group, focus...) → stock.
const KEYS: Record<string, ReadonlySet<string>> = {
  path: new Set(['type', 'steps']),
  name: new Set(['type', 'value', 'position']),
  variable: new Set(['type', 'value', 'position']),
  string: new Set(['type', 'value', 'position']),
  number: new Set(['type', 'value', 'position']),
  value: new Set(['type', 'value', 'position']),
  binary: new Set(['type', 'value', 'position', 'lhs', 'rhs']),
  unary: new Set(['type', 'value', 'position', 'expression', 'expressions', 'lhs', 'consarray']),
  function: new Set(['type', 'value', 'position', 'arguments', 'procedure']),
  condition: new Set(['type', 'position', 'condition', 'then', 'else']),
  block: new Set(['type', 'position', 'expressions']),
  bind: new Set(['type', 'value', 'position', 'lhs', 'rhs']),
  apply: new Set(['type', 'value', 'position', 'lhs', 'rhs']),
};

/** Compile-time block scope: which names its direct `:=` children bind, and which are bound yet. */
interface Scope {
  parent: Scope | undefined;
  all: Set<string>;
  visible: Map<string, number>;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Rejects a node carrying any field we do not model (fields present but undefined do not count). */
function checkKeys(n: AstNode, type: string): void {
  const allowed = KEYS[type];
  if (!allowed) no();
  for (const k of Object.keys(n)) if (n[k] !== undefined && !allowed!.has(k)) no();
}
const isEnum = Object.prototype.propertyIsEnumerable;

class Compiler {
  slotCount = 0;
  height = 0;

  node(n: AstNode, scope: Scope | undefined, depth: number): Fn {
    checkKeys(n, n.type);
    if (depth > this.height) this.height = depth;
    switch (n.type) {
      case 'string':
      case 'number':
      case 'value': {
        const v = n.value;
        return () => v;
      }
      case 'variable':
        return this.variable(String(n.value), scope);
      case 'path':
        return this.path(n.steps as AstNode[], scope, depth);
      case 'binary':
        return this.binary(n, scope, depth);
      case 'unary':
        return this.unary(n, scope, depth);
      case 'function':
        return this.call(n, scope, depth, undefined);
      case 'apply': {
        const rhs = n.rhs as AstNode;
        if (rhs.type !== 'function') no();
        return this.call(rhs, scope, depth + 1, this.node(n.lhs as AstNode, scope, depth + 1));
      }
      case 'condition':
        return this.condition(n, scope, depth);
      case 'block':
        return this.block(n.expressions as AstNode[], scope, depth);
      default:
        // a `:=` outside a block's direct children binds in a frame we do not model
        return no();
    }
  }

  variable(name: string, scope: Scope | undefined): Fn {
    if (name === '') return (ctx) => ctx;
    if (name === '$') return (_ctx, rt) => rt.root;
    for (let s = scope; s; s = s.parent) {
      const slot = s.visible.get(name);
      if (slot !== undefined) return (_ctx, rt) => rt.slots[slot];
    }
    // a builtin used as a value (not called) is a function: outside the subset
    if (ALL_BUILTINS.has(name)) no();
    return (_ctx, rt) => {
      const b = rt.bindings;
      if (b === undefined || !isEnum.call(b, name)) return undefined;
      return op.checkValue(op.unwrap(b[name]));
    };
  }

  path(steps: AstNode[], scope: Scope | undefined, depth: number): Fn {
    const fns = steps.map((s) => {
      if (s.type !== 'name') return this.node(s, scope, depth + 1);
      checkKeys(s, 'name');
      if (depth + 1 > this.height) this.height = depth + 1;
      const key = String(s.value);
      return (ctx: unknown) => (ctx !== null && typeof ctx === 'object' && hasOwn.call(ctx, key) ? (ctx as Record<string, unknown>)[key] : undefined);
    });
    return (ctx, rt) => {
      let v = ctx;
      for (let i = 0; i < fns.length; i++) {
        v = fns[i]!(v, rt);
        if (v === undefined) return undefined;
        if (Array.isArray(v) || isFn(v)) fallback();
      }
      return v;
    };
  }

  binary(n: AstNode, scope: Scope | undefined, depth: number): Fn {
    const l = this.node(n.lhs as AstNode, scope, depth + 1);
    const r = this.node(n.rhs as AstNode, scope, depth + 1);
    const f = op.BINARY[String(n.value)];
    if (f) return (ctx, rt) => f(l(ctx, rt), r(ctx, rt));
    if (n.value === 'and') return (ctx, rt) => op.boolize(l(ctx, rt)) && op.boolize(r(ctx, rt));
    if (n.value === 'or') return (ctx, rt) => op.boolize(l(ctx, rt)) || op.boolize(r(ctx, rt));
    return no();
  }

  unary(n: AstNode, scope: Scope | undefined, depth: number): Fn {
    if (n.value === '-') {
      const e = this.node(n.expression as AstNode, scope, depth + 1);
      return (ctx, rt) => op.negate(e(ctx, rt));
    }
    if (n.value === '[') {
      const exprs = n.expressions as AstNode[];
      const fns = exprs.map((x) => this.node(x, scope, depth + 1));
      const nested = exprs.map((x) => x.value === '[');
      const cons = n.consarray === true;
      return (ctx, rt) => {
        const values = new Array<unknown>(fns.length);
        for (let i = 0; i < fns.length; i++) values[i] = fns[i]!(ctx, rt);
        return op.buildArray(values, nested, cons);
      };
    }
    if (n.value === '{') return this.object(n.lhs as AstNode[][], scope, depth);
    return no();
  }

  object(pairs: AstNode[][], scope: Scope | undefined, depth: number): Fn {
    const keyNodes = pairs.map((p) => (p.length === 2 ? p[0]! : no()));
    const keys = keyNodes.map((k) => this.node(k, scope, depth + 1));
    const values = pairs.map((p) => this.node(p[1]!, scope, depth + 1));
    if (keyNodes.every((k) => k.type === 'string')) {
      // literal keys: stock's grouping order (Object.keys of a null-prototype object) is known now
      const order = Object.create(null) as Record<string, number>;
      keyNodes.forEach((k, i) => {
        const key = String(k.value);
        if (key in order || key === '_jsonata_lambda' || key === '_jsonata_function') no();
        order[key] = i;
      });
      const plan = Object.keys(order).map((k) => [k, values[order[k]!]!] as const);
      return (ctx, rt) => {
        const result = Object.create(null) as Record<string, unknown>;
        for (let i = 0; i < plan.length; i++) {
          const v = plan[i]![1](ctx, rt);
          if (v !== undefined) result[plan[i]![0]] = v;
        }
        return result;
      };
    }
    return (ctx, rt) => {
      const groups = Object.create(null) as Record<string, number>;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!(ctx, rt);
        if (k === undefined) continue;
        if (typeof k !== 'string' || k === '_jsonata_lambda' || k === '_jsonata_function') fallback();
        if (hasOwn.call(groups, k)) fallback(); // D1009 (another pair made the same key)
        groups[k] = i;
      }
      const result = Object.create(null) as Record<string, unknown>;
      for (const k of Object.keys(groups)) {
        const v = values[groups[k]!]!(ctx, rt);
        if (v !== undefined) result[k] = v;
      }
      return result;
    };
  }

  condition(n: AstNode, scope: Scope | undefined, depth: number): Fn {
    const c = this.node(n.condition as AstNode, scope, depth + 1);
    const t = n.then === undefined ? undefined : this.node(n.then as AstNode, scope, depth + 1);
    const e = n.else === undefined ? undefined : this.node(n.else as AstNode, scope, depth + 1);
    return (ctx, rt) => {
      if (op.truthy(c(ctx, rt))) return t ? t(ctx, rt) : undefined;
      return e ? e(ctx, rt) : undefined;
    };
  }

  block(exprs: AstNode[], parent: Scope | undefined, depth: number): Fn {
    const scope: Scope = { parent, all: new Set(), visible: new Map() };
    for (const x of exprs) if (x.type === 'bind') scope.all.add(String((x.lhs as AstNode).value));
    const fns: Fn[] = exprs.map((x) => {
      if (x.type !== 'bind') return this.node(x, scope, depth + 1);
      checkKeys(x, 'bind');
      const lhs = x.lhs as AstNode;
      const name = String(lhs.value);
      if (lhs.type !== 'variable' || name === '' || name === '$') no();
      const rhs = this.node(x.rhs as AstNode, scope, depth + 2);
      const slot = this.slotCount++;
      scope.visible.set(name, slot); // visible to the expressions after this one only
      return (ctx, rt) => (rt.slots[slot] = rhs(ctx, rt));
    });
    return (ctx, rt) => {
      let result: unknown;
      for (let i = 0; i < fns.length; i++) result = fns[i]!(ctx, rt);
      return result;
    };
  }

  call(n: AstNode, scope: Scope | undefined, depth: number, applied: Fn | undefined): Fn {
    checkKeys(n, 'function');
    const proc = n.procedure as AstNode;
    if (proc.type !== 'variable') no();
    checkKeys(proc, 'variable');
    const name = String(proc.value);
    if (name === '' || name === '$') no();
    if (depth + 1 > this.height) this.height = depth + 1;
    for (let s = scope; s; s = s.parent) if (s.all.has(name)) no();
    const builtin = FAST_BUILTINS.get(name);
    if (ALL_BUILTINS.has(name) && !builtin) no();
    const argFns = (n.arguments as AstNode[]).map((a) => this.node(a, scope, depth + 1));
    if (applied) argFns.unshift(applied);
    return (ctx, rt) => {
      const args = new Array<unknown>(argFns.length);
      for (let i = 0; i < argFns.length; i++) {
        const a = argFns[i]!(ctx, rt);
        if (isFn(a)) fallback();
        args[i] = a;
      }
      const b = rt.bindings;
      if (b !== undefined && isEnum.call(b, name)) return op.callCustom(b[name], args, ctx);
      if (!builtin) return fallback();
      return op.checkValue(op.unwrap(builtin.run(builtin.validate(args, ctx), ctx)));
    };
  }
}

/** Compiles `ast` for the fast path, or returns undefined when it uses anything outside the subset. */
export function compileFast(ast: AstNode): FastProgram | undefined {
  const c = new Compiler();
  let fn: Fn;
  try {
    fn = c.node(ast, undefined, 1);
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  const slots = c.slotCount;
  return {
    height: c.height,
    run(input, bindings) {
      if (Array.isArray(input)) fallback();
      return fn(input, { root: input, bindings, slots: slots === 0 ? [] : new Array(slots) });
    },
  };
}
