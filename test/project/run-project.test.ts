/**
 * `manoflow run --project`: every seller's pipelines once, on one machine, without Redis, in
 * dependency order (ship after accept), against the simulator over loopback; counted in its
 * request log. A seller whose secret is missing fails alone; its dependents are skipped.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';
import { runCli } from '../helpers/cli.js';
import { desiredOffers, fleetEnv, fleetKeys, testSellers, writeFleetProject } from '../helpers/fleet-project.js';

const sellers = testSellers(2);
let sim: Simulator;
beforeEach(async () => { sim = await startSimulator({ port: 0, keys: fleetKeys(sellers), ordersPerContract: 12, offersPerContract: 15 }); });
afterEach(async () => { await sim.close(); });

const posts = (path: string) => sim.requests.filter((r) => r.method === 'POST' && r.path === path && r.status < 300)
  .flatMap((r) => (r.body as { order_reference: string }[]).map((b) => b.order_reference));

describe('run --project', () => {
  test('every seller: offers, accept, then ship; each action sent once; a second run sends nothing new', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-project-'));
    const file = writeFleetProject(dir, sim, sellers);
    const desired = new Map(sellers.map((s) => [s.id, desiredOffers(sim, s)]));
    const pending = sellers.flatMap((s) => sim.state.listOrders(s.contract).filter((o) => o.status === 'PENDING').map((o) => o.order_reference));
    const first = await runCli(['run', '--project', file], { env: fleetEnv(sellers, sim) });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const names = [...first.stdout.matchAll(/^\[([a-z0-9]+\/[a-z]+)\]/gm)].map((m) => m[1]);
    expect(names).toEqual(['s01/offers', 's01/accept', 's01/ship', 's02/offers', 's02/accept', 's02/ship']);
    expect(first.stdout).toContain('project test-fleet: 6 runs: 6 done, 0 failed, 0 skipped');
    expect(posts('/orders/v1/accept-orders').sort()).toEqual([...pending].sort());
    for (const s of sellers) {
      const offers = new Map(sim.state.listOffers(s.contract).map((o) => [o.sku, o]));
      for (const d of desired.get(s.id)!) expect([d.sku, offers.get(d.sku)?.price, offers.get(d.sku)?.stock]).toEqual([d.sku, d.price, d.quantity]);
    }
    const shipped = posts('/orders/v1/shippings');
    expect(new Set(shipped).size).toBe(shipped.length);
    expect(shipped.length).toBeGreaterThanOrEqual(pending.length);
    const before = sim.requests.filter((r) => r.method !== 'GET').length;
    const second = await runCli(['run', '--project', file], { env: fleetEnv(sellers, sim) });
    expect(second.code).toBe(0);
    expect(sim.requests.filter((r) => r.method !== 'GET').length).toBe(before);
  });
});
