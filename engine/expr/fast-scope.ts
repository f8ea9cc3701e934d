/**
 * Compile-time plumbing shared by the fast-path node compilers (fast-nodes-*.ts): the AST shape we
 * accept, the bail-out to stock (`no`), and name resolution through block and lambda scopes.
 */
import * as op from './fast-ops.js';
import type { Predicate } from './fast-values.js';
import { UNBOUND, type Fn, type Frame, type Runtime } from './fast-paths.js';

/** A JSONata AST node as jsonata's parser produces it (only the fields we read). */
export interface AstNode {
  type: string;
  value?: unknown;
  position?: number;
  [key: string]: unknown;
}

/** Compile-time scope: a block's `:=` names or a lambda's parameters, by slot. */
export interface Scope {
  parent: Scope | undefined;
  names: Map<string, number>;
  /** Lambda parameters are bound from the start; block names only once their `:=` ran. */
  lambda: boolean;
}

/** The dispatch in fast.ts, as the node compilers call back into it for their children. */
export interface NodeCompiler {
  height: number;
  node(n: AstNode, scope: Scope | undefined, depth: number): Fn;
  predicates(list: AstNode[], scope: Scope | undefined, depth: number): Predicate<Frame, Runtime>[];
}

/** Thrown while compiling a node outside the subset; compileFast turns it into undefined. */
export class Unsupported extends Error {}
/** Gives up on the whole expression (it goes to stock). */
export const no = (): never => {
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

/** Own-key test, shared by the node compilers. */
export const hasOwn = Object.prototype.hasOwnProperty;

/** Rejects a node carrying any field we do not model (fields present but undefined do not count). */
export function checkKeys(n: AstNode, type: string): void {
  const allowed = KEYS[type];
  if (!allowed) no();
  for (const k of Object.keys(n)) if (n[k] !== undefined && !allowed!.has(k)) no();
}
/** stock binds only own enumerable keys; `hasOwn` first: most names looked up there are builtins, and it is the cheaper miss */
export const isEnum = Object.prototype.propertyIsEnumerable;

/** Where `name` may live, nearest first: [frames up, slot, always bound]. */
export function resolve(name: string, scope: Scope | undefined): [number, number, boolean][] {
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
export function lookupName(name: string, scope: Scope | undefined): (f: Frame, rt: Runtime) => unknown {
  const found = resolve(name, scope);
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

/**
 * True when `n` can evaluate to a tail-call thunk: jsonata's tailCallOptimize turns a call in a
 * lambda body's tail position (through a condition's branches and a block's last expression) into
 * a thunk node. Such a value leaves the conditions and blocks around it without being unwrapped.
 */
export function yieldsThunk(n: AstNode | undefined): boolean {
  if (n === undefined) return false;
  if (n.type === 'lambda') return n.thunk === true;
  if (n.type === 'condition') return yieldsThunk(n.then as AstNode) || yieldsThunk(n.else as AstNode | undefined);
  if (n.type === 'block') {
    const list = n.expressions as AstNode[];
    return yieldsThunk(list[list.length - 1]);
  }
  return false;
}
