/**
 * Compiling a mapping's attributes, once per run (and per market): each attribute becomes a plan
 * of a start (expression, static value or nothing), rule-box steps with their bound arguments
 * (and the natives of the built-in ones), a default, and the columns it fills (one, or several
 * with `spread`).
 */
import { compileExpression, type CompiledExpression, type ExprOptions } from '../../expr/index.js';
import { bindRuleArgs, customFunctions, isExprArg, loadRuleBox, ruleSearchDirs, type RuleBox, type RuleParam } from '../../rules/index.js';
import { guardedNative, nativeRule, unguardedNativeRule, type NativeRule } from '../../rules/native/index.js';
import { attributeEntries, columnsOf, parseRuleRef, spreadOf, type AttributeEntry, type Spread } from '../../config/walk.js';
import { positionOf } from '../../config/yaml-positions.js';
import type { PipelineView } from '../../config/markets.js';

/** A rule-box argument written `{ expr: "..." }`: evaluated for each record, then type-checked. */
export interface DynamicArg {
  param: RuleParam;
  expr: CompiledExpression;
}

export type Step =
  | {
    kind: 'rule'; label: string; rule: RuleBox;
    /** Bindings made once (custom functions, static arguments, vars); `record` and dynamic arguments are set per evaluation. */
    bindings: Record<string, unknown>;
    /** The built-in rule's native for the static arguments (undefined: none, or dynamic arguments). */
    native: NativeRule | undefined;
    /** The same native without its guard (a throw escapes): for compiled.ts, which guards a whole chain. */
    unguarded: NativeRule | undefined;
    dynamic: DynamicArg[];
    /** With dynamic arguments: natives by argument values, made on first use. */
    nativeFor?: (values: unknown[]) => NativeRule | undefined;
  }
  | { kind: 'inline'; label: string; expr: CompiledExpression };


export interface AttributePlan {
  name: string;
  /** A `let` value (named `let "x"` in errors) or an output attribute. */
  kind: 'attribute' | 'let';
  /** file:line:col of the attribute, for messages. */
  where: string;
  start: { kind: 'expr'; expr: CompiledExpression } | { kind: 'value'; value: unknown } | { kind: 'none' };
  steps: Step[];
  fallback?: unknown;
  spread?: Spread;
  /** The output columns it fills: its name, or the numbered columns of `spread`. */
  columns: string[];
}

/** Natives for dynamic arguments, cached by their values (vars-based arguments are one value per run). */
function nativeCache(rule: RuleBox, staticArgs: Record<string, unknown>, dynamic: DynamicArg[]): (values: unknown[]) => NativeRule | undefined {
  const cache = new Map<string, NativeRule | undefined>();
  return (values) => {
    if (values.some((v) => v !== null && typeof v === 'object')) return undefined;
    const key = JSON.stringify(values);
    if (cache.has(key)) return cache.get(key);
    if (cache.size >= 256) cache.clear();
    const args = { ...staticArgs };
    dynamic.forEach((d, i) => { args[d.param.name] = values[i] === undefined ? d.param.default : values[i]; });
    const native = nativeRule(rule, args);
    cache.set(key, native);
    return native;
  };
}

function compileStep(ref: unknown, i: number, dirs: string[], exprOptions: ExprOptions, vars: Record<string, unknown>): Step {
  const parsed = parseRuleRef(ref)!;
  if (parsed.inline !== undefined) return { kind: 'inline', label: `rule ${i + 1} (jsonata)`, expr: compileExpression(parsed.inline, exprOptions) };
  const rule = loadRuleBox(parsed.name, dirs, exprOptions);
  const args = bindRuleArgs(rule, parsed.args);
  const dynamic: DynamicArg[] = [];
  const staticArgs: Record<string, unknown> = {};
  for (const param of rule.params) {
    const v = args[param.name];
    if (isExprArg(v)) dynamic.push({ param, expr: compileExpression(v.expr, exprOptions) });
    else staticArgs[param.name] = v;
  }
  const fast = exprOptions.fastPath !== false;
  // a built-in rule box's native version (the fast path's, so off with it), made once
  const unguarded = fast && dynamic.length === 0 ? unguardedNativeRule(rule, args) : undefined;
  return {
    kind: 'rule', label: `rule ${i + 1} (${parsed.name})`, rule, dynamic,
    bindings: { ...customFunctions, ...staticArgs, record: undefined, vars },
    native: unguarded === undefined ? undefined : guardedNative(unguarded),
    unguarded,
    nativeFor: fast && dynamic.length > 0 ? nativeCache(rule, staticArgs, dynamic) : undefined,
  };
}

/** Compiles every attribute of a pipeline view (a market's overrides applied), in pipeline order. */
export function compileAttributes(view: PipelineView, exprOptions: ExprOptions, vars: Record<string, unknown>): AttributePlan[] {
  // from the pipeline as written: a market's override keeps its own position in the file
  return compileEntries(view, attributeEntries(view.written, view.market), exprOptions, vars);
}

/** Compiles attribute-shaped entries (attributes, or `let` values) of a view. */
export function compileEntries(view: PipelineView, entries: AttributeEntry[], exprOptions: ExprOptions, vars: Record<string, unknown>): AttributePlan[] {
  const dirs = ruleSearchDirs(view.dir);
  const where = (pointer: string) => {
    const pos = positionOf(view.doc, view.lines, pointer, true);
    return `${view.displayPath}:${pos.line}:${pos.column}`;
  };
  return entries.map(({ name, pointer: at, value, kind: entryKind }) => {
    const kind = entryKind === 'let' ? 'let' as const : 'attribute' as const;
    if (typeof value === 'string') {
      return { name, kind, where: where(at), start: { kind: 'expr', expr: compileExpression(value, exprOptions) }, steps: [], columns: kind === 'let' ? [] : [name] };
    }
    const obj = (value ?? {}) as { from?: string; value?: unknown; rules?: unknown[]; default?: unknown };
    const steps = (obj.rules ?? []).map((ref, i) => compileStep(ref, i, dirs, exprOptions, vars));
    const start: AttributePlan['start'] = obj.value !== undefined ? { kind: 'value', value: obj.value }
      : obj.from !== undefined ? { kind: 'expr', expr: compileExpression(obj.from, exprOptions) } : { kind: 'none' };
    return { name, kind, where: where(at), start, steps, fallback: obj.default, spread: spreadOf(obj), columns: kind === 'let' ? [] : columnsOf(name, obj) };
  });
}
