// The feed file itself: header, column order, number format, delimiter, BOM, atomicity, counts.
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { gs1CheckDigitValid } from '../../../engine/connectors/destinations/manomano-products/index.js';
import { feed, good, harness, items } from './helpers.js';

const read = (h: { dir: string }, name = 'out/feed.csv') => readFile(join(h.dir, name), 'utf8');

describe('GS1 check digit', () => {
  it.each([
    ['4006381333931', true], // EAN-13
    ['036000291452', true], // UPC-12
    ['10012345678902', true], // ITF-14
    ['96385074', true], // EAN-8
    ['4006381333932', false],
    ['036000291453', false],
    ['10012345678901', false],
    ['40063813339a1', false],
  ])('%s → %s', (code, valid) => expect(gs1CheckDigitValid(code)).toBe(valid));
});

describe('manomano-products feed file', () => {
  it('writes the header once, in ManoMano template order, then extra attributes in mapping order', async () => {
    const h = await harness();
    const dest = await feed(h);
    const r1 = { zz_custom: 'x', quantity: 3, title: 'T', sku: 'A', ...good, colour_name: 'Bleu' };
    await dest.write(items([{ ...r1, sku: 'A' }]));
    await dest.write(items([{ ...r1, sku: 'B', ean: '036000291452' }], 1));
    const res = await dest.close(true);
    const lines = (await read(h)).trimEnd().split('\n');
    expect(lines[0]).toBe('sku;ean;brand;mm_category_id;title;description;image_1;colour_name;'
      + 'product_price_vat_inc;quantity;carrier;shipping_time;shipping_price_vat_inc;zz_custom');
    expect(lines).toHaveLength(3);
    expect(res).toEqual({ outputs: [join(h.dir, 'out/feed.csv')], details: { written: 2, rejected: 0 } });
  });

  it('follows an explicit `columns` list, and only it', async () => {
    const h = await harness();
    const dest = await feed(h, { columns: ['title', 'sku', 'weight'] });
    await dest.write(items([good]));
    await dest.close(true);
    expect(await read(h)).toBe('title;sku;weight\nPerceuse visseuse 18V;SKU-1;\n');
    expect(h.warnings).toEqual([]);
  });

  it('warns once about an attribute that first appears after the header', async () => {
    const h = await harness();
    const dest = await feed(h);
    await dest.write(items([good]));
    await dest.write(items([{ ...good, sku: 'B', ean: '036000291452', colour: 'Rouge' }, { ...good, sku: 'C', ean: '10012345678902', colour: 'Vert' }], 1));
    await dest.close(true);
    expect(h.warnings.filter((w) => w.includes('"colour"'))).toHaveLength(1);
    expect(await read(h)).not.toContain('Rouge');
  });

  it('writes numbers with a decimal comma, without float noise, prices rounded to cents', async () => {
    const h = await harness();
    const dest = await feed(h, { decimal_separator: ',', columns: ['sku', 'product_price_vat_inc', 'retail_price_vat_inc', 'DisplayWeight', 'quantity', 'shipping_price_vat_inc'] });
    await dest.write(items([{ ...good, product_price_vat_inc: 83.50000001, retail_price_vat_inc: '99.999', DisplayWeight: 0.1 + 0.2, quantity: '7' }]));
    await dest.write(items([{ ...good, sku: 'B', ean: '036000291452', product_price_vat_inc: '1,005', shipping_price_vat_inc: '4.9' }], 1));
    await dest.close(true);
    expect(await read(h)).toBe('sku;product_price_vat_inc;retail_price_vat_inc;DisplayWeight;quantity;shipping_price_vat_inc\n'
      + 'SKU-1;83,5;100;0,3;7;0\nB;1,01;;;5;4,9\n');
  });

  it('writes a decimal point by default, trims text and joins multi-values with #', async () => {
    const h = await harness();
    const dest = await feed(h, { columns: ['sku', 'ean', 'brand', 'product_price_vat_inc'] });
    await dest.write(items([{ ...good, sku: '  SKU-9 ', ean: ['4006381333931', '036000291452'], brand: ' Bosch', product_price_vat_inc: '12,50' }]));
    await dest.close(true);
    expect(await read(h)).toBe('sku;ean;brand;product_price_vat_inc\nSKU-9;4006381333931#036000291452;Bosch;12.5\n');
  });

  it('uses the configured delimiter and quotes cells holding it (a comma delimiter with decimal comma)', async () => {
    const h = await harness();
    const dest = await feed(h, { delimiter: ',', decimal_separator: ',', columns: ['sku', 'title', 'product_price_vat_inc'] });
    await dest.write(items([{ ...good, title: 'Scie "pro", 18V', product_price_vat_inc: 19.9 }]));
    await dest.close(true);
    const text = await read(h);
    expect(text).toBe('sku,title,product_price_vat_inc\nSKU-1,"Scie ""pro"", 18V","19,9"\n');
    expect(parse(text, { columns: true })).toEqual([{ sku: 'SKU-1', title: 'Scie "pro", 18V', product_price_vat_inc: '19,9' }]);
    expect(h.warnings.join()).toContain('numbers will be quoted');
  });

  it('keeps UTF-8 text (accents, emojis, HTML) intact, with a tab delimiter and a BOM when asked', async () => {
    const h = await harness();
    const dest = await feed(h, { delimiter: '\t', bom: true, columns: ['sku', 'title', 'description'] });
    await dest.write(items([{ ...good, title: 'Tondeuse électrique 🌿', description: '<ul><li>Lame 42 cm</li></ul>\nGaranti 2 ans' }]));
    await dest.close(true);
    const raw = await readFile(join(h.dir, 'out/feed.csv'));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(raw.toString('utf8').slice(1), { delimiter: '\t', columns: true }) as Record<string, string>[];
    expect(rows[0]?.title).toBe('Tondeuse électrique 🌿');
    expect(rows[0]?.description).toBe('<ul><li>Lame 42 cm</li></ul>\nGaranti 2 ans');
  });

  it('rejects a sku already written in an earlier batch, and counts records not problems', async () => {
    const h = await harness();
    const dest = await feed(h);
    expect(await dest.write(items([good, { ...good, sku: 'SKU-2', ean: '036000291452' }]))).toEqual({ written: 2, rejected: 0 });
    const bad = { ...good, ean: '10012345678902', quantity: -1, image_1: 'nope' };
    expect(await dest.write(items([good, { ...good, sku: 'SKU-2', ean: '10012345678902' }, bad], 2))).toEqual({ written: 0, rejected: 3 });
    const res = await dest.close(true);
    expect(res.details).toEqual({ written: 2, rejected: 3 });
    expect(h.rejects.map((r) => [r.index, r.id, r.code])).toEqual([
      [2, 'SKU-1', 'MM_DUPLICATE_SKU'], [3, 'SKU-2', 'MM_DUPLICATE_SKU'],
      [4, 'SKU-1', 'MM_IMAGE_URL'], [4, 'SKU-1', 'MM_QUANTITY_INVALID'], [4, 'SKU-1', 'MM_DUPLICATE_SKU'],
    ]);
    expect((await read(h)).trimEnd().split('\n')).toHaveLength(3);
  });

  it('writes nothing until close(true): the previous feed stays in place, then is replaced', async () => {
    const h = await harness();
    await mkdir(join(h.dir, 'out'));
    await writeFile(join(h.dir, 'out/feed.csv'), 'previous feed\n');
    const dest = await feed(h);
    await dest.write(items([good]));
    expect(await read(h)).toBe('previous feed\n');
    await dest.close(true);
    expect(await read(h)).toMatch(/^sku;ean;/);
    expect((await readdir(join(h.dir, 'out'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('close(false) discards the new feed and leaves the previous one untouched', async () => {
    const h = await harness();
    await mkdir(join(h.dir, 'out'));
    await writeFile(join(h.dir, 'out/feed.csv'), 'previous feed\n');
    const dest = await feed(h);
    await dest.write(items([good]));
    const res = await dest.close(false);
    expect(res.outputs).toEqual([]);
    expect(await read(h)).toBe('previous feed\n');
    expect(await readdir(join(h.dir, 'out'))).toEqual(['feed.csv']);
  });

  it('writes a header-only feed when no record arrived', async () => {
    const h = await harness();
    const dest = await feed(h);
    await dest.close(true);
    expect(await read(h)).toBe('sku;ean;sku_manufacturer;brand;mm_category_id;title;description;image_1;'
      + 'product_price_vat_inc;quantity;carrier;shipping_time;shipping_price_vat_inc\n');
  });

  it('honours the run option `output` (through ctx.resolvePath) and plan mode', async () => {
    const h = await harness();
    const override = join(h.dir, 'elsewhere/override.csv');
    const dest = await feed({ ...h, ctx: { ...h.ctx, options: { output: override } } });
    await dest.write(items([good]));
    expect((await dest.close(true)).outputs).toEqual([override]);
    expect(existsSync(join(h.dir, 'out/feed.csv'))).toBe(false);

    const p = await harness({ plan: true });
    const planned = await feed(p);
    expect(await planned.write(items([good, { ...good, quantity: -1 }]))).toEqual({ written: 1, rejected: 1 });
    expect(await planned.close(true)).toEqual({ outputs: [], details: { written: 1, rejected: 1, plan: true } });
    expect(existsSync(join(p.dir, 'out'))).toBe(false);
  });
});
