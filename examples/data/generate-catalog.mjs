#!/usr/bin/env node
// Generates examples/data/catalog.csv: a French DIY / garden shop export (PrestaShop-like columns,
// ';' separator, decimal comma, HTML descriptions) with deliberate defects, listed in README.md.
// Deterministic: a seeded PRNG, no dependencies, no clock.
// Run: node examples/data/generate-catalog.mjs [output path, default: catalog.csv beside this script]
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng, withCheckDigit } from './random.mjs';

const SEED = 20260601;
const TARGET_ROWS = 300;

const rand = prng(SEED);
const int = (min, max) => min + Math.floor(rand() * (max - min + 1));
const pick = (list) => list[Math.floor(rand() * list.length)];
const chance = (p) => rand() < p;
const money = (n) => n.toFixed(2).replace('.', ',');

const usedEans = new Set();
function ean13() {
  for (;;) {
    const body = `3${int(0, 7)}${String(int(0, 9999999999)).padStart(10, '0')}`; // French GS1 prefixes 30-37
    const code = withCheckDigit(body);
    if (!usedEans.has(code)) { usedEans.add(code); return code; }
  }
}

const BRANDS = {
  Bosch: 'BOS', Makita: 'MAK', DeWalt: 'DEW', Ryobi: 'RYO', Einhell: 'EIN', Stanley: 'STA', Facom: 'FAC',
  Fiskars: 'FIS', Gardena: 'GAR', Tollens: 'TOL', 'Dulux Valentine': 'DUL', V33: 'V33', Grohe: 'GRO',
  Hansgrohe: 'HAN', Philips: 'PHI', Osram: 'OSR', Legrand: 'LEG', Fischer: 'FSC', Spax: 'SPX', Vachette: 'VAC',
  Wolfcraft: 'WOL', 'Black+Decker': 'BDK',
};

