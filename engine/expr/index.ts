/**
 * The expression layer: every JSONata expression manoflow runs goes through here, so that the
 * fast path, guardrails and error positions live in one place.
 */
import jsonata from 'jsonata';
import { ManoflowError, RecordError } from '../errors.js';
import { compileFast, type AstNode } from './fast.js';
import { installGuardrails } from './stock.js';
import { normalizeTableCalls } from './table-calls.js';

export { GUARDRAIL_CODE } from './stock.js';

export interface ExprOptions {
  /** Use the compiled fast path where the expression allows it (default true). */
  fastPath?: boolean;
  /** Abort an evaluation that runs longer than this (ms). */
  timeLimitMs?: number;
  /** Abort an evaluation that nests deeper than this. */
  maxDepth?: number;
}

export interface CompiledExpression {
  readonly source: string;
  /** True when this expression runs on the synchronous fast path. */
  readonly fast: boolean;
  /** Evaluates; returns a value or a Promise of one (the stock interpreter is async). */
  evaluate(input: unknown, bindings?: Record<string, unknown>): unknown | Promise<unknown>;
}

/** A JSONata error, with the code (S0xxx, T1xxx, D3xxx...) and the 0-based offset in the expression. */
export class ExpressionError extends ManoflowError {
  readonly position?: number;
  readonly token?: string;
  constructor(code: string, message: string, position?: number, token?: string, cause?: unknown) {
    super(code, message, { cause });
    this.name = 'ExpressionError';
    this.position = position;
    this.token = token;
  }
}

/** Normalises whatever jsonata threw into an ExpressionError (keeps code and position). */
export function toExpressionError(err: unknown): ExpressionError {
  if (err instanceof ExpressionError) return err;
  const e = err as { code?: string; message?: string; position?: number; token?: string };
  return new ExpressionError(e?.code ?? 'EXPR_ERROR', e?.message ?? String(err), e?.position, e?.token, err);
}

/**
 * Compiles once; throws ExpressionError on a syntax error. With `fastPath` (default) and an AST
 * inside the fast subset, `evaluate` returns plain values synchronously and hands a call to the
 * stock interpreter (returning its Promise) whenever a value needs semantics it does not replicate.
 */
export function compileExpression(source: string, options: ExprOptions = {}): CompiledExpression {
  let compiled: jsonata.Expression;
  try {
    compiled = jsonata(source);
  } catch (err) {
    throw toExpressionError(err);
  }
  // `$lookups.<name>(args)` reads its arguments in the current context (table-calls.ts)
  normalizeTableCalls(compiled.ast());
  installGuardrails(compiled, options.timeLimitMs, options.maxDepth);
  const stock = async (input: unknown, bindings?: Record<string, unknown>): Promise<unknown> => {
    try {
      return await compiled.evaluate(input, bindings);
    } catch (err) {
      // a record problem raised by a bound function (a required lookup miss) keeps its code
      if (err instanceof RecordError) throw err;
      throw toExpressionError(err);
    }
  };
  let program = options.fastPath === false ? undefined : compileFast(compiled.ast() as unknown as AstNode, { maxDepth: options.maxDepth, timeLimitMs: options.timeLimitMs });
  // stock would stop a nesting deeper than maxDepth: such an expression stays on stock
  if (program && options.maxDepth !== undefined && options.maxDepth > 0 && program.height > options.maxDepth) {
    program = undefined;
  }
  if (!program) return { source, fast: false, evaluate: stock };
  const run = program.run;
  const general = (input: unknown, bindings?: Record<string, unknown>): unknown => {
    try {
      return run(input, bindings);
    } catch (err) {
      // a record problem raised by a bound function is the answer: stock would raise it again
      if (err instanceof RecordError) throw err;
      // FALLBACK, or any error: stock JSONata decides the value or the error (code, position)
      return stock(input, bindings);
    }
  };
  const field = singleField(compiled.ast() as unknown as AstNode);
  if (field === undefined) return { source, fast: true, evaluate: general };
  return {
    source,
    fast: true,
    // most attributes are one column of a flat record: read it, leaving lists, objects and
    // inherited names to the general path
    evaluate(input, bindings) {
      if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
        if (hasOwn.call(input, field)) {
          const v = (input as Record<string, unknown>)[field];
          if (isPlainScalar(v)) return v;
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

/** The field name when the whole expression is one plain field (`reference`, `` `prix ht` ``). */
function singleField(ast: AstNode): string | undefined {
  if (ast.type !== 'path' || Object.keys(ast).length !== 2) return undefined;
  const steps = ast.steps as AstNode[];
  if (steps.length !== 1) return undefined;
  const step = steps[0]!;
  if (step.type !== 'name' || typeof step.value !== 'string') return undefined;
  for (const k of Object.keys(step)) if (k !== 'type' && k !== 'value' && k !== 'position') return undefined;
  return step.value;
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
