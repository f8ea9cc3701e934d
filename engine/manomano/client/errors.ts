/**
 * Typed errors of the Partner API client. Every failure the client gives up on becomes an ApiError
 * with a stable code, the method and path (never the key), and a hint that says what to do.
 */
import { ManoflowError } from '../../errors.js';
import { redact } from '../../secrets.js';

/** Stable codes; `API_HTTP_<status>` is used for any other HTTP status the client gives up on. */
export type ApiErrorCode =
  | 'API_UNAUTHORIZED' | 'API_FORBIDDEN' | 'API_RATE_LIMITED' | 'API_NETWORK' | 'API_TIMEOUT'
  | 'API_BAD_RESPONSE' | 'API_BAD_ARGUMENT' | `API_HTTP_${number}`;

/** Extra facts an ApiError carries for callers and reports (all already redacted). */
export interface ApiErrorDetails {
  method: string;
  path: string;
  status?: number;
  appCode?: string;
  attempts?: number;
  retryAfterMs?: number;
}

/** Why: one error type for every give-up, so connectors can branch on `code` and never parse text. */
export class ApiError extends ManoflowError {
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly appCode?: string;
  readonly attempts?: number;
  readonly retryAfterMs?: number;
  /** For batch methods: the per-item results already obtained before the fatal error. */
  results?: unknown[];
  constructor(code: ApiErrorCode, message: string, details: ApiErrorDetails, options: { hint?: string; cause?: unknown } = {}) {
    super(code, redact(message), { hint: options.hint === undefined ? undefined : redact(options.hint), cause: options.cause });
    this.name = 'ApiError';
    this.method = details.method;
    this.path = redact(details.path);
    this.status = details.status;
    this.appCode = details.appCode;
    this.attempts = details.attempts;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** Why: the code an HTTP status maps to is part of the public contract, so it lives in one place. */
export function codeForStatus(status: number): ApiErrorCode {
  if (status === 401) return 'API_UNAUTHORIZED';
  if (status === 403) return 'API_FORBIDDEN';
  if (status === 429) return 'API_RATE_LIMITED';
  return `API_HTTP_${status}`;
}

/** Why: a give-up message must tell the user what to do next, not only what happened. */
export function hintFor(code: string, path = ''): string {
  switch (code) {
    case 'API_UNAUTHORIZED':
      return 'check the API key and that it belongs to this environment: production and sandbox keys come from Toolbox > Settings > API keys (a sandbox key does not work in production); the local simulator accepts the key `manoflow sandbox` prints';
    case 'API_FORBIDDEN':
      return 'the key does not own this seller_contract_id: check the contract id for this market in Toolbox > Settings > API keys';
    case 'API_RATE_LIMITED':
      return 'ManoMano is rate limiting this key: lower rateLimit.requestsPerSecond or run less often, then re-run';
    case 'API_NETWORK':
    case 'API_TIMEOUT':
      return `check the network and the base URL; ${rerunIsSafe(path)}`;
    case 'API_BAD_RESPONSE':
      return 'the server answered something that is not the expected JSON; re-run later, report it if it persists';
    case 'API_BAD_ARGUMENT':
      return 'a request header holds a character HTTP does not allow: check the API key and third_party_name (printable ASCII, no line break)';
    default:
      return code.startsWith('API_HTTP_5')
        ? `ManoMano is failing on its side; re-run later (${rerunIsSafe(path)})`
        : 'read the message returned by ManoMano; fix the request data and re-run';
  }
}

/** What a re-run does after a failure on `path`: offers, order actions and reads differ. */
function rerunIsSafe(path: string): string {
  if (path.includes('/offer')) return 're-running is safe: price and stock updates ManoMano did not confirm are sent again, confirmed ones are not';
  if (/\/orders\/v1\/(accept-orders|refuse-orders|shippings|refund)/.test(path)) return 're-running is safe: order actions are verified before being resent';
  return 're-running is safe: this request only reads';
}

/** Why: API error bodies come in several shapes ({error:{app_code,message}}, {message}); read them all. */
export function readErrorBody(body: unknown): { appCode?: string; message?: string } {
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  const err = b.error && typeof b.error === 'object' ? (b.error as Record<string, unknown>) : undefined;
  const appCode = str(err?.app_code) ?? str(b.app_code) ?? str(b.error_code);
  const message = str(err?.message) ?? str(b.message) ?? str(typeof b.error === 'string' ? b.error : undefined);
  return { appCode, message };
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}
