/**
 * Page/limit pagination with exact totals and RELATIVE links that repeat every filter the client
 * sent (reference §10.5: ETAIL prefixes the base URL to `links.next`; a null `next` ends its loop).
 * `goto` is the same link with `page={page}` for the client to fill in (reference §2.1 names it).
 */
import type { Page } from '../api-types.js';
import { fail, type SimRequest, type SimResponse } from './http.js';

/** Reads `page` (from 1) and `limit` (1..max); an answer instead when they are invalid. */
export function readPaging(req: SimRequest, defaultLimit: number, maxLimit: number): { page: number; limit: number } | SimResponse {
  const page = req.query.page === undefined || req.query.page === '' ? 1 : Number(req.query.page);
  const limit = req.query.limit === undefined || req.query.limit === '' ? defaultLimit : Number(req.query.limit);
  if (!Number.isInteger(page) || page < 1) return fail(400, 'INVALID_PARAMETER', `page must be an integer from 1, got "${req.query.page}"`);
  if (!Number.isInteger(limit) || limit < 1) return fail(400, 'INVALID_PARAMETER', `limit must be a positive integer, got "${req.query.limit}"`);
  if (limit > maxLimit) return fail(400, 'INVALID_PARAMETER', `limit must be at most ${maxLimit}, got ${limit}`);
  return { page, limit };
}

/** One page of `all`, with `pagination.items` the exact total and `pages` at least 1. */
export function paginate<T>(req: SimRequest, all: T[], page: number, limit: number): Page<T> {
  const items = all.length;
  const pages = Math.max(1, Math.ceil(items / limit));
  const link = (p: number | string) => {
    const params: string[] = [];
    for (const key of req.queryOrder) {
      if (key === 'page' || key === 'limit') continue;
      params.push(`${encodeURIComponent(key)}=${encodeURIComponent(req.query[key] ?? '')}`);
    }
    params.push(`limit=${limit}`, `page=${p}`);
    return `${req.path}?${params.join('&')}`;
  };
  return {
    content: all.slice((page - 1) * limit, page * limit),
    pagination: {
      items, limit, page, pages,
      links: {
        first: link(1),
        previous: page > 1 ? link(Math.min(page - 1, pages)) : null,
        next: page < pages ? link(page + 1) : null,
        last: link(pages),
        // ASSUMPTION: the reference lists `goto` without its form; a template the client fills in.
        goto: link('{page}'),
      },
    },
  };
}
