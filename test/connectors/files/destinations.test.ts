// The csv, json and ndjson destinations: round trips through the matching source, atomic commit
// and discard, the `output` override, and records that cannot be written.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import csvDestination from '../../../engine/connectors/destinations/csv/index.js';
import jsonDestination from '../../../engine/connectors/destinations/json/index.js';
import ndjsonDestination from '../../../engine/connectors/destinations/ndjson/index.js';
import csvSource from '../../../engine/connectors/sources/csv/index.js';
import jsonSource from '../../../engine/connectors/sources/json/index.js';
import ndjsonSource from '../../../engine/connectors/sources/ndjson/index.js';
import type { DestinationDefinition, OutputItem, Row, SourceDefinition } from '../../../engine/runtime/types.js';
import { makeContext, readAll, tempDir } from './context.js';

let dir = '';
let cleanup = async () => undefined as void;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const items = (records: Row[]): OutputItem[] => records.map((record, index) => ({ record, position: { index, line: index + 2 } }));

const tricky: Row[] = [
  { sku: 'A1', title: 'Bolt; M8, "zinc"', description: 'Line one\nLine two\r\nLine three', price: '59,99' },
  { sku: 'Ö2', title: 'Münsterländer 3” — ’quoted’', description: '', price: '.5' },
  { sku: 'A3', title: '  spaces  ', description: '""', price: '0' },
];

interface Format { name: string; dest: DestinationDefinition; source: SourceDefinition; file: string }
const formats: Format[] = [
  { name: 'csv', dest: csvDestination, source: csvSource, file: 'out.csv' },
  { name: 'json', dest: jsonDestination, source: jsonSource, file: 'out.json' },
  { name: 'ndjson', dest: ndjsonDestination, source: ndjsonSource, file: 'out.ndjson' },
];

async function write(f: Format, records: Row[], config: Record<string, unknown> = {}, batches = 2) {
  const ctx = makeContext(dir);
  const dest = await f.dest.create({ type: f.name, output: `sub/${f.file}`, ...config }, ctx);
  const all = items(records);
  const size = Math.ceil(all.length / batches) || 1;
  for (let k = 0; k < all.length; k += size) await dest.write(all.slice(k, k + size));
  return { ctx, dest };
}

describe.each(formats)('$name destination', (f) => {
  it('round-trips through the matching source', async () => {
    const { dest } = await write(f, tricky);
    expect(await dest.close(true)).toEqual({ outputs: [join(dir, 'sub', f.file)] });
    const back = await readAll(await f.source.create({ type: f.name, path: `sub/${f.file}` }, makeContext(dir)));
    expect(back.map((i) => (i.ok ? i.record : i.error.code))).toEqual(tricky);
    expect(await readdir(join(dir, 'sub'))).toEqual([f.file]);
  });

  it('close(false) leaves no file and no temporary file', async () => {
    const { dest } = await write(f, tricky);
    expect(await dest.close(false)).toEqual({ outputs: [] });
    expect(await readdir(join(dir, 'sub'))).toEqual([]);
  });

  it('an existing output stays untouched until commit', async () => {
    const target = join(dir, 'sub', f.file);
    await mkdir(join(dir, 'sub'));
    await writeFile(target, 'previous run');
    const { dest } = await write(f, []);
    await dest.write(items(tricky));
    expect(await readFile(target, 'utf8')).toBe('previous run');
    await dest.close(false);
    expect(await readFile(target, 'utf8')).toBe('previous run');
    expect(await readdir(join(dir, 'sub'))).toEqual([f.file]);
    const second = (await write(f, tricky)).dest;
    expect(await readFile(target, 'utf8')).toBe('previous run');
    await second.close(true);
    expect(await readFile(target, 'utf8')).not.toBe('previous run');
  });

  it('a failed run that wrote nothing creates nothing', async () => {
    const { dest } = await write(f, []);
    await dest.close(false);
    expect(existsSync(join(dir, 'sub'))).toBe(false);
  });

  it('ctx.options.output overrides `output`', async () => {
    const ctx = makeContext(dir, { output: join(dir, 'other', f.file) });
    const dest = await f.dest.create({ type: f.name, output: f.file }, ctx);
    await dest.write(items(tricky));
    expect((await dest.close(true)).outputs).toEqual([join(dir, 'other', f.file)]);
    expect(existsSync(join(dir, f.file))).toBe(false);
  });

  it('rejects a record it cannot serialise, writes the others', async () => {
    const { ctx, dest } = await write(f, []);
    const res = await dest.write(items([{ sku: 'A', n: 1 }, { sku: 'B', big: { n: 10n } }, { sku: 'C', n: 3 }]));
    expect(res).toEqual({ written: 2, rejected: 1 });
    expect(ctx.rejects).toEqual([expect.objectContaining({ stage: 'destination', index: 1, line: 3, code: expect.stringMatching(/_UNWRITABLE_VALUE$/) })]);
    await dest.close(true);
  });
});

