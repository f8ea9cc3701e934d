/**
 * `manoflow serve`: the committed feeds of a folder over real loopback HTTP, as ManoMano's fetcher
 * sees them: 401 without credentials, 200 with ETag and Last-Modified, 304 on a conditional GET,
 * gzip, HEAD, never a temporary file of an atomic write in progress, and an access log.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../../engine/serve/index.js';
import { bin, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'manoflow-serve-'));
const feed = 'sku;title;product_price_vat_inc\n' + Array.from({ length: 200 }, (_, i) => `SKU-${i};Perceuse ${i};${i + 10},90`).join('\n') + '\n';
writeFileSync(join(dir, 'manomano-fr.csv'), feed);
writeFileSync(join(dir, '.manomano-fr.csv.4242.0b7c.tmp'), 'half-written');
writeFileSync(join(dir, 'manomano-fr.rejects.csv'), 'stage,index\n');
const basic = `Basic ${Buffer.from('manomano:s3cret-pass').toString('base64')}`;

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

let server: FeedServer;
const log: string[] = [];
beforeAll(async () => {
  server = await startFeedServer({ dir, port: 0, user: 'manomano', password: 's3cret-pass', log: (l) => log.push(l) });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('serve (basic auth)', () => {
  it('401 without credentials or with wrong ones', async () => {
    const none = await get(`${server.url}/manomano-fr.csv`);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Basic realm="manoflow feeds"');
    const wrong = await get(`${server.url}/manomano-fr.csv`, { authorization: `Basic ${Buffer.from('manomano:nope').toString('base64')}` });
    expect(wrong.status).toBe(401);
  });

  it('200 with the file, its ETag and Last-Modified; HEAD gives the headers alone', async () => {
    const r = await get(`${server.url}/manomano-fr.csv`, { authorization: basic });
    expect(r.status).toBe(200);
    expect(r.body.toString('utf8')).toBe(feed);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength(feed)));
    expect(r.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$/);
    expect(Date.parse(String(r.headers['last-modified']))).toBeGreaterThan(0);
    const head = await get(`${server.url}/manomano-fr.csv`, { authorization: basic }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(r.headers['content-length']);
    expect(head.headers.etag).toBe(r.headers.etag);
  });

  it('304 on a conditional GET (If-None-Match, If-Modified-Since); 200 when the copy is old', async () => {
    const first = await get(`${server.url}/manomano-fr.csv`, { authorization: basic });
    const byTag = await get(`${server.url}/manomano-fr.csv`, { authorization: basic, 'if-none-match': String(first.headers.etag) });
    expect(byTag.status).toBe(304);
    expect(byTag.body.length).toBe(0);
    const byDate = await get(`${server.url}/manomano-fr.csv`, { authorization: basic, 'if-modified-since': String(first.headers['last-modified']) });
    expect(byDate.status).toBe(304);
    const old = await get(`${server.url}/manomano-fr.csv`, { authorization: basic, 'if-modified-since': new Date(0).toUTCString() });
    expect(old.status).toBe(200);
  });

  it('gzip when asked for', async () => {
    const r = await get(`${server.url}/manomano-fr.csv`, { authorization: basic, 'accept-encoding': 'gzip, deflate' });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.headers.vary).toBe('Accept-Encoding');
    expect(r.body.length).toBeLessThan(Buffer.byteLength(feed));
    expect(gunzipSync(r.body).toString('utf8')).toBe(feed);
  });

  it('never a temporary file, a reject report or anything outside the folder; the list shows feeds only', async () => {
    for (const path of ['/.manomano-fr.csv.4242.0b7c.tmp', '/manomano-fr.rejects.csv', '/..%2F..%2Fetc%2Fpasswd', '/sub%2F..%2F..%2Fmanomano-fr.csv']) {
      expect((await get(`${server.url}${path}`, { authorization: basic })).status).toBe(404);
    }
    const list = await get(`${server.url}/`, { authorization: basic });
    expect(list.body.toString('utf8')).toBe('manomano-fr.csv\n');
  });

  it('logs each request, with the user and never the password', () => {
    expect(log.some((l) => /^127\.0\.0\.1 - manomano \[[^\]]+\] "GET \/manomano-fr\.csv HTTP\/1\.1" 200 \d+ "-"$/.test(l))).toBe(true);
    expect(log.some((l) => /"GET \/manomano-fr\.csv HTTP\/1\.1" 304 0/.test(l))).toBe(true);
    expect(log.some((l) => / - - \[[^\]]+\] "GET \/manomano-fr\.csv HTTP\/1\.1" 401 /.test(l))).toBe(true);
    expect(log.join('\n')).not.toContain('s3cret');
  });
});

describe('manoflow serve (CLI)', () => {
  it('a token in the path: served under it, 404 elsewhere, the token never in the log', async () => {
    const token = 'tok_9f8e7d6c5b4a39281706';
    const child = spawn(process.execPath, [bin, 'serve', dir, '--port', '0'], { env: { ...process.env, MANOFLOW_SERVE_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => { const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out); if (m) resolve(m[1]!); });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    expect((await get(`${url}/${token}/manomano-fr.csv`)).status).toBe(200);
    expect((await get(`${url}/manomano-fr.csv`)).status).toBe(404);
    expect((await get(`${url}/wrong-token-0000000000/manomano-fr.csv`)).status).toBe(404);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toMatch(/"GET \/<token>\/manomano-fr\.csv HTTP\/1\.1" 200 /);
    expect(out).toContain('server stopped');
    expect(out).not.toContain(token);
  });

  it('refuses to serve the feeds publicly by accident', async () => {
    const r = await runCli(['serve', dir, '--port', '0'], { env: { MANOFLOW_SERVE_TOKEN: undefined, MANOFLOW_SERVE_USER: undefined, MANOFLOW_SERVE_PASSWORD: undefined } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CLI_SERVE_AUTH no credentials: the feeds would be public');
  });
});