// name, category, brands, price range TTC, weight range kg, features, variants, eco-participation (DEEE)
const FAMILIES = [
  ['Perceuse visseuse sans fil 18V', 'Outillage > Perceuses', ['Bosch', 'Makita', 'DeWalt', 'Ryobi', 'Einhell'], [59, 289], [1.2, 2.4], ['Mandrin auto-serrant 13 mm', 'Couple max. 60 Nm', '2 vitesses m&eacute;caniques', 'Batterie Li-ion 2,0 Ah'], null, 0.42],
  ['Perceuse &agrave; percussion filaire 750W', 'Outillage > Perceuses', ['Bosch', 'Black+Decker', 'Einhell', 'Makita'], [39, 149], [1.8, 2.6], ['Puissance 750 W', 'Fonction percussion', 'Poign&eacute;e auxiliaire'], null, 0.42],
  ['Visseuse &agrave; chocs 18V', 'Outillage > Visseuses', ['Makita', 'DeWalt', 'Ryobi'], [79, 259], [1.0, 1.6], ['Couple 180 Nm', 'Porte-embout 1/4"', '&Eacute;clairage LED'], null, 0.42],
  ['Scie circulaire 1400W', 'Outillage > Scies', ['Bosch', 'Makita', 'Einhell', 'DeWalt'], [69, 239], [3.5, 5.2], ['Lame &Oslash; 190 mm', 'Profondeur de coupe 66 mm', 'Inclinaison 0-45&deg;'], null, 0.84],
  ['Scie sauteuse pendulaire', 'Outillage > Scies', ['Bosch', 'Black+Decker', 'Makita'], [45, 179], [2.0, 2.8], ['Mouvement pendulaire 4 positions', 'Changement de lame sans outil'], null, 0.42],
  ['Scie &eacute;go&iuml;ne', 'Outillage > Scies', ['Stanley', 'Fiskars', 'Wolfcraft'], [9, 35], [0.3, 0.6], ['Denture tri-affut&eacute;e', 'Poign&eacute;e bi-mati&egrave;re'], ['taille', ['380 mm', '450 mm', '550 mm']], 0],
  ['Meuleuse d\'angle 125 mm', 'Outillage > Meuleuses', ['Bosch', 'Makita', 'DeWalt', 'Einhell'], [49, 169], [1.9, 2.5], ['Disque &Oslash; 125 mm', 'Anti-red&eacute;marrage', 'Capot de protection r&eacute;glable'], null, 0.42],
  ['Marteau de coffreur', 'Outillage &agrave; main > Marteaux', ['Stanley', 'Facom'], [14, 49], [0.6, 0.9], ['T&ecirc;te forg&eacute;e', 'Manche fibre de verre'], ['taille', ['450 g', '600 g', '800 g']], 0],
  ['Jeu de tournevis isol&eacute;s 1000V', 'Outillage &agrave; main > Tournevis', ['Facom', 'Stanley', 'Wolfcraft'], [19, 89], [0.4, 0.9], ['Norme VDE', 'Lames chrome-vanadium'], ['taille', ['6 pi&egrave;ces', '8 pi&egrave;ces', '12 pi&egrave;ces']], 0],
  ['Peinture murale acrylique mate', 'Peinture > Peintures murales', ['Tollens', 'Dulux Valentine', 'V33'], [24, 79], [3.0, 13.0], ['Aspect mat profond', 'Sans odeur', 'Lessivable'], ['couleur', ['Blanc', 'Gris perle', 'Bleu canard', 'Vert sauge', 'Terracotta']], 0],
  ['Peinture bois microporeuse satin&eacute;e', 'Peinture > Peintures bois', ['V33', 'Tollens'], [19, 59], [0.8, 2.8], ['Int&eacute;rieur / ext&eacute;rieur', 'Protection 8 ans'], ['couleur', ['Blanc', 'Gris anthracite', 'Vert basque', 'Ch&ecirc;ne clair']], 0],
  ['Rouleau anti-goutte 180 mm', 'Peinture > Pinceaux et rouleaux', ['Tollens', 'Wolfcraft'], [6, 19], [0.2, 0.4], ['Poils polyamide 12 mm', 'Pour murs et plafonds'], null, 0],
  ['Tondeuse &agrave; gazon &eacute;lectrique', 'Jardin > Tondeuses', ['Bosch', 'Einhell', 'Black+Decker', 'Ryobi'], [119, 349], [11, 19], ['Largeur de coupe 37 cm', 'Bac de ramassage 40 L', '6 hauteurs de coupe'], null, 2.5],
  ['Tondeuse sans fil 36V', 'Jardin > Tondeuses', ['Makita', 'Ryobi', 'Gardena'], [249, 599], [14, 22], ['Largeur de coupe 46 cm', 'Mulching', 'Batteries fournies'], null, 2.5],
  ['Taille-haie &eacute;lectrique 500W', 'Jardin > Taille-haies', ['Bosch', 'Black+Decker', 'Einhell'], [59, 169], [2.6, 3.8], ['Lame 55 cm', '&Eacute;cartement des dents 22 mm'], null, 0.84],
  ['S&eacute;cateur &agrave; enclume', 'Jardin > Outils de jardin', ['Fiskars', 'Gardena', 'Wolfcraft'], [12, 49], [0.2, 0.3], ['Coupe jusqu\'&agrave; 24 mm', 'Lame en acier tremp&eacute;'], null, 0],
  ['B&ecirc;che de jardinier', 'Jardin > Outils de jardin', ['Fiskars', 'Gardena'], [24, 69], [1.5, 2.2], ['Manche fr&ecirc;ne', 'Lame acier bore'], null, 0],
  ['Tuyau d\'arrosage anti-torsion', 'Jardin > Arrosage', ['Gardena', 'Fiskars'], [19, 89], [1.5, 6.0], ['&Oslash; 15 mm', 'Anti-UV', 'Garantie 10 ans'], ['taille', ['15 m', '25 m', '50 m']], 0],
  ['Programmateur d\'arrosage', 'Jardin > Arrosage', ['Gardena'], [29, 99], [0.3, 0.6], ['Jusqu\'&agrave; 6 arrosages par jour', 'Pile 9V'], null, 0.08],
  ['Bo&icirc;te de vis agglom&eacute;r&eacute; t&ecirc;te fra&iuml;s&eacute;e', 'Quincaillerie > Vis et chevilles', ['Spax', 'Fischer'], [7, 39], [0.2, 1.8], ['Acier zingu&eacute;', 'Empreinte Torx'], ['taille', ['4x30 (200 pcs)', '4x40 (200 pcs)', '5x50 (100 pcs)']], 0],
  ['Chevilles nylon universelles', 'Quincaillerie > Vis et chevilles', ['Fischer'], [5, 24], [0.1, 0.5], ['Pour tous mat&eacute;riaux', 'Expansion 4 directions'], ['taille', ['&Oslash; 6 mm', '&Oslash; 8 mm', '&Oslash; 10 mm']], 0],
  ['Cylindre de serrure haute s&eacute;curit&eacute;', 'Quincaillerie > Serrures', ['Vachette'], [39, 149], [0.3, 0.5], ['5 cl&eacute;s incopiables', 'Anti-casse', 'Certifi&eacute; A2P 1*'], ['taille', ['30x30', '30x40', '40x40']], 0],
  ['Mitigeur lavabo chrom&eacute;', 'Plomberie > Robinetterie', ['Grohe', 'Hansgrohe'], [49, 219], [1.0, 2.0], ['Cartouche c&eacute;ramique', 'Limiteur de d&eacute;bit', 'Garantie 5 ans'], null, 0],
  ['Mitigeur &eacute;vier douchette extractible', 'Plomberie > Robinetterie', ['Grohe', 'Hansgrohe'], [89, 329], [1.8, 2.8], ['Bec pivotant 360&deg;', '2 jets'], ['couleur', ['Chrom&eacute;', 'Noir mat', 'Inox bross&eacute;']], 0],
  ['Raccord laiton &agrave; visser', 'Plomberie > Raccords', ['Wolfcraft', 'Fischer'], [3, 15], [0.05, 0.2], ['Laiton massif', 'Filetage 15x21'], ['taille', ['12x17', '15x21', '20x27']], 0],
  ['Plafonnier LED rond', 'Luminaires > Plafonniers', ['Philips', 'Osram', 'Legrand'], [29, 129], [0.8, 2.2], ['Flux 2200 lm', 'Blanc neutre 4000 K', 'IP44 salle de bain'], ['taille', ['&Oslash; 30 cm', '&Oslash; 40 cm']], 0.1],
  ['Ampoule LED E27 filament', 'Luminaires > Ampoules', ['Philips', 'Osram'], [4, 19], [0.04, 0.1], ['&Eacute;quivalent 60 W', 'Blanc chaud 2700 K', 'Dur&eacute;e de vie 15 000 h'], null, 0.08],
  ['Rallonge &eacute;lectrique 3 prises', 'Electricit&eacute; > Rallonges', ['Legrand'], [9, 39], [0.4, 1.8], ['C&acirc;ble H05VV-F 3G1,5', 'Prises avec terre'], ['taille', ['1,5 m', '3 m', '5 m']], 0.05],
  ['&Eacute;tag&egrave;re m&eacute;tallique 5 tablettes', 'Rangement > &Eacute;tag&egrave;res', ['Stanley', 'Wolfcraft'], [39, 129], [9, 18], ['Charge 175 kg par tablette', 'Montage sans vis'], null, 0],
];

