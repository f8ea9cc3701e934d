// csv source `trailing_delimiter`: rows ending with one extra, empty field (a delimiter at the end
// of some lines, as PrestaShop-style exports write) are read under `allow`, and the ragged-row hint
// names the setting when that is the row's only problem (test/fixtures/catalogs/edge/trailing-delimiter-rows.csv).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import csvSource from '../../../engine/connectors/sources/csv/index.js';
import { readCsvHeaderSync } from '../../../engine/connectors/sources/csv/header.js';
import type { CsvSourceConfig } from '../../../engine/types/generated/pipeline.js';
import type { SourceItem } from '../../../engine/runtime/types.js';
import { makeContext, readAll, tempDir } from './context.js';

const EDGE = join(import.meta.dirname, '../../fixtures/catalogs/edge');

describe('csv source: trailing_delimiter', () => {
  let dir = '';
  let cleanup = async () => undefined as void;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  const read = async (file: string, config: Partial<CsvSourceConfig>): Promise<SourceItem[]> => {
    await copyFile(join(EDGE, file), join(dir, file));
    return readAll(await csvSource.create({ type: 'csv', path: file, delimiter: ';', ...config }, makeContext(dir)));
  };
  const summary = (items: SourceItem[]) => items.map((i) => (i.ok ? { line: i.position.line, name: i.record['Name *'], keys: Object.keys(i.record).length }
    : { line: i.position.line, code: i.error.code, hint: i.error.hint }));

  it('by default a row with one extra empty last field is rejected, and the hint names the setting', async () => {
    expect(summary(await read('trailing-delimiter-rows.csv', {}))).toEqual([
      { line: 2, code: 'CSV_RAGGED_ROW', hint: 'line 2 ends with a ";" (one extra, empty field): set trailing_delimiter: allow on the source to read such rows' },
      { line: 3, name: 'iPod shuffle', keys: 8 },
      { line: 4, code: 'CSV_RAGGED_ROW', hint: 'line 4 ends with a ";" (one extra, empty field): set trailing_delimiter: allow on the source to read such rows' },
      // a non-empty extra field, or two extra fields, is another problem: the hint stays on quoting
      { line: 5, code: 'CSV_RAGGED_ROW', hint: 'check line 5 for an unquoted ";" inside a value, or a missing cell; cells holding the delimiter must be quoted' },
      { line: 6, code: 'CSV_RAGGED_ROW', hint: 'check line 6 for an unquoted ";" inside a value, or a missing cell; cells holding the delimiter must be quoted' },
    ]);
  });

  it('allow reads the rows with and without the trailing delimiter alike', async () => {
    const items = await read('trailing-delimiter-rows.csv', { trailing_delimiter: 'allow' });
    expect(summary(items)).toEqual([
      { line: 2, name: 'iPod Nano', keys: 8 },
      { line: 3, name: 'iPod shuffle', keys: 8 },
      { line: 4, name: 'MacBook Air', keys: 8 },
      { line: 5, code: 'CSV_RAGGED_ROW', hint: 'check line 5 for an unquoted ";" inside a value, or a missing cell; cells holding the delimiter must be quoted' },
      { line: 6, code: 'CSV_RAGGED_ROW', hint: 'check line 6 for an unquoted ";" inside a value, or a missing cell; cells holding the delimiter must be quoted' },
    ]);
    expect(items[0]!.ok && items[0]!.record).toEqual({
      'Product ID': '1', 'Active (0/1)': '1', 'Name *': 'iPod Nano', 'Categories (x,y,z...)': 'iPods', 'Price tax excluded': '100',
      'Reference #': 'RP-demo_1', EAN13: '1234567890123', Summary: '<p>New design.</p>',
    });
  });

  it('allow drops an empty last header name too, and validate sees the same columns', async () => {
    const items = await read('trailing-delimiter-header.csv', { trailing_delimiter: 'allow' });
    expect(items.map((i) => i.ok && i.record)).toEqual([{ sku: 'A', name: 'x' }, { sku: 'B', name: 'y' }]);
    expect(readCsvHeaderSync(join(dir, 'trailing-delimiter-header.csv'), { delimiter: ';', trailing_delimiter: 'allow' })).toEqual(['sku', 'name']);
    expect(readCsvHeaderSync(join(dir, 'trailing-delimiter-header.csv'), { delimiter: ';' })).toEqual(['sku', 'name', 'col_3']);
  });

  it('allow changes nothing where every record ends with the delimiter because the last column is empty (the PrestaShop sample)', async () => {
    const plain = await read('trailing-delimiter.csv', {});
    const allowed = await read('trailing-delimiter.csv', { trailing_delimiter: 'allow' });
    expect(allowed).toEqual(plain);
    expect(plain.every((i) => i.ok)).toBe(true);
  });

  it('a last field of spaces counts as empty only under trim', async () => {
    await writeFile(join(dir, 'spaces.csv'), 'sku;name\nA;x; \nB;y\n');
    const ctx = makeContext(dir);
    const untrimmed = await readAll(await csvSource.create({ type: 'csv', path: 'spaces.csv', delimiter: ';', trailing_delimiter: 'allow' }, ctx));
    expect(untrimmed.map((i) => i.ok)).toEqual([false, true]);
    const trimmed = await readAll(await csvSource.create({ type: 'csv', path: 'spaces.csv', delimiter: ';', trailing_delimiter: 'allow', trim: true }, ctx));
    expect(trimmed.map((i) => i.ok && i.record)).toEqual([{ sku: 'A', name: 'x' }, { sku: 'B', name: 'y' }]);
  });
});
