/**
 * Store factories shared by the state tests that take a store: the same test runs against the
 * SQLite store (a temp dir) and the Redis store (a fresh key prefix on a redis-server started for
 * the test file), so every state test holds for both implementations. `forEachStore` declares a
 * suite once per backend; the Redis one is skipped, with the reason in its name, only where
 * redis-server is not installed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { connectRedis } from '../../engine/state/redis/connection.js';
import { RedisStateStore } from '../../engine/state/redis/store.js';
import { SqliteStateStore } from '../../engine/state/sqlite/store.js';
import { repoRoot } from '../helpers/cli.js';
import { HAS_REDIS, REDIS_SKIP_REASON, startRedis, type TestRedis } from '../helpers/redis.js';
import type { StoreFactory, StoreHarness } from './store-contract.js';

let prefixes = 0;

/** A backend for one test, plus how a child process (running dist/) opens the same one. */
export interface TestBackend extends StoreHarness {
  /** ES module source that defines `store`, a new connection to this backend. */
  childOpen: string;
  /** What the store's location looks like in messages. */
  locationPattern: RegExp;
}

/** Builds a fresh backend; `now` is the clock for lock expiry (default: the store's own). */
export type BackendMaker = (o?: { now?: () => number }) => Promise<TestBackend>;

const dist = (p: string) => JSON.stringify(join(repoRoot, 'dist/engine/state', p));

/** Why: the SQLite backend of a test: a temp dir, one connection per open(). */
export const sqliteBackend: BackendMaker = async (o = {}) => {
  const dir = mkdtempSync(join(tmpdir(), 'mf-sqlite-'));
  return {
    open: async () => new SqliteStateStore(dir, o.now ? { now: o.now } : {}),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    childOpen: `import { SqliteStateStore } from ${dist('sqlite/store.js')};\nconst store = new SqliteStateStore(${JSON.stringify(dir)});`,
    locationPattern: /state\.db/,
  };
};

/** Why: the Redis backend of a test: a fresh prefix on the file's server, one connection per open(). */
export function redisBackend(url: () => string): BackendMaker {
  return async (o = {}) => {
    const prefix = `mf-test-${process.pid}-${++prefixes}`;
    const opened: RedisStateStore[] = [];
    return {
      open: async () => {
        const s = new RedisStateStore(connectRedis(url()), { prefix, display: url(), ...(o.now ? { now: o.now } : {}) }, true);
        opened.push(s);
        return s;
      },
      cleanup: async () => { for (const s of opened.splice(0)) await s.close(); },
      childOpen: [
        `import { RedisStateStore } from ${dist('redis/store.js')};`,
        `import { connectRedis } from ${dist('redis/connection.js')};`,
        `const store = new RedisStateStore(connectRedis(${JSON.stringify(url())}), { prefix: ${JSON.stringify(prefix)}, display: 'redis' }, true);`,
      ].join('\n'),
      locationPattern: /redis:\/\/127\.0\.0\.1:\d+ \(keys mf-test-/,
    };
  };
}

/** Why: the contract suite's factory shape for a backend maker. */
export function asFactory(make: BackendMaker): StoreFactory {
  return ({ now }) => make({ now });
}

/** Backends made during a test are cleaned up (connections closed, dirs removed) after it. */
function tracked(make: BackendMaker): BackendMaker {
  const made: TestBackend[] = [];
  afterEach(async () => { for (const b of made.splice(0)) await b.cleanup(); });
  return async (o) => {
    const b = await make(o);
    made.push(b);
    return b;
  };
}

/** Why: declares `body` once per backend (sqlite, then redis on a server started for this file). */
export function forEachStore(title: string, body: (name: 'sqlite' | 'redis', make: BackendMaker) => void): void {
  describe(`${title} (sqlite)`, () => body('sqlite', tracked(sqliteBackend)));
  describe.skipIf(!HAS_REDIS)(`${title} (redis)${REDIS_SKIP_REASON}`, () => {
    let server: TestRedis | undefined;
    beforeAll(async () => { server = await startRedis(); });
    afterAll(async () => { await server?.stop(); });
    body('redis', tracked(redisBackend(() => server!.url)));
  });
}
