/**
 * Direct evaluators for the expression shapes catalogue mappings repeat on every record, beside
 * the plain field (index.ts): a list of fields (`[image_1, image_2, image_3]`, the images joined
 * into one attribute) and a table lookup (`$lookup($lookups.categories, categorie)`). Why: through
 * the fast path's general machinery (a runtime per evaluation, path stages, a function call with
 * its signature) each costs ~0.5 µs a record; read directly, a few field loads.
 *
 * Each answers only for inputs whose result it knows to be the fast path's (and so stock's): text
 * fields of a plain record, a table that is a plain object holding plain values. Anything else
 * gives DECLINED, and the caller evaluates as usual. test/expr/direct.test.ts holds them to stock.
 */
import { isFn } from './natives.js';
import type { AstNode } from './fast.js';

/** A direct evaluator's answer when the input is not one it knows: evaluate the usual way. */
export const DECLINED: unique symbol = Symbol('declined');

export type DirectEvaluator = (input: unknown, bindings?: Record<string, unknown>) => unknown;

const hasOwn = Object.prototype.hasOwnProperty;

/** The field name when `ast` is one plain field step (`reference`, `` `prix ht` ``). */
export function singleField(ast: AstNode): string | undefined {
  if (ast.type !== 'path' || Object.keys(ast).length !== 2) return undefined;
  const steps = ast.steps as AstNode[];
  if (steps.length !== 1) return undefined;
  const step = steps[0]!;
  if (step.type !== 'name' || typeof step.value !== 'string') return undefined;
  for (const k of Object.keys(step)) if (k !== 'type' && k !== 'value' && k !== 'position') return undefined;
  return step.value;
}

/** True for a record whose fields stock reads as fields (an object, not a list, not flagged as a JSONata function). */
function plainRecord(input: unknown): input is Record<string, unknown> {
  return input !== null && typeof input === 'object' && !Array.isArray(input) && !isFn(input);
}

/** A field's text, undefined when the record has no such field (none inherited), DECLINED for any other value. */
function textField(record: Record<string, unknown>, name: string): unknown {
  const v = record[name];
  if (typeof v === 'string') return hasOwn.call(record, name) ? v : DECLINED;
  return v === undefined && !(name in record) ? undefined : DECLINED;
}

/** `[a, b, c]` of plain fields: the texts present, in order (a missing field adds nothing). */
function fieldList(ast: AstNode): DirectEvaluator | undefined {
  if (ast.type !== 'unary' || ast.value !== '[' || ast.consarray !== undefined || ast.stages !== undefined || ast.predicate !== undefined) return undefined;
  const names = (ast.expressions as AstNode[]).map(singleField);
  if (names.length === 0 || names.some((n) => n === undefined)) return undefined;
  const fields = names as string[];
  return (input) => {
    if (!plainRecord(input)) return DECLINED;
    const out: unknown[] = [];
    for (let i = 0; i < fields.length; i++) {
      const v = textField(input, fields[i]!);
      if (v === DECLINED) return DECLINED;
      if (v !== undefined) out.push(v);
    }
    return out;
  };
}

/** `$lookup($table.name, field)`: the table's value for the field's text when both are plain. */
function tableLookup(ast: AstNode): DirectEvaluator | undefined {
  if (ast.type !== 'function' || ast.value !== '(' || ast.stages !== undefined || ast.predicate !== undefined) return undefined;
  const procedure = ast.procedure as AstNode | undefined;
  if (procedure?.type !== 'variable' || procedure.value !== 'lookup' || procedure.predicate !== undefined || procedure.stages !== undefined) return undefined;
  const args = ast.arguments as AstNode[];
  if (args.length !== 2) return undefined;
  const table = args[0]!;
  if (table.type !== 'path' || Object.keys(table).length !== 2) return undefined;
  const steps = table.steps as AstNode[];
  if (steps.length !== 2) return undefined;
  const [variable, member] = steps as [AstNode, AstNode];
  if (variable.type !== 'variable' || typeof variable.value !== 'string' || variable.value === '' || member.type !== 'name' || typeof member.value !== 'string') return undefined;
  for (const s of steps) for (const k of Object.keys(s)) if (k !== 'type' && k !== 'value' && k !== 'position') return undefined;
  const key = singleField(args[1]!);
  if (key === undefined) return undefined;
  const binding = variable.value;
  const name = member.value;
  return (input, bindings) => {
    // `$lookup` bound by the caller would be called instead of JSONata's
    if (bindings === undefined || hasOwn.call(bindings, 'lookup') || !hasOwn.call(bindings, binding) || !plainRecord(input)) return DECLINED;
    const holder = bindings[binding];
    if (!plainRecord(holder) || !hasOwn.call(holder, name)) return DECLINED;
    const map = holder[name];
    if (!plainRecord(map)) return DECLINED;
    const k = textField(input, key);
    if (typeof k !== 'string') return DECLINED;
    if (!hasOwn.call(map, k)) return k in map ? DECLINED : undefined;
    const v = map[k];
    return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) ? v : DECLINED;
  };
}

/** The direct evaluator for `ast`, when it has one of the shapes above. */
export function directEvaluator(ast: AstNode): DirectEvaluator | undefined {
  return fieldList(ast) ?? tableLookup(ast);
}
