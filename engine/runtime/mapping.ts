/**
 * The mapping: compiles every attribute of a pipeline once (expressions, rule boxes with their
 * bound arguments, static values, defaults, automap) into one function applied to each record.
 */
import { sep } from 'node:path';
import { RecordError } from '../errors.js';
import { compileExpression, ExpressionError, isPending, type CompiledExpression, type ExprOptions } from '../expr/index.js';
import { bindRuleArgs, customFunctions, loadRuleBox, ruleEvalError, ruleSearchDirs, type RuleBox } from '../rules/index.js';
import { nativeRule, NOT_NATIVE, type NativeRule } from '../rules/native/index.js';
import type { LoadedPipeline } from '../config/load.js';
import { attributeEntries, parseRuleRef } from '../config/walk.js';
import { positionOf } from '../config/yaml-positions.js';
import { loadLookups } from './lookups.js';
import type { DestinationDefinition, RecordPosition, Row } from './types.js';

type Step =
  | { kind: 'rule'; label: string; rule: RuleBox; args: Record<string, unknown>; bindings: Record<string, unknown>; native: NativeRule | undefined }
  | { kind: 'inline'; label: string; expr: CompiledExpression };

interface AttributePlan {
  name: string;
  where: string;
  start: { kind: 'expr'; expr: CompiledExpression } | { kind: 'value'; value: unknown } | { kind: 'none' };
  steps: Step[];
  fallback?: unknown;
}

export interface CompiledMapping {
  /** Output attribute names explicitly mapped, in pipeline order. */
  readonly attributes: readonly string[];
  /** True when source columns are copied to the output on top of the mapped attributes. */
  readonly automap: boolean;
  /** Maps one record; a failing attribute rejects the record with a RecordError naming it. */
  map(record: Row): Promise<Row>;
  /** Evaluates the filter; true when the record passes (or there is no filter). */
  accepts(record: Row): Promise<boolean>;
  /** Per-attribute trace for preview: the starting value and the value after each rule box. */
  trace(record: Row, attribute: string): Promise<{ step: string; value: unknown }[]>;
  /** `map` without the Promise when every value came from the fast path (the run loop's hot path). */
  mapRecord(record: Row): Row | Promise<Row>;
  /** `accepts` without the Promise when the filter ran on the fast path. */
  acceptsRecord(record: Row): boolean | Promise<boolean>;
}

type Trace = { step: string; value: unknown }[];

const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

