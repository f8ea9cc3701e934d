/**
 * The expression layer: every JSONata expression manoflow runs goes through here, so that the
 * fast path, the guardrails (on by default: guardrails.ts), regexes that cannot hang a run
 * (regex.ts), the repair of jsonata's parse (ast-repair.ts) and error positions live in one place.
 */
import jsonata from 'jsonata';
import { ManoflowError, RecordError } from '../errors.js';
import { compileFast, type AstNode } from './fast.js';
import { isFn } from './natives.js';
import { DECLINED, directEvaluator, singleField } from './direct.js';
import { repairRegexLiterals } from './ast-repair.js';
import { SafeRegexEngine } from './regex.js';
import { installGuardrails, isGuardrailStop } from './stock.js';
import { guardrailHint, guardrailsFor } from './guardrails.js';
import { normalizeTableCalls } from './table-calls.js';

export { GUARDRAIL_CODE } from './stock.js';
export { regexRisk, safeRegExp, type RegexRisk } from './regex.js';
export { GUARDRAIL_DEFAULTS, guardrailsFor, isGuardrailReject } from './guardrails.js';

export interface ExprOptions {
  /** Use the compiled fast path where the expression allows it (default true). */
  fastPath?: boolean;
  /** Abort an evaluation that runs longer than this (ms); default options.time_limit_ms's, 0: no limit. */
  timeLimitMs?: number;
  /** Abort an evaluation that nests deeper than this; default options.max_depth's, 0: no limit. */
  maxDepth?: number;
}

export interface CompiledExpression {
  readonly source: string;
  /** True when this expression runs on the synchronous fast path. */
  readonly fast: boolean;
  /**
   * On the fast path, the column when the whole expression is one plain field (`reference`): a
   * caller may read `input[field]` itself when that gives a string (what evaluate would return).
   */
  readonly field?: string;
  /** Evaluates; returns a value or a Promise of one (the stock interpreter is async). */
  evaluate(input: unknown, bindings?: Record<string, unknown>): unknown | Promise<unknown>;
}

/** A JSONata error, with the code (S0xxx, T1xxx, D3xxx...) and the 0-based offset in the expression. */
export class ExpressionError extends ManoflowError {
  readonly position?: number;
  readonly token?: string;
  constructor(code: string, message: string, position?: number, token?: string, cause?: unknown, hint?: string) {
    super(code, message, { cause, hint });
    this.name = 'ExpressionError';
    this.position = position;
    this.token = token;
  }
}

/** Normalises whatever jsonata threw into an ExpressionError (keeps code and position). */
export function toExpressionError(err: unknown): ExpressionError {
  if (err instanceof ExpressionError) return err;
  const e = err as { code?: string; message?: string; position?: number; token?: string; guardrail?: 'time' | 'depth'; value?: number };
  // a guardrail stop says which setting stopped it (the reject report shows the hint)
  const hint = e?.guardrail !== undefined && typeof e.value === 'number' ? guardrailHint(e.guardrail, e.value) : undefined;
  return new ExpressionError(e?.code ?? 'EXPR_ERROR', e?.message ?? String(err), e?.position, e?.token, err, hint);
}

/**
 * Compiles once; throws ExpressionError on a syntax error. With `fastPath` (default) and an AST
 * inside the fast subset, `evaluate` returns plain values synchronously and hands a call to the
 * stock interpreter (returning its Promise) whenever a value needs semantics it does not replicate.
 */
export function compileExpression(source: string, options: ExprOptions = {}): CompiledExpression {
  let compiled: jsonata.Expression;
  try {
    // stock builds each regex literal through SafeRegexEngine (regex.ts): no runaway backtracking
    compiled = jsonata(source, { RegexEngine: SafeRegexEngine });
  } catch (err) {
    throw toExpressionError(err);
  }
  // a regex literal left of `??` / `?:` would become `/[object Object]/` (an endless $replace)
  repairRegexLiterals(compiled.ast());
  // `$lookups.<name>(args)` reads its arguments in the current context (table-calls.ts)
  normalizeTableCalls(compiled.ast());
  // the documented defaults apply whenever a caller gives no limit (a pipeline without `options`)
  const { timeLimitMs, maxDepth } = guardrailsFor(options);
  installGuardrails(compiled, timeLimitMs, maxDepth);
  const stock = async (input: unknown, bindings?: Record<string, unknown>): Promise<unknown> => {
    try {
      return await compiled.evaluate(input, bindings);
    } catch (err) {
      // a record problem raised by a bound function (a required lookup miss) keeps its code
      if (err instanceof RecordError) throw err;
      throw toExpressionError(err);
    }
  };
  let program = options.fastPath === false ? undefined : compileFast(compiled.ast() as unknown as AstNode, { maxDepth, timeLimitMs });
  // stock would stop a nesting deeper than maxDepth: such an expression stays on stock
  if (program && maxDepth > 0 && program.height > maxDepth) {
    program = undefined;
  }
  if (!program) return { source, fast: false, evaluate: stock };
  const run = program.run;
  const general = (input: unknown, bindings?: Record<string, unknown>): unknown => {
    try {
      return run(input, bindings);
    } catch (err) {
      if (isGuardrailStop(err)) return Promise.reject(toExpressionError(err));
      // a record problem raised by a bound function is the answer: stock would raise it again
      if (err instanceof RecordError) throw err;
      // FALLBACK, or any other error: stock JSONata decides the value or the error (code, position)
      return stock(input, bindings);
    }
  };
  const ast = compiled.ast() as unknown as AstNode;
  const field = singleField(ast);
  if (field === undefined) {
    const direct = directEvaluator(ast);
    if (direct === undefined) return { source, fast: true, evaluate: general };
    return {
      source,
      fast: true,
      evaluate(input, bindings) {
        const v = direct(input, bindings);
        return v !== DECLINED ? v : general(input, bindings);
      },
    };
  }
  return {
    source,
    fast: true,
    field,
    // most attributes are one column of a flat record: read it, leaving lists, objects and
    // inherited names to the general path
    evaluate(input, bindings) {
      if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
        if (hasOwn.call(input, field)) {
          const v = (input as Record<string, unknown>)[field];
          // stock reads no field of a record flagged as a function (`_jsonata_function`/`_jsonata_lambda`)
          if (isPlainScalar(v) && !isFn(input)) return v;
        } else if (!(field in input)) {
          return undefined;
        }
      }
      return general(input, bindings);
    },
  };
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Values a path step returns as they are (no sequence to flatten, no object to walk). */
function isPlainScalar(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/** Why: callers that just want a Promise (tests, one-off evaluations) skip the sync/async split. */
export async function evaluateExpression(
  expr: CompiledExpression,
  input: unknown,
  bindings?: Record<string, unknown>,
): Promise<unknown> {
  return await expr.evaluate(input, bindings);
}

/** True when `evaluate` handed back a Promise (stock interpreter) rather than a plain value. */
export function isPending(value: unknown): value is Promise<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}