const decode = (s) => s.replace(/&([a-zA-Z]+);/g, (m, e) => ({
  eacute: 'é', Eacute: 'É', agrave: 'à', egrave: 'è', ecirc: 'ê', acirc: 'â', icirc: 'î', iuml: 'ï', Oslash: 'Ø', deg: '°', nbsp: ' ',
})[e] ?? m);
const CARRIERS = ['Colissimo', 'DPD', 'GLS', 'Chronopost', 'Geodis'];
const DELAYS = ['1-2', '2-3', '2-4', '3-5', '5-7', '7-10'];
const COLUMNS = ['id', 'reference', 'ean13', 'reference_fabricant', 'marque', 'nom', 'description_html', 'categorie',
  'prix_ht', 'taux_tva', 'prix_barre_ttc', 'stock', 'poids_kg', 'image_urls', 'parent_reference', 'couleur', 'taille',
  'delai_livraison', 'transporteur', 'frais_port_ttc', 'eco_participation'];

function manufacturerRef(code) {
  return `${code.slice(0, 2)}${pick(['', '-', ' '])}${int(100, 9999)}${pick(['', 'Z', 'K', 'RJ', '-2'])}`;
}

function description(fam, brand, variantLabel) {
  const [name, , , , , features] = fam;
  const items = features.map((f) => `<li>${f}</li>`).join('');
  const intro = `<p><strong>${brand}</strong> &ndash; ${name}${variantLabel ? ` (${variantLabel})` : ''}.&nbsp;Id&eacute;al pour le bricolage et les travaux de la maison.</p>`;
  const style = int(0, 3);
  if (style === 0) return `${intro}<ul>${items}</ul>`;
  if (style === 1) return `${intro}<br>Caract&eacute;ristiques :<br><ul>${items}</ul><p>Livr&eacute; avec notice en fran&ccedil;ais.</p>`;
  if (style === 2) return `${intro}\n<ul>\n${features.map((f) => `  <li>${f}</li>`).join('\n')}\n</ul>`; // a multi-line cell
  return `<p>${decode(name)} ${brand} : qualité professionnelle.</p><ul>${items}</ul>`;
}

