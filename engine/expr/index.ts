/**
 * The expression layer: every JSONata expression manoflow runs goes through here, so that the
 * fast path, guardrails and error positions live in one place.
 */
import jsonata from 'jsonata';
import { ManoflowError } from '../errors.js';

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

/** Compiles once; throws ExpressionError on a syntax error. */
export function compileExpression(source: string, _options: ExprOptions = {}): CompiledExpression {
  let compiled: jsonata.Expression;
  try {
    compiled = jsonata(source);
  } catch (err) {
    throw toExpressionError(err);
  }
  return {
    source,
    fast: false,
    async evaluate(input, bindings) {
      try {
        return await compiled.evaluate(input, bindings);
      } catch (err) {
        throw toExpressionError(err);
      }
    },
  };
}
