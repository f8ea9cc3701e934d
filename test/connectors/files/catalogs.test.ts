// The csv source on four real shop exports (test/fixtures/catalogs/, copies of ../shared).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFile, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import csvSource from '../../../engine/connectors/sources/csv/index.js';
import type { Row, SourceItem } from '../../../engine/runtime/types.js';
import { makeContext, readAll, tempDir } from './context.js';

const LOCAL = join(import.meta.dirname, '../../fixtures/catalogs');
const SHARED = join(import.meta.dirname, '../../../../shared/fixtures/catalogs');

interface Catalogue { file: string; delimiter: string; records: number; columns: number; first: string; check: (rows: Row[]) => void }

const catalogues: Catalogue[] = [
  { file: 'woocommerce_sample_products.csv', delimiter: ',', records: 25, columns: 51, first: 'ID', check: (rows) => {
    expect(rows.filter((r) => r.Type === 'simple, downloadable, virtual')).toHaveLength(2);
    expect(rows.filter((r) => r.Type === 'variation').map((r) => r.Parent)).toEqual(expect.arrayContaining(['woo-vneck-tee', 'woo-hoodie']));
    expect(rows.map((r) => r.SKU)).toEqual(expect.arrayContaining(['Woo-tshirt-logo', 'Woo-beanie-logo']));
    expect(Object.keys(rows[0]!)).toContain('Is featured?');
  } },
  { file: 'prestashop_products_import.csv', delimiter: ';', records: 7, columns: 67, first: 'Product ID', check: (rows) => {
    expect(new Set(rows.map((r) => r.EAN13))).toEqual(new Set(['1234567890123']));
    expect(rows.every((r) => r['Acessories  (x,y,z...)'] === '')).toBe(true);
    expect(rows.some((r) => String(r.Summary).includes('<p>'))).toBe(true);
  } },
  { file: 'shopware5_article_prices_de.csv', delimiter: ';', records: 98, columns: 9, first: 'ordernumber', check: (rows) => {
    expect(rows[0]).toMatchObject({ ordernumber: 'SW10002.1', price: '59,99', _name: 'Münsterländer Lagerkorn 32%', _additionaltext: '1,5 Liter' });
    expect(rows.filter((r) => /^\d+,\d+$/.test(String(r.price)))).toHaveLength(90);
  } },
  { file: 'orocommerce_demo_products.csv', delimiter: ',', records: 63, columns: 17, first: 'sku', check: (rows) => {
    expect(rows.filter((r) => String(r.information).includes('\n'))).toHaveLength(60);
    expect(rows.filter((r) => String(r.specifications).includes('\n'))).toHaveLength(44);
    expect(rows.some((r) => String(r.specifications).includes('”'))).toBe(true);
  } },
];

const newlinesIn = (r: Row) => Object.values(r).reduce<number>((n, v) => n + (String(v).match(/\n/g)?.length ?? 0), 0);

describe('csv source: real shop catalogues', () => {
  let dir = '';
  let cleanup = async () => undefined as void;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  describe.each(catalogues)('$file', (c) => {
    const read = async (delimiter: string): Promise<SourceItem[]> => {
      await copyFile(join(LOCAL, c.file), join(dir, c.file));
      return readAll(await csvSource.create({ type: 'csv', path: c.file, delimiter }, makeContext(dir)));
    };

    it(`reads ${c.records} records × ${c.columns} columns, first column ${c.first}`, async () => {
      const items = await read(c.delimiter);
      expect(items.filter((i) => !i.ok)).toEqual([]);
      const rows = items.flatMap((i) => (i.ok ? [i.record] : []));
      expect(rows).toHaveLength(c.records);
      for (const r of rows) expect(Object.keys(r)).toHaveLength(c.columns);
      expect(Object.keys(rows[0]!)[0]).toBe(c.first);
      c.check(rows);
      // Each record starts on the line after the previous record's last line.
      let line = 2;
      for (const item of items) {
        expect(item.position.line).toBe(line);
        if (item.ok) line += 1 + newlinesIn(item.record);
      }
    });

    it('gives the same records with delimiter: auto', async () => {
      expect(await read('auto')).toEqual(await read(c.delimiter));
    });

    it.skipIf(!existsSync(SHARED))('is identical to ../shared (skipped when ../shared is absent)', async () => {
      expect(Buffer.compare(await readFile(join(LOCAL, c.file)), await readFile(join(SHARED, c.file)))).toBe(0);
    });
  });
});
