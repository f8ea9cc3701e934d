#!/usr/bin/env node
// Generates the benchmark catalogues: a French DIY shop export of N rows x 27 columns (';' separator,
// HTML descriptions with entities and quoted ';', five image columns, prices written "34,24",
// "34.24" or "1 234,50", empty cells), about 750 bytes a row. Deterministic: seeded PRNG, no clock,
// so every machine benchmarks the same bytes. About 1% of rows break a ManoMano rule (bad check
// digit, unmapped category, retail price not above the price) so rejects are exercised too.
//   node bench/generate-catalog.mjs [--rows 100000] [--out bench/data/catalog-100k.csv]
// Without --rows it writes both catalog-100k.csv and catalog-1m.csv (skipping a file already there).
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from '../examples/data/random.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const DATA_DIR = join(here, 'data');

/** The file a row count is written to by default (bench/run.mjs uses the same name). */
export function catalogPath(rows) {
  const label = rows % 1_000_000 === 0 ? `${rows / 1_000_000}m` : rows % 1000 === 0 ? `${rows / 1000}k` : String(rows);
  return join(DATA_DIR, `catalog-${label}.csv`);
}


export const COLUMNS = ['id', 'reference', 'ean13', 'reference_fabricant', 'marque', 'nom', 'description_html', 'categorie',
  'prix_ht', 'taux_tva', 'prix_barre_ttc', 'stock', 'poids_kg', 'image_1', 'image_2', 'image_3', 'image_4', 'image_5',
  'parent_reference', 'couleur', 'taille', 'delai_livraison', 'transporteur', 'frais_port_ttc', 'eco_participation',
  'retour_gratuit', 'matiere'];

const BRANDS = ['Bosch', 'Makita', 'DeWalt', 'Ryobi', 'Einhell', 'Stanley', 'Facom', 'Fiskars', 'Gardena', 'Tollens',
  'Dulux Valentine', 'V33', 'Grohe', 'Hansgrohe', 'Philips', 'Osram', 'Legrand', 'Fischer', 'Spax', 'Black+Decker'];
