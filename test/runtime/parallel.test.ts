/**
 * Mapping in worker threads (engine/runtime/parallel) gives the run the main thread would give:
 * the same feed and reject report byte for byte, the same counts, on a catalogue with every kind
 * of reject (unreadable rows, mapping errors, filtered records, feed checks, duplicates) and
 * records that need the stock interpreter; also under --limit and through the CLI.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline, type RunSummary } from '../../engine/runtime/run.js';
import { AUTO_MIN_BYTES, workerCount } from '../../engine/runtime/parallel/index.js';
import { COLUMNS, generateCatalog } from '../../bench/generate-catalog.mjs';
import { repoRoot, runCli } from '../helpers/cli.js';

let dir = '';
let pipeline = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'manoflow-parallel-'));
  cpSync(join(repoRoot, 'bench/lookups'), join(dir, 'lookups'), { recursive: true });
  await generateCatalog(4500, join(dir, 'catalog.csv'));
  // unreadable rows (ragged, stray quote), a weight that is not a number, a duplicate sku
  const row = (values: Record<string, string>) => COLUMNS.map((c: string) => values[c] ?? '').join(';');
  const bad = row({ id: '999999', reference: 'ZZZ-BAD-1', ean13: '3000000079195', marque: 'Ryobi', nom: 'Nom', categorie: 'Jardin > Tondeuses', prix_ht: '10,00', stock: '5', poids_kg: 'lourd' });
  appendFileSync(join(dir, 'catalog.csv'), `x;y\n999998;BAD-QUOTE;"7"x;1\n${bad}\n${readFileSync(join(dir, 'catalog.csv'), 'utf8').split('\n')[3]}\n`);
  const reference = readFileSync(join(repoRoot, 'bench/reference-pipeline.yaml'), 'utf8')
    .replace('path: data/catalog-100k.csv', 'path: catalog.csv')
    .replace('mapping:\n', 'filter: $not(marque = "Stanley")\n\nmapping:\n')
    // $sort is outside the fast path: these records go through the stock interpreter (a Promise)
    .replace('    carrier: transporteur\n', '    carrier: $sort([transporteur])[0]\n');
  pipeline = join(dir, 'pipeline.yaml');
  writeFileSync(pipeline, reference);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const counts = (s: RunSummary) => ({ read: s.read, written: s.written, rejected: s.rejected, filtered: s.filtered, limited: s.limited, byCode: s.rejectsByCode });

async function both(options: { limit?: number } = {}) {
  const main = await runPipeline(pipeline, { ...options, output: join(dir, 'main.csv'), workers: 0 });
  const workers = await runPipeline(pipeline, { ...options, output: join(dir, 'workers.csv'), workers: 2 });
  return { main, workers };
}

describe('mapping in workers', () => {
  it('writes the same feed and reject report as the main thread', async () => {
    const { main, workers } = await both();
    expect(counts(workers)).toEqual(counts(main));
    // the fixture exercises every stage
    expect(main.filtered).toBeGreaterThan(0);
    const codes = Object.keys(main.rejectsByCode);
    expect(codes.some((c) => c.startsWith('CSV_'))).toBe(true);
    expect(codes.some((c) => c.startsWith('EXPR_'))).toBe(true);
    expect(codes.some((c) => c.startsWith('MM_DUPLICATE'))).toBe(true);
    expect(readFileSync(join(dir, 'workers.csv'), 'utf8')).toBe(readFileSync(join(dir, 'main.csv'), 'utf8'));
    expect(readFileSync(workers.rejectReport, 'utf8')).toBe(readFileSync(main.rejectReport, 'utf8'));
  }, 120_000);

  it('stops at the same record under a limit', async () => {
    const { main, workers } = await both({ limit: 2345 });
    expect(workers.limited).toBe(true);
    expect(counts(workers)).toEqual(counts(main));
    expect(readFileSync(join(dir, 'workers.csv'), 'utf8')).toBe(readFileSync(join(dir, 'main.csv'), 'utf8'));
  }, 120_000);

  it('is chosen with --workers on the command line, with the same summary', async () => {
    const run = (n: string, out: string) => runCli(['run', pipeline, '--workers', n, '--output', join(dir, out), '--json', '--allow-rejects']);
    const [a, b] = [await run('0', 'cli-0.csv'), await run('2', 'cli-2.csv')];
    expect(b.code).toBe(0);
    const pick = (r: { stdout: string }) => { const s = JSON.parse(r.stdout); return { read: s.read, written: s.written, rejected: s.rejected, filtered: s.filtered }; };
    expect(pick(b)).toEqual(pick(a));
    expect(readFileSync(join(dir, 'cli-2.csv'), 'utf8')).toBe(readFileSync(join(dir, 'cli-0.csv'), 'utf8'));
    const bad = await runCli(['run', pipeline, '--workers', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--workers');
  }, 120_000);
});

describe('how many workers', () => {
  const ctx = { resolvePath: (p: string) => join(dir, p) };
  it('takes a number as given and maps small files in the main thread under auto', () => {
    expect(workerCount(3, { type: 'csv', path: 'catalog.csv' }, ctx)).toBe(3);
    expect(workerCount(0, { type: 'csv', path: 'catalog.csv' }, ctx)).toBe(0);
    expect(workerCount('auto', { type: 'csv', path: 'catalog.csv' }, ctx)).toBe(0);
    expect(workerCount(undefined, { type: 'manomano-orders' }, ctx)).toBe(0);
    expect(workerCount('auto', { type: 'csv', path: 'missing.csv' }, ctx)).toBe(0);
  });
  it('uses idle cores for a large file under auto, and none on a busy machine', () => {
    writeFileSync(join(dir, 'big.csv'), '');
    truncateSync(join(dir, 'big.csv'), AUTO_MIN_BYTES);
    const big = { type: 'csv', path: 'big.csv' };
    expect(workerCount('auto', big, ctx, { cores: 2, load: 0.1 })).toBe(0);
    expect(workerCount('auto', big, ctx, { cores: 4, load: 0.5 })).toBe(3);
    expect(workerCount('auto', big, ctx, { cores: 16, load: 1 })).toBe(4);
    expect(workerCount('auto', big, ctx, { cores: 4, load: 3 })).toBe(0);
    expect(workerCount('auto', { type: 'csv', path: 'catalog.csv' }, ctx, { cores: 16, load: 0 })).toBe(0);
  });
});

describe('a worker that cannot start', () => {
  it('rejects with the worker\'s own error code', async () => {
    const { MappingPool } = await import('../../engine/runtime/parallel/pool.js');
    const text = readFileSync(pipeline, 'utf8');
    // main compiled the mapping; the worker is handed a config naming a rule box that does not exist
    const config = { ...(await import('yaml')).parse(text), mapping: { attributes: { sku: { from: 'reference', rules: ['no_such_rule'] } } } };
    const started = MappingPool.start({ path: pipeline, source: text, config, destinationType: 'manomano-products', exprOptions: {} }, 2);
    await expect(started).rejects.toMatchObject({ code: 'CFG_UNKNOWN_RULE' });
  }, 60_000);
});
