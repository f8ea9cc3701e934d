/**
 * The transport: one place that sends a request with node-fetch, applies the client-side rate
 * limit, retries what is safe to retry, and turns the rest into ApiErrors. It knows two modes:
 * `idempotent` (GETs, the offer PATCH) retries every transient failure blindly; `action` (order
 * accept/refuse/ship/refund) retries only failures where nothing can have been applied and hands
 * ambiguous ones back to the caller, which verifies before resending.
 */
import http from 'node:http';
import https from 'node:https';
import fetch from 'node-fetch';
import { redact } from '../../secrets.js';
import { ApiError, codeForStatus, hintFor, readErrorBody, type ApiErrorCode } from './errors.js';
import { backoffDelay, parseRetryAfter, RateLimiter, type RequestBudget, type RetryOptions } from './retry.js';

/** What `onRequest` receives: never headers, never the key; `path` includes the query string. */
export interface RequestEvent {
  type: 'response' | 'error' | 'wait' | 'reconcile';
  method: string;
  path: string;
  attempt?: number;
  status?: number;
  code?: string;
  message?: string;
  durationMs?: number;
  waitMs?: number;
  reason?: 'retry' | 'retry-after' | 'rate-limit';
  counts?: { applied: number; resend: number; unknown: number };
}

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  thirdPartyName: string;
  timeoutMs: number;
  retries: RetryOptions;
  requestsPerSecond?: number;
  /** A shared budget (a fleet's, per key) used instead of the local limiter. */
  budget?: RequestBudget;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  onRequest?: (event: RequestEvent) => void;
}

/** A body sent as is (a multipart upload) instead of JSON. */
export class RawBody {
  constructor(readonly bytes: Buffer, readonly contentType: string) {}
}

/** A parsed HTTP answer the caller interprets (2xx, or a 4xx other than 401/403/429). */
export interface HttpReply { status: number; body: unknown; attempts: number }

/** An action's outcome: an answer, or an ambiguous failure after which the action may have applied. */
export type ActionReply = { ok: true; reply: HttpReply } | { ok: false; error: ApiError };

// Errors raised before the request could reach the server: nothing can have been applied.
const PRE_SEND_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

type Attempt =
  | { kind: 'http'; status: number; body: unknown; parsed: boolean; retryAfterMs?: number }
  | { kind: 'net'; code: ApiErrorCode; detail: string; preSend: boolean };

/** Why: every connector shares retries, rate limiting and redaction by going through this class. */
export class Transport {
  private readonly limiter?: RequestBudget;
  private readonly agent: http.Agent | https.Agent;

  constructor(private readonly o: TransportOptions) {
    this.limiter = o.budget ?? (o.requestsPerSecond ? new RateLimiter(o.requestsPerSecond, o.sleep) : undefined);
    this.agent = o.baseUrl.startsWith('https:') ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  }

  /** Sends an idempotent request; retries every transient failure; throws ApiError on give-up. */
  async send(method: string, path: string, body?: unknown): Promise<HttpReply> {
    const r = await this.run(method, path, body, 'idempotent');
    if (!r.ok) throw r.error; // unreachable in idempotent mode, kept for the type
    return r.reply;
  }

  /** Sends a non-idempotent action; returns `{ ok: false }` when it may or may not have applied. */
  sendAction(method: string, path: string, body: unknown): Promise<ActionReply> {
    return this.run(method, path, body, 'action');
  }

  /** Emits an event through `onRequest`, redacted; a throwing listener never breaks a request. */
  emit(event: RequestEvent): void {
    if (!this.o.onRequest) return;
    const clean = JSON.parse(this.scrub(JSON.stringify(event))) as RequestEvent;
    try { this.o.onRequest(clean); } catch { /* a log hook must not change the outcome */ }
  }

  /** Releases keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  /** Removes the key (and every registered secret) from a text. */
  scrub(text: string): string {
    let out = redact(text);
    if (this.o.apiKey.length >= 4) out = out.split(this.o.apiKey).join('***');
    return out;
  }