// [name, category, price range HT, weight range kg, features]
const FAMILIES = [
  ['Perceuse visseuse sans fil 18V', 'Outillage > Perceuses', [49, 249], [1.2, 2.4], ['Mandrin auto-serrant 13 mm', 'Couple max. 60 Nm', '2 vitesses m&eacute;caniques']],
  ['Perceuse &agrave; percussion filaire 750W', 'Outillage > Perceuses', [32, 129], [1.8, 2.6], ['Puissance 750 W', 'Fonction percussion']],
  ['Visseuse &agrave; chocs 18V', 'Outillage > Visseuses', [65, 219], [1.0, 1.6], ['Couple 180 Nm', 'Porte-embout 1/4"', '&Eacute;clairage LED']],
  ['Scie circulaire 1400W', 'Outillage > Scies', [57, 199], [3.5, 5.2], ['Lame &Oslash; 190 mm', 'Inclinaison 0-45&deg;']],
  ['Meuleuse d\'angle 125 mm', 'Outillage > Meuleuses', [40, 140], [1.9, 2.5], ['Disque &Oslash; 125 mm', 'Anti-red&eacute;marrage']],
  ['Marteau de coffreur', 'Outillage à main > Marteaux', [9, 39], [0.5, 0.9], ['T&ecirc;te forg&eacute;e', 'Manche fibre de verre']],
  ['Jeu de tournevis 6 pi&egrave;ces', 'Outillage à main > Tournevis', [8, 45], [0.3, 0.7], ['Lames chrome-vanadium', 'Embouts aimant&eacute;s']],
  ['Peinture murale mate blanche 10L', 'Peinture > Peintures murales', [29, 89], [13, 15], ['Rendement 12 m&sup2;/L', 'Sans odeur']],
  ['Lasure bois ch&ecirc;ne clair 2,5L', 'Peinture > Peintures bois', [19, 59], [2.6, 3.1], ['Protection 8 ans', 'Aspect satin&eacute;']],
  ['Rouleau anti-goutte 180 mm', 'Peinture > Pinceaux et rouleaux', [4, 19], [0.2, 0.4], ['Poils polyamide 12 mm']],
  ['Tondeuse thermique tract&eacute;e 46 cm', 'Jardin > Tondeuses', [249, 699], [28, 36], ['Moteur 140 cm&sup3;', 'Bac 55 L', 'Mulching']],
  ['Taille-haie &eacute;lectrique 600W', 'Jardin > Taille-haies', [55, 179], [3.2, 4.1], ['Lame 60 cm', '&Eacute;cartement 24 mm']],
  ['S&eacute;cateur &agrave; enclume', 'Jardin > Outils de jardin', [12, 49], [0.2, 0.3], ['Coupe &Oslash; 24 mm', 'Lames t&eacute;flon']],
  ['Tuyau d\'arrosage 25 m', 'Jardin > Arrosage', [19, 79], [2.4, 4.5], ['Anti-torsion', 'Garantie 10 ans']],
  ['Bo&icirc;te de 200 vis agglo 4x40', 'Quincaillerie > Vis et chevilles', [6, 24], [0.6, 0.9], ['T&ecirc;te frais&eacute;e', 'Empreinte Torx']],
  ['Cylindre de serrure 30x30', 'Quincaillerie > Serrures', [14, 89], [0.3, 0.5], ['5 cl&eacute;s', 'Anti-crochetage']],
  ['Mitigeur &eacute;vier douchette extractible', 'Plomberie > Robinetterie', [49, 319], [1.9, 2.8], ['Bec pivotant 360&deg;', '2 jets']],
  ['Raccord laiton 20x27', 'Plomberie > Raccords', [2, 15], [0.1, 0.2], ['Filetage m&acirc;le-femelle']],
  ['Plafonnier LED 24W', 'Luminaires > Plafonniers', [19, 99], [0.8, 1.6], ['2400 lumens', 'IP44 salle de bain']],
  ['Ampoule LED E27 9W', 'Luminaires > Ampoules', [3, 14], [0.05, 0.1], ['806 lumens', 'Blanc chaud 2700K']],
];
const UNMAPPED = 'Divers > Déstockage'; // not in bench/lookups/categories.json: MM_CATEGORY_REQUIRED
const COLOURS = ['rouge', 'bleu', 'vert', 'noir', 'blanc', 'gris', 'Chromé', 'inox', 'jaune', ''];
const SIZES = ['', '', 'S', 'M', 'L', '30 cm', '45 cm', '60 cm'];
const MATERIALS = ['acier', 'aluminium', 'laiton', 'plastique', 'bois', 'fibre de verre', ''];
const CARRIERS = ['DPD', 'Colissimo', 'Chronopost', 'GLS', 'DB Schenker'];
const DELAYS = ['1-2', '2-3', '3-5', '5-8', '2-4'];

function withCheckDigit(body) {
  let sum = 0;
  for (let i = body.length - 1, w = 3; i >= 0; i--, w = 4 - w) sum += Number(body[i]) * w;
  return body + ((10 - (sum % 10)) % 10);
}

