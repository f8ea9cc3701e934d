#!/usr/bin/env node
// Generates the shop exports of examples/catalogues: the layouts real shops export, with the edge
// cases listed in README.md beside this script:
//   shopify-export.csv                                 a product over several rows (Handle), variants and image rows
//   prestashop-products.csv + prestashop-combinations.csv   products and their combinations, two files
//   magento-catalog.csv                                configurables packing their variants, simple products
//   catalog-multilang.csv                              one catalogue, texts in fr/de/es/it, for four markets
// Deterministic: a seeded PRNG, no dependencies, no clock.
// Run: node examples/catalogues/data/generate.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng, withCheckDigit } from '../../data/random.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const rand = prng(20261205);
const int = (min, max) => min + Math.floor(rand() * (max - min + 1));
const pick = (list) => list[Math.floor(rand() * list.length)];
const chance = (p) => rand() < p;

const used = new Set();
function ean13() {
  for (;;) {
    const code = withCheckDigit(`3${int(0, 7)}${String(int(0, 9999999999)).padStart(10, '0')}`);
    if (!used.has(code)) { used.add(code); return code; }
  }
}

/** A CSV cell: quoted when it holds the delimiter, a quote or a line break. */
const cell = (v, d) => {
  const s = v === undefined || v === null ? '' : String(v);
  return s.includes(d) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replaceAll('"', '""')}"` : s;
};
const csv = (rows, d, eol = '\n') => rows.map((r) => r.map((v) => cell(v, d)).join(d)).join(eol) + eol;

// Products in four languages: [fr, de, es, it], a category path (French, as the shop has it), a brand.
const PRODUCTS = [
  [['Perceuse visseuse sans fil', 'Akku-Bohrschrauber', 'Taladro atornillador inalámbrico', 'Trapano avvitatore a batteria'], 'Outillage > Perceuses', ['Bosch', 'Makita', 'DeWalt']],
  [['Scie circulaire', 'Handkreissäge', 'Sierra circular', 'Sega circolare'], 'Outillage > Scies', ['Makita', 'Metabo', 'Bosch']],
  [['Meuleuse d\'angle', 'Winkelschleifer', 'Amoladora angular', 'Smerigliatrice angolare'], 'Outillage > Meuleuses', ['Metabo', 'DeWalt']],
  [['Marteau de charpentier', 'Zimmermannshammer', 'Martillo de carpintero', 'Martello da carpentiere'], 'Outillage à main > Marteaux', ['Stanley', 'Facom']],
  [['Jeu de tournevis', 'Schraubendreher-Satz', 'Juego de destornilladores', 'Set di cacciaviti'], 'Outillage à main > Tournevis', ['Facom', 'Wera']],
  [['Peinture murale mate', 'Matte Wandfarbe', 'Pintura mural mate', 'Pittura murale opaca'], 'Peinture > Peintures murales', ['Dulux Valentine', 'Tollens']],
  [['Tondeuse thermique', 'Benzin-Rasenmäher', 'Cortacésped de gasolina', 'Tosaerba a scoppio'], 'Jardin > Tondeuses', ['Husqvarna', 'Stihl']],
  [['Taille-haie électrique', 'Elektro-Heckenschere', 'Cortasetos eléctrico', 'Tagliasiepi elettrico'], 'Jardin > Taille-haies', ['Stihl', 'Ryobi']],
  [['Tuyau d\'arrosage', 'Gartenschlauch', 'Manguera de riego', 'Tubo per irrigazione'], 'Jardin > Arrosage', ['Gardena', 'Hozelock']],
  [['Mitigeur de cuisine', 'Küchenarmatur', 'Grifo de cocina', 'Miscelatore da cucina'], 'Plomberie > Robinetterie', ['Grohe', 'Hansgrohe']],
  [['Serrure 3 points', 'Dreifach-Verriegelung', 'Cerradura de 3 puntos', 'Serratura a 3 punti'], 'Quincaillerie > Serrures', ['Vachette', 'Bricard']],
  [['Plafonnier LED', 'LED-Deckenleuchte', 'Plafón LED', 'Plafoniera LED'], 'Luminaires > Plafonniers', ['Philips', 'Osram']],
];
const COLOURS = [['Rouge', 'Rot', 'Rojo', 'Rosso'], ['Bleu', 'Blau', 'Azul', 'Blu'], ['Noir', 'Schwarz', 'Negro', 'Nero'], ['Vert', 'Grün', 'Verde', 'Verde'], ['Blanc', 'Weiß', 'Blanco', 'Bianco']];
const SIZES = ['S', 'M', 'L', 'XL'];
const PHRASES = [
  ['Qualité professionnelle, garantie 2 ans.', 'Profi-Qualität, 2 Jahre Garantie.', 'Calidad profesional, garantía de 2 años.', 'Qualità professionale, garanzia 2 anni.'],
  ['Idéal pour le bricolage et les travaux de la maison.', 'Ideal für Heimwerker und Arbeiten im Haus.', 'Ideal para el bricolaje y las obras de casa.', 'Ideale per il fai da te e i lavori di casa.'],
  ['Livré avec sa mallette de rangement.', 'Mit Aufbewahrungskoffer geliefert.', 'Se entrega con maletín de almacenamiento.', 'Fornito con valigetta.'],
];
const img = (ref, i) => `https://images.example.com/catalogues/${ref.toLowerCase()}-${i}.jpg`;
const price = () => (int(500, 40000) / 100);

