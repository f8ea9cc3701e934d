/**
 * `source.group_by` on real CSV files: consecutive rows of one key become one record with its
 * `rows`, whatever the reader's chunk boundaries; rows without a key join the group before them;
 * a key that comes back after its group ended stops the run, naming it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../engine/runtime/run.js';
import { parseCsvText } from '../../engine/runtime/csv-parse.js';
import { runCli } from '../helpers/cli.js';
import { prng } from '../helpers/prng.js';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'manoflow-group-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const pipeline = (groupBy: string, extra = '') => `version: 1
name: grouped
source: { type: csv, path: export.csv, group_by: ${groupBy} }
mapping:
  attributes:
    handle: Handle
    title: Title
    rows: $count(rows)
    images: $join(rows.Image, "|")
${extra}
destination: { type: csv, output: out.csv }
`;

function outRows(path: string): string[][] {
  return parseCsvText(readFileSync(path, 'utf8'), { delimiter: ',' }).slice(1).map((r) => r.fields);
}

describe('group_by', () => {
  it('groups consecutive rows across the reader\'s chunk boundaries, exactly as written', async () => {
    const random = prng(20261205);
    const expected: string[][] = [];
    let csv = 'Handle,Title,Image,Description\n';
    let rows = 0;
    for (let g = 0; g < 900; g++) {
      const n = 1 + Math.floor(random() * 6);
      const images: string[] = [];
      for (let i = 0; i < n; i++) {
        const image = `https://cdn.example.com/p${g}/${i}.jpg`;
        images.push(image);
        // long cells, so groups straddle the 64 KiB parse chunks and 256 KiB reads
        csv += `p${g},${i === 0 ? `Produit ${g}` : ''},${image},"${'ligne de description, '.repeat(8 + Math.floor(random() * 20))}"\n`;
        rows++;
      }
      expected.push([`p${g}`, `Produit ${g}`, String(n), images.join('|')]);
    }
    expect(csv.length).toBeGreaterThan(4 * 256 * 1024);
    const dir = workspace({ 'export.csv': csv, 'p.yaml': pipeline('Handle') });
    const s = await runPipeline(join(dir, 'p.yaml'));
    expect(s).toMatchObject({ read: 900, rows, written: 900, rejected: 0 });
    expect(outRows(join(dir, 'out.csv'))).toEqual(expected);
  });

  it('a row without a key joins the group before it; several columns or an expression make the key', async () => {
    const csv = 'Handle,Title,Image\nA,Alpha,a1\n,,a2\nB,Beta,b1\nb,,b2\n';
    const dir = workspace({ 'export.csv': csv, 'p.yaml': pipeline('Handle'), 'q.yaml': pipeline('{ expr: "$uppercase(Handle)" }') });
    await runPipeline(join(dir, 'p.yaml'));
    expect(outRows(join(dir, 'out.csv'))).toEqual([['A', 'Alpha', '2', 'a1|a2'], ['B', 'Beta', '1', 'b1'], ['b', '', '1', 'b2']]);
    await runPipeline(join(dir, 'q.yaml'));
    expect(outRows(join(dir, 'out.csv'))).toEqual([['A', 'Alpha', '2', 'a1|a2'], ['B', 'Beta', '2', 'b1|b2']]);
  });

  it('a malformed row is rejected where it stands and the group goes on', async () => {
    const csv = 'Handle,Title,Image\nA,Alpha,a1\nA,"broken,a2\nA,,a3\nB,Beta,b1\n';
    const dir = workspace({ 'export.csv': csv, 'p.yaml': pipeline('Handle') });
    const s = await runPipeline(join(dir, 'p.yaml'), { force: true });
    expect(s.rejected).toBe(1);
    expect(s.written + s.rejected + s.filtered).toBe(s.read);
  });

  it('rows of one key that are not consecutive stop the run, naming the key and the line (CLI exit 3)', async () => {
    const csv = 'Handle,Title,Image\nA,Alpha,a1\nB,Beta,b1\nA,,a2\n';
    const dir = workspace({ 'export.csv': csv, 'p.yaml': pipeline('Handle'), 'out.csv': 'previous\n' });
    const r = await runCli(['run', join(dir, 'p.yaml')]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('GROUP_NOT_CONSECUTIVE source group_by Handle: the rows of "A" are not consecutive (line 4 comes after its group ended)');
    expect(r.stdout).toContain('hint:  sort the export by Handle');
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('previous\n');
  });

  it('an empty source gives no group', async () => {
    const dir = workspace({ 'export.csv': 'Handle,Title,Image\n', 'p.yaml': pipeline('Handle') });
    const s = await runPipeline(join(dir, 'p.yaml'));
    expect(s).toMatchObject({ read: 0, rows: 0, written: 0 });
  });
});
