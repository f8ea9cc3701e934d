/**
 * The incremental orders import hands files to an ERP: each run writes its own file
 * (`{run_id}` in the path), a run with nothing new writes none (`if_empty: skip`), and no file of
 * an earlier run is ever replaced, so orders the ERP has not picked up yet are never lost.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../../engine/manomano/simulator/index.js';
import { runPipeline } from '../../../engine/runtime/run.js';
import { C, ordersSource, tempDir } from '../order-actions/helpers.js';

let sim: Simulator;
let dir: string;
beforeEach(async () => {
  sim = await startSimulator({ port: 0 });
  dir = tempDir('mf-per-run-');
});
afterEach(async () => {
  await sim.close();
});

test('one file per run, none when nothing is new, earlier files untouched', async () => {
  const source = ordersSource(sim, 'incremental: true\nstatuses: [PENDING, PREPARATION]\nrecords: lines').split('\n').map((l) => `  ${l}`).join('\n');
  const file = join(dir, 'import.yaml');
  writeFileSync(file, `version: 1\nname: import\nsource:\n${source}\ndestination:\n  type: csv\n  output: out/lines-{run_id}.csv\n  if_empty: skip\n  delimiter: ";"\n`);
  const files = () => readdirSync(join(dir, 'out')).filter((f) => f.startsWith('lines-') && !f.endsWith('.rejects.csv')).sort();
  const reports = () => readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.rejects.csv'));

  const first = await runPipeline(file);
  expect(first.written).toBeGreaterThan(0);
  expect(files()).toHaveLength(1);
  expect(first.outputs[0]).toBe(join(dir, 'out', files()[0]!));
  const firstText = readFileSync(first.outputs[0]!, 'utf8');

  const nothingNew = await runPipeline(file);
  expect(nothingNew).toMatchObject({ read: 0, written: 0, outputs: [] });
  expect(files()).toHaveLength(1);
  expect(reports()).toHaveLength(1); // nor an empty reject report

  const pending = sim.state.listOrders(C).find((o) => o.status === 'PENDING')!;
  sim.state.apply('accept', C, pending.order_reference, sim.state.tick());
  const third = await runPipeline(file);
  expect(third.read).toBe(pending.products.length);
  expect(files()).toHaveLength(2);
  expect(readFileSync(third.outputs[0]!, 'utf8')).toContain(pending.order_reference);
  expect(readFileSync(first.outputs[0]!, 'utf8')).toBe(firstText);
});
