/**
 * Unit-level pieces of the ManoMano client: backoff, Retry-After parsing, the client-side rate
 * limiter, API date formatting, option checks, and the page iterator against tiny loopback servers
 * that lie about `pages` or loop.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { backoffDelay, createClient, formatApiDate, parseRetryAfter, RateLimiter } from '../../engine/manomano/client/index.js';

const RETRIES = { max: 5, baseDelayMs: 500, maxDelayMs: 60_000 };

describe('backoffDelay (full jitter)', () => {
  test.each([
    [0, 0.999999, 499], [1, 0.999999, 999], [3, 0.5, 2000], [7, 0.999999, 59_999], [20, 0.999999, 59_999], [4, 0, 0],
  ])('retry %i with random %f waits %i ms', (retry, r, expected) => {
    expect(backoffDelay(retry, RETRIES, () => r)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-10-01T00:00:00Z');
  test.each<[string, string | null, unknown, number | undefined]>([
    ['delta seconds', '3', undefined, 3000],
    ['fractional seconds', '1.5', undefined, 1500],
    ['HTTP date', 'Thu, 01 Oct 2026 00:00:10 GMT', undefined, 10_000],
    ['HTTP date in the past', 'Thu, 01 Oct 2026 00:00:00 GMT', undefined, 0],
    ['JSON body retry_after', null, { retry_after: 7, error_code: 1015 }, 7000],
    ['JSON body as string', null, { retry_after: '2' }, 2000],
    ['header wins over body', '4', { retry_after: 9 }, 4000],
    ['nothing', null, { message: 'slow down' }, undefined],
    ['garbage header, no body', 'soon', undefined, undefined],
  ])('%s', (_name, header, body, expected) => {
    expect(parseRetryAfter(header, body, now)).toBe(expected);
  });
});

test('RateLimiter reserves slots: recorded waits follow the rate without real sleeping', async () => {
  const waits: number[] = [];
  const limiter = new RateLimiter(2, async (ms) => { waits.push(ms); }, () => 1_000_000);
  const asked = [];
  for (let i = 0; i < 4; i++) asked.push(await limiter.acquire());
  expect(asked).toEqual([0, 500, 500, 500]);
  expect(waits).toEqual([500, 500, 500]);
});

describe('formatApiDate', () => {
  test.each<[string, Date | string, string]>([
    ['a Date drops milliseconds', new Date('2024-07-01T10:20:30.456Z'), '2024-07-01T10:20:30Z'],
    ['the API format is kept', '2024-07-01T00:00:00Z', '2024-07-01T00:00:00Z'],
    ['an offset is converted to UTC', '2024-07-01T02:00:00+02:00', '2024-07-01T00:00:00Z'],
    ['a bare day is midnight UTC', '2024-07-01', '2024-07-01T00:00:00Z'],
  ])('%s', (_n, input, expected) => expect(formatApiDate(input)).toBe(expected));

  test('a non-date is a typed error', () => {
    expect(() => formatApiDate('yesterday', 'createdAtStart')).toThrow(expect.objectContaining({ code: 'API_BAD_ARGUMENT', message: expect.stringContaining('createdAtStart') }));
  });
});

describe('createClient option checks', () => {
  test.each<[string, Parameters<typeof createClient>[0]]>([
    ['local without baseUrl', { environment: 'local', apiKey: 'k-123456' }],
    ['empty key', { environment: 'sandbox', apiKey: '' }],
    ['batchSize 0', { environment: 'local', baseUrl: 'http://127.0.0.1:1', apiKey: 'k-123456', batchSize: 0 }],
    ['not a URL', { environment: 'local', baseUrl: 'ftp://x', apiKey: 'k-123456' }],
  ])('%s → API_BAD_ARGUMENT', (_n, opts) => {
    expect(() => createClient(opts)).toThrow(expect.objectContaining({ code: 'API_BAD_ARGUMENT' }));
  });

  test('environments resolve to the documented base URLs', () => {
    expect(createClient({ environment: 'production', apiKey: 'k-123456' }).baseUrl).toBe('https://partnersapi.manomano.com');
    expect(createClient({ environment: 'sandbox', apiKey: 'k-123456' }).baseUrl).toBe('https://partnersapi.sandbox.manomano.com');
  });
});

/** A tiny orders server: `answer(page, limit)` decides what each page returns. */
let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server?.closeAllConnections();
  server = undefined;
});

async function pagesServer(answer: (page: number, limit: number) => { content: unknown[]; pagination: Record<string, number> }) {
  const pagesAsked: number[] = [];
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const page = Number(u.searchParams.get('page'));
    pagesAsked.push(page);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer(page, Number(u.searchParams.get('limit')))));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, pagesAsked };
}

const orders = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ order_reference: `M${from + i}` }));

describe('the page iterator stops on the last page whatever `pages` says', () => {
  test.each<[string, (page: number, limit: number) => { content: unknown[]; pagination: Record<string, number> }, number, number[]]>([
    ['short page ends it although pages says 1000', (p, l) => ({ content: orders(p * 100, p < 3 ? l : 4), pagination: { page: p, pages: 1000, limit: l, items: 99_999 } }), 2 * 10 + 4, [1, 2, 3]],
    ['empty page ends it', (p, l) => ({ content: p < 3 ? orders(p * 100, l) : [], pagination: { page: p, pages: 5, limit: l, items: 50 } }), 20, [1, 2, 3]],
    ['page >= pages ends it on a full page', (p, l) => ({ content: orders(p * 100, l), pagination: { page: p, pages: 2, limit: l, items: 20 } }), 20, [1, 2]],
    ['a looping server (same page forever) is cut after the first repeat', (_p, l) => ({ content: orders(0, l), pagination: { page: 1, pages: 999, limit: l, items: 9990 } }), 10, [1, 2]],
    ['a server capping the page size is followed to its short page', (p) => ({ content: orders(p * 100, p < 4 ? 5 : 2), pagination: { page: p, pages: 4, limit: 5, items: 17 } }), 17, [1, 2, 3, 4]],
  ])('%s', async (_name, answer, expectedCount, expectedPages) => {
    const { url, pagesAsked } = await pagesServer(answer);
    const client = createClient({ environment: 'local', baseUrl: url, apiKey: 'unit-key-000001' });
    const refs: string[] = [];
    for await (const o of client.iterateOrders(110841, { limit: 10 })) refs.push(o.order_reference);
    client.close();
    expect(refs.length).toBe(expectedCount);
    expect(new Set(refs).size).toBe(refs.length);
    expect(pagesAsked).toEqual(expectedPages);
  });
});
