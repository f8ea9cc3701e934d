/**
 * The request budget of an API key, shared by every worker of every machine: ManoMano limits
 * requests per key, so the budget lives in Redis, one key per API key (a digest of it: the key
 * itself is never written anywhere). Each request reserves the next free slot atomically (a Lua
 * script: slot = max(now, next free); next free = slot + 1/rate), by the Redis server's clock, so
 * requests of all workers are spaced at least 1/rate apart however many there are. The client's
 * transport waits for its slot before sending (engine/manomano/client/http.ts, RequestBudget).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RequestBudget } from '../manomano/client/index.js';
import { redisError } from '../state/redis/connection.js';

const RESERVE = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
local interval = tonumber(ARGV[1])
local slot = math.max(now, nextFree)
redis.call('SET', KEYS[1], string.format('%.3f', slot + interval), 'PX', math.ceil(slot + interval - now) + 60000)
return string.format('%.3f', slot - now)
`;

/** Why: the Redis key of an API key's budget: a digest, so the key never reaches Redis. */
export function budgetKey(prefix: string, apiKey: string, baseUrl: string): string {
  return `${prefix}:budget:${createHash('sha256').update(`${baseUrl}|${apiKey}`).digest('hex').slice(0, 24)}`;
}

/** Why: the fleet's RequestBudget; `sleep` is injectable so tests can record waits. */
export class RedisRequestBudget implements RequestBudget {
  private readonly intervalMs: number;
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    requestsPerSecond: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.intervalMs = 1000 / requestsPerSecond;
  }

  async acquire(): Promise<number> {
    let wait: number;
    try {
      wait = Number(await this.redis.eval(RESERVE, 1, this.key, String(this.intervalMs)));
    } catch (err) {
      throw redisError(err, 'reserving a request slot of the API key budget', 'the fleet Redis');
    }
    const ms = Math.ceil(wait);
    if (ms > 0) await this.sleep(ms);
    return ms;
  }
}
