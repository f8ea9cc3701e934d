/**
 * The runner end to end on real files: every record accounted for (read = written + rejected +
 * filtered), the feed holds exactly the written records, the reject report names every rejected
 * one, and a failed run leaves the previous feed untouched.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../engine/runtime/run.js';
import { parseCsvText } from '../../engine/runtime/csv-parse.js';
import { repoRoot, runCli } from '../helpers/cli.js';

function exampleCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'manoflow-run-'));
  cpSync(join(repoRoot, 'examples/product-creation'), join(dir, 'product-creation'), { recursive: true });
  cpSync(join(repoRoot, 'examples/data'), join(dir, 'data'), { recursive: true });
  return dir;
}

describe('runPipeline on the bundled example', () => {
  it('accounts for every record, in the summary, the feed and the reject report', async () => {
    const dir = exampleCopy();
    const s = await runPipeline(join(dir, 'product-creation/catalog-to-manomano.yaml'));
    expect(s.ok).toBe(true);
    expect(s.read).toBe(300);
    expect(s.read).toBe(s.written + s.rejected + s.filtered);
    expect(s.rejected).toBeGreaterThan(0);
    expect(s.filtered).toBeGreaterThan(0);
    const feed = parseCsvText(readFileSync(join(dir, 'out/manomano-fr.csv'), 'utf8'), { delimiter: ';' });
    expect(feed.length - 1).toBe(s.written);
    const rows = parseCsvText(readFileSync(s.rejectReport, 'utf8'), { delimiter: ',' }).slice(1);
    const rejects = rows.filter((r) => r.fields[0] === 'error');
    expect(rows.length - rejects.length).toBe(s.warnings);
    const rejectedIndexes = new Set(rejects.map((r) => r.fields[2]));
    expect(rejectedIndexes.size).toBe(s.rejected);
    const written = new Set(feed.slice(1).map((r) => r.fields[0]));
    for (const r of rejects) {
      // a rejected record is never in the feed (duplicates keep their first, written, copy)
      if (r.fields[6] !== 'MM_DUPLICATE_SKU' && r.fields[6] !== 'MM_DUPLICATE_MANUFACTURER_REF') expect(written.has(r.fields[4]!)).toBe(false);
    }
    expect(Object.values(s.rejectsByCode).reduce((a, b) => a + b, 0)).toBe(rejects.length);
  });

  it('stops at --limit and says so', async () => {
    const dir = exampleCopy();
    const s = await runPipeline(join(dir, 'product-creation/catalog-to-manomano.yaml'), { limit: 20, output: join(dir, 'sample.csv') });
    expect(s.read).toBe(20);
    expect(s.limited).toBe(true);
    expect(s.read).toBe(s.written + s.rejected + s.filtered);
  });

  it('never replaces the feed with a --limit sample, an empty export or a filter that drops everything', async () => {
    const dir = exampleCopy();
    const pipeline = join(dir, 'product-creation/catalog-to-manomano.yaml');
    await runPipeline(pipeline);
    const feed = readFileSync(join(dir, 'out/manomano-fr.csv'), 'utf8');
    await expect(runPipeline(pipeline, { limit: 10 })).rejects.toMatchObject({ code: 'RUN_LIMITED_FEED' });
    const catalog = readFileSync(join(dir, 'data/catalog.csv'), 'utf8');
    writeFileSync(join(dir, 'data/catalog.csv'), catalog.split('\n')[0] + '\n');
    await expect(runPipeline(pipeline)).rejects.toMatchObject({ code: 'RUN_NOTHING_WRITTEN', summary: { read: 0 } });
    writeFileSync(join(dir, 'data/catalog.csv'), catalog);
    writeFileSync(pipeline, readFileSync(pipeline, 'utf8').replace('filter: stock != "0"', 'filter: stock = "nope"'));
    await expect(runPipeline(pipeline)).rejects.toMatchObject({ code: 'RUN_NOTHING_WRITTEN', summary: { filtered: 300 } });
    expect(readFileSync(join(dir, 'out/manomano-fr.csv'), 'utf8')).toBe(feed);
    expect((await runPipeline(pipeline, { force: true })).written).toBe(0);
  });

  it('leaves the previous feed untouched when a run fails, and no temporary file behind', async () => {
    const dir = exampleCopy();
    const pipeline = join(dir, 'product-creation/catalog-to-manomano.yaml');
    await runPipeline(pipeline);
    const before = readFileSync(join(dir, 'out/manomano-fr.csv'), 'utf8');
    // The same header twice makes the source fail as a whole (a fatal error, not a bad row).
    const csv = readFileSync(join(dir, 'data/catalog.csv'), 'utf8').split('\n');
    writeFileSync(join(dir, 'data/catalog.csv'), [csv[0]!.replace('marque', 'reference'), ...csv.slice(1)].join('\n'));
    await expect(runPipeline(pipeline)).rejects.toMatchObject({ code: 'CSV_DUPLICATE_HEADER' });
    expect(readFileSync(join(dir, 'out/manomano-fr.csv'), 'utf8')).toBe(before);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('manoflow run (CLI)', () => {
  it('prints the summary and exits 1 when records were rejected', async () => {
    const dir = exampleCopy();
    const r = await runCli(['run', join(dir, 'product-creation/catalog-to-manomano.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^fr-product-creation-example: done: read 300, written \d+, rejected \d+, filtered \d+ in /);
    expect(r.stdout).toContain('rejects:');
  });

  it('--allow-rejects still reports rejects but exits 0 (the example script uses it)', async () => {
    const dir = exampleCopy();
    const r = await runCli(['run', '--allow-rejects', join(dir, 'product-creation/catalog-to-manomano.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rejected [1-9]\d*/);
  });

  it('--json gives the same summary as the library', async () => {
    const dir = exampleCopy();
    const r = await runCli(['run', '--json', join(dir, 'product-creation/catalog-to-manomano.yaml')]);
    const s = JSON.parse(r.stdout);
    expect(s.read).toBe(s.written + s.rejected + s.filtered);
    expect(s.outputs).toEqual([join(dir, 'out/manomano-fr.csv')]);
  });

  it('exits 2 with diagnostics on an invalid pipeline and runs nothing', async () => {
    const r = await runCli(['run', 'test/config/fixtures/broken.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CFG_UNKNOWN_FIELD');
    expect(r.stdout).toBe('');
  });
});
