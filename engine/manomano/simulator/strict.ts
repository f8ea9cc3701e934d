/**
 * The simulator's strictness: what a real API gateway refuses that a lenient mock would let
 * through (repeated query parameters, dates that are not ISO-8601, contract ids that are not JSON
 * integers, a doubled slash). Each point is a setting, so a test can check that our client works
 * whichever way the real API turns out to behave; the defaults are the strict ones.
 */
import { fail, type SimRequest, type SimResponse } from './http.js';

/** Strictness settings (`SimulatorOptions.strict`); every default is the strict behaviour. */
export interface StrictOptions {
  /** 400 for a query parameter sent twice or in array syntax (`status[]=`, `status[0]=`). Default true. */
  repeatedParams?: boolean;
  /** Date filters must be ISO-8601 with a zone (`2026-10-01T00:00:00Z`, `+02:00`). Default true; false reads anything `Date.parse` reads. */
  isoDates?: boolean;
  /** `seller_contract_id` in JSON bodies must be a JSON integer: `"110841"` or `110841.0` answer 400. Default true. */
  integerContractIds?: boolean;
  /** Status of a PATCH v2 offers answer that lists per-SKU errors: 200 (default) or 207. ASSUMPTION (§2.7a). */
  offerPatchErrorStatus?: 200 | 207;
  /** `tracking_url` required on /shippings (reference §2.5: likely). Default true. */
  requireTrackingUrl?: boolean;
}

/** StrictOptions with every default applied. */
export type Strictness = Required<StrictOptions>;

/** Why: one place holds the defaults, so the README and the CLI describe the same thing. */
export function resolveStrictness(o: StrictOptions = {}): Strictness {
  return {
    repeatedParams: o.repeatedParams ?? true,
    isoDates: o.isoDates ?? true,
    integerContractIds: o.integerContractIds ?? true,
    offerPatchErrorStatus: o.offerPatchErrorStatus ?? 200,
    requireTrackingUrl: o.requireTrackingUrl ?? true,
  };
}

/** `--lenient` names (manoflow sandbox) of the boolean settings above. */
export const LENIENT_NAMES = {
  query: 'repeatedParams',
  dates: 'isoDates',
  'contract-ids': 'integerContractIds',
  'tracking-url': 'requireTrackingUrl',
} as const satisfies Record<string, keyof StrictOptions>;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Why: `Date.parse` reads `01/09/2026` as 9 January and `2026-09-01 00:00:00` in the machine's
 * zone; a gateway that says ISO-8601 refuses both. Returns epoch ms, or undefined when refused.
 * An offset whose "+" arrived as a space (an unencoded query read as a form) is still read.
 */
export function parseIsoDate(raw: string, strict: boolean): number | undefined {
  const text = raw.trim().replace(/ (\d\d:?\d\d)$/, '+$1');
  if (strict) {
    const m = ISO_DATE.exec(text);
    if (!m) return undefined;
    const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  }
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * Why: after JSON.parse, `110841.0` and `110841` are the same number; only the raw text tells
 * them apart. Returns the first value of `field` in the body that is not a plain JSON integer
 * (as written: `"110841"`, `110841.0`, `1.1e5`), or undefined when all are.
 */
export function nonIntegerField(rawBody: string, field: string): string | undefined {
  const re = new RegExp(`"${field}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*"|[^,}\\]\\s]+)`, 'g');
  for (let m = re.exec(rawBody); m; m = re.exec(rawBody)) {
    const token = m[1]!;
    if (!/^-?\d+$/.test(token)) return token;
  }
  return undefined;
}

/** The request-level refusals of a strict gateway, checked before the handler; undefined = go on. */
export function strictRequestProblem(req: SimRequest, s: Strictness): SimResponse | undefined {
  if (s.repeatedParams && req.queryProblem) return fail(400, 'INVALID_PARAMETER', req.queryProblem);
  if (s.integerContractIds && req.body !== undefined) {
    const bad = nonIntegerField(req.rawBody, 'seller_contract_id');
    if (bad !== undefined) {
      return fail(400, 'INVALID_FIELD', `seller_contract_id must be a JSON integer such as 110841, got ${bad}`);
    }
  }
  return undefined;
}

/** Why: `base_url` ending in "/" + a path starting with "/" is the usual cause; the log says so. */
export function doubledSlashHint(rawUrl: string): string | undefined {
  const path = rawUrl.split('?')[0] ?? '';
  return path.includes('//')
    ? `the path ${path} has a doubled slash: the base URL probably ends with "/" and the path starts with one; remove one of them`
    : undefined;
}
