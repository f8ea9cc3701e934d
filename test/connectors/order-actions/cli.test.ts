/**
 * The order connectors through the real CLI (bin/manoflow.js → dist/, built with
 * `npx tsc -p tsconfig.json`), with `environment: local` pointed at a running simulator by
 * MANOFLOW_SANDBOX_URL: plan, run, re-run (nothing twice), and an orders import to CSV.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../../engine/manomano/simulator/index.js';
import { runCli } from '../../helpers/cli.js';
import { actionPosts, C, ordersIn, tempDir } from './helpers.js';

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  dir = tempDir('mf-cli-');
});
afterAll(async () => {
  await sim.close();
});

const connection = `  environment: local\n  api_key: \${MANOMANO_API_KEY:-sandbox-key-0001}\n  seller_contract_id: ${C}\n`;
const env = () => ({ MANOFLOW_SANDBOX_URL: sim.url });

describe('CLI with MANOFLOW_SANDBOX_URL', () => {
  test('plan, run, run again: accepts the PENDING orders once', async () => {
    const pending = ordersIn(sim, 'PENDING').map((o) => o.order_reference);
    const file = join(dir, 'accept.yaml');
    writeFileSync(file, `version: 1\nname: accept\nsource:\n  type: manomano-orders\n  statuses: [PENDING]\n${connection}destination:\n  type: manomano-order-decisions\n  decision: accept\n${connection}`);
    const plan = await runCli(['plan', file, '--json'], { env: env() });
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout).items).toEqual({ 'would-send': pending.length });
    expect(sim.requests.filter((r) => r.method === 'POST')).toEqual([]);

    const run = await runCli(['run', file, '--json'], { env: env() });
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { items: Record<string, number>; itemReport: string };
    expect(summary.items).toEqual({ sent: pending.length });
    expect(readFileSync(summary.itemReport, 'utf8')).toContain(`${pending[0]},accept,sent`);
    expect(ordersIn(sim, 'PENDING')).toEqual([]);
    expect(actionPosts(sim, '/orders/v1/accept-orders').flatMap((p) => p.refs).sort()).toEqual([...pending].sort());

    const again = await runCli(['run', file, '--json'], { env: env() });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).read).toBe(0); // nothing PENDING any more
    expect(actionPosts(sim, '/orders/v1/accept-orders')).toHaveLength(1);
  });

  test('orders import: one CSV row per line of each SHIPPED order', async () => {
    const shipped = ordersIn(sim, 'SHIPPED');
    const file = join(dir, 'import.yaml');
    writeFileSync(file, `version: 1\nname: import\nsource:\n  type: manomano-orders\n  statuses: [SHIPPED]\n  records: lines\n${connection}destination:\n  type: csv\n  output: out/lines.csv\n`);
    const run = await runCli(['run', file], { env: env() });
    expect(run.code).toBe(0);
    const rows = readFileSync(join(dir, 'out/lines.csv'), 'utf8').trim().split(/\r?\n/);
    expect(rows).toHaveLength(1 + shipped.reduce((n, o) => n + o.products.length, 0));
    expect(rows[0]!.startsWith('order_reference,seller_contract_id,status,')).toBe(true);
  });
});

describe('CLI: two runs at the same time on one state dir', () => {
  test('one POST per order; the second run waits, then skips what the first sent', async () => {
    const refs = ordersIn(sim, 'PREPARATION').slice(0, 6).map((o) => o.order_reference);
    const input = join(dir, 'tracking.ndjson');
    writeFileSync(input, refs.map((r) => JSON.stringify({ order_reference: r, carrier: 'DPD', tracking_number: `DPD${r}`, tracking_url: `https://tracking.dpd.de/status/${r}` })).join('\n') + '\n');
    const file = join(dir, 'ship.yaml');
    writeFileSync(file, `version: 1\nname: ship\nsource:\n  type: ndjson\n  path: tracking.ndjson\ndestination:\n  type: manomano-shipments\n${connection}`);
    const runs = await Promise.all([runCli(['run', file, '--json'], { env: env() }), runCli(['run', file, '--json'], { env: env() })]);
    const summaries = runs.map((r) => JSON.parse(r.stdout) as { ok: boolean; items: Record<string, number> });
    expect(summaries.map((s) => s.ok)).toEqual([true, true]);
    expect(summaries.map((s) => s.items).sort((a, b) => (a.sent ? -1 : b.sent ? 1 : 0))).toEqual([{ sent: 6 }, { skipped: 6 }]);
    expect(actionPosts(sim, '/orders/v1/shippings').flatMap((p) => p.refs).sort()).toEqual([...refs].sort());
  });
});
