/**
 * Connecting to Redis: one place that parses the URL (redis:// or rediss://, with an optional
 * password that is registered as a secret and never shown), opens an ioredis connection that fails
 * fast instead of queueing commands forever, and turns Redis errors into ManoflowErrors with a
 * stable code and a hint.
 */
import { Redis } from 'ioredis';
import { ManoflowError } from '../../errors.js';
import { redact, registerSecret } from '../../secrets.js';

/** The URL as shown in messages: no password, no user. */
export function displayRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'redis (unparsable URL)';
  }
}

/** Why: a bad URL is a configuration error with its own code, found before any connection is tried. */
export function checkRedisUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ManoflowError('CFG_REDIS_URL', `"${redact(url)}" is not a Redis URL`, { hint: 'write it as redis://HOST:PORT (or redis://:PASSWORD@HOST:PORT/DB, rediss:// for TLS)' });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new ManoflowError('CFG_REDIS_URL', `"${displayRedisUrl(url)}" is not a Redis URL (scheme ${u.protocol})`, { hint: 'write it as redis://HOST:PORT or rediss://HOST:PORT' });
  }
  if (u.password) registerSecret(decodeURIComponent(u.password));
}

/** Options of a manoflow connection; BullMQ workers need maxRetriesPerRequest null (they block on the queue). */
export interface ConnectOptions {
  /** For BullMQ's blocking connections: retry forever instead of failing the command. */
  blocking?: boolean;
  name?: string;
}

/** Why: every Redis connection manoflow opens (state store, rate budget, queue) has the same failure behaviour. */
export function connectRedis(url: string, o: ConnectOptions = {}): Redis {
  checkRedisUrl(url);
  const redis = new Redis(url, {
    lazyConnect: false,
    connectionName: o.name ?? 'manoflow',
    connectTimeout: 5000,
    // The state store fails a command after a few reconnection attempts: a run then fails with
    // STATE_REDIS_UNAVAILABLE (and a worker retries the job later) instead of hanging.
    maxRetriesPerRequest: o.blocking ? null : 3,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  // ioredis reports connection errors as events; commands report them to their callers.
  redis.on('error', () => {});
  return redis;
}

/**
 * Why: BullMQ waits forever for a Redis it cannot reach; commands first try once, for 5 s, and
 * fail with STATE_REDIS_UNAVAILABLE naming the server instead of hanging.
 */
export async function checkRedisReachable(url: string): Promise<void> {
  checkRedisUrl(url);
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw redisError(err, 'connecting', displayRedisUrl(url));
  } finally {
    probe.disconnect();
  }
}

/** Why: Redis errors become STATE_REDIS_UNAVAILABLE (network) or STATE_REDIS (anything else), with the place and what was being done. */
export function redisError(err: unknown, doing: string, location: string): ManoflowError {
  if (err instanceof ManoflowError) return err;
  const message = redact(String((err as Error)?.message ?? err));
  const network = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|Connection is closed|max retries|Stream isn't writeable|connect/i.test(message);
  if (network) {
    return new ManoflowError('STATE_REDIS_UNAVAILABLE', `Redis at ${location} is unreachable while ${doing}: ${message}`, {
      hint: 'check that redis-server runs and the URL (host, port, password) is right; nothing was written by this step',
      cause: err,
    });
  }
  return new ManoflowError('STATE_REDIS', `Redis at ${location} answered an error while ${doing}: ${message}`, {
    hint: 'check the server (memory, persistence errors in its log: MISCONF); nothing was written by this step',
    cause: err,
  });
}
