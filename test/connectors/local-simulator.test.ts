/**
 * The simulator a pipeline with `environment: local` starts in-process: by default the examples'
 * world (seed 1, dated 2026-10-01: their CSV files name its orders), and with the connection's
 * `simulator: { now: now }` a world dated today, so "the last 7 days" is not empty.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../engine/runtime/run.js';

const dir = mkdtempSync(join(tmpdir(), 'mf-local-sim-'));

function importPipeline(name: string, simulator: string, createdFrom: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `version: 1
name: ${name}
source:
  type: manomano-orders
  environment: local
  api_key: sandbox-key-0001
  seller_contract_id: 110841
  created_from: "${createdFrom}"
${simulator}destination:
  type: ndjson
  output: ${name}.ndjson
`);
  return file;
}

describe('environment local, in-process simulator', () => {
  const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 19) + 'Z';

  it('is pinned at 2026-10-01 by default: the examples\' orders exist, nothing is from last week', async () => {
    const s = await runPipeline(importPipeline('pinned', '', '2026-08-08T00:00:00Z'));
    const refs = readFileSync(join(dir, 'pinned.ndjson'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { order_reference: string }).order_reference);
    expect(refs).toContain('M20260808100069');
    expect(s.read).toBeGreaterThan(0);
    const week = await runPipeline(importPipeline('pinned-week', '', weekAgo));
    expect(week.read).toBe(0);
  });

  it('simulator: { now: now } dates its orders within the last 60 days: the last week has some', async () => {
    const s = await runPipeline(importPipeline('today', '  simulator: { now: now }\n', weekAgo));
    expect(s.read).toBeGreaterThan(0);
  });

  it('a simulator.now that is not a date fails the run with CFG_SIMULATOR_NOW', async () => {
    await expect(runPipeline(importPipeline('bad', '  simulator: { now: "next tuesday" }\n', weekAgo))).rejects.toMatchObject({ code: 'CFG_SIMULATOR_NOW' });
  });
});
