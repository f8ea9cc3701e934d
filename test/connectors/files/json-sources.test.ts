// The json and ndjson sources on real files in a temp dir.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import jsonSource from '../../../engine/connectors/sources/json/index.js';
import ndjsonSource from '../../../engine/connectors/sources/ndjson/index.js';
import { makeContext, readAll, tempDir } from './context.js';

let dir = '';
let cleanup = async () => undefined as void;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const shape = (items: Awaited<ReturnType<typeof readAll>>) =>
  items.map((i) => (i.ok ? { ...i.position, record: i.record } : { ...i.position, code: i.error.code }));

describe('json source', () => {
  const read = async (text: string, config: Record<string, unknown> = {}) => {
    await writeFile(join(dir, 'in.json'), text);
    return readAll(await jsonSource.create({ type: 'json', path: 'in.json', ...config }, makeContext(dir)));
  };

  it('reads a top-level array (BOM stripped), rejecting non-objects', async () => {
    const items = await read('\uFEFF[{"sku":"A","n":1},42,{"sku":"B","tags":["x"]},null,[1]]', { id_field: 'sku' });
    expect(shape(items)).toEqual([
      { index: 0, id: 'A', record: { sku: 'A', n: 1 } },
      { index: 1, code: 'JSON_NOT_OBJECT' },
      { index: 2, id: 'B', record: { sku: 'B', tags: ['x'] } },
      { index: 3, code: 'JSON_NOT_OBJECT' },
      { index: 4, code: 'JSON_NOT_OBJECT' },
    ]);
  });

  it('follows `items` into the document', async () => {
    const items = await read('{"data":{"products":[{"sku":"A"},{"sku":"B"}]}}', { items: 'data.products' });
    expect(shape(items)).toEqual([{ index: 0, record: { sku: 'A' } }, { index: 1, record: { sku: 'B' } }]);
  });

  it('an empty array gives zero records', async () => {
    expect(await read('[]')).toEqual([]);
  });

  it.each([
    ['{"data":{"products":[]}}', {}, 'JSON_NOT_ARRAY', /items/],
    ['{"data":{"products":[]}}', { items: 'data.items' }, 'JSON_ITEMS_NOT_FOUND', /products/],
    ['{"data":{"products":{"a":1}}}', { items: 'data.products' }, 'JSON_NOT_ARRAY', /items/],
    ['[{"a":1},', {}, 'JSON_PARSE_ERROR', /ndjson/],
    ['', {}, 'JSON_PARSE_ERROR', /ndjson/],
  ])('%s %j → fatal %s', async (text, config, code, hint) => {
    await expect(read(text, config)).rejects.toMatchObject({ code, hint: expect.stringMatching(hint) });
  });

  it('a missing file is a fatal FILE_NOT_FOUND', async () => {
    await expect(readAll(await jsonSource.create({ type: 'json', path: 'nope.json' }, makeContext(dir)))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});

describe('ndjson source', () => {
  const read = async (text: string) => {
    await writeFile(join(dir, 'in.ndjson'), text);
    return readAll(await ndjsonSource.create({ type: 'ndjson', path: 'in.ndjson', id_field: 'ref' }, makeContext(dir)));
  };

  it('reads one object per line, skips blank lines, rejects bad lines with their line number', async () => {
    const text = '\uFEFF{"ref":"O1","q":1}\r\n\n{"ref":"O2"\n  \n[1,2]\n"x"\n{"ref":"O3","name":"Münster"}';
    expect(shape(await read(text))).toEqual([
      { index: 0, line: 1, id: 'O1', record: { ref: 'O1', q: 1 } },
      { index: 1, line: 3, code: 'JSON_PARSE_ERROR' },
      { index: 2, line: 5, code: 'JSON_NOT_OBJECT' },
      { index: 3, line: 6, code: 'JSON_NOT_OBJECT' },
      { index: 4, line: 7, id: 'O3', record: { ref: 'O3', name: 'Münster' } },
    ]);
  });

  it('an empty file gives zero records', async () => {
    expect(await read('')).toEqual([]);
  });

  it('streams a file larger than one chunk, lines intact', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ ref: `O${i}`, text: `Größe ${'€'.repeat(i % 5)}` }));
    const items = await read(lines.join('\n') + '\n');
    expect(items).toHaveLength(5000);
    expect(items.every((it, i) => it.ok && it.position.line === i + 1 && it.record.text === `Größe ${'€'.repeat(i % 5)}`)).toBe(true);
  });
});
