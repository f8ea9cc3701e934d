/**
 * The shared request budget (engine/fleet/budget.ts) on a real redis-server: budgets of one API key
 * on two connections (two workers) reserve slots one interval apart in a single sequence, another
 * key has its own sequence, the key itself never reaches Redis; and the ManoMano client draws
 * every request (retries included) from the budget it is given.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { budgetKey, RedisRequestBudget } from '../../engine/fleet/budget.js';
import { createClient } from '../../engine/manomano/client/index.js';
import { startSimulator } from '../../engine/manomano/simulator/index.js';
import { connectRedis } from '../../engine/state/redis/connection.js';
import { HAS_REDIS, REDIS_SKIP_REASON, startRedis, type TestRedis } from '../helpers/redis.js';

describe.skipIf(!HAS_REDIS)(`request budget shared in Redis${REDIS_SKIP_REASON}`, () => {
  let redis: TestRedis;
  beforeAll(async () => { redis = await startRedis(); });
  afterAll(async () => { await redis?.stop(); });

  test('two connections, one key: slots one interval apart in one sequence; another key is apart; only a digest of the key is stored', async () => {
    const [a, b, probe] = [connectRedis(redis.url), connectRedis(redis.url), connectRedis(redis.url)];
    const key = budgetKey('t', 'secret-api-key-1', 'http://x');
    const noSleep = async () => {};
    const budgets = [new RedisRequestBudget(a, key, 1, noSleep), new RedisRequestBudget(b, key, 1, noSleep)];
    const waits: number[] = [await budgets[0]!.acquire()];
    const first = Number(await probe.get(key));
    for (let i = 1; i < 10; i++) waits.push(await budgets[i % 2]!.acquire());
    expect(Number(await probe.get(key)) - first).toBe(9000); // nine more slots of 1 s, whoever took them
    expect(waits.every((w, i) => i === 0 || w > waits[i - 1]!)).toBe(true);
    expect(await new RedisRequestBudget(a, budgetKey('t', 'secret-api-key-2', 'http://x'), 1, noSleep).acquire()).toBe(0);
    expect((await probe.keys('*')).join(' ')).not.toContain('secret-api-key');
    for (const r of [a, b, probe]) await r.quit();
  });

  test('the client waits on the budget it is given before every request', async () => {
    const sim = await startSimulator({ port: 0 });
    let asked = 0;
    const client = createClient({ environment: 'local', baseUrl: sim.url, apiKey: sim.apiKey, budget: { acquire: async () => { asked++; return 0; } } });
    await client.listOrders(110841, { status: 'PENDING' });
    await client.getOrder(110841, 'nope');
    client.close();
    expect(asked).toBe(2);
    expect(sim.requests).toHaveLength(2);
    await sim.close();
  });
});
