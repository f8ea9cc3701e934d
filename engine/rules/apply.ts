/**
 * Applying a bound rule box to one value, and locating its runtime errors in the rule file.
 */
import { RecordError } from '../errors.js';
import { ExpressionError, toExpressionError } from '../expr/index.js';
import { customFunctions } from './functions.js';
import { lineColumn, type RuleBox } from './types.js';

/**
 * Runs a rule box on one value: `$` is the value, `$<param>` each bound argument, `$record` the
 * source record, `$vars` the pipeline vars, plus the custom functions. An evaluation error is a
 * RecordError EXPR_RULE_FAILED naming the rule, its file position and the JSONata code
 * (in `details`), with the ExpressionError as its cause; the caller adds the attribute.
 */
export async function applyRule(
  rule: RuleBox,
  value: unknown,
  bindings: Record<string, unknown>,
  context: { record: unknown; vars: unknown },
): Promise<unknown> {
  const all: Record<string, unknown> = { ...customFunctions, ...bindings, record: context.record, vars: context.vars ?? {} };
  try {
    return await rule.compiled.evaluate(value, all);
  } catch (err) {
    throw ruleEvalError(rule, err);
  }
}

/** Wraps a JSONata runtime error so it names the rule box and the line:column in its file. */
export function ruleEvalError(rule: RuleBox, err: unknown): RecordError {
  const e: ExpressionError = toExpressionError(err);
  const where = e.position === undefined ? undefined : lineColumn(rule.source, Math.max(0, e.position - (e.token === undefined || e.token === null ? 0 : String(e.token).length)));
  const at = where ? `${rule.file}:${where.line}:${where.column}` : rule.file;
  // $error("...") in a rule body is the rule's own message: show it as is.
  const message = e.code === 'D3137' ? e.message : `${e.code}: ${e.message}`;
  return new RecordError('EXPR_RULE_FAILED', `rule box "${rule.name}" failed: ${message} (${at})`, {
    cause: e,
    hint: e.hint,
    details: { rule: rule.name, file: rule.file, line: where?.line, column: where?.column, jsonataCode: e.code },
  });
}
