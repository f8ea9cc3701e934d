/**
 * manomano-orders against the simulator: each filter, whole orders vs one record per line (to
 * ndjson and CSV), and the incremental cursor (advances on a complete read only, never under plan
 * or --limit; the next run gets exactly the orders changed since).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Order } from '../../../engine/manomano/api-types.js';
import { startSimulator, type Simulator } from '../../../engine/manomano/simulator/index.js';
import { runPipeline } from '../../../engine/runtime/run.js';
import { LINE_COLUMNS } from '../../../engine/connectors/sources/manomano-orders/index.js';
import { C, ordersSource, tempDir } from '../order-actions/helpers.js';
import { cursorValue, stateOf } from '../../helpers/state.js';

let sim: Simulator;
let dir: string;
beforeEach(async () => {
  sim = await startSimulator({ port: 0 });
  dir = tempDir('mf-import-');
});
afterEach(async () => {
  await sim.close();
});

function pipeline(name: string, sourceExtra: string, destination = 'type: ndjson\noutput: out.ndjson'): string {
  const text = `version: 1\nname: ${name}\nsource:\n${ordersSource(sim, sourceExtra).split('\n').map((l) => `  ${l}`).join('\n')}\ndestination:\n${destination.split('\n').map((l) => `  ${l}`).join('\n')}\n`;
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}
const readNdjson = (file = join(dir, 'out.ndjson')) => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const refs = (list: { order_reference?: unknown }[]) => list.map((o) => o.order_reference);
const all = () => sim.state.listOrders(C);
const t = (iso: string) => Date.parse(iso);

describe('manomano-orders filters', () => {
  const sorted = (f: 'created_at') => all().map((o) => o[f]).sort();
  const cases: [string, () => string, (o: Order) => boolean][] = [
    ['statuses [PENDING]', () => 'statuses: [PENDING]', (o) => o.status === 'PENDING'],
    ['statuses [PREPARATION, SHIPPED]', () => 'statuses: [PREPARATION, SHIPPED]', (o) => o.status === 'PREPARATION' || o.status === 'SHIPPED'],
    ['created_from / created_till', () => `created_from: "${sorted('created_at')[40]}"\ncreated_till: "${sorted('created_at')[90]}"`,
      (o) => t(o.created_at) >= t(sorted('created_at')[40]!) && t(o.created_at) <= t(sorted('created_at')[90]!)],
    ['a date alone and a status', () => 'created_from: 2026-09-01\nstatuses: [SHIPPED]', (o) => o.status === 'SHIPPED' && t(o.created_at) >= t('2026-09-01T00:00:00Z')],
  ];
  test.each(cases)('%s', async (name, extra, keep) => {
    const s = await runPipeline(pipeline('import', extra()));
    const got = readNdjson();
    const want = all().filter(keep);
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(all().length);
    expect(new Set(refs(got))).toEqual(new Set(refs(want)));
    expect(got).toHaveLength(want.length);
    expect(s.read).toBe(want.length);
    if (name.startsWith('statuses [PENDING]')) expect(got[0]).toEqual(JSON.parse(JSON.stringify(want[0])));
  });

  test('a bad date is a config error before any request', async () => {
    await expect(runPipeline(pipeline('bad', 'created_from: yesterday'))).rejects.toMatchObject({ code: 'CFG_ORDERS_DATE' });
    expect(sim.requests).toEqual([]);
  });
});

describe('records: lines', () => {
  test('one flat record per line with the order fields and addresses, to ndjson and CSV', async () => {
    const pending = all().filter((o) => o.status === 'PENDING');
    await runPipeline(pipeline('lines', 'statuses: [PENDING]\nrecords: lines'));
    const lines = readNdjson();
    expect(lines).toHaveLength(pending.reduce((n, o) => n + o.products.length, 0));
    const o = pending.find((x) => x.products.length >= 2)!;
    const mine = lines.filter((l) => l.order_reference === o.order_reference);
    expect(mine.map((l) => [l.seller_sku, l.quantity, l.price, l.line_number, l.line_count])).toEqual(
      o.products.map((p, i) => [p.seller_sku, p.quantity, p.price.amount, i + 1, o.products.length]));
    expect(mine[0]).toMatchObject({ status: 'PENDING', created_at: o.created_at, seller_contract_id: C, shipping_city: o.addresses.shipping.city, billing_email: o.addresses.billing.email, currency: 'EUR' });
    expect(Object.keys(mine[0]!)).toEqual([...LINE_COLUMNS]);

    const s = await runPipeline(pipeline('lines-csv', 'statuses: [PENDING]\nrecords: lines', 'type: csv\noutput: lines.csv'));
    const csv = readFileSync(join(dir, 'lines.csv'), 'utf8').trim().split(/\r?\n/);
    expect(csv[0]).toBe(LINE_COLUMNS.join(','));
    expect(csv).toHaveLength(lines.length + 1);
    expect(s.outputs).toEqual([join(dir, 'lines.csv')]);
  });
});

describe('incremental', () => {
  const cursor = () => cursorValue(stateOf(dir), `inc.manomano-orders.local.${C}`) as { status_updated_at: string } | undefined;

  test('the second run gets only the orders whose status changed since; plan and --limit never advance the cursor', async () => {
    const file = pipeline('inc', 'incremental: true\nstatuses: [PENDING, PREPARATION, SHIPPED, REFUSED]');
    const first = await runPipeline(file);
    expect(first.read).toBe(all().filter((o) => ['PENDING', 'PREPARATION', 'SHIPPED', 'REFUSED'].includes(o.status)).length);
    expect(cursor()!.status_updated_at).toBe([...all()].sort((a, b) => t(b.status_updated_at) - t(a.status_updated_at))[0]!.status_updated_at);

    const again = await runPipeline(file);
    expect(again.read).toBe(0);

    const [p1, p2] = all().filter((o) => o.status === 'PENDING');
    const waiting = all().find((o) => o.status === 'WAITING_PAYMENT')!;
    sim.state.apply('accept', C, p1!.order_reference, sim.state.tick());
    sim.state.apply('refuse', C, p2!.order_reference, sim.state.tick());
    sim.state.setStatus(C, waiting.order_reference, 'REMORSE_PERIOD'); // changed, but not in `statuses`
    const saved = cursor();

    const plan = await runPipeline(file, { plan: true });
    expect(plan.read).toBe(2);
    expect(cursor()).toEqual(saved);
    const limited = await runPipeline(file, { limit: 1 });
    expect(limited.limited).toBe(true);
    expect(cursor()).toEqual(saved);

    const third = await runPipeline(file);
    expect(third.read).toBe(2);
    expect(refs(readNdjson()).sort()).toEqual([p1!.order_reference, p2!.order_reference].sort());
    expect(readNdjson().map((o) => o.status).sort()).toEqual(['PREPARATION', 'REFUSED']);
    expect((await runPipeline(file)).read).toBe(0);
    // --full ignores the cursor: the same orders as the first run (statuses changed within the filter).
    expect((await runPipeline(file, { full: true })).read).toBe(first.read);
  });

  test('a run whose destination fails does not advance the cursor: the next run reads the same orders', async () => {
    const file = pipeline('inc', 'incremental: true\nstatuses: [PENDING]');
    mkdirSync(join(dir, 'out.ndjson')); // the output path is a directory: committing the file fails
    await expect(runPipeline(file)).rejects.toBeTruthy();
    expect(cursor()).toBeUndefined();
    rmSync(join(dir, 'out.ndjson'), { recursive: true });
    const s = await runPipeline(file);
    expect(s.read).toBe(all().filter((o) => o.status === 'PENDING').length);
    expect(cursor()).toBeDefined();
  });

  test('without incremental no cursor is written', async () => {
    await runPipeline(pipeline('inc', 'statuses: [PENDING]'));
    expect(cursor()).toBeUndefined();
  });
});

describe('incremental import to CSV', () => {
  test('a run with no new order writes the header of the mapped attributes, not an empty file', async () => {
    const text = `version: 1\nname: inc-csv\nsource:\n${ordersSource(sim, 'incremental: true').split('\n').map((l) => `  ${l}`).join('\n')}\n`
      + 'mapping:\n  attributes:\n    order: order_reference\n    status: status\ndestination:\n  type: csv\n  output: out.csv\n';
    const file = join(dir, 'inc-csv.yaml');
    writeFileSync(file, text);
    expect((await runPipeline(file)).read).toBeGreaterThan(0);
    const again = await runPipeline(file);
    expect(again.read).toBe(0);
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('order,status\n');
  });
});
