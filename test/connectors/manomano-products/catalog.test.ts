// The bundled example catalogue through the destination: its deliberate defects (examples/data/README.md)
// come out as exactly the documented rejects, and everything else is written.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../../engine/runtime/types.js';
import { feed, harness, items } from './helpers.js';

const root = join(import.meta.dirname, '../../..');
const rows = parse(readFileSync(join(root, 'examples/data/catalog.csv')), { columns: true, delimiter: ';' }) as Record<string, string>[];
const categories = JSON.parse(readFileSync(join(root, 'examples/data/category-map.json'), 'utf8')) as Record<string, number>;

/** What the example pipeline's mapping does, written in TypeScript. */
function map(r: Record<string, string>): Row {
  const ht = /^-?\d+(,\d+)?$/.test(r.prix_ht ?? '') ? Number(r.prix_ht!.replace(',', '.')) : undefined;
  const images = (r.image_urls ?? '').split(',').filter(Boolean);
  return {
    sku: r.reference, ean: r.ean13, sku_manufacturer: r.reference_fabricant, brand: r.marque, title: r.nom,
    description: r.description_html, merchant_category: r.categorie, mm_category_id: categories[r.categorie ?? ''],
    ...Object.fromEntries(images.slice(0, 5).map((url, i) => [`image_${i + 1}`, url])),
    ParentSKU: r.parent_reference,
    product_price_vat_inc: ht === undefined ? r.prix_ht : Math.round(ht * (1 + Number(r.taux_tva) / 100) * 100) / 100,
    retail_price_vat_inc: r.prix_barre_ttc, quantity: r.stock, weight: r.poids_kg, weight_unit: 'kg',
    eco_participation: r.eco_participation, carrier: r.transporteur,
    shipping_time: (r.delai_livraison ?? '').replace('-', '#'), shipping_price_vat_inc: r.frais_port_ttc,
  };
}

describe('examples/data/catalog.csv through manomano-products', () => {
  it('has 300 rows and a ManoMano category for every shop category', () => {
    expect(rows).toHaveLength(300);
    expect([...new Set(rows.map((r) => r.categorie))].filter((c) => categories[c ?? ''] === undefined)).toEqual([]);
  });

  it('rejects exactly the documented defects', async () => {
    const h = await harness();
    const dest = await feed(h, { checks: { title_max_length: 150 } });
    const mapped = rows.map(map);
    for (let i = 0; i < mapped.length; i += 64) await dest.write(items(mapped.slice(i, i + 64), i));
    const res = await dest.close(true);
    const byCode: Record<string, number> = {};
    for (const r of h.rejects) byCode[r.code] = (byCode[r.code] ?? 0) + 1;
    expect(byCode).toEqual({
      MM_EAN_OR_MANUFACTURER: 6, MM_EAN_INVALID: 4, MM_REQUIRED: 2, MM_PRICE_NOT_POSITIVE: 3,
      MM_RETAIL_NOT_ABOVE_PRICE: 2, MM_TITLE_TOO_LONG: 4, MM_DUPLICATE_SKU: 2, MM_DUPLICATE_MANUFACTURER_REF: 1,
    });
    expect(res.details).toEqual({ written: 277, rejected: 23 });
    const text = await readFile(join(h.dir, 'out/feed.csv'), 'utf8');
    const feedRows = parse(text, { columns: true, delimiter: ';' }) as Record<string, string>[];
    expect(feedRows).toHaveLength(277);
    expect(feedRows.filter((r) => r.quantity === '0')).toHaveLength(12);
    expect(feedRows.some((r) => r.title?.includes('🔥'))).toBe(true);
  });
});

describe('examples/data/generate-catalog.mjs', () => {
  it('regenerates the committed catalog.csv byte for byte', async () => {
    const { execFileSync } = await import('node:child_process');
    const h = await harness();
    const out = join(h.dir, 'catalog.csv');
    const printed = execFileSync(process.execPath, [join(root, 'examples/data/generate-catalog.mjs'), out], { encoding: 'utf8' });
    expect(printed).toContain('300 rows');
    expect(await readFile(out, 'utf8')).toBe(readFileSync(join(root, 'examples/data/catalog.csv'), 'utf8'));
  });
});
