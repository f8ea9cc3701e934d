/**
 * A pipeline selects the Redis store with `state: { store: redis, url, prefix }`: two copies of a
 * price & stock pipeline in two folders (two machines, each with its own state dir for reports)
 * share one Redis: the second run finds every offer confirmed by the first and sends nothing.
 * `manoflow state stats` reads the same store. Counted in the simulator's request log.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';
import { runCli } from '../helpers/cli.js';
import { HAS_REDIS, REDIS_SKIP_REASON, startRedis, type TestRedis } from '../helpers/redis.js';

describe.skipIf(!HAS_REDIS)(`state.store: redis in a pipeline${REDIS_SKIP_REASON}`, () => {
  let redis: TestRedis;
  let sim: Simulator;
  beforeAll(async () => { redis = await startRedis(); sim = await startSimulator({ port: 0, offersPerContract: 20 }); });
  afterAll(async () => { await sim?.close(); await redis?.stop(); });

  test('two machines (two folders) sharing one Redis: the second run sends nothing the first confirmed', async () => {
    const rows = sim.state.listOffers(110841).map((o) => ({ sku: o.sku, quantity: (o.stock + 5) % 30, price: o.price + 1 }));
    const write = (name: string) => {
      const dir = join(mkdtempSync(join(tmpdir(), 'mf-redis-pipe-')), name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'offers.ndjson'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
      writeFileSync(join(dir, 'offers.yaml'), [
        'version: 1', 'name: offers', 'source: { type: ndjson, path: offers.ndjson }',
        'mapping: { automap: false, attributes: { sku: sku, quantity: quantity, price_vat_included: price } }',
        'destination:', '  type: manomano-offers', '  environment: local', `  base_url: ${sim.url}`, `  api_key: ${sim.apiKey}`, '  seller_contract_id: 110841', '  feedback: false',
        'state: { store: redis, url: "${REDIS_URL}", prefix: shared-test }', '',
      ].join('\n'));
      return join(dir, 'offers.yaml');
    };
    const [one, two] = [write('machine-a'), write('machine-b')];
    const env = { REDIS_URL: redis.url };
    expect((await runCli(['run', one], { env })).code).toBe(0);
    const patched = sim.requests.filter((r) => r.method === 'PATCH').length;
    expect(patched).toBeGreaterThan(0);
    const second = await runCli(['run', two], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`ManoMano: skipped ${rows.length}`);
    expect(sim.requests.filter((r) => r.method === 'PATCH').length).toBe(patched);
    const stats = await runCli(['state', 'stats', two], { env });
    expect(stats.stdout).toMatch(/^state: redis:\/\/127\.0\.0\.1:\d+ \(keys shared-test:\*\) \(redis, schema 1\)$/m);
    expect(stats.stdout).toContain(`offers: local-110841 ${rows.length} SKU(s)`);
  });
});
