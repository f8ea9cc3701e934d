/**
 * Ctrl-C during a run: exit 130, the previous output untouched, no temporary file left behind;
 * and a temporary file left by a killed run (kill -9) is removed by the next run. No step depends
 * on how fast the machine is: the run reads a named pipe the test feeds (issue 11 item 15).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** NDJSON lines for records [from, to). */
function jsonRows(from: number, to: number): string {
  let text = '';
  for (let i = from; i < to; i++) text += `${JSON.stringify({ ref: `R${i}`, name: `Produit ${i}` })}\n`;
  return text;
}

/** Resolves once `done()` holds, polling; a generous bound only stops a hung test (it never passes one). */
async function until(done: () => boolean, context: () => string): Promise<void> {
  for (let i = 0; i < 6000 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!done()) throw new Error(`condition not reached; stderr so far:\n${context()}`);
}

const temps = (dir: string) => (existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.tmp')) : []);

describe('interruptions', () => {
  it('Ctrl-C stops the run: exit 130, previous feed and reject report kept, no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-int-'));
    // The source is a named pipe this test writes (ndjson: only the source opens it), so the run
    // cannot finish before the signal, and each step waits for an event (the feed's temporary
    // file, the "stopping" line), never for a duration.
    const pipeline = join(dir, 'p.yaml');
    writeFileSync(pipeline, 'version: 1\nname: fifo\nsource: { type: ndjson, path: in.ndjson }\nmapping:\n  attributes:\n    sku: ref\n    title: $uppercase(name)\ndestination: { type: csv, output: out/feed.csv }\n');
    writeFileSync(join(dir, 'in.ndjson'), jsonRows(0, 1));
    await runPipeline(pipeline);
    const before = readFileSync(join(dir, 'out/feed.csv'), 'utf8');
    const rejectsBefore = readFileSync(join(dir, 'out/feed.rejects.csv'), 'utf8');
    rmSync(join(dir, 'in.ndjson'));
    execFileSync('mkfifo', [join(dir, 'in.ndjson')]);
    const child = spawn(process.execPath, [bin, 'run', pipeline], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const closed = new Promise<number | null>((r) => child.on('close', r));
    const source = createWriteStream(join(dir, 'in.ndjson'));
    source.write(jsonRows(0, 2000)); // four batches: the feed's temporary file is open
    await until(() => temps(dir).some((f) => f.startsWith('.feed.csv.')), () => stderr);
    child.kill('SIGINT');
    await until(() => stderr.includes('stopping: no more records are read and no file is committed'), () => stderr);
    source.end(jsonRows(2000, 2100)); // the next record read sees the stop
    expect(await closed).toBe(130);
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
