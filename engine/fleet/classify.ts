/**
 * Which failures a job may retry. Only those where running again is safe and may succeed: the
 * network, ManoMano's 5xx and 429 (after the client's own retries), a lock held by another run,
 * a lock lost while paused, Redis unreachable, items left unsent (the journal makes a re-run send
 * only what was not confirmed), a run stopped by a worker's shutdown. Never: configuration errors,
 * missing secrets, refused safety limits, failed checks, ManoMano's 401/403/4xx refusals.
 */
import { ManoflowError } from '../errors.js';

const RETRYABLE = /^(API_NETWORK|API_TIMEOUT|API_RATE_LIMITED|API_BAD_RESPONSE|API_HTTP_5\d\d|STATE_LOCKED|STATE_LOCK_LOST|STATE_BUSY|STATE_REDIS_UNAVAILABLE|FLEET_ITEMS_FAILED|RUN_ABORTED)$/;

/** The code that decides: the deepest ManoflowError of the cause chain (OFFERS_SEND_INCOMPLETE wraps the API error that stopped it). */
export function decidingCode(err: unknown): string | undefined {
  let code: string | undefined;
  for (let e: unknown = err, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ManoflowError) code = e.code;
  }
  return code;
}

/** Why: one rule for the worker (retry or fail for good) and for the docs' table. */
export function isRetryable(err: unknown): boolean {
  const code = decidingCode(err);
  return code !== undefined && RETRYABLE.test(code);
}