// ── Shopify-style: one product over several rows sharing Handle ─────────────────────────────
function shopify() {
  const head = ['Handle', 'Title', 'Body (HTML)', 'Vendor', 'Product Category', 'Type', 'Option1 Name', 'Option1 Value', 'Variant SKU', 'Variant Price', 'Variant Compare At Price', 'Variant Inventory Qty', 'Variant Barcode', 'Image Src', 'Image Position'];
  const rows = [head];
  for (let p = 0; p < 30; p++) {
    const [names, category, brands] = PRODUCTS[p % PRODUCTS.length];
    const handle = `${names[0].toLowerCase().normalize('NFD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${p + 1}`;
    const variants = p % 3 === 0 ? 1 : int(2, 3);
    const images = int(1, 4);
    const base = price();
    const lines = Math.max(variants, images);
    const brand = pick(brands);
    for (let i = 0; i < lines; i++) {
      const v = i < variants;
      const colour = COLOURS[(p + i) % COLOURS.length][0];
      const sku = `SH-${String(p + 1).padStart(3, '0')}${variants > 1 ? `-${colour.slice(0, 3).toUpperCase()}` : ''}`;
      let barcode = v ? ean13() : '';
      if (p === 7 && i === 0) barcode = barcode.slice(0, 12) + String((Number(barcode[12]) + 1) % 10); // a wrong check digit
      rows.push([
        handle,
        i === 0 ? `${names[0]} ${brand}` : '',
        i === 0 ? `<p>${names[0]} <strong>${brand}</strong>.</p><ul><li>${PHRASES[p % 3][0]}</li></ul>` : '',
        i === 0 ? brand : '',
        i === 0 ? category : '',
        i === 0 ? category.split(' > ')[0] : '',
        i === 0 && variants > 1 ? 'Couleur' : '',
        v && variants > 1 ? colour : '',
        v ? sku : '',
        v ? (base + i * 5).toFixed(2) : '',
        v && chance(0.3) ? (base * 1.2 + i * 5).toFixed(2) : '',
        v ? (p === 12 && i === 0 ? 0 : int(1, 40)) : '',
        v ? barcode : '',
        i < images ? img(handle, i + 1) : '',
        i < images ? i + 1 : '',
      ]);
    }
  }
  // Shopify writes CRLF and no final newline
  return csv(rows, ',', '\r\n').replace(/\r\n$/, '');
}

// ── PrestaShop-style: products and combinations, two files, ';' and a trailing ';' ─────────
function prestashop() {
  const pHead = ['Product ID', 'Active (0/1)', 'Name *', 'Categories (x,y,z...)', 'Price tax excluded', 'Reference #', 'Supplier reference #', 'Manufacturer', 'EAN13', 'Quantity', 'Summary', 'Description', 'Image URLs (x,y,z...)'];
  const cHead = ['Product ID*', 'Attribute (Name:Type:Position)*', 'Value (Value:Position)*', 'Reference', 'EAN13', 'Quantity', 'Impact on price', 'Image URLs (x,y,z...)'];
  const products = [pHead];
  const combos = [cHead];
  const sharedEan = ean13();
  for (let p = 0; p < 24; p++) {
    const id = 100 + p;
    const [names, category, brands] = PRODUCTS[(p + 3) % PRODUCTS.length];
    const ref = `PS-${id}`;
    const withCombos = p % 2 === 0;
    const ean = p === 5 || p === 9 ? sharedEan : ean13(); // the same barcode on two products
    products.push([
      id, p === 20 ? 0 : 1, `${names[0]} ${pick(brands)}`, category.replace(' > ', ','), price().toFixed(6), ref, `SUP-${id}`,
      pick(brands), withCombos ? '' : ean, withCombos ? 0 : int(0, 30),
      `<p>${PHRASES[p % 3][0]}</p>`, `<p>${names[0]} : ${PHRASES[(p + 1) % 3][0]}</p><p>${PHRASES[(p + 2) % 3][0]}</p>`,
      [1, 2, 3].slice(0, int(1, 3)).map((i) => img(ref, i)).join(','),
    ]);
    if (!withCombos) continue;
    const n = int(2, 4);
    for (let c = 0; c < n; c++) {
      const colour = COLOURS[(p + c) % COLOURS.length][0];
      const size = SIZES[c % SIZES.length];
      combos.push([
        id, 'Couleur:color:0,Taille:select:1', `${colour}:0,${size}:1`, `${ref}-${colour.slice(0, 3).toUpperCase()}-${size}`,
        p === 14 && c === 1 ? '' : ean13(), int(0, 25), c === 0 ? '0' : (c * 2.5).toFixed(6), img(`${ref}-${c}`, 1),
      ]);
    }
  }
  // every record ends with ';' (the last column empty), as PrestaShop's sample does
  const trailing = (rows) => csv(rows, ';').split('\n').map((l) => (l ? `${l};` : l)).join('\n');
  return { products: trailing(products), combinations: csv(combos, ';') };
}