describe('exact output text', () => {
  it.each([
    ['json', jsonDestination, [{ a: 1 }, { b: 'x' }], '[\n{"a":1},\n{"b":"x"}\n]\n'],
    ['json', jsonDestination, [], '[]\n'],
    ['ndjson', ndjsonDestination, [{ a: 1 }, { b: 'x' }], '{"a":1}\n{"b":"x"}\n'],
    ['ndjson', ndjsonDestination, [], ''],
    ['csv', csvDestination, [{ a: 1, b: { c: [1, 2] } }, { a: null, b: 'x,y' }], 'a,b\n1,"{""c"":[1,2]}"\n,"x,y"\n'],
    ['csv', csvDestination, [], ''],
  ] as const)('%s %j', async (type, def, records, text) => {
    const dest = await (def as DestinationDefinition).create({ type, output: 'o' }, makeContext(dir));
    await dest.write(items([...records]));
    await dest.close(true);
    expect(await readFile(join(dir, 'o'), 'utf8')).toBe(text);
  });

  it('csv: explicit columns, delimiter, BOM, no header; keys outside the columns are warned about once', async () => {
    const ctx = makeContext(dir);
    const dest = await csvDestination.create({ type: 'csv', output: 'o.csv', columns: ['sku', 'price'], delimiter: ';', bom: true, header: false }, ctx);
    await dest.write(items([{ price: '9,5', sku: 'A', extra: 1 }, { sku: 'B', extra: 2 }]));
    expect(await dest.close(true)).toMatchObject({ details: { droppedKeys: ['extra'] } });
    expect(await readFile(join(dir, 'o.csv'), 'utf8')).toBe('\uFEFFA;9,5\nB;\n');
    expect(ctx.warnings).toHaveLength(1);
    expect(ctx.warnings[0]).toContain('"extra"');
  });

  it('csv: default columns are the union of the first batch; later new keys are dropped with a warning', async () => {
    const ctx = makeContext(dir);
    const dest = await csvDestination.create({ type: 'csv', output: 'o.csv' }, ctx);
    await dest.write(items([{ a: 1 }, { b: 2, a: 3 }]));
    await dest.write(items([{ c: 4, a: 5 }]));
    await dest.close(true);
    expect(await readFile(join(dir, 'o.csv'), 'utf8')).toBe('a,b\n1,\n3,2\n5,\n');
    expect(ctx.warnings).toEqual([expect.stringContaining('"c"')]);
  });

  it('csv: columns with zero records still give a header', async () => {
    const dest = await csvDestination.create({ type: 'csv', output: 'o.csv', columns: ['sku', 'title'] }, makeContext(dir));
    await dest.close(true);
    expect(await readFile(join(dir, 'o.csv'), 'utf8')).toBe('sku,title\n');
  });
});
