/**
 * Waiting policy: exponential backoff with full jitter, Retry-After parsing (header seconds, HTTP
 * date, or a JSON body `retry_after`), and a client-side token bucket. Pure functions plus one
 * small class, so they are tested without a server and without sleeping.
 */

/** Retry settings, all in milliseconds except `max` (number of retries after the first attempt). */
export interface RetryOptions {
  max: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRIES: RetryOptions = { max: 5, baseDelayMs: 500, maxDelayMs: 60_000 };

/** Why: full jitter (AWS style) spreads retries of many clients; `retry` is 0 for the first retry. */
export function backoffDelay(retry: number, opts: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, retry));
  return Math.floor(random() * ceiling);
}

/**
 * Why: the server's own wait wins over our backoff. Reads `Retry-After` (delta seconds or an HTTP
 * date) first, then a JSON body `retry_after` (seconds, as Cloudflare sends). Undefined when absent.
 */
export function parseRetryAfter(header: string | null | undefined, body: unknown, now: number = Date.now()): number | undefined {
  if (header !== null && header !== undefined && header.trim() !== '') {
    const h = header.trim();
    if (/^\d+(\.\d+)?$/.test(h)) return Math.round(Number(h) * 1000);
    const at = Date.parse(h);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  if (body && typeof body === 'object') {
    const v = (body as Record<string, unknown>).retry_after;
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (Number.isFinite(n) && n >= 0) return Math.round(n * 1000);
  }
  return undefined;
}

/** Why: what the transport waits on before each request: its own limiter, or a budget shared with other processes (a fleet's, in Redis). */
export interface RequestBudget {
  /** Waits for the next slot; returns how long it waited (ms). */
  acquire(): Promise<number>;
}

/**
 * Why: a client-side limiter keeps us under ManoMano's (unpublished) rate limit instead of
 * learning it from 429s. It reserves time slots rather than polling, so an injected `sleep`
 * that returns at once still records the exact waits and never spins.
 */
export class RateLimiter implements RequestBudget {
  private nextFree = 0;
  /** The last slot handed out: time has reached at least this once its wait is over. */
  private lastSlot = 0;
  private readonly intervalMs: number;
  constructor(
    requestsPerSecond: number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {
    if (!(requestsPerSecond > 0)) throw new RangeError('rateLimit.requestsPerSecond must be > 0');
    this.intervalMs = 1000 / requestsPerSecond;
  }

  /** Waits for the next slot; returns how long it asked to wait (0 when a slot was free). */
  async acquire(): Promise<number> {
    const now = Math.max(this.now(), this.lastSlot);
    const slot = Math.max(now, this.nextFree);
    this.nextFree = slot + this.intervalMs;
    this.lastSlot = slot;
    const wait = Math.ceil(slot - now);
    if (wait > 0) await this.sleep(wait);
    return wait;
  }
}

/** Why: the default `sleep`; tests inject their own to record waits instead of sleeping. */
export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
