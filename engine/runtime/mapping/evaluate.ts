/**
 * Evaluating one attribute on one record: synchronously while every value is plain (the fast
 * path), handing over to an async continuation from the first Promise (the stock interpreter),
 * so there is no await per value. Errors name the attribute, the step and the pipeline position.
 */
import { sep } from 'node:path';
import { RecordError } from '../../errors.js';
import { ExpressionError, isPending } from '../../expr/index.js';
import { ruleEvalError } from '../../rules/index.js';
import { fitsType, typeOfValue } from '../../rules/types.js';
import { NOT_NATIVE } from '../../rules/native/index.js';
import type { Row } from '../types.js';
import type { AttributePlan, DynamicArg, Step } from './plan.js';

export type Trace = { step: string; value: unknown }[];
type Bindings = Record<string, unknown>;

export const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

/** A dynamic argument's value checked against the parameter: undefined takes the default. */
function argValue(step: Extract<Step, { kind: 'rule' }>, d: DynamicArg, v: unknown): unknown {
  if (v === undefined) {
    if (d.param.default !== undefined || d.param.optional) return d.param.default;
    throw new RecordError('RULE_ARG_MISSING', `rule box "${step.rule.name}": the expression for "${d.param.name}" gave nothing`, {
      hint: 'make the expression give a value for every record (e.g. with ?: or a default)',
    });
  }
  if (!fitsType(v, d.param.type)) {
    throw new RecordError('RULE_ARG_TYPE', `rule box "${step.rule.name}": parameter "${d.param.name}" must be a ${d.param.type}, the expression gave ${typeOfValue(v)} ${JSON.stringify(v)}`, {
      hint: `convert it in the expression (e.g. $number(...) or $string(...))`,
    });
  }
  return v;
}

/** The rule box itself, its dynamic arguments already in `values`. */
function applyRuleStep(step: Extract<Step, { kind: 'rule' }>, value: unknown, record: Row, vars: unknown, values: unknown[] | undefined): unknown {
  const native = values === undefined ? step.native : step.nativeFor?.(values);
  if (native !== undefined) {
    const v = native(value, record, vars);
    if (v !== NOT_NATIVE) return v;
  }
  const rule = step.rule;
  let v: unknown;
  try {
    step.bindings.record = record;
    if (values !== undefined) step.dynamic.forEach((d, i) => { step.bindings[d.param.name] = values[i]; });
    v = rule.compiled.evaluate(value, step.bindings);
  } catch (err) {
    throw ruleEvalError(rule, err);
  }
  return isPending(v) ? v.then(undefined, (err: unknown) => { throw ruleEvalError(rule, err); }) : v;
}

/** One step on a value: a rule box (its errors located in its file) or an inline expression. */
export function runStep(step: Step, value: unknown, record: Row, bindings: Bindings, vars: unknown): unknown {
  if (step.kind === 'inline') return step.expr.evaluate(value, bindings);
  if (step.dynamic.length === 0) return applyRuleStep(step, value, record, vars, undefined);
  const raw = step.dynamic.map((d) => d.expr.evaluate(record, bindings));
  if (raw.some(isPending)) {
    return Promise.all(raw).then((all) => applyRuleStep(step, value, record, vars, all.map((v, i) => argValue(step, step.dynamic[i]!, v))));
  }
  return applyRuleStep(step, value, record, vars, raw.map((v, i) => argValue(step, step.dynamic[i]!, v)));
}

/**
 * Evaluates one attribute synchronously while every value is plain, and hands over to
 * `finishAttribute` from the first Promise. `bindings` must not change while a Promise is pending:
 * callers that reuse one object per record copy it before going async (see `copyOnAwait`).
 */
export function evaluateAttribute(plan: AttributePlan, record: Row, bindings: Bindings, vars: unknown, copyOnAwait: boolean, trace?: Trace): unknown {
  let label = plan.start.kind === 'expr' ? 'expression' : 'value';
  try {
    let value = plan.start.kind === 'expr' ? plan.start.expr.evaluate(record, bindings)
      : plan.start.kind === 'value' ? plan.start.value : undefined;
    if (isPending(value)) return finishAttribute(plan, record, copyOnAwait ? { ...bindings } : bindings, vars, value, -1, trace);
    trace?.push({ step: label, value });
    const steps = plan.steps;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      label = step.label;
      value = runStep(step, value, record, bindings, vars);
      if (isPending(value)) return finishAttribute(plan, record, copyOnAwait ? { ...bindings } : bindings, vars, value, i, trace);
      trace?.push({ step: label, value });
    }
    if (isEmpty(value) && plan.fallback !== undefined) {
      value = plan.fallback;
      trace?.push({ step: 'default', value });
    }
    return value;
  } catch (err) {
    throw attributeError(plan, label, err);
  }
}

/** The rest of an attribute once a step returned a Promise (`at`: that step, -1 for the start). */
async function finishAttribute(plan: AttributePlan, record: Row, bindings: Bindings, vars: unknown, pending: Promise<unknown>, at: number, trace?: Trace): Promise<unknown> {
  let label = at < 0 ? 'expression' : plan.steps[at]!.label;
  try {
    let value = await pending;
    trace?.push({ step: label, value });
    for (let i = at + 1; i < plan.steps.length; i++) {
      const step = plan.steps[i]!;
      label = step.label;
      value = await runStep(step, value, record, bindings, vars);
      trace?.push({ step: label, value });
    }
    if (isEmpty(value) && plan.fallback !== undefined) {
      value = plan.fallback;
      trace?.push({ step: 'default', value });
    }
    return value;
  } catch (err) {
    throw attributeError(plan, label, err);
  }
}

/**
 * One error shape for every failing attribute: which attribute, which step (expression or rule
 * box N), what JSONata said and where, and where the attribute is in the pipeline file.
 */
export function attributeError(plan: { name: string; where: string; kind?: 'attribute' | 'let' }, label: string, err: unknown): RecordError {
  // a let is named as written in the pipeline, in messages and in the report's attribute column
  const who = plan.kind === 'let' ? `let "${plan.name}"` : `attribute "${plan.name}"`;
  const attribute = plan.kind === 'let' ? who : plan.name;
  if (err instanceof RecordError) {
    return new RecordError(err.code, `${who} ${label}: ${shortPaths(err.message)} (${plan.where})`, {
      attribute, cause: err, details: err.details,
      hint: err.hint ?? 'check the value in the source, or add a rule box that handles it (e.g. default)',
    });
  }
  const e = err as ExpressionError;
  const at = e.position !== undefined ? ` at character ${e.position}` : '';
  return new RecordError(`EXPR_${e.code ?? 'ERROR'}`, `${who} ${label}: ${e.message}${at} (${plan.where})`, {
    attribute, cause: err, hint: e.hint ?? 'check the expression against this record, or add a rule box that handles the value',
  });
}

/** Shows file paths relative to the working directory, as everywhere else in messages. */
function shortPaths(message: string): string {
  return message.replaceAll(`${process.cwd()}${sep}`, '');
}
