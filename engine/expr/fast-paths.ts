/**
 * Runtime shapes of the fast path, and the evaluation of paths and object constructors: a path
 * walks one item at a time while values are single (the usual record field) and switches to
 * stock's sequence semantics (evaluatePath / evaluateStep) as soon as an array shows up.
 */
import { createSequence, fallback } from './natives.js';
import * as op from './fast-ops.js';
import { applyPredicate, flattenStep, stepOver, type Predicate } from './fast-values.js';

const hasOwn = Object.prototype.hasOwnProperty;

/** Per-evaluation state: the root input, the caller's bindings, guardrail counters. */
export interface Runtime {
  root: unknown;
  bindings: Record<string, unknown> | undefined;
  /** Lambda calls active now (bounds stock's nesting depth), and the cap. */
  calls: number;
  maxCalls: number;
  /** Date.now() past which the evaluation stops with the time limit's error (0: no limit), checked every 256 calls. */
  deadline: number;
  /** The time limit (ms) the deadline came from, for the error message. */
  timeLimit: number;
  /**
   * Set by the nodes that may return a tail call's value (see exitOf in fast-nodes-data.ts) just
   * before they return: true when the value came raw from a tail call, so stock would not unwrap it.
   */
  tail: boolean;
  ticks: number;
}

/**
 * A variable frame: [parent frame, the input stock's `apply` got (read by tail calls), slots...].
 * Blocks that bind names and lambda calls create one; block slots start UNBOUND.
 */
export type Frame = unknown[];
/** A compiled node: (context, frame, runtime) → value, as stock's `evaluate` returns it. */
export type Fn = (ctx: unknown, frame: Frame, rt: Runtime) => unknown;
/** The value of a block slot before its `:=` ran (lookups then go to the enclosing frames). */
export const UNBOUND: unique symbol = Symbol('unbound');

/** The steps of a path, compiled: stock evaluatePath over them (`raw`: no final unwrap). */
export function pathRuntime(fns: Fn[], stages: (Predicate<Frame, Runtime>[] | undefined)[], absolute: boolean, raw: boolean): Fn {
    const simple = stages.every((x) => x === undefined);
    const last = fns.length - 1;
    // stock evaluateStep for step i over a sequence, with that step's predicates
    const stepOn = (i: number, seq: unknown[], f: Frame, rt: Runtime): unknown[] => {
      const st = stages[i];
      const fn = fns[i]!;
      const one = st === undefined ? fn : (item: unknown, fr: Frame, r: Runtime): unknown => {
        let res: unknown = fn(item, fr, r);
        for (let k = 0; k < st.length; k++) res = applyPredicate(st[k]!, res, fr, r);
        return res;
      };
      return stepOver(seq, one, f, rt, i === last);
    };
    const general = (from: number, seq: unknown[], f: Frame, rt: Runtime): unknown => {
      let result = seq;
      for (let i = from; i <= last; i++) {
        result = stepOn(i, seq, f, rt);
        if (result.length === 0) break;
        seq = result;
      }
      return raw ? result : op.unwrap(result);
    };
    return (ctx, f, rt) => {
      if (!simple || (Array.isArray(ctx) && !absolute)) return general(0, Array.isArray(ctx) && !absolute ? ctx : createSequence(ctx), f, rt);
      // one item all along (the usual record field): no sequences until an array shows up
      let v = ctx;
      for (let i = 0; i <= last; i++) {
        const r = fns[i]!(v, f, rt);
        if (r === undefined) return raw ? createSequence() : undefined;
        if (typeof r === 'function') fallback();
        if (Array.isArray(r)) {
          const seq = flattenStep([r], i === last);
          if (i === last || seq.length === 0) return raw ? seq : op.unwrap(seq);
          return general(i + 1, seq, f, rt);
        }
        v = r;
      }
      return raw ? createSequence(v) : v;
    };
  }


/** An object constructor over one context item (literal keys: stock's key order is known at compile time); undefined: left to stock. */
export function objectRuntime(keyNodes: { type: string; value?: unknown }[], keys: Fn[], values: Fn[]): Fn | undefined {
    const put = (result: Record<string, unknown>, k: string, v: unknown): void => {
      if (typeof v === 'function') fallback();
      if (v !== undefined) result[k] = v;
    };
    if (keyNodes.every((k) => k.type === 'string')) {
      // literal keys: stock's grouping order (Object.keys of a null-prototype object) is known now
      const order = Object.create(null) as Record<string, number>;
      let odd = false;
      keyNodes.forEach((k, i) => {
        const key = String(k.value);
        if (key in order || key === '_jsonata_lambda' || key === '_jsonata_function') odd = true;
        order[key] = i;
      });
      if (odd) return undefined; // a duplicate key is stock's D1009 error
      const plan = Object.keys(order).map((k) => [k, values[order[k]!]!] as const);
      return (ctx, f, rt) => {
        // stock groups over each item of an array context: not replicated
        if (Array.isArray(ctx)) fallback();
        const result = Object.create(null) as Record<string, unknown>;
        for (let i = 0; i < plan.length; i++) put(result, plan[i]![0], plan[i]![1](ctx, f, rt));
        return result;
      };
    }
    return (ctx, f, rt) => {
      if (Array.isArray(ctx)) fallback();
      const groups = Object.create(null) as Record<string, number>;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!(ctx, f, rt);
        if (k === undefined) continue;
        if (typeof k !== 'string' || k === '_jsonata_lambda' || k === '_jsonata_function') fallback();
        if (hasOwn.call(groups, k)) fallback(); // D1009 (another pair made the same key)
        groups[k] = i;
      }
      const result = Object.create(null) as Record<string, unknown>;
      for (const k of Object.keys(groups)) put(result, k, values[groups[k]!]!(ctx, f, rt));
      return result;
    };
  }

