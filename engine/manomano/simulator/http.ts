/**
 * Request framing the way real ManoMano clients send it (reference §10): JSON read whatever the
 * Content-Type, chunked or sized bodies, PHP-escaped slashes, and query strings sent encoded or not.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A parsed request as the route handlers see it. */
export interface SimRequest {
  method: string;
  path: string;
  /** The request target exactly as sent: path, query string, trailing slashes. */
  rawUrl: string;
  query: Record<string, string>;
  /** Query parameters in the order the client sent them (for pagination links). */
  queryOrder: string[];
  /** Why the query string is not one value per parameter (a key sent twice, `status[]=`), if it is not. */
  queryProblem?: string;
  headers: Record<string, string>;
  /** Header names and values in the order sent (names as the client wrote them). */
  rawHeaders: [string, string][];
  rawBody: string;
  /** The body's bytes (multipart uploads are binary). */
  bodyBytes: Buffer;
  /** Parsed JSON, `undefined` for an empty body. */
  body: unknown;
  /** Set when the body is not valid JSON (or too large to read). */
  bodyError?: string;
}

/** Bodies above this are drained, not kept, and answered 400 (ManoMano's own limits are unknown). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** What a handler answers; the server turns it into bytes (or a fault mangles it). */
export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // sent unencoded with a stray "%": keep it as is
  }
}

/**
 * Splits `a=1&b=x y` leniently: a literal "+" stays "+" (unencoded dates like +00:00 keep their
 * offset). A key sent twice keeps its last value, and `problem` says so: a gateway that takes one
 * value per parameter refuses `status=A&status=B`, `status[]=A` and `status[0]=A` (PHP and
 * jQuery array encodings) rather than silently reading one of them.
 */
export function parseQuery(search: string): { query: Record<string, string>; order: string[]; problem?: string } {
  const query: Record<string, string> = {};
  const order: string[] = [];
  const counts = new Map<string, number>();
  let problem: string | undefined;
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decode(part.slice(eq + 1));
    if (!Object.prototype.hasOwnProperty.call(query, key)) order.push(key);
    query[key] = value;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const bracket = /^([^[\]]+)\[(\d*)\]$/.exec(key);
    if (bracket && !problem) {
      problem = `parameter "${key}" uses array syntax; send one value: ${bracket[1]}=${value}`;
    }
  }
  for (const [key, n] of counts) {
    if (n > 1 && !problem) problem = `parameter "${key}" is given ${n} times; send it once (one value per parameter)`;
  }
  return problem ? { query, order, problem } : { query, order };
}

/** Reads the whole body (Node de-chunks transfer-encoding itself) and parses JSON if there is any. */
export async function readRequest(req: IncomingMessage): Promise<SimRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  const bodyBytes = Buffer.concat(chunks);
  const rawBody = bodyBytes.toString('utf8').replace(/^\uFEFF/, '');
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = decode(q < 0 ? url : url.slice(0, q)).replace(/\/+$/, '') || '/';
  const { query, order, problem } = parseQuery(q < 0 ? '' : url.slice(q + 1));
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const rawHeaders: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  const out: SimRequest = {
    method: (req.method ?? 'GET').toUpperCase(), path, rawUrl: url, query, queryOrder: order, headers, rawHeaders, rawBody, bodyBytes, body: undefined,
  };
  if (problem) out.queryProblem = problem;
  const multipart = /^multipart\//i.test(headers['content-type'] ?? '');
  if (size > MAX_BODY_BYTES) out.bodyError = `body of ${size} bytes is above the simulator's ${MAX_BODY_BYTES}-byte limit`;
  else if (!multipart && rawBody.trim()) {
    try {
      out.body = JSON.parse(rawBody);
    } catch (err) {
      out.bodyError = (err as Error).message;
    }
  }
  return out;
}

/** The request-level error body: `{"error":{"app_code","message"},"message"}` (reference §5). */
export function errorBody(appCode: string, message: string) {
  return { error: { app_code: appCode, message }, message };
}

/** A request-level error response. */
export function fail(status: number, appCode: string, message: string): SimResponse {
  return { status, body: errorBody(appCode, message) };
}

/** Serialises a response body ('' for 204). */
export function serialise(res: SimResponse): string {
  return res.status === 204 || res.body === undefined ? '' : JSON.stringify(res.body);
}

/** Writes a complete response. */
export function send(res: ServerResponse, out: SimResponse, text = serialise(out)): void {
  const headers: Record<string, string | number> = { ...out.headers };
  if (text) {
    headers['content-type'] = 'application/json; charset=utf-8';
    headers['content-length'] = Buffer.byteLength(text);
  }
  res.writeHead(out.status, headers);
  res.end(text);
}

/** Parses an integer given as a number or a numeric string ("110841"); undefined otherwise. */
export function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return Number(v);
  return undefined;
}

/** Parses a number given as a number or a numeric string ("2.0"); undefined otherwise. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}
