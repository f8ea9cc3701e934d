/**
 * The fast path changes speed, never output: the benchmark's reference pipeline (25 attributes,
 * nine kinds of rule box) over a generated 2,000-row catalogue gives byte-identical feeds and
 * reject reports with the fast path on and off (`fastPath: false` runs the stock interpreter).
 * Correctness only: no timing is measured or asserted here (see bench/).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPipeline } from '../../engine/config/load.js';
import { runPipeline } from '../../engine/runtime/run.js';
import { repoRoot } from '../helpers/cli.js';
import { generateCatalog } from '../../bench/generate-catalog.mjs';

const dir = mkdtempSync(join(tmpdir(), 'manoflow-perf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(fastPath: boolean) {
  const p = loadPipeline(join(dir, 'reference-pipeline.yaml'));
  (p.config.source as { path: string }).path = join(dir, 'catalog.csv');
  const output = join(dir, fastPath ? 'fast.csv' : 'stock.csv');
  const summary = await runPipeline(p, { output, fastPath });
  return { summary, feed: readFileSync(output, 'utf8'), rejects: readFileSync(summary.rejectReport, 'utf8') };
}

describe('fast path vs stock interpreter, reference pipeline', () => {
  it('writes byte-identical feeds and reject reports on a generated 2k-row catalogue', async () => {
    cpSync(join(repoRoot, 'bench/reference-pipeline.yaml'), join(dir, 'reference-pipeline.yaml'));
    cpSync(join(repoRoot, 'bench/lookups'), join(dir, 'lookups'), { recursive: true });
    await generateCatalog(2000, join(dir, 'catalog.csv'));
    const fast = await run(true);
    const stock = await run(false);
    expect(fast.summary.read).toBe(2000);
    expect(fast.summary.written + fast.summary.rejected).toBe(2000);
    // the generator plants bad check digits, unmapped categories and retail prices below the price
    expect(Object.keys(fast.summary.rejectsByCode).sort()).toEqual(['MM_CATEGORY_REQUIRED', 'MM_EAN_INVALID', 'MM_RETAIL_NOT_ABOVE_PRICE']);
    expect(fast.feed.split('\n').length - 2).toBe(fast.summary.written);
    expect(fast.feed).toBe(stock.feed);
    expect(fast.rejects).toBe(stock.rejects);
    expect(fast.summary.rejectsByCode).toEqual(stock.summary.rejectsByCode);
  }, 300_000);
});
