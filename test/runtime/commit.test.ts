/**
 * What a run leaves on disk: a feed and the reject report beside it always come from the same run
 * (a failed run's report goes to `.failed.csv`); `mode: append` adds to a file atomically;
 * `if_empty: skip` writes nothing for a run with no record.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../engine/runtime/run.js';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'manoflow-commit-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const pipeline = (destination: string) => `version: 1
name: commit
source: { type: csv, path: in.csv }
mapping:
  attributes:
    sku: ref
    price: $number(price)
destination: { type: csv, output: out.csv${destination} }
`;

describe('a feed and its reject report', () => {
  it('a run stopped by a guard keeps both files of the previous run; its own report goes to .failed.csv', async () => {
    const dir = workspace({ 'in.csv': 'ref,price\nA,1\nB,x\n', 'p.yaml': pipeline('') });
    await runPipeline(join(dir, 'p.yaml'));
    const feed = readFileSync(join(dir, 'out.csv'), 'utf8');
    const report = readFileSync(join(dir, 'out.rejects.csv'), 'utf8');
    expect(report.trim().split('\n')).toHaveLength(2); // the header and B's reject

    writeFileSync(join(dir, 'in.csv'), 'ref,price\nC,y\nD,z\n');
    const failed = await runPipeline(join(dir, 'p.yaml')).catch((err) => err);
    expect(failed.code).toBe('RUN_NOTHING_WRITTEN');
    expect(failed.summary.rejectReport).toBe(join(dir, 'out.rejects.failed.csv'));
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe(feed);
    expect(readFileSync(join(dir, 'out.rejects.csv'), 'utf8')).toBe(report);
    expect(readFileSync(join(dir, 'out.rejects.failed.csv'), 'utf8').trim().split('\n')).toHaveLength(3); // C and D

    writeFileSync(join(dir, 'in.csv'), 'ref,price\nE,2\n');
    const ok = await runPipeline(join(dir, 'p.yaml'));
    expect(ok.rejectReport).toBe(join(dir, 'out.rejects.csv'));
    expect(existsSync(join(dir, 'out.rejects.failed.csv'))).toBe(false);
  });
});

describe('mode: append', () => {
  it('adds each run\'s records after the file\'s, with one header', async () => {
    const dir = workspace({ 'in.csv': 'ref,price\nA,1\n', 'p.yaml': pipeline(', mode: append') });
    await runPipeline(join(dir, 'p.yaml'));
    writeFileSync(join(dir, 'in.csv'), 'ref,price\nB,2\nC,3\n');
    await runPipeline(join(dir, 'p.yaml'));
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('sku,price\nA,1\nB,2\nC,3\n');
  });

  it('a file without a final newline gets one; a file with other columns is refused and kept', async () => {
    const dir = workspace({ 'in.csv': 'ref,price\nB,2\n', 'p.yaml': pipeline(', mode: append'), 'out.csv': 'sku,price\nA,1' });
    await runPipeline(join(dir, 'p.yaml'));
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('sku,price\nA,1\nB,2\n');
    writeFileSync(join(dir, 'out.csv'), 'id,amount\nZ,9\n');
    const err = await runPipeline(join(dir, 'p.yaml')).catch((e) => e);
    expect(err.code).toBe('DEST_APPEND_COLUMNS');
    expect(err.hint).toContain('the file has "id,amount"');
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('id,amount\nZ,9\n');
  });

  it('ndjson appends lines', async () => {
    const dir = workspace({
      'in.csv': 'ref,price\nA,1\n',
      'p.yaml': pipeline('').replace('{ type: csv, output: out.csv }', '{ type: ndjson, output: out.ndjson, mode: append }'),
    });
    await runPipeline(join(dir, 'p.yaml'));
    await runPipeline(join(dir, 'p.yaml'));
    expect(readFileSync(join(dir, 'out.ndjson'), 'utf8')).toBe('{"sku":"A","price":1}\n{"sku":"A","price":1}\n');
  });
});

describe('if_empty', () => {
  it('skip: a run with no record writes no file; write (the default): a header-only file', async () => {
    const dir = workspace({ 'in.csv': 'ref,price\n', 'p.yaml': pipeline(', if_empty: skip'), 'q.yaml': pipeline('').replace('out.csv', 'q.csv') });
    const s = await runPipeline(join(dir, 'p.yaml'));
    expect(s.outputs).toEqual([]);
    expect(existsSync(join(dir, 'out.csv'))).toBe(false);
    await runPipeline(join(dir, 'q.yaml'));
    expect(readFileSync(join(dir, 'q.csv'), 'utf8')).toBe('sku,price\n');
  });
});
