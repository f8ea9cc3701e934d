/**
 * Pipes: `--output -` writes the feed to stdout (logs and summary on stderr), and a source with
 * `path: "-"` reads stdin, for csv, json and ndjson: `export.sh | manoflow run p.yaml -o - | gzip`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'manoflow-stdio-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const pipeline = (name: string, source: string, destination: string) => {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, `version: 1\nname: ${name}\nsource: ${source}\nmapping:\n  attributes:\n    sku: ref\n    price: $number(price)\ndestination: ${destination}\n`);
  return file;
};

describe('stdin and stdout', () => {
  it('csv from stdin to stdout: the feed alone on stdout, the summary on stderr', async () => {
    const file = pipeline('csv-pipe', '{ type: csv, path: "-", delimiter: ";" }', '{ type: csv, output: out/feed.csv }');
    const r = await runCli(['run', file, '--output', '-'], { input: 'ref;price\nA1;10.5\nA2;3\nA3;7\n' });
    expect(r.stdout).toBe('sku,price\nA1,10.5\nA2,3\nA3,7\n');
    expect(r.stderr).toMatch(/^csv-pipe: done: read 3, written 3, rejected 0, filtered 0 in [\d.]+s\n  output:  \(stdout\)\n  rejects: /);
    expect(r.code).toBe(0);
    // Nothing written where the pipeline's own output is.
    expect(existsSync(join(tmp, 'out'))).toBe(false);
  });

  it('/dev/stdin in a shell pipe: validate no longer consumes the header; output "-" in the pipeline keeps stdout for the feed', async () => {
    // A shell pipe, as a user has it (node's own child stdio is a socket, which /dev/stdin cannot open).
    const file = pipeline('csv-devstdin', '{ type: csv, path: /dev/stdin, delimiter: ";" }', '{ type: ndjson, output: "-" }');
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile('sh', ['-c', `printf 'ref;price\\nA1;10.5\\n' | "${process.execPath}" "${bin}" run "${file}"`], (err, stdout, stderr) => resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, stdout, stderr }));
    });
    expect(r.stdout).toBe('{"sku":"A1","price":10.5}\n');
    expect(r.stderr).toContain('csv-devstdin: done: read 1, written 1');
    expect(r.code).toBe(0);
  });

  it('json and ndjson sources read stdin too; --json summary goes to stderr with --output -', async () => {
    const json = pipeline('json-pipe', '{ type: json, path: "-" }', '{ type: ndjson, output: x.ndjson }');
    const a = await runCli(['run', json, '-o', '-', '--json'], { input: '[{"ref":"A1","price":"2"},{"ref":"A2","price":"3"}]' });
    expect(a.stdout).toBe('{"sku":"A1","price":2}\n{"sku":"A2","price":3}\n');
    expect(JSON.parse(a.stderr)).toMatchObject({ read: 2, written: 2, outputs: ['-'] });
    const ndjson = pipeline('ndjson-pipe', '{ type: ndjson, path: "-" }', '{ type: json, output: x.json }');
    const b = await runCli(['run', ndjson, '-o', '-', '--quiet'], { input: '{"ref":"B1","price":1}\n' });
    expect(JSON.parse(b.stdout)).toEqual([{ sku: 'B1', price: 1 }]);
    expect(b.stderr).toBe('');
  });

  it('a run that fails writes nothing to stdout', async () => {
    const file = pipeline('fails', '{ type: csv, path: "-" }', '{ type: csv, output: x.csv }');
    // every record is rejected: the run keeps "the previous output", so stdout stays empty
    const r = await runCli(['run', file, '-o', '-'], { input: 'ref,price\n"A1\n' });
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('RUN_NOTHING_WRITTEN');
    expect(r.code).toBe(3);
  });
});