const products = [];
let counter = 0;
function product(fam, brand, parent, variant) {
  const [name, category, , [pmin, pmax], [wmin, wmax], , , eco] = fam;
  counter++;
  const code = BRANDS[brand];
  const ttc = Math.round((pmin + rand() * (pmax - pmin)) * 10) / 10 - 0.01;
  const label = variant ? variant[1] : '';
  const reference = parent ? `${parent.reference}-${String(parent.variants++ + 1).padStart(2, '0')}` : `${category.slice(0, 3).toUpperCase()}-${code}-${String(counter).padStart(4, '0')}`;
  const images = Array.from({ length: int(1, 4) }, (_, i) => `https://images.example.com/catalogue/${reference.toLowerCase()}-${i + 1}.jpg`);
  const row = {
    id: String(1000 + counter),
    reference,
    ean13: ean13(),
    reference_fabricant: chance(0.7) ? manufacturerRef(code) : '',
    marque: brand,
    nom: decode(`${name} ${brand}${label ? ` - ${decode(label)}` : ''}`),
    description_html: description(fam, brand, label),
    categorie: decode(category),
    prix_ht: money(ttc / 1.2),
    taux_tva: '20',
    prix_barre_ttc: chance(0.18) ? money(Math.ceil(ttc * (1.1 + rand() * 0.3)) + 0.99) : '',
    stock: String(chance(0.1) ? int(100, 800) : int(1, 60)),
    poids_kg: money(wmin + rand() * (wmax - wmin)).replace(/0$/, ''),
    image_urls: images.join(','),
    parent_reference: parent ? parent.reference : '',
    couleur: variant?.[0] === 'couleur' ? decode(variant[1]) : '',
    taille: variant?.[0] === 'taille' ? decode(variant[1]) : '',
    delai_livraison: pick(DELAYS),
    transporteur: pick(CARRIERS),
    frais_port_ttc: ttc > 50 ? '0' : money(pick([4.9, 5.9, 6.9])),
    eco_participation: eco ? money(eco) : '',
  };
  products.push(row);
  return row;
}

