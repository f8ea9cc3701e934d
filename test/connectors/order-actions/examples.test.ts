/**
 * The runnable examples (examples/orders) and the templates (pipelines/fr-*) stay runnable: each
 * example runs on the in-process simulator (seed-1 data) with the outcome its README promises.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runPipeline } from '../../../engine/runtime/run.js';
import { repoRoot } from '../../helpers/cli.js';
import { tempDir } from './helpers.js';

const ex = (name: string) => join(repoRoot, 'examples/orders', name);

describe('examples/orders', () => {
  const cases: [string, Record<string, number>, number][] = [
    ['accept-pending-orders.yaml', { sent: 35 }, 35],
    ['ship-from-csv.yaml', { sent: 4, refused: 1 }, 11],
    ['ship-preparation-orders.yaml', { sent: 30 }, 77],
    ['refund-from-csv.yaml', { sent: 3 }, 3],
  ];
  test.each(cases)('%s', async (name, items, read) => {
    const s = await runPipeline(ex(name), { keepItems: true });
    expect(s.items).toEqual(items);
    expect([s.read, s.rejected]).toEqual([read, 0]);
  });

  test('accept-pending-orders refuses some orders and accepts the rest', async () => {
    const s = await runPipeline(ex('accept-pending-orders.yaml'), { plan: true });
    const actions = new Set(s.plannedItems!.map((i) => i.action));
    expect(actions).toEqual(new Set(['accept', 'refuse']));
  });

  test('ship-from-csv then retry-refused-shipments: the shipment ManoMano refused lands in a CSV for a person', async () => {
    const shipped = await runPipeline(ex('ship-from-csv.yaml'));
    const feedback = join(repoRoot, 'examples/out/orders/ship-from-csv.feedback.ndjson');
    expect(shipped.outputs).toEqual([feedback]);
    const lines = readFileSync(feedback, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { outcome: string; status: string });
    expect(lines.map((l) => [l.outcome, l.status])).toEqual([...Array(4).fill(['sent', 'SHIPPED']), ['refused', 'PREPARATION']]);
    const out = join(tempDir(), 'refused.csv');
    const retry = await runPipeline(ex('retry-refused-shipments.yaml'), { output: out });
    expect([retry.read, retry.written, retry.filtered, retry.rejected]).toEqual([5, 1, 4, 0]);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('order_ref;lines;carrier;tracking;tracking_url;manomano_error;manomano_message;status_now');
    expect(csv[1]).toMatch(/^M20260824100095;PWS-10196 x5;Paack;PK0824100095;https:\/\/track\.paack\.co\/\?tracking=PK0824100095;INVALID_CARRIER;".*Paack.*";PREPARATION$/);
  });

  test('import-pending-orders writes one row per line', async () => {
    const out = join(tempDir(), 'lines.csv');
    const s = await runPipeline(ex('import-pending-orders.yaml'), { output: out });
    expect(s.outputs).toEqual([out]);
    expect(s.written).toBe(78);
  });
});

describe('pipelines/fr-* templates', () => {
  test.each(['fr-order-decisions.yaml', 'fr-shipments.yaml', 'fr-refunds.yaml'])('%s plans on the local simulator', async (name) => {
    const s = await runPipeline(join(repoRoot, 'pipelines', name), { plan: true });
    expect(s.rejected).toBe(0);
    expect(s.items!['would-send']).toBeGreaterThan(0);
  });
});
