/**
 * Switchable faults and rate limiting. Fault decisions are deterministic: each rule draws from its
 * own seeded stream, so "rate 0.5" hits the same requests on every run with the same seed.
 */
import { ManoflowError } from '../../errors.js';
import { Rng, subSeed } from './random.js';

/** One fault rule for an endpoint ('METHOD /path', 'METHOD /orders/v1/orders/{ref}', 'METHOD *' or '*'). */
export interface FaultRule {
  endpoint: string;
  kind: 'status' | 'latency' | 'drop' | 'drop-after-apply' | 'malformed' | 'rate-limit';
  status?: 500 | 502 | 503;
  rate?: number;
  times?: number;
  /** Let the first N matching requests through untouched: "fail from the (N+1)th on" (an interruption midway). */
  after?: number;
  ms?: number;
  retryAfter?: number;
}

const KINDS = new Set<FaultRule['kind']>(['status', 'latency', 'drop', 'drop-after-apply', 'malformed', 'rate-limit']);

/** The decision for one request: total added latency, and at most one fault that changes the answer. */
export interface FaultDecision { latencyMs: number; fault?: FaultRule }

/** Applies a list of rules; counters and random streams restart whenever the rules are replaced. */
export class FaultEngine {
  private rules: { rule: FaultRule; rng: Rng; matched: number }[] = [];
  constructor(private readonly seed: number, rules: FaultRule[] = []) {
    this.set(rules);
  }

  set(rules: FaultRule[]): void {
    for (const r of rules) {
      if (!KINDS.has(r.kind)) throw new ManoflowError('SIM_FAULT_SPEC', `unknown fault kind "${r.kind}"`);
    }
    this.rules = rules.map((rule, i) => ({ rule, rng: new Rng(subSeed(this.seed, 'fault', i, rule.endpoint, rule.kind)), matched: 0 }));
  }

  /** `keys` are the names this request answers to, e.g. ['POST /orders/v1/accept-orders']. */
  decide(method: string, keys: string[]): FaultDecision {
    const out: FaultDecision = { latencyMs: 0 };
    for (const entry of this.rules) {
      if (!matches(entry.rule.endpoint, method, keys)) continue;
      entry.matched += 1;
      const draw = entry.rng.next(); // always drawn, so decisions do not depend on earlier rules
      const counted = entry.matched - (entry.rule.after ?? 0);
      if (counted <= 0) continue;
      if (entry.rule.times !== undefined && counted > entry.rule.times) continue;
      if (draw >= (entry.rule.rate ?? 1)) continue;
      if (entry.rule.kind === 'latency') out.latencyMs += entry.rule.ms ?? 0;
      else if (!out.fault) out.fault = entry.rule;
    }
    return out;
  }
}

function matches(endpoint: string, method: string, keys: string[]): boolean {
  const e = endpoint.trim().replace(/\s+/g, ' ');
  if (e === '*') return true;
  const [m = '', p = ''] = e.split(' ');
  if (!p || (m !== '*' && m.toUpperCase() !== method)) return false;
  return p === '*' || keys.includes(`${method} ${p.replace(/\/+$/, '')}`);
}

/** A token bucket per API key: `capacity` requests at once, refilled continuously. */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly capacity: number, private readonly refillPerSecond: number) {}

  /** 0 when the request may go, otherwise the whole seconds to wait (for Retry-After). */
  take(key: string, nowMs = performance.now()): number {
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: nowMs };
    b.tokens = Math.min(this.capacity, b.tokens + ((nowMs - b.at) / 1000) * this.refillPerSecond);
    b.at = nowMs;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / (this.refillPerSecond || 1e-9)));
  }

  reset(): void {
    this.buckets.clear();
  }
}

/** Cloudflare's 429 body as ManoMano clients read it (reference §5, §10.8). */
export function rateLimitBody(retryAfter: number) {
  return { retry_after: retryAfter, message: 'You are being rate limited', error_code: 1015 };
}

/**
 * Parses the CLI's fault syntax: rules separated by ",", each `ENDPOINT=ACTION[:RATE][xTIMES][@AFTER]` where
 * ACTION is `500|502|503`, `latency:MS`, `drop`, `drop-after-apply`, `malformed` or `rate-limit:SECONDS`.
 * `@AFTER` lets the first AFTER matching requests through (a failure midway through a run).
 * Example: "POST /orders/v1/accept-orders=503:0.5,GET /orders/v1/orders=latency:200x3,POST /orders/v1/shippings=drop@2".
 */
export function parseFaultSpec(spec: string): FaultRule[] {
  const rules: FaultRule[] = [];
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = raw.lastIndexOf('=');
    const bad = (why: string) => new ManoflowError('SIM_FAULT_SPEC', `bad fault rule "${raw}": ${why}`, {
      hint: 'write ENDPOINT=ACTION[:RATE][xTIMES][@AFTER], e.g. "POST /orders/v1/accept-orders=503:0.5", "*=latency:200x3" or "POST /orders/v1/shippings=drop@2"',
    });
    if (eq <= 0) throw bad('expected ENDPOINT=ACTION');
    const endpoint = raw.slice(0, eq).trim();
    let action = raw.slice(eq + 1).trim();
    const rule: FaultRule = { endpoint, kind: 'status' };
    const after = /@(\d+)$/.exec(action);
    if (after) {
      rule.after = Number(after[1]);
      action = action.slice(0, after.index);
    }
    const times = /x(\d+)$/.exec(action);
    if (times) {
      rule.times = Number(times[1]);
      action = action.slice(0, times.index);
    }
    const [head, ...args] = action.split(':');
    const num = (s: string | undefined, what: string) => {
      const n = Number(s);
      if (s === undefined || s === '' || !Number.isFinite(n) || n < 0) throw bad(`${what} must be a number, got "${s ?? ''}"`);
      return n;
    };
    let rateArg: string | undefined;
    if (head === '500' || head === '502' || head === '503') {
      rule.status = Number(head) as 500 | 502 | 503;
      rateArg = args[0];
    } else if (head === 'latency') {
      rule.kind = 'latency';
      rule.ms = num(args[0], 'latency ms');
      rateArg = args[1];
    } else if (head === 'rate-limit') {
      rule.kind = 'rate-limit';
      rule.retryAfter = args[0] === undefined ? 1 : num(args[0], 'retry-after seconds');
      rateArg = args[1];
    } else if (head === 'drop' || head === 'drop-after-apply' || head === 'malformed') {
      rule.kind = head;
      rateArg = args[0];
    } else {
      throw bad(`unknown action "${head}" (500, 502, 503, latency:MS, drop, drop-after-apply, malformed, rate-limit:SECONDS)`);
    }
    if (rateArg !== undefined) {
      rule.rate = num(rateArg, 'rate');
      if (rule.rate > 1) throw bad('rate must be between 0 and 1');
    }
    rules.push(rule);
  }
  return rules;
}
