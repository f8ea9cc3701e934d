/**
 * The page iterator shared by the order and offer listings. It stops on the last page whatever
 * `pagination.pages` says (empty page, short page, page >= pages) and guards against a server that
 * loops: a page bringing nothing new ends the walk, and an item is never yielded twice.
 */
import type { Page } from '../api-types.js';
import { ApiError } from './errors.js';

export interface PageWalk<T> {
  /** Fetches one 1-based page. */
  fetchPage(page: number): Promise<Page<T>>;
  /** The page size asked for. */
  limit: number;
  /** Identity of an item, to skip repeats (the order reference, the sku). */
  key(item: T): string;
  /** Hard cap on pages walked (default 10 000). */
  maxPages?: number;
  /** For error messages: `GET /orders/v1/orders`. */
  describe: string;
}

/** Why: every paginated listing must end on the last page even when the server's counters lie. */
export async function* walkPages<T>(w: PageWalk<T>): AsyncGenerator<T> {
  const seen = new Set<string>();
  const maxPages = w.maxPages ?? 10_000;
  for (let page = 1; page <= maxPages; page++) {
    const p = await w.fetchPage(page);
    const content = p?.content;
    if (!Array.isArray(content)) {
      throw new ApiError('API_BAD_RESPONSE', `${w.describe} page ${page}: the answer has no "content" array`, { method: 'GET', path: w.describe }, {
        hint: 'the server answered something that is not a page; re-run later, report it if it persists',
      });
    }
    let fresh = 0;
    for (const item of content) {
      const k = w.key(item);
      if (seen.has(k)) continue;
      seen.add(k);
      fresh++;
      yield item;
    }
    // The server may cap the page size below what we asked: trust the size it says it used.
    const served = p.pagination?.limit;
    const limit = typeof served === 'number' && served > 0 ? Math.min(served, w.limit) : w.limit;
    const pages = p.pagination?.pages;
    if (content.length === 0 || fresh === 0) return;
    if (content.length < limit) return;
    if (typeof pages === 'number' && page >= pages) return;
  }
}