// ── Magento-style: configurables packing their variants, simple products, packed attributes ─
function magento() {
  const head = ['sku', 'product_type', 'name', 'description', 'price', 'qty', 'ean', 'manufacturer', 'categories', 'base_image', 'additional_images', 'visibility', 'additional_attributes', 'configurable_variations', 'configurable_variation_labels'];
  const rows = [head];
  for (let p = 0; p < 20; p++) {
    const [names, category, brands] = PRODUCTS[(p + 5) % PRODUCTS.length];
    const sku = `MG-${String(p + 1).padStart(3, '0')}`;
    const brand = pick(brands);
    const attrs = `material=${pick(['acier', 'aluminium', 'plastique ABS'])},warranty_years=${pick([2, 3, 5])},power=${int(1, 20) * 50} W`;
    const images = [2, 3].slice(0, int(0, 2)).map((i) => img(sku, i)).join(',');
    if (p % 2 === 1) {
      rows.push([sku, 'simple', `${names[0]} ${brand}`, `<p>${names[0]}. ${PHRASES[p % 3][0]}</p>`, price().toFixed(2), int(0, 30), ean13(), brand,
        `Default Category/${category.replace(' > ', '/')}`, img(sku, 1), images, 'Catalog, Search', attrs, '', '']);
      continue;
    }
    const children = [];
    const n = int(2, 3);
    for (let c = 0; c < n; c++) {
      const colour = COLOURS[(p + c) % COLOURS.length][0];
      const size = SIZES[(p + c) % SIZES.length];
      const childSku = `${sku}-${colour.slice(0, 3).toUpperCase()}${size}`;
      children.push({ sku: childSku, colour, size });
      rows.push([childSku, 'simple', `${names[0]} ${brand} ${colour} ${size}`, '', price().toFixed(2), int(0, 30), p === 4 && c === 0 ? '123' : ean13(), brand,
        '', img(childSku, 1), '', 'Not Visible Individually', '', '', '']);
    }
    rows.push([sku, 'configurable', `${names[0]} ${brand}`, `<p>${names[0]}. ${PHRASES[p % 3][0]}</p>`, '', '', '', brand,
      `Default Category/${category.replace(' > ', '/')}`, img(sku, 1), images, 'Catalog, Search', attrs,
      children.map((c) => `sku=${c.sku},color=${c.colour},size=${c.size}`).join('|'), 'color=Couleur,size=Taille']);
  }
  return csv(rows, ',');
}

// ── One catalogue, texts in four languages, for four markets ───────────────────────────────
function multilang() {
  const head = ['ref', 'ean', 'brand', 'category', 'price_ex_vat', 'stock', 'name_fr', 'name_de', 'name_es', 'name_it', 'description_fr', 'description_de', 'description_es', 'description_it', 'images'];
  const rows = [head];
  for (let p = 0; p < 40; p++) {
    const [names, category, brands] = PRODUCTS[p % PRODUCTS.length];
    const brand = pick(brands);
    const ref = `ML-${String(p + 1).padStart(3, '0')}`;
    const phrase = PHRASES[p % 3];
    const texts = names.map((n, l) => `${n} ${brand}`);
    const descriptions = names.map((n, l) => `<p>${n} ${brand}. ${phrase[l]}</p>`);
    if (p === 3) { texts[1] = ''; descriptions[1] = ''; } // no German text yet: not sent to DE
    if (p === 8) texts[3] = ''; // an Italian title missing, the description is there
    rows.push([ref, ean13(), brand, category, price().toFixed(2), p === 10 ? 0 : int(1, 50), ...texts, ...descriptions,
      [1, 2, 3].slice(0, int(1, 3)).map((i) => img(ref, i)).join('|')]);
  }
  return csv(rows, ';');
}

const presta = prestashop();
const files = {
  'shopify-export.csv': shopify(),
  'prestashop-products.csv': presta.products,
  'prestashop-combinations.csv': presta.combinations,
  'magento-catalog.csv': magento(),
  'catalog-multilang.csv': multilang(),
};
for (const [name, text] of Object.entries(files)) {
  writeFileSync(join(here, name), text);
  console.log(`${name}: ${text.split(/\r?\n/).length - 1} lines`);
}
