/**
 * The mapping: compiles every attribute of a pipeline once (expressions, rule boxes with their
 * bound arguments, static values, defaults, automap) into one function applied to each record.
 */
import { sep } from 'node:path';
import { RecordError } from '../errors.js';
import { compileExpression, ExpressionError, type CompiledExpression, type ExprOptions } from '../expr/index.js';
import { applyRule, bindRuleArgs, customFunctions, loadRuleBox, ruleSearchDirs, type RuleBox } from '../rules/index.js';
import type { LoadedPipeline } from '../config/load.js';
import { attributeEntries, parseRuleRef } from '../config/walk.js';
import { positionOf } from '../config/yaml-positions.js';
import { loadLookups } from './lookups.js';
import type { DestinationDefinition, Row } from './types.js';

type Step =
  | { kind: 'rule'; label: string; rule: RuleBox; args: Record<string, unknown> }
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
  /** Maps one record; a failing attribute rejects the record with a RecordError naming it. */
  map(record: Row): Promise<Row>;
  /** Evaluates the filter; true when the record passes (or there is no filter). */
  accepts(record: Row): Promise<boolean>;
  /** Per-attribute trace for preview: the starting value and the value after each rule box. */
  trace(record: Row, attribute: string): Promise<{ step: string; value: unknown }[]>;
}

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
      return { kind: 'rule', label: `rule ${i + 1} (${parsed.name})`, rule, args: bindRuleArgs(rule, parsed.args) };
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

  async function evaluateAttribute(plan: AttributePlan, record: Row, trace?: { step: string; value: unknown }[]): Promise<unknown> {
    const bindings = { ...baseBindings, record };
    let label = plan.start.kind === 'expr' ? 'expression' : 'value';
    try {
      let value = plan.start.kind === 'expr' ? await plan.start.expr.evaluate(record, bindings)
        : plan.start.kind === 'value' ? plan.start.value : undefined;
      trace?.push({ step: label, value });
      for (const step of plan.steps) {
        label = step.label;
        value = step.kind === 'rule'
          ? await applyRule(step.rule, value, step.args, { record, vars })
          : await step.expr.evaluate(value, bindings);
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

  return {
    attributes: plans.map((a) => a.name),
    async map(record) {
      const out: Row = {};
      for (const plan of plans) {
        const v = await evaluateAttribute(plan, record);
        if (v !== undefined) out[plan.name] = v;
      }
      if (automap) {
        for (const key of Object.keys(record)) {
          if (explicit.has(key) || (knownAttributes && !knownAttributes.has(key))) continue;
          out[key] = record[key];
        }
      }
      return out;
    },
    async accepts(record) {
      if (!filter) return true;
      try {
        const v = await filter.evaluate(record, { ...baseBindings, record });
        return Array.isArray(v) ? v.length > 0 && v.some(Boolean) : Boolean(v);
      } catch (err) {
        const e = err as ExpressionError;
        throw new RecordError(`EXPR_${e.code ?? 'ERROR'}`, `filter: ${e.message} (${where('/filter')})`, { cause: err, attribute: 'filter' });
      }
    },
    async trace(record, attribute) {
      const plan = plans.find((a) => a.name === attribute);
      if (!plan) return [{ step: explicit.has(attribute) ? 'mapped' : 'automap', value: record[attribute] }];
      const steps: { step: string; value: unknown }[] = [];
      await evaluateAttribute(plan, record, steps);
      return steps;
    },
  };
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
    attribute: plan.name, cause: err, hint: 'check the expression against this record, or add a rule box that handles the value',
  });
}

/** Shows file paths relative to the working directory, as everywhere else in messages. */
function shortPaths(message: string): string {
  return message.replaceAll(`${process.cwd()}${sep}`, '');
}