export function compileMapping(p: LoadedPipeline, destination: DestinationDefinition | undefined, exprOptions: ExprOptions = {}): CompiledMapping {
  const vars = (p.config.vars ?? {}) as Record<string, unknown>;
  const dirs = ruleSearchDirs(p.dir);
  const where = (pointer: string) => {
    const pos = positionOf(p.doc, p.lines, pointer, true);
    return `${p.displayPath}:${pos.line}:${pos.column}`;
  };
  const plans: AttributePlan[] = attributeEntries(p.config).map(({ name, pointer, value }) => {
    if (typeof value === 'string') {
      return { name, where: where(pointer), start: { kind: 'expr', expr: compileExpression(value, exprOptions) }, steps: [] };
    }
    const obj = (value ?? {}) as { from?: string; value?: unknown; rules?: unknown[]; default?: unknown };
    const steps: Step[] = (obj.rules ?? []).map((ref, i) => {
      const parsed = parseRuleRef(ref)!;
      if (parsed.inline !== undefined) return { kind: 'inline', label: `rule ${i + 1} (jsonata)`, expr: compileExpression(parsed.inline, exprOptions) };
      const rule = loadRuleBox(parsed.name, dirs, exprOptions);
      const args = bindRuleArgs(rule, parsed.args);
      // the bindings applyRule would build, made once; `record` is set before each evaluation
      // a built-in rule box's native version (the fast path's, so off with it)
      const native = exprOptions.fastPath === false ? undefined : nativeRule(rule, args);
      return { kind: 'rule', label: `rule ${i + 1} (${parsed.name})`, rule, args, bindings: { ...customFunctions, ...args, record: undefined, vars }, native };
    });
    const start: AttributePlan['start'] = obj.value !== undefined ? { kind: 'value', value: obj.value }
      : obj.from !== undefined ? { kind: 'expr', expr: compileExpression(obj.from, exprOptions) } : { kind: 'none' };
    return { name, where: where(pointer), start, steps, fallback: obj.default };
  });
  const explicit = new Set(plans.map((a) => a.name));
  const mapping = p.config.mapping as { automap?: boolean } | undefined;
  const automap = mapping === undefined || mapping.automap === true;
  const knownAttributes = destination?.attributes ? new Set(destination.attributes) : undefined;
  const filter = typeof p.config.filter === 'string' ? compileExpression(p.config.filter, exprOptions) : undefined;
  const lookups = loadLookups(p.dir, p.config.lookups as Record<string, string> | undefined);
  const baseBindings = { ...customFunctions, vars, lookups };
  const recordBindings: Record<string, unknown> = { ...baseBindings, record: undefined };
  // Bindings objects are made once and `record` is set just before each evaluation (no object per
  // record or per rule step). Safe to reuse: both interpreters read bindings synchronously inside
  // `evaluate` (stock copies them into its frame before its first await).

  /** One step on a value: a rule box (its errors located in its file, as applyRule does) or an inline expression. */
  function runStep(step: Step, value: unknown, record: Row, bindings: Record<string, unknown>): unknown {
    if (step.kind === 'inline') return step.expr.evaluate(value, bindings);
    if (step.native !== undefined) {
      const v = step.native(value, record, vars);
      if (v !== NOT_NATIVE) return v;
    }
    const rule = step.rule;
    let v: unknown;
    try {
      step.bindings.record = record;
      v = rule.compiled.evaluate(value, step.bindings);
    } catch (err) {
      throw ruleEvalError(rule, err);
    }
    return isPending(v) ? v.then(undefined, (err: unknown) => { throw ruleEvalError(rule, err); }) : v;
  }

  /**
   * Evaluates one attribute synchronously while every value is plain (the fast path), and hands
   * over to `finishAttribute` from the first Promise (the stock interpreter): no await per value.
   */
  function evaluateAttribute(plan: AttributePlan, record: Row, bindings: Record<string, unknown>, trace?: Trace): unknown {
    let label = plan.start.kind === 'expr' ? 'expression' : 'value';
    try {
      let value = plan.start.kind === 'expr' ? plan.start.expr.evaluate(record, bindings)
        : plan.start.kind === 'value' ? plan.start.value : undefined;
      if (isPending(value)) return finishAttribute(plan, record, bindings, value, -1, trace);
      trace?.push({ step: label, value });
      const steps = plan.steps;
      for (let i = 0; i < steps.length; i++) {
        const step = steps[i]!;
        label = step.label;
        value = runStep(step, value, record, bindings);
        if (isPending(value)) return finishAttribute(plan, record, bindings, value, i, trace);
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
  async function finishAttribute(plan: AttributePlan, record: Row, shared: Record<string, unknown>, pending: Promise<unknown>, at: number, trace?: Trace): Promise<unknown> {
    let label = at < 0 ? 'expression' : plan.steps[at]!.label;
    // the shared per-record bindings may hold another record once this one has awaited
    const bindings = shared === recordBindings ? { ...baseBindings, record } : shared;
    try {
      let value = await pending;
      trace?.push({ step: label, value });
      for (let i = at + 1; i < plan.steps.length; i++) {
        const step = plan.steps[i]!;
        label = step.label;
        value = await runStep(step, value, record, bindings);
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

  function addAutomapped(record: Row, out: Row): Row {
    if (automap) {
      for (const key of Object.keys(record)) {
        if (explicit.has(key) || (knownAttributes && !knownAttributes.has(key))) continue;
        out[key] = record[key];
      }
    }
    return out;
  }

  /** The rest of a record once attribute `k` returned a Promise. */
  async function finishRecord(record: Row, out: Row, k: number, pending: Promise<unknown>): Promise<Row> {
    const bindings = { ...baseBindings, record };
    let v = await pending;
    if (v !== undefined) out[plans[k]!.name] = v;
    for (let i = k + 1; i < plans.length; i++) {
      v = await evaluateAttribute(plans[i]!, record, bindings);
      if (v !== undefined) out[plans[i]!.name] = v;
    }
    return addAutomapped(record, out);
  }

  // The output object built in one literal when every attribute has a value (the usual case): keys
  // stored one by one (`out[name] = v`) leave V8 a dictionary object past a dozen keys, slower to
  // build and to read for every destination. Same keys in the same order as the loop below.
  const literal = plans.map((a, i) => `${a.name === '__proto__' ? '["__proto__"]' : JSON.stringify(a.name)}: v[${i}]`);
  const buildAll = new Function('v', `return { ${literal.join(', ')} };`) as (v: unknown[]) => Row;
  const values: unknown[] = new Array(plans.length);

  function mapRecord(record: Row): Row | Promise<Row> {
    // One bindings object for every record (evaluations read it synchronously, see above).
    const bindings = recordBindings;
    bindings.record = record;
    let complete = true;
    for (let k = 0; k < plans.length; k++) {
      const v = evaluateAttribute(plans[k]!, record, bindings);
      if (isPending(v)) return finishRecord(record, partial(k), k, v);
      if (v === undefined) complete = false;
      values[k] = v;
    }
    return addAutomapped(record, complete ? buildAll(values) : partial(plans.length));
  }

  /** The output of the first `n` attributes (in `values`), leaving out those without a value. */
  function partial(n: number): Row {
    const out: Row = {};
    for (let k = 0; k < n; k++) {
      const v = values[k];
      if (v !== undefined) out[plans[k]!.name] = v;
    }
    return out;
  }

  const filterError = (err: unknown): RecordError => {
    const e = err as ExpressionError;
    const at = e.position !== undefined ? ` at character ${e.position}` : '';
    return new RecordError(`EXPR_${e.code ?? 'ERROR'}`, `filter: ${e.message}${at} (${where('/filter')})`, {
      cause: err, attribute: 'filter',
      hint: e.hint ?? 'CSV values are text: compare numbers with $number(stock) > 0, or text with stock != "0"',
    });
  };
  const truthy = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 && v.some(Boolean) : Boolean(v));

  function acceptsRecord(record: Row): boolean | Promise<boolean> {
    if (!filter) return true;
    let v: unknown;
    try {
      recordBindings.record = record;
      v = filter.evaluate(record, recordBindings);
    } catch (err) {
      throw filterError(err);
    }
    return isPending(v) ? v.then(truthy, (err: unknown) => { throw filterError(err); }) : truthy(v);
  }

  return {
    attributes: plans.map((a) => a.name),
    automap,
    mapRecord,
    acceptsRecord,
    async map(record) {
      return mapRecord(record);
    },
    async accepts(record) {
      return acceptsRecord(record);
    },
    async trace(record, attribute) {
      const plan = plans.find((a) => a.name === attribute);
      if (!plan) return [{ step: explicit.has(attribute) ? 'mapped' : 'automap', value: record[attribute] }];
      const steps: Trace = [];
      await evaluateAttribute(plan, record, { ...baseBindings, record }, steps);
      return steps;
    },
  };
}

/** Where a mapped record came from, named by its sku or order reference once the mapping gave one. */
export function mappedPosition(record: Row, position: RecordPosition): RecordPosition {
  const id = record.sku ?? record.order_reference ?? position.id;
  return id === undefined ? position : { ...position, id: String(id) };
}

/**
 * One error shape for every failing attribute: which attribute, which step (expression or rule
 * box N), what JSONata said and where, and where the attribute is in the pipeline file.
 */
function attributeError(plan: AttributePlan, label: string, err: unknown): RecordError {
  if (err instanceof RecordError) {
    return new RecordError(err.code, `attribute "${plan.name}" ${label}: ${shortPaths(err.message)} (${plan.where})`, {
      attribute: plan.name, cause: err, details: err.details,
      hint: err.hint ?? 'check the value in the source, or add a rule box that handles it (e.g. default)',
    });
  }
  const e = err as ExpressionError;
  const at = e.position !== undefined ? ` at character ${e.position}` : '';
  return new RecordError(`EXPR_${e.code ?? 'ERROR'}`, `attribute "${plan.name}" ${label}: ${e.message}${at} (${plan.where})`, {
    attribute: plan.name, cause: err, hint: e.hint ?? 'check the expression against this record, or add a rule box that handles the value',
  });
}

/** Shows file paths relative to the working directory, as everywhere else in messages. */
function shortPaths(message: string): string {
  return message.replaceAll(`${process.cwd()}${sep}`, '');
}
