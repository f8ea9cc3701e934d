/**
 * Binds the arguments written in a pipeline (`{ truncate: 150 }`, `{ truncate: [150, ""] }`,
 * `{ truncate: { length: 150 } }`) to a rule box's declared parameters, once per attribute,
 * so that a typo fails at load time and not on the millionth record.
 */
import { ManoflowError } from '../errors.js';
import { didYouMeanHint } from './did-you-mean.js';
import { allows, describeAllowed } from './header.js';
import { fitsType, typeOfValue, type RuleBox, type RuleParam } from './types.js';

/** `length: number`, `ellipsis: string = "…"`: the parameter list shown in hints. */
export function describeParams(params: RuleParam[]): string {
  if (params.length === 0) return 'none';
  return params
    .map((p) => {
      const opt = p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : p.optional ? ' (optional)' : '';
      const allowed = describeAllowed(p);
      return `${p.name}: ${p.type}${opt}${allowed ? ` ${allowed}` : ''}`;
    })
    .join(', ');
}

function argsError(rule: RuleBox, message: string, extra?: string): ManoflowError {
  const usage = `parameters of ${rule.name}: ${describeParams(rule.params)}`;
  return new ManoflowError('CFG_RULE_ARGS', `rule box "${rule.name}": ${message}`, { hint: extra ? `${extra}; ${usage}` : usage });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An argument written as an expression, `{ expr: "$vars.image_base" }`: evaluated per record by
 * the mapping, its type checked then. (A one-key object `{ expr: ... }` is always read this way.)
 */
export function isExprArg(v: unknown): v is { expr: string } {
  return isPlainObject(v) && typeof v.expr === 'string' && Object.keys(v).length === 1;
}

/** How the YAML value maps onto parameters: named, positional, or one value for the first parameter. */
function toNamed(rule: RuleBox, args: unknown): Record<string, unknown> {
  const { params } = rule;
  const first = params[0];
  if (args === undefined) return {};
  if (args === null) return first && first.type === 'any' ? { [first.name]: null } : {};
  if (Array.isArray(args)) {
    // A list is the value of the first parameter when it takes a list, or when it is the only one.
    if (first && (first.type === 'array' || (params.length === 1 && first.type === 'any'))) return { [first.name]: args };
    if (args.length > params.length) {
      throw argsError(rule, `got ${args.length} positional arguments, it takes ${params.length}`);
    }
    const named: Record<string, unknown> = {};
    args.forEach((v, i) => {
      named[params[i]!.name] = v;
    });
    return named;
  }
  if (isExprArg(args)) {
    if (!first) throw argsError(rule, 'takes no arguments, got an expression', `write it as just "${rule.name}"`);
    return { [first.name]: args };
  }
  if (isPlainObject(args)) {
    const keys = Object.keys(args);
    const names = new Set(params.map((p) => p.name));
    if (keys.length > 0 && keys.every((k) => names.has(k))) return { ...args };
    // Not named arguments: an object value for a first parameter that takes one (a lookup table).
    if (first && (first.type === 'object' || (params.length === 1 && first.type === 'any'))) return { [first.name]: args };
    if (keys.length === 0) return {};
    const unknown = keys.find((k) => !names.has(k))!;
    const suggestion = didYouMeanHint(unknown, names);
    throw argsError(rule, `unknown parameter "${unknown}"`, suggestion || undefined);
  }
  if (!first) throw argsError(rule, `takes no arguments, got ${JSON.stringify(args)}`, `write it as just "${rule.name}"`);
  return { [first.name]: args };
}

/**
 * Validates and completes the arguments: defaults fill what is missing, types are checked.
 * Returns the bindings for `applyRule` (one entry per parameter, `undefined` for an optional one left out).
 * Throws ManoflowError CFG_RULE_ARGS with a hint listing the parameters.
 */
export function bindRuleArgs(rule: RuleBox, args: unknown): Record<string, unknown> {
  const named = toNamed(rule, args);
  const bound: Record<string, unknown> = {};
  for (const p of rule.params) {
    let value = named[p.name];
    if (value === undefined) value = p.default;
    if (value === undefined) {
      if (!p.optional) throw argsError(rule, `missing required parameter "${p.name}" (${p.type}: ${p.description})`);
    } else if (!isExprArg(value) && !fitsType(value, p.type) && !(value === null && p.optional)) {
      throw argsError(rule, `parameter "${p.name}" must be a ${p.type}, got ${typeOfValue(value)} ${JSON.stringify(value)}`);
    } else if (value !== null && !allows(p, value)) {
      // the parameter's own description says what the value means (a fraction, a percentage...)
      throw argsError(rule, `parameter "${p.name}" must be ${describeAllowed(p)}, got ${JSON.stringify(value)}`, `${p.name}: ${p.description}`);
    }
    bound[p.name] = value;
  }
  return bound;
}
