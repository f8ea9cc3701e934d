/**
 * Query-string building: API dates as `YYYY-MM-DDTHH:MM:SSZ`, filters in the API's own names,
 * nulls dropped. Kept apart so the format is tested once and used by every GET.
 */
import type { OrderStatus } from '../api-types.js';
import { ManoflowError } from '../../errors.js';

/** A date filter value: a Date, or any string `Date` can parse (an ISO date, with or without zone). */
export type DateInput = Date | string;

/** Filters of `GET /orders/v1/orders` (reference §2.1); `status` is one status per request. */
export interface OrderFilters {
  status?: OrderStatus;
  createdAtStart?: DateInput;
  createdAtEnd?: DateInput;
  statusUpdatedAtStart?: DateInput;
  statusUpdatedAtEnd?: DateInput;
  orderReference?: string;
  carrier?: string;
}

/** Why: ManoMano expects second-precision UTC with a literal Z; milliseconds or offsets are not accepted everywhere. */
export function formatApiDate(value: DateInput, name = 'date'): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value)) return value;
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) {
    throw new ManoflowError('API_BAD_ARGUMENT', `${name}: "${String(value)}" is not a date`, {
      hint: 'use an ISO-8601 date such as 2024-07-01T00:00:00Z',
    });
  }
  return d.toISOString().slice(0, 19) + 'Z';
}

/** Why: one place maps our camelCase filters to the API's snake_case query parameters. */
export function orderFilterParams(f: OrderFilters): Record<string, string | number | undefined> {
  return {
    status: f.status,
    created_at_start: f.createdAtStart === undefined ? undefined : formatApiDate(f.createdAtStart, 'createdAtStart'),
    created_at_end: f.createdAtEnd === undefined ? undefined : formatApiDate(f.createdAtEnd, 'createdAtEnd'),
    status_updated_at_start: f.statusUpdatedAtStart === undefined ? undefined : formatApiDate(f.statusUpdatedAtStart, 'statusUpdatedAtStart'),
    status_updated_at_end: f.statusUpdatedAtEnd === undefined ? undefined : formatApiDate(f.statusUpdatedAtEnd, 'statusUpdatedAtEnd'),
    order_reference: f.orderReference,
    carrier: f.carrier,
  };
}

/** Why: builds `path?k=v&...` with URL encoding, skipping undefined and empty values. */
export function withQuery(path: string, params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.append(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
