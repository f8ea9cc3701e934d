/**
 * Nothing lost, nothing twice: a run whose PATCHes start failing after half its batches stops,
 * keeps what ManoMano confirmed, and a re-run sends exactly the rest. Also through the CLI: the
 * same story as a user's cron sees it (exit codes, summary), on the compiled build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ManoflowError } from '../../../engine/errors.js';
import { runPipeline, type RunSummary } from '../../../engine/runtime/run.js';
import { startSimulator, type Simulator } from '../../../engine/manomano/simulator/index.js';
import { runCli } from '../../helpers/cli.js';
import { C, patchedSkus, startFailingProxy, tempDir, writePipeline, type StockRow } from './helpers.js';

let sim: Simulator;
beforeAll(async () => { sim = await startSimulator({ port: 0 }); });
afterAll(async () => { await sim?.close(); });
beforeEach(() => sim.clearRequests());

function rows(from: number, to: number): StockRow[] {
  return sim.state.listOffers(C).slice(from, to).map((o, i) => ({ sku: o.sku, quantity: (o.stock + 7 + i) % 250, price: (o.price + 2).toFixed(2) }));
}

describe('an interrupted run', () => {
  it('keeps the confirmed batches; the re-run sends only the rest', async () => {
    const dir = tempDir();
    const data = rows(200, 220);
    const proxy = await startFailingProxy(sim.url, 3);
    try {
      const file = writePipeline(dir, proxy.url, data, ['batch_size: 5', 'max_retries: 0']);
      let err: (ManoflowError & { summary: RunSummary }) | undefined;
      await runPipeline(file).catch((e: ManoflowError & { summary: RunSummary }) => { err = e; });
      expect(err?.code).toBe('OFFERS_SEND_INCOMPLETE');
      expect(err?.message).toContain('10 of 20 offer update(s) answered by ManoMano (10 sent, 0 refused), 10 not confirmed');
      expect(err?.hint).toContain('re-run');
      expect(err?.summary.items).toEqual({ sent: 10, failed: 10 });
      const first = patchedSkus(sim);
      expect(first).toEqual(data.slice(0, 10).map((r) => r.sku));
      expect(existsSync(join(dir, '.manoflow', 'state.db'))).toBe(true);
      // the feedback of the confirmed half is there too
      expect(readFileSync(join(dir, '.manoflow', 'feedback', 'offers-test.ndjson'), 'utf8').trim().split('\n')).toHaveLength(10);

      sim.clearRequests();
      proxy.enabled = false;
      const again = await runPipeline(file, { keepItems: true });
      expect(again.details).toMatchObject({ sent: 10, unchanged: 10, failed: 0 });
      const second = patchedSkus(sim);
      expect(second).toEqual(data.slice(10).map((r) => r.sku));
      expect(second.filter((s) => first.includes(s))).toEqual([]);
      for (const r of data) expect(sim.state.getOffer(C, r.sku)).toMatchObject({ stock: r.quantity, price: Number(r.price) });
    } finally {
      await proxy.close();
    }
  });
});

describe('the CLI', () => {
  it('runs, stops on a safety limit with exit 3 and sends nothing, then --force, then plan finds nothing left to send', async () => {
    const dir = tempDir();
    const data = rows(250, 256);
    const file = writePipeline(dir, sim.url, data, ['safety: { max_zero_stock_percent: 50 }']);
    const first = await runCli(['run', file]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('ManoMano: sent 6\n');
    expect(first.stdout).toContain('safety: ok (0 of 6 to zero stock');

    sim.clearRequests();
    writePipeline(dir, sim.url, data.map((r, i) => (i < 4 ? { ...r, quantity: 0 } : r)), ['safety: { max_zero_stock_percent: 50 }']);
    const stopped = await runCli(['run', file]);
    expect(stopped.code).toBe(3);
    expect(stopped.stdout).toContain('error: SAFETY_LIMIT safety limit: nothing was sent. 4 of 6 offers (66.7%) would go to zero stock');
    expect(sim.requests.filter((r) => r.method === 'PATCH')).toEqual([]);

    const forced = await runCli(['run', file, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('warning: safety limit overridden by --force');
    expect(forced.stdout).toContain('ManoMano: sent 4, skipped 2\n');
    expect(forced.stdout).toContain('unchanged: 2\n');

    sim.clearRequests();
    const plan = await runCli(['plan', file]);
    expect(plan.code).toBe(0);
    expect(plan.stdout.split('\n').filter((l) => l.startsWith('skipped'))).toHaveLength(6);
    expect(sim.requests).toEqual([]);
  });
});
