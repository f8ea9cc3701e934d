/**
 * The stock jsonata 2.2.2 interpreter with manoflow's guardrails. Time and depth limits use the
 * evaluation hooks jsonata's own test runner uses (entry/exit of every AST node) and throw the
 * same code, U1001, so JSONata's conformance cases with `timelimit`/`depth` behave as upstream.
 */
import jsonata from 'jsonata';

/** The error code for a guardrail stop (as in JSONata's test-suite runner). */
export const GUARDRAIL_CODE = 'U1001';

// jsonata 2.x looks its hooks up by symbol; the string names older docs show never fire
const ENTRY = Symbol.for('jsonata.__evaluate_entry');
const EXIT = Symbol.for('jsonata.__evaluate_exit');

interface HookEnv {
  base: { depth: number; timestamp: Date | null };
}

/** Why: the thrown object carries code and message like jsonata's own errors do. */
function stop(message: string, value: number, kind: 'time' | 'depth'): never {
  throw { code: GUARDRAIL_CODE, message, value, guardrail: kind, stack: new Error(message).stack };
}

/** The time limit's stop, as stock throws it; the fast path throws it too (re-running a timed-out call on stock would double the wait). */
export function timeLimitStop(timeLimitMs: number): never {
  stop(`Expression evaluation timeout: ran longer than ${timeLimitMs} ms; check for an infinite loop`, timeLimitMs, 'time');
}

/** True for a guardrail stop thrown by either interpreter. */
export function isGuardrailStop(err: unknown): boolean {
  return err !== null && typeof err === 'object' && (err as { guardrail?: unknown }).guardrail !== undefined && (err as { code?: unknown }).code === GUARDRAIL_CODE;
}

/**
 * Installs time/depth limits on a compiled stock expression. State is read from the per-call
 * environment (jsonata counts nesting in `base.depth` and stamps `base.timestamp` per evaluate),
 * so concurrent evaluations of one expression do not share a counter.
 */
export function installGuardrails(expr: jsonata.Expression, timeLimitMs?: number, maxDepth?: number): void {
  const depthOn = typeof maxDepth === 'number' && maxDepth > 0;
  const timeOn = typeof timeLimitMs === 'number' && timeLimitMs > 0;
  if (!depthOn && !timeOn) return;
  const check = (_node: unknown, _input: unknown, env: HookEnv): void => {
    const base = env.base;
    if (depthOn && base.depth > maxDepth!) {
      stop(`Stack overflow error: evaluation nested deeper than ${maxDepth}; check for non-terminating recursion`, maxDepth!, 'depth');
    }
    if (timeOn && base.timestamp && Date.now() - base.timestamp.getTime() > timeLimitMs!) timeLimitStop(timeLimitMs!);
  };
  const assign = expr.assign as unknown as (name: symbol, value: unknown) => void;
  assign(ENTRY, check);
  // on exit depth only shrinks: the clock is all that can have run out
  assign(EXIT, (node: unknown, input: unknown, env: HookEnv) => {
    if (timeOn) check(node, input, { base: { depth: 0, timestamp: env.base.timestamp } });
  });
}