const csvCell = (s) => (/[;"\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** One catalogue row as a CSV line; `rand` is the shared seeded stream, `i` the row number. */
function row(rand, i) {
  const int = (min, max) => min + Math.floor(rand() * (max - min + 1));
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const [name, category, priceRange, weightRange, features] = pick(FAMILIES);
  const brand = pick(BRANDS);
  const code = brand.slice(0, 3).toUpperCase().replace(/[^A-Z]/g, 'X');
  const ref = `${category.slice(0, 3).toUpperCase()}-${code}-${String(i).padStart(7, '0')}`;
  const variant = rand() < 0.3;
  const colour = pick(COLOURS);
  const ht = priceRange[0] + rand() * (priceRange[1] - priceRange[0]);
  const priceStyle = rand();
  const prix = ht >= 1000 && priceStyle < 0.5 ? ht.toFixed(2).replace('.', ',').replace(/^(\d)(\d{3})/, '$1 $2')
    : priceStyle < 0.8 ? ht.toFixed(2).replace('.', ',') : ht.toFixed(2);
  const ttc = ht * 1.2;
  const barre = rand() < 0.5 ? '' : rand() < 0.01 ? (ttc * 0.9).toFixed(2).replace('.', ',') : (ttc * (1.1 + rand() * 0.3)).toFixed(2).replace('.', ',');
  let ean = rand() < 0.05 ? '' : withCheckDigit(`3${int(0, 7)}${String(i * 7919 % 10_000_000_000).padStart(10, '0')}`);
  if (ean && rand() < 0.003) ean = ean.slice(0, 12) + ((Number(ean[12]) + 1) % 10); // wrong check digit
  const slug = ref.toLowerCase();
  const images = [1, 2, 3, 4, 5].map((k) => (k <= 1 + int(0, 4) ? `https://images.example.com/catalogue/${slug}-${k}.jpg` : ''));
  const feats = features.filter(() => rand() < 0.8);
  const desc = `<p><strong>${brand}</strong> &ndash; ${name}${colour ? ` (${colour})` : ''}.&nbsp;Id&eacute;al pour le bricolage; `
    + `la r&eacute;novation et les travaux de la maison, qualit&eacute; &quot;pro&quot;.</p>`
    + `<ul>${feats.map((f) => `<li>${f}</li>`).join('')}</ul><p>Garantie ${int(2, 5)} ans. R&eacute;f. ${ref}</p>`;
  const fields = [
    String(100000 + i), ref, ean, `${code}-${int(1000, 9999)}-${i}`, brand,
    `${name} ${brand}${colour ? ` - ${colour}` : ''}`, desc, rand() < 0.005 ? UNMAPPED : category,
    prix, '20', barre, String(rand() < 0.1 ? 0 : int(1, 250)),
    (weightRange[0] + rand() * (weightRange[1] - weightRange[0])).toFixed(2).replace('.', rand() < 0.7 ? ',' : '.'),
    ...images, variant ? ref.slice(0, -2) : '', colour, pick(SIZES), pick(DELAYS), pick(CARRIERS),
    rand() < 0.3 ? '0' : (4.9 + int(0, 10)).toFixed(2).replace('.', ','), rand() < 0.4 ? (rand() * 2).toFixed(2).replace('.', ',') : '',
    rand() < 0.5 ? 'oui' : 'non', pick(MATERIALS),
  ];
  return fields.map(csvCell).join(';') + '\n';
}

/** Writes `rows` rows to `out` (through a temp file, so an interrupted run leaves no short file). */
export async function generateCatalog(rows, out = catalogPath(rows)) {
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.tmp`;
  const stream = createWriteStream(tmp, { encoding: 'utf8' });
  const rand = prng(20261127);
  let buf = COLUMNS.join(';') + '\n';
  for (let i = 1; i <= rows; i++) {
    buf += row(rand, i);
    if (buf.length > 1 << 20) {
      if (!stream.write(buf)) await once(stream, 'drain');
      buf = '';
    }
  }
  stream.end(buf);
  await once(stream, 'close');
  renameSync(tmp, out);
  return out;
}

const USAGE = `usage: node bench/generate-catalog.mjs [--rows N] [--out FILE]

Writes a deterministic French DIY catalogue (27 columns, ';', about 750 bytes a row) for the benchmarks.
  --rows N     rows to write (the file is rewritten); default: both catalog-100k.csv (~75 MB)
               and catalog-1m.csv (~740 MB) in bench/data/, each skipped when it exists
  --out FILE   where to write (default bench/data/catalog-<N>.csv)
  -h, --help   show this help
`;

/** Why: a typo or `--help` must not start writing 740 MB of catalogues. */
export function parseGenerateArgs(argv) {
  const out = { help: false, rows: undefined, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--rows' || a === '--out') {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n\n${USAGE}`);
      if (a === '--rows') {
        out.rows = Number(v);
        if (!Number.isInteger(out.rows) || out.rows < 1) throw new Error(`--rows expects a whole number above 0, got "${v}"\n\n${USAGE}`);
      } else out.out = v;
    } else throw new Error(`unknown argument "${a}"\n\n${USAGE}`);
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let args;
  try {
    args = parseGenerateArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err.message}`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const arg = (name) => (name === '--rows' ? (args.rows === undefined ? undefined : String(args.rows)) : args.out);
  const counts = arg('--rows') ? [Number(arg('--rows'))] : [100_000, 1_000_000];
  for (const n of counts) {
    const out = arg('--out') ?? catalogPath(n);
    if (!arg('--rows') && existsSync(out)) { console.log(`${out} exists`); continue; }
    const t = Date.now();
    await generateCatalog(n, out);
    console.log(`${out}: ${n} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
}
