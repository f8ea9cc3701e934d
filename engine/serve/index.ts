/**
 * The feed server (`manoflow serve`): ManoMano fetches the product feed from a URL (reference
 * §6.1), so the committed files of an output folder are served over HTTP with what a fetcher
 * relies on: basic auth or a secret token in the path, ETag / Last-Modified and conditional GET
 * (304), gzip, HEAD, and an access log. Only committed files: never a temporary file of an
 * atomic write in progress (`.name.<pid>.<id>.tmp`), a dotfile, or a reject report.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { open, realpath, readdir, type FileHandle } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { registerSecret } from '../secrets.js';

export interface ServeOptions {
  /** The folder whose committed feeds are served. */
  dir: string;
  port?: number;
  host?: string;
  /** Basic auth: both or neither. */
  user?: string;
  password?: string;
  /** A secret first path segment: `/<token>/feed.csv`. */
  token?: string;
  /** One line per request (the token and credentials never appear in it). */
  log?: (line: string) => void;
  /** For tests: the clock used in the access log. */
  now?: () => Date;
}

export interface FeedServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.csv': 'text/csv; charset=utf-8', '.json': 'application/json; charset=utf-8',
  '.ndjson': 'application/x-ndjson; charset=utf-8', '.xml': 'application/xml; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
};

/** Why: what may be fetched: a committed feed, never a temporary file, a dotfile or our reports. */
export function isServable(name: string): boolean {
  if (name.startsWith('.') || name.endsWith('.tmp')) return false;
  if (/\.rejects\.csv$/.test(name) || /\.(items|plan)\.csv$/.test(name)) return false;
  return extname(name).toLowerCase() in TYPES;
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The ETag of one version of a file: the atomic rename gives each version a new inode and mtime. */
function etagOf(stat: { size: number; mtimeMs: number; ino: number }, gzip: boolean): string {
  return `"${stat.ino.toString(16)}-${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}${gzip ? '-gz' : ''}"`;
}

/** True when the client's copy is current (If-None-Match wins over If-Modified-Since, RFC 9110). */
function notModified(req: IncomingMessage, etags: string[], mtimeMs: number): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    const wanted = inm.split(',').map((t) => t.trim().replace(/^W\//, ''));
    return wanted.includes('*') || wanted.some((t) => etags.includes(t));
  }
  const ims = req.headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return Number.isFinite(since) && Math.floor(mtimeMs / 1000) * 1000 <= since;
}

export async function startFeedServer(options: ServeOptions): Promise<FeedServer> {
  const root = await realpath(options.dir);
  const { user, password, token } = options;
  for (const secret of [password, token]) if (secret) registerSecret(secret);
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<{ status: number; bytes: number; who: string; path: string }> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path = decodeURIComponent(url.pathname);
    let shownPath = path;
    const done = (status: number, body = '', headers: Record<string, string | number> = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
      return { status, bytes: req.method === 'HEAD' ? 0 : Buffer.byteLength(body), who: '-', path: shownPath };
    };
    if (token) {
      const [first, ...rest] = path.split('/').filter(Boolean);
      // A wrong token looks like a missing file: nothing tells a scanner the folder exists.
      if (first === undefined || !same(first, token)) return done(404, 'not found\n');
      path = `/${rest.join('/')}`;
      shownPath = `/<token>${path}`;
    }
    let who = '-';
    if (user !== undefined && password !== undefined) {
      const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      const [u, ...p] = m ? Buffer.from(m[1]!, 'base64').toString('utf8').split(':') : [];
      if (u === undefined || !same(u, user) || !same(p.join(':'), password)) {
        return done(401, 'authentication required\n', { 'www-authenticate': 'Basic realm="manoflow feeds", charset="UTF-8"' });
      }
      who = u;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return { ...done(405, 'only GET and HEAD\n', { allow: 'GET, HEAD' }), who };
    if (path === '/' || path === '') {
      const names = (await readdir(root, { withFileTypes: true })).filter((e) => e.isFile() && isServable(e.name)).map((e) => e.name).sort();
      return { ...done(200, names.map((n) => `${n}\n`).join('')), who };
    }
    // One level: a feed is a file of the folder, addressed by its name.
    const name = path.slice(1);
    if (name.includes('/') || name.includes('\\') || !isServable(name)) return { ...done(404, 'not found\n'), who };
    let file: FileHandle;
    try {
      const real = await realpath(join(root, name));
      if (!real.startsWith(root + sep)) return { ...done(404, 'not found\n'), who };
      file = await open(real, 'r');
    } catch {
      return { ...done(404, 'not found\n'), who };
    }
    try {
      // The open handle keeps serving this version even if a run renames a new one over it meanwhile.
      const stat = await file.stat();
      if (!stat.isFile()) return { ...done(404, 'not found\n'), who };
      const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      const etag = etagOf(stat, gzip);
      const headers: Record<string, string | number> = {
        'content-type': TYPES[extname(name).toLowerCase()]!, etag, 'last-modified': stat.mtime.toUTCString(),
        'cache-control': 'no-cache', vary: 'Accept-Encoding',
      };
      if (notModified(req, [etagOf(stat, false), etagOf(stat, true)], stat.mtimeMs)) {
        res.writeHead(304, headers);
        res.end();
        return { status: 304, bytes: 0, who, path: shownPath };
      }
      if (gzip) headers['content-encoding'] = 'gzip';
      else headers['content-length'] = stat.size;
      res.writeHead(200, headers);
      if (req.method === 'HEAD') {
        res.end();
        return { status: 200, bytes: 0, who, path: shownPath };
      }
      let bytes = 0;
      const source = file.createReadStream({ autoClose: false });
      if (gzip) {
        const zip = createGzip();
        zip.on('data', (c: Buffer) => { bytes += c.length; });
        await pipeline(source, zip, res);
      } else {
        source.on('data', (c) => { bytes += c.length; });
        await pipeline(source, res);
      }
      return { status: 200, bytes, who, path: shownPath };
    } finally {
      await file.close();
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).then(
      (r) => log(accessLine(req, r, now())),
      (err: Error) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
        else res.destroy();
        log(accessLine(req, { status: 500, bytes: 0, who: '-', path: '-' }, now(), err.message));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8090, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    server,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** Common Log Format plus the user agent: `ip - user [date] "GET /path HTTP/1.1" status bytes "agent"`. */
function accessLine(req: IncomingMessage, r: { status: number; bytes: number; who: string; path: string }, at: Date, error?: string): string {
  const ip = req.socket.remoteAddress ?? '-';
  const agent = String(req.headers['user-agent'] ?? '-').replace(/"/g, "'");
  return `${ip} - ${r.who} [${at.toISOString()}] "${req.method} ${r.path} HTTP/${req.httpVersion}" ${r.status} ${r.bytes} "${agent}"${error ? ` error: ${error}` : ''}`;
}

