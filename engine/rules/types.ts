/**
 * The shapes of a loaded rule box, shared by the loader, argument binding and the test runner.
 */
import type { CompiledExpression } from '../expr/index.js';
import { ManoflowError } from '../errors.js';

/** One `@param` line of a rule box header. */
export interface RuleParam {
  name: string;
  /** string | number | boolean | object | array | any */
  type: string;
  optional: boolean;
  /** The JSON default from the header (`= "…"`); absent when the parameter has none. */
  default?: unknown;
  /**
   * Values the parameter accepts beyond its type, from the header (`in (0, 1)`, `in [0, 10]`,
   * `one of ["auto", ","]`): checked when the arguments are bound, so a rate of 1 or a typo in a
   * mode fails at validation and not on every record.
   */
  allowed?: ParamRange | { oneOf: unknown[] };
  description: string;
}

/** A numeric interval; `open*` excludes the bound itself. */
export interface ParamRange { min: number; max: number; openMin: boolean; openMax: boolean }

/** A compiled rule box with its header, ready for `bindRuleArgs` and `applyRule`. */
export interface RuleBox {
  name: string;
  summary: string;
  params: RuleParam[];
  /** Absolute path of the `.jsonata` file. */
  file: string;
  source: string;
  compiled: CompiledExpression;
}

/** Parameter types a header may declare. */
export const PARAM_TYPES = ['string', 'number', 'boolean', 'object', 'array', 'any'] as const;

/** A rule-box problem located in its file, so diagnostics can point at `file:line:column`. */
export class RuleFileError extends ManoflowError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  constructor(code: string, file: string, line: number, column: number, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, `${file}:${line}:${column} ${message}`, options);
    this.name = 'RuleFileError';
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/** 1-based line and column of a 0-based offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const o = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let start = 0;
  for (let i = 0; i < o; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: o - start + 1 };
}

/** True when a value fits a declared parameter type. */
export function fitsType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'boolean': return typeof value === 'boolean';
    case 'array': return Array.isArray(value);
    case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value);
    default: return true;
  }
}

/** A short type name of a value for error messages. */
export function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
