/** Runs one expression through the fast path and through stock JSONata, for equality checks. */
import { compileExpression, isPending, type ExprOptions } from '../../engine/expr/index.js';

export type Outcome = { value: unknown } | { error: { code?: string; position?: number; token?: string } };

async function outcome(run: () => unknown): Promise<Outcome> {
  try {
    return { value: await run() };
  } catch (err) {
    const e = err as { code?: string; position?: number; token?: string };
    return { error: { code: e.code, position: e.position, token: e.token } };
  }
}

/** Compiles `src` both ways once; the returned function evaluates both on one input. */
export function pair(src: string, options: ExprOptions = {}) {
  const fastExpr = compileExpression(src, options);
  const stockExpr = compileExpression(src, { ...options, fastPath: false });
  return async (input: unknown, bindings?: Record<string, unknown>) => {
    let sync = false;
    const fast = await outcome(() => {
      const r = fastExpr.evaluate(input, bindings);
      sync = !isPending(r);
      return r;
    });
    const stock = await outcome(() => stockExpr.evaluate(input, bindings));
    return { fast, stock, sync, compiledFast: fastExpr.fast };
  };
}

/** Evaluates `src` both ways; `sync` tells whether the fast path answered without a Promise. */
export async function both(src: string, input: unknown, bindings?: Record<string, unknown>, options: ExprOptions = {}) {
  return pair(src, options)(input, bindings);
}
