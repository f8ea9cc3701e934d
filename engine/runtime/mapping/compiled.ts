/**
 * A mapping's attributes compiled into one JavaScript function per run (`new Function`), the
 * generated code calling back into the plans. Why: most attributes of a catalogue mapping are a
 * column read, then built-in rule boxes with fixed arguments. Evaluated one by one
 * (evaluateAttribute → the field's evaluate → each native's guard) that costs ~1.5 µs a record in
 * dispatch and in name lookups that V8 cannot cache (one keyed load serving every column). In the
 * generated code each column read is its own property load (`r["reference"]`, cached on the
 * record's shape) and the natives are called in a row.
 *
 * Every value is the one evaluateAttribute gives: an attribute leaves the generated path for
 * evaluateAttribute, from its start, whenever the column is not a string (missing, a number, a list:
 * JSONata's path semantics decide), a native declines (NOT_NATIVE) or throws. Natives and column
 * reads are pure, so evaluating again from the start changes nothing. Any other attribute (an
 * expression, dynamic arguments, a JSONata step, a user's rule box, the stock interpreter) is
 * evaluateAttribute's throughout.
 */
import { isPending } from '../../expr/index.js';
import { isFn } from '../../expr/natives.js';
import { NOT_NATIVE, type NativeRule } from '../../rules/native/index.js';
import type { Row } from '../types.js';
import { evaluateAttribute } from './evaluate.js';
import type { AttributePlan } from './plan.js';

/** What fill() found: every column has a value, some has none, or attribute `pending.at` gave a Promise. */
export const FILL_COMPLETE = 0;
export const FILL_PARTIAL = 1;
export const FILL_PENDING = 2;

/** Where fill() stopped on a Promise: the attribute and its pending value. */
export interface PendingAttribute {
  at: number;
  value: Promise<unknown> | undefined;
}

/**
 * Fills `values` (the output columns, in order) for one record; returns FILL_COMPLETE,
 * FILL_PARTIAL or FILL_PENDING (then `pending` says where: the caller finishes asynchronously).
 * Throws the first failing attribute's RecordError, as evaluating them in turn does.
 */
export type FillValues = ((values: unknown[], record: Row, bindings: Record<string, unknown>, copyOnAwait: boolean, pending: PendingAttribute) => number) & {
  /** The attributes the generated code evaluates itself (the others are evaluateAttribute's). */
  direct: readonly string[];
};

/** The attribute's start column and native steps when it can run in generated code; else undefined. */
function directShape(plan: AttributePlan): { field: string; natives: NativeRule[] } | undefined {
  if (plan.start.kind !== 'expr' || plan.start.expr.field === undefined) return undefined;
  const natives: NativeRule[] = [];
  for (const step of plan.steps) {
    if (step.kind !== 'rule' || step.dynamic.length > 0 || step.unguarded === undefined) return undefined;
    natives.push(step.unguarded);
  }
  return { field: plan.start.expr.field, natives };
}

/**
 * `store(values, k, v)` puts attribute k's value in its column(s) and says whether they all got
 * one (the mapping's own, for spreads); `firstColumn[k]` is attribute k's first column.
 */
export function compileFill(plans: readonly AttributePlan[], vars: unknown, firstColumn: readonly number[], store: (values: unknown[], k: number, v: unknown) => boolean): FillValues {
  const natives: NativeRule[] = [];
  const direct: string[] = [];
  const lines: string[] = [
    // a record flagged as a JSONata function, or a list, reads no column the plain way (expr/index.ts)
    'const plain = !Array.isArray(r) && !isFn(r);',
    'let v; let ok; let complete = true;',
  ];
  plans.forEach((plan, k) => {
    const shape = directShape(plan);
    const slow = `v = evaluateAttribute(plans[${k}], r, b, vars, copy);\n  if (isPending(v)) { pending.at = ${k}; pending.value = v; return ${FILL_PENDING}; }`;
    if (shape === undefined) lines.push(slow);
    else {
      direct.push(plan.name);
      const calls = shape.natives.map((n) => {
        natives.push(n);
        return ` && (v = natives[${natives.length - 1}](v, r, vars)) !== NOT_NATIVE`;
      }).join('');
      // evaluateAttribute applies the default itself; the generated path does it here
      const fallback = plan.fallback === undefined ? '' : ` else if (v === undefined || v === null || v === '') v = plans[${k}].fallback;`;
      lines.push(`try { ok = plain && typeof (v = r[${JSON.stringify(shape.field)}]) === 'string'${calls}; } catch { ok = false; }
  if (!ok) {
  ${slow}
  }${fallback}`);
    }
    lines.push(plan.spread === undefined
      ? `values[${firstColumn[k]}] = v; if (v === undefined) complete = false;`
      : `if (!store(values, ${k}, v)) complete = false;`);
  });
  lines.push(`return complete ? ${FILL_COMPLETE} : ${FILL_PARTIAL};`);
  const body = `return function fill(values, r, b, copy, pending) {\n  ${lines.join('\n  ')}\n};`;
  const make = new Function('plans', 'vars', 'natives', 'NOT_NATIVE', 'isFn', 'isPending', 'evaluateAttribute', 'store', body);
  const fill = make(plans, vars, natives, NOT_NATIVE, isFn, isPending, evaluateAttribute, store) as FillValues;
  fill.direct = direct;
  return fill;
}
