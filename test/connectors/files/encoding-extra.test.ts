/**
 * Invalid UTF-8 in an NDJSON source stops the run with a code, instead of turning accents into
 * U+FFFD; a lookup CSV with a row that cannot be read is refused, not half-loaded.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../../engine/runtime/run.js';
import { loadLookupTable } from '../../../engine/runtime/lookups.js';

describe('encodings and lookups', () => {
  it('ndjson: a Windows-1252 byte fails the run with NDJSON_ENCODING', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-enc-'));
    writeFileSync(join(dir, 'in.ndjson'), Buffer.concat([Buffer.from('{"sku":"A1","name":"Scie"}\n{"sku":"A2","name":"Cl'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    writeFileSync(join(dir, 'p.yaml'), 'version: 1\nname: enc\nsource: { type: ndjson, path: in.ndjson }\ndestination: { type: ndjson, output: out.ndjson }\n');
    await expect(runPipeline(join(dir, 'p.yaml'))).rejects.toMatchObject({ code: 'NDJSON_ENCODING' });
  });

  it('a lookup CSV with an unreadable row is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-lookup-'));
    writeFileSync(join(dir, 'map.csv'), 'key,value\nOutillage,10402\n"Jardin,30245\nPeinture,20104\n');
    expect(() => loadLookupTable(join(dir, 'map.csv'))).toThrow(expect.objectContaining({ code: 'CFG_LOOKUP_FILE' }));
  });
});

describe('long quoted cells', () => {
  it('a properly closed cell of 1200 lines is one value, not 1200 records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-long-'));
    const cell = Array.from({ length: 1200 }, (_, i) => `FAKE${i};injected`).join('\n');
    writeFileSync(join(dir, 'in.csv'), `sku;name;n\nA;"${cell}";1\nB;ok;2\n`);
    writeFileSync(join(dir, 'p.yaml'), 'version: 1\nname: long\nsource: { type: csv, path: in.csv, delimiter: ";" }\ndestination: { type: ndjson, output: out.ndjson }\n');
    const s = await runPipeline(join(dir, 'p.yaml'));
    expect([s.read, s.written, s.rejected]).toEqual([2, 2, 0]);
  });
});
