// The variants workload's data (npm run bench -- --workload variants): a catalogue of variant rows
// grouped by product (one to seven rows each, four on average) and a parent table (one row per
// product, texts in fr/de/es/it), written streaming, seeded, identical on every machine.
//   node bench/variants/generate.mjs [rows]     → bench/data/variants-<rows>.csv, bench/data/variants-parents-<rows>.csv
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng, withCheckDigit } from '../../examples/data/random.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = join(here, '..', 'data');
const CATEGORIES = Object.keys(JSON.parse(readFileSync(join(here, '..', 'lookups', 'categories.json'), 'utf8')));
const NAMES = [
  ['Perceuse visseuse', 'Akku-Bohrschrauber', 'Taladro atornillador', 'Trapano avvitatore'],
  ['Scie circulaire', 'Handkreissäge', 'Sierra circular', 'Sega circolare'],
  ['Tondeuse thermique', 'Benzin-Rasenmäher', 'Cortacésped', 'Tosaerba'],
  ['Mitigeur de cuisine', 'Küchenarmatur', 'Grifo de cocina', 'Miscelatore'],
  ['Plafonnier LED', 'LED-Deckenleuchte', 'Plafón LED', 'Plafoniera LED'],
];
const TEXT = ['<p>Qualité <strong>professionnelle</strong>, garantie 2 ans.</p><ul><li>Livré en coffret</li></ul>',
  '<p>Profi-Qualität, <strong>2 Jahre</strong> Garantie.</p><ul><li>Im Koffer geliefert</li></ul>',
  '<p>Calidad <strong>profesional</strong>, garantía de 2 años.</p><ul><li>Entregado en maletín</li></ul>',
  '<p>Qualità <strong>professionale</strong>, garanzia 2 anni.</p><ul><li>Fornito in valigetta</li></ul>'];
const BRANDS = ['Bosch', 'Makita', 'DeWalt', 'Stanley', 'Gardena', 'Grohe', 'Philips'];
const COLOURS = ['rouge', 'bleu', 'vert', 'noir', 'blanc', 'gris'];
const SIZES = ['S', 'M', 'L', 'XL', '30 cm', '45 cm'];

export function variantsPaths(rows) {
  return { catalog: join(DATA, `variants-${rows}.csv`), parents: join(DATA, `variants-parents-${rows}.csv`) };
}

async function write(stream, text) {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** Writes both files for about `rows` variant rows; returns their paths and the product count. */
export async function generateVariants(rows) {
  const paths = variantsPaths(rows);
  mkdirSync(DATA, { recursive: true });
  const rand = prng(20261206);
  const catalog = createWriteStream(paths.catalog, { encoding: 'utf8' });
  const parents = createWriteStream(paths.parents, { encoding: 'utf8' });
  await write(catalog, 'product_id;variant_sku;colour;size;price_ht;stock;ean;image\n');
  await write(parents, 'product_id;brand;category;name_fr;name_de;name_es;name_it;description_fr;description_de;description_es;description_it\n');
  let written = 0;
  let products = 0;
  while (written < rows) {
    const id = `P${String(++products).padStart(7, '0')}`;
    const n = Math.min(rows - written, 1 + Math.floor(rand() * 7));
    const names = NAMES[products % NAMES.length];
    const brand = BRANDS[products % BRANDS.length];
    await write(parents, `${id};${brand};${CATEGORIES[products % CATEGORIES.length]};${names.map((x) => `${x} ${brand}`).join(';')};${TEXT.join(';')}\n`);
    let chunk = '';
    for (let v = 0; v < n; v++) {
      const ean = withCheckDigit(`3${Math.floor(rand() * 8)}${String(written).padStart(10, '0')}`);
      chunk += `${id};${id}-${v + 1};${COLOURS[(products + v) % COLOURS.length]};${SIZES[v % SIZES.length]};${(5 + rand() * 400).toFixed(2)};${Math.floor(rand() * 40)};${ean};https://images.example.com/v/${id}-${v + 1}.jpg\n`;
      written++;
    }
    await write(catalog, chunk);
  }
  catalog.end();
  parents.end();
  await Promise.all([once(catalog, 'close'), once(parents, 'close')]);
  return { ...paths, products };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const { catalog, parents, products } = await generateVariants(rows);
  console.log(`${catalog} (${rows} rows), ${parents} (${products} products)${existsSync(catalog) ? '' : ' MISSING'}`);
}