while (products.length < TARGET_ROWS - 2) {
  const fam = pick(FAMILIES);
  const brand = pick(fam[2]);
  const variants = fam[6];
  if (variants && chance(0.45)) {
    const parent = { reference: `${decode(fam[1]).slice(0, 3).toUpperCase()}-${BRANDS[brand]}-P${String(++counter).padStart(3, '0')}`, variants: 0 };
    const values = variants[1].filter(() => chance(0.75));
    for (const v of (values.length >= 2 ? values : variants[1].slice(0, 2))) {
      if (products.length < TARGET_ROWS - 2) product(fam, brand, parent, [variants[0], v]);
    }
  } else product(fam, brand);
}

// ---- deliberate defects, on distinct rows ----
const order = products.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) { // Fisher-Yates: the same order on every engine
  const j = Math.floor(rand() * (i + 1));
  [order[i], order[j]] = [order[j], order[i]];
}
const take = (n) => order.splice(0, n).map((i) => products[i]);
const defects = {};
const mark = (name, rows, change) => { rows.forEach(change); defects[name] = rows.map((r) => r.reference); };

mark('missing EAN, manufacturer reference + brand given (accepted)', take(9), (r) => { r.ean13 = ''; r.reference_fabricant = r.reference_fabricant || manufacturerRef(BRANDS[r.marque]); });
mark('missing EAN and no manufacturer reference (MM_EAN_OR_MANUFACTURER)', take(6), (r) => { r.ean13 = ''; r.reference_fabricant = ''; });
mark('invalid EAN check digit (MM_EAN_INVALID)', take(4), (r) => { r.ean13 = r.ean13.slice(0, 12) + ((Number(r.ean13[12]) + int(1, 9)) % 10); });
mark('price empty (MM_REQUIRED)', take(2), (r) => { r.prix_ht = ''; });
mark('price 0 (MM_PRICE_NOT_POSITIVE)', take(1), (r) => { r.prix_ht = '0,00'; });
mark('price negative (MM_PRICE_NOT_POSITIVE)', take(1), (r) => { r.prix_ht = `-${r.prix_ht}`; });
mark('price "N/A" (MM_PRICE_NOT_POSITIVE)', take(1), (r) => { r.prix_ht = 'N/A'; });
mark('stock 0 (valid; skipped by a stock filter)', take(12), (r) => { r.stock = '0'; });
mark('strike-through price below the price (MM_RETAIL_NOT_ABOVE_PRICE)', take(2), (r) => {
  r.prix_barre_ttc = money(Math.max(1, Math.floor(Number(r.prix_ht.replace(',', '.')) * 1.2 * 0.8)));
});
mark('emojis in the title', take(2), (r) => { r.nom = `🔥 ${r.nom} ⭐⭐⭐⭐⭐ Promo !`; });
mark('title longer than 150 characters', take(4), (r) => {
  r.nom = `${r.nom} - qualité professionnelle, garantie constructeur 2 ans, livraison rapide, idéal particuliers et artisans, accessoires et notice en français inclus`;
});
const dupSources = take(2);
for (const src of dupSources) {
  const copy = { ...src, id: String(1000 + ++counter), stock: String(int(1, 20)) };
  products.splice(products.indexOf(src) + int(5, 40), 0, copy);
}
defects['duplicate reference (second occurrence: MM_DUPLICATE_SKU)'] = dupSources.map((r) => r.reference);

const cell = (v) => (/[;"\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const text = [COLUMNS.join(';'), ...products.map((p) => COLUMNS.map((c) => cell(p[c] ?? '')).join(';'))].join('\n') + '\n';
const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? join(here, 'catalog.csv');
writeFileSync(out, text);
console.log(`${out}: ${products.length} rows`);
for (const [name, refs] of Object.entries(defects)) console.log(`  ${refs.length} × ${name}: ${refs.join(', ')}`);
