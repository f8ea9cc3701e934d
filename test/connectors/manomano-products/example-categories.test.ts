/**
 * examples/product-creation/catalog-with-categories.yaml end to end: the reviewed lookup of
 * category suggestions, the feed checked against the simulator's tree, and its reject report with
 * the category problems (golden: example-categories.rejects.expected.csv, UPDATE_GOLDEN=1 rewrites
 * it). With mapping workers the feed and report are the same bytes (the workers read the cached tree).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../../engine/runtime/run.js';
import { loadPipeline } from '../../../engine/config/load.js';
import { validatePipeline } from '../../../engine/config/validate.js';
import definition from '../../../engine/connectors/destinations/manomano-products/index.js';
import { repoRoot } from '../../helpers/cli.js';

const example = join(repoRoot, 'examples/product-creation/catalog-with-categories.yaml');
const dir = mkdtempSync(join(tmpdir(), 'mf-example-categories-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/product-creation/catalog-with-categories.yaml', () => {
  it('writes the feed and reports the category problems (golden reject report)', async () => {
    const output = join(dir, 'feed.csv');
    const s = await runPipeline(example, { output });
    expect([s.read, s.written, s.rejected, s.filtered]).toEqual([300, 192, 96, 12]);
    expect(s.rejectsByCode).toMatchObject({ MM_ATTRIBUTE_REQUIRED: 47, MM_ATTRIBUTE_VALUE: 33 });
    const report = readFileSync(s.rejectReport, 'utf8');
    const golden = join(__dirname, 'example-categories.rejects.expected.csv');
    if (process.env.UPDATE_GOLDEN || !existsSync(golden)) writeFileSync(golden, report);
    expect(report).toBe(readFileSync(golden, 'utf8'));
    expect(report).toContain('did you mean ""Noir""?');

    const parallel = join(dir, 'feed-workers.csv');
    const w = await runPipeline(example, { output: parallel, workers: 2 });
    expect(readFileSync(parallel, 'utf8')).toBe(readFileSync(output, 'utf8'));
    expect(readFileSync(w.rejectReport, 'utf8')).toBe(report);
  });

  it('validates without a warning: every mandatory attribute of the data\'s categories is mapped', async () => {
    const p = loadPipeline(example);
    // the example writes to the shared examples/out/: outside its own folder, which validate notes (docs/safety.md)
    expect(validatePipeline(p).filter((d) => d.code !== 'CFG_OUTPUT_OUTSIDE_PIPELINE_DIR')).toEqual([]);
    expect(await definition.lint!(p)).toEqual([]);
  });

  it('validate names a mandatory attribute the mapping drops, with the categories that need it', async () => {
    const p = loadPipeline(example);
    const attrs = (p.config.mapping as { attributes: Record<string, unknown> }).attributes;
    delete attrs.volume;
    const found = await definition.lint!(p);
    expect(found.map((d) => [d.code, d.severity, d.pointer])).toEqual([['CFG_CATEGORY_ATTRIBUTE_UNMAPPED', 'warning', '/mapping/attributes']]);
    expect(found[0]!.message).toBe('"volume" is mandatory in 2 categories of the data (136077 Peintures bois satinées, 188392 Peintures murales mates; 33 of the first 300 records) but the mapping does not produce it');
  });
});
