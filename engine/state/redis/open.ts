/**
 * One Redis state store per (URL, prefix) per process, shared by every user (the source and the
 * destination of a run, the runs of a worker's concurrent jobs) and closed with the last one, as
 * open.ts does for SQLite databases.
 */
import { ManoflowError } from '../../errors.js';
import type { StateHandle } from '../open.js';
import { connectRedis, displayRedisUrl } from './connection.js';
import { RedisStateStore } from './store.js';

/** The settings that select the Redis store (the pipeline's or project's `state`, or a worker's `--redis`). */
export interface RedisBackend {
  store: 'redis';
  url?: string;
  prefix?: string;
}

/** Why: fleets sharing one Redis keep apart by prefix; the default is the schema's. */
export const DEFAULT_REDIS_PREFIX = 'manoflow';

const opened = new Map<string, { store: RedisStateStore; users: number }>();

/** Why: the Redis twin of openStateStore's SQLite branch; STATE_REDIS_URL when no URL is given. */
export async function openRedisStore(backend: RedisBackend): Promise<StateHandle> {
  const url = backend.url;
  if (!url) {
    throw new ManoflowError('STATE_REDIS_URL', 'state.store is "redis" but no Redis URL is given', {
      hint: 'set state.url (e.g. redis://127.0.0.1:6379, or ${REDIS_URL}) in the pipeline or project file, or run the pipeline from `manoflow worker --redis URL`',
    });
  }
  const prefix = backend.prefix ?? DEFAULT_REDIS_PREFIX;
  const id = `${url}\u0000${prefix}`;
  let entry = opened.get(id);
  if (!entry) {
    entry = { store: new RedisStateStore(connectRedis(url, { name: 'manoflow-state' }), { prefix, display: displayRedisUrl(url) }, true), users: 0 };
    opened.set(id, entry);
  }
  entry.users++;
  const mine = entry;
  let released = false;
  return {
    store: mine.store,
    async release() {
      if (released) return;
      released = true;
      if (--mine.users > 0) return;
      opened.delete(id);
      await mine.store.close();
    },
  };
}
