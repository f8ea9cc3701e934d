/**
 * Ctrl-C during a run: exit 130, the previous output untouched, no temporary file left behind;
 * and a temporary file left by a killed run (kill -9) is removed by the next run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin } from '../helpers/cli.js';
import { runPipeline } from '../../engine/runtime/run.js';

function bigCatalog(dir: string, rows: number): void {
  const lines = ['ref,name,price'];
  for (let i = 0; i < rows; i++) lines.push(`R${i},"Produit ${i}, grand modèle",${(i % 97) + 0.5}`);
  writeFileSync(join(dir, 'in.csv'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'p.yaml'), 'version: 1\nname: big\nsource: { type: csv, path: in.csv }\nmapping:\n  attributes:\n    sku: ref\n    title: $uppercase(name)\n    price: $number(price) * 1.2\ndestination: { type: csv, output: out/feed.csv }\n');
}

const temps = (dir: string, prefix = '.') => (existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')).filter((f) => f.startsWith(prefix) && f.endsWith('.tmp')) : []);

describe('interruptions', () => {
  it('Ctrl-C stops the run: exit 130, previous feed and reject report kept, no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-int-'));
    writeFileSync(join(dir, 'in.csv'), 'ref,name,price\nA,a,1\n');
    bigCatalog(dir, 1);
    await runPipeline(join(dir, 'p.yaml'));
    const before = readFileSync(join(dir, 'out/feed.csv'), 'utf8');
    const rejectsBefore = readFileSync(join(dir, 'out/feed.rejects.csv'), 'utf8');
    bigCatalog(dir, 400_000);
    const child = spawn(process.execPath, [bin, 'run', join(dir, 'p.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // the feed's temporary file appears with the first written batch (the reject report's comes first)
    const deadline = Date.now() + 20_000;
    while (temps(dir, '.feed.csv.').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(temps(dir, '.feed.csv.').length).toBe(1); // the run is writing
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(130);
    expect(stderr).toContain('stopping: no more records are read and no file is committed');
    expect(readFileSync(join(dir, 'out/feed.csv'), 'utf8')).toBe(before);
    // the report beside the feed is still the feed's own: the stopped run's goes to .failed.csv
    expect(readFileSync(join(dir, 'out/feed.rejects.csv'), 'utf8')).toBe(rejectsBefore);
    expect(temps(dir)).toEqual([]);
  });

  it('a temporary file of a killed process is removed by the next run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-int-'));
    bigCatalog(dir, 3);
    await runPipeline(join(dir, 'p.yaml'));
    // pid 2^22 + 1 is above Linux's pid_max default: no such process.
    writeFileSync(join(dir, 'out', '.feed.csv.4194305.1700000000000.tmp'), 'half a feed');
    await runPipeline(join(dir, 'p.yaml'));
    expect(temps(dir)).toEqual([]);
  });
});
