/**
 * The fast path: compiles a JSONata AST (from `jsonata(src).ast()`) into synchronous closures for
 * a subset of the language. Where a value shows up whose semantics the closures do not replicate
 * exactly (an array in a path, a type error, an unknown function), a closure throws FALLBACK and
 * the caller re-evaluates the whole call with the stock interpreter, so values and errors stay
 * identical. `compileFast` returns undefined when any node is outside the subset.
 */
import { createSequence, fallback } from './natives.js';
import { safeRegExp } from './regex.js';
import * as op from './fast-ops.js';
import { applyPredicate, tag, type Predicate } from './fast-values.js';
import type { Fn, Frame, Runtime } from './fast-paths.js';
import { checkKeys, no, Unsupported, yieldsThunk, type AstNode, type NodeCompiler, type Scope } from './fast-scope.js';
import { compileBinary, compileBlock, compileCondition, compilePath, compileUnary } from './fast-nodes-data.js';
import { compileCall, compileLambda, compileVariable } from './fast-nodes-calls.js';

export type { AstNode } from './fast-scope.js';

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

/** The dispatch by node type; the node compilers live in fast-nodes-data.ts and fast-nodes-calls.ts. */
class Compiler implements NodeCompiler {
  slotCount = 0;
  height = 0;

  node(n: AstNode, scope: Scope | undefined, depth: number): Fn {
    if (n.predicate === undefined) return this.inner(n, scope, depth, false);
    // stock applies such a predicate to the tail-call thunk itself, before the call: left to stock
    if (yieldsThunk(n)) no();
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
        value.re = safeRegExp(re.source, re.flags);
        return () => value;
      }
      case 'variable':
        return compileVariable(String(n.value), scope, raw);
      case 'path':
        return compilePath(this, n.steps as AstNode[], scope, depth, raw);
      case 'binary':
        return compileBinary(this, n, scope, depth);
      case 'unary':
        return compileUnary(this, n, scope, depth);
      case 'function':
        return compileCall(this, n, scope, depth, undefined, false, raw);
      case 'apply': {
        const rhs = n.rhs as AstNode;
        if (rhs.type !== 'function' || rhs.predicate !== undefined) no();
        return compileCall(this, rhs, scope, depth + 1, this.node(n.lhs as AstNode, scope, depth + 1), false, raw);
      }
      case 'lambda':
        return compileLambda(this, n, scope, depth);
      case 'condition':
        return compileCondition(this, n, scope, depth, raw);
      case 'block':
        return compileBlock(this, n.expressions as AstNode[], scope, depth, raw);
      default:
        // a `:=` outside a block's direct children binds in a frame we do not model
        return no();
    }
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
      const rt: Runtime = { root: input, bindings, calls: 0, maxCalls, deadline: timeLimit ? Date.now() + timeLimit : 0, timeLimit, ticks: 0, tail: false };
      const r = fn(ctx, TOP, rt);
      if (typeof r === 'function') fallback();
      return r;
    },
  };
}
