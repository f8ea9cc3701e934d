/**
 * The raw side of the request log: what the client actually sent, before any parsing. A parsed
 * JSON body shows `4.0` as `4` and a query object keeps one value per key; the raw URL, header
 * lines and body bytes show the request as it was (reference §10: clients differ exactly there).
 */
import type { SimRequest } from './http.js';

/** Bodies above this are logged cut, with `body_truncated` (the log stays in memory). */
export const RAW_BODY_LOG_LIMIT = 256 * 1024;

/** The request as sent; secret header values replaced by REDACTED. */
export interface RawRequestLog {
  /** The request target as sent: path and query string, encoded or not, trailing slashes kept. */
  url: string;
  /** Header lines in the order sent, names as the client wrote them. */
  headers: [string, string][];
  /** The body as UTF-8 text, when it is valid UTF-8. */
  body?: string;
  /** The body as base64, when it is not valid UTF-8 (a PDF upload). */
  body_base64?: string;
  /** Body size in bytes. */
  body_bytes: number;
  body_truncated?: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Why: one place builds the raw record, so redaction cannot be forgotten on a new field. */
export function recordRaw(req: SimRequest, secretHeaders: ReadonlySet<string>): RawRequestLog {
  const headers = req.rawHeaders.map(([k, v]): [string, string] => [k, secretHeaders.has(k.toLowerCase()) ? 'REDACTED' : v]);
  const out: RawRequestLog = { url: req.rawUrl, headers, body_bytes: req.bodyBytes.length };
  if (req.bodyBytes.length === 0) return out;
  const bytes = req.bodyBytes.length > RAW_BODY_LOG_LIMIT ? req.bodyBytes.subarray(0, RAW_BODY_LOG_LIMIT) : req.bodyBytes;
  if (bytes !== req.bodyBytes) out.body_truncated = true;
  try {
    out.body = utf8.decode(bytes);
  } catch {
    out.body_base64 = bytes.toString('base64');
  }
  return out;
}
