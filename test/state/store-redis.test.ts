/**
 * The Redis store (engine/state/redis) against the StateStore contract, on a real redis-server
 * started for this file (test/helpers/redis.ts): every `open()` is a new connection with the same
 * key prefix, as two workers on two machines sharing one Redis would be; each test gets its own
 * prefix, so tests never see each other's keys.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { HAS_REDIS, REDIS_SKIP_REASON, startRedis, type TestRedis } from '../helpers/redis.js';
import { describeStateStore } from './store-contract.js';
import { asFactory, redisBackend } from './store-factories.js';

describe.skipIf(!HAS_REDIS)(`redis store${REDIS_SKIP_REASON}`, () => {
  let server: TestRedis | undefined;
  beforeAll(async () => { server = await startRedis(); });
  afterAll(async () => { await server?.stop(); });
  describeStateStore('redis', asFactory(redisBackend(() => server!.url)));
});