  private async run(method: string, path: string, body: unknown, mode: 'idempotent' | 'action'): Promise<ActionReply> {
    const { retries } = this.o;
    for (let attempt = 1; ; attempt++) {
      if (this.limiter) {
        const waited = await this.limiter.acquire();
        if (waited > 0) this.emit({ type: 'wait', method, path, attempt, waitMs: waited, reason: 'rate-limit' });
      }
      const started = Date.now();
      const a = await this.attempt(method, path, body);
      const durationMs = Date.now() - started;
      if (a.kind === 'http') this.emit({ type: 'response', method, path, attempt, status: a.status, durationMs });
      else this.emit({ type: 'error', method, path, attempt, code: a.code, message: a.detail, durationMs });

      // Classify: done, fatal, ambiguous (action mode only) or retryable.
      if (a.kind === 'http' && a.status >= 200 && a.status < 300 && a.parsed) {
        return { ok: true, reply: { status: a.status, body: a.body, attempts: attempt } };
      }
      if (a.kind === 'http' && a.status >= 300 && !RETRYABLE_STATUS.has(a.status)) {
        if (a.status < 400 || a.status === 401 || a.status === 403 || a.status >= 500) throw this.httpError(method, path, a.status, a.body, attempt);
        return { ok: true, reply: { status: a.status, body: a.body, attempts: attempt } };
      }
      const clean = a.kind === 'http' ? a.status === 429 : a.preSend;
      const error = a.kind === 'http'
        ? (a.status >= 200 && a.status < 300
          ? new ApiError('API_BAD_RESPONSE', `${method} ${path}: HTTP ${a.status} with a body that is not JSON`, { method, path, status: a.status, attempts: attempt }, { hint: hintFor('API_BAD_RESPONSE', path) })
          : this.httpError(method, path, a.status, a.body, attempt))
        : new ApiError(a.code, `${method} ${path} failed: ${a.detail}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}`, { method, path, attempts: attempt }, { hint: hintFor(a.code, path) });
      // a request that cannot be built (a header HTTP refuses) fails the same way every time
      if (a.kind === 'net' && a.code === 'API_BAD_ARGUMENT') throw error;
      if (mode === 'action' && !clean) return { ok: false, error };
      if (attempt > retries.max) throw error;

      const retryAfterMs = a.kind === 'http' ? a.retryAfterMs : undefined;
      if (retryAfterMs !== undefined && retryAfterMs > retries.maxDelayMs) {
        throw new ApiError(error.code as ApiErrorCode, `${error.message}; the server asks to wait ${Math.ceil(retryAfterMs / 1000)} s, more than retries.maxDelayMs (${retries.maxDelayMs} ms)`,
          { method, path, status: error.status, appCode: error.appCode, attempts: attempt, retryAfterMs }, { hint: hintFor(error.code, path) });
      }
      const waitMs = retryAfterMs ?? backoffDelay(attempt - 1, retries, this.o.random);
      this.emit({ type: 'wait', method, path, attempt, waitMs, reason: retryAfterMs !== undefined ? 'retry-after' : 'retry', code: error.code });
      await this.o.sleep(waitMs);
    }
  }

  private httpError(method: string, path: string, status: number, body: unknown, attempts: number): ApiError {
    const code = codeForStatus(status);
    const { appCode, message } = readErrorBody(body);
    const said = this.scrub([appCode, message].filter(Boolean).join(': '));
    const text = `${method} ${path} failed: HTTP ${status}${said ? ` (${said})` : ''}${attempts > 1 ? ` after ${attempts} attempts` : ''}`;
    return new ApiError(code, text, { method, path, status, appCode, attempts }, { hint: hintFor(code, path) });
  }

  private async attempt(method: string, path: string, body: unknown): Promise<Attempt> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.o.timeoutMs);
    const headers: Record<string, string> = {
      'x-api-key': this.o.apiKey,
      'x-thirdparty-name': this.o.thirdPartyName,
      Accept: 'application/json',
    };
    const raw = body instanceof RawBody ? body : undefined;
    if (raw) headers['Content-Type'] = raw.contentType;
    else if (body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      const res = await fetch(this.o.baseUrl + path, {
        method,
        headers,
        body: raw ? raw.bytes : body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal as never,
        agent: this.agent,
        redirect: 'manual',
      });
      const text = await res.text();
      let parsed = true;
      let data: unknown;
      if (text.trim() !== '') {
        try { data = JSON.parse(text); } catch { parsed = false; data = { message: this.scrub(text.slice(0, 200)) }; }
      }
      return { kind: 'http', status: res.status, body: data, parsed, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), data) };
    } catch (err) {
      const e = err as { name?: string; code?: string; message?: string };
      if (e?.name === 'AbortError') {
        return { kind: 'net', code: 'API_TIMEOUT', detail: `no answer within ${this.o.timeoutMs} ms (timeoutMs)`, preSend: false };
      }
      const sys = e?.code ?? 'ERROR';
      if (sys === 'ERR_INVALID_CHAR' || sys === 'ERR_HTTP_INVALID_HEADER_VALUE' || sys === 'ERR_INVALID_HTTP_TOKEN') {
        // node refuses the header before sending: nothing reached the server, and a retry would refuse it again
        return { kind: 'net', code: 'API_BAD_ARGUMENT', detail: 'a request header holds a character HTTP does not allow (the header values are not shown)', preSend: true };
      }
      return { kind: 'net', code: 'API_NETWORK', detail: `${sys}: ${this.scrub(String(e?.message ?? err))}`, preSend: PRE_SEND_CODES.has(sys) };
    } finally {
      clearTimeout(timer);
    }
  }
}
