/**
 * Generated offers: a DIY/garden catalogue shared across a seller's contracts (same SKUs, titles
 * in the market's language, prices in the contract's currency), as real multi-market sellers have.
 */
import type { OfferInformation } from '../api-types.js';
import { MARKETS, type Market } from './locales.js';
import { Rng, subSeed } from './random.js';

type Names = [fr: string, de: string, es: string, it: string, en: string];
const LANG_INDEX = { fr: 0, de: 1, es: 2, it: 3, en: 4 } as const;

const TYPES: [code: string, names: Names, basePrice: number, carrier: string][] = [
  ['DRL', ['Perceuse visseuse sans fil 18V', 'Akku-Bohrschrauber 18V', 'Taladro atornillador inalámbrico 18V', 'Trapano avvitatore a batteria 18V', 'Cordless drill driver 18V'], 89.9, 'Colissimo'],
  ['SND', ['Ponceuse orbitale 300W', 'Exzenterschleifer 300W', 'Lijadora orbital 300W', 'Levigatrice orbitale 300W', 'Random orbital sander 300W'], 59.9, 'Colissimo'],
  ['SAW', ['Scie circulaire 1400W', 'Handkreissäge 1400W', 'Sierra circular 1400W', 'Sega circolare 1400W', 'Circular saw 1400W'], 119, 'DPD'],
  ['MOW', ['Tondeuse à gazon thermique 46 cm', 'Benzin-Rasenmäher 46 cm', 'Cortacésped de gasolina 46 cm', 'Tosaerba a scoppio 46 cm', 'Petrol lawn mower 46 cm'], 299, 'Geodis'],
  ['TAP', ['Robinet mitigeur cuisine', 'Küchenarmatur Einhebelmischer', 'Grifo monomando de cocina', 'Miscelatore per cucina', 'Kitchen mixer tap'], 49.9, 'Colissimo'],
  ['PNT', ['Peinture acrylique blanche 10 L', 'Wandfarbe weiß 10 L', 'Pintura acrílica blanca 10 L', 'Pittura acrilica bianca 10 L', 'White emulsion paint 10 L'], 39.9, 'GLS'],
  ['LAD', ['Échelle aluminium 3 plans', 'Aluminium-Mehrzweckleiter', 'Escalera de aluminio 3 tramos', 'Scala in alluminio 3 tronchi', 'Aluminium combination ladder'], 149, 'DB Schenker'],
  ['HOS', ["Tuyau d'arrosage 25 m", 'Gartenschlauch 25 m', 'Manguera de jardín 25 m', 'Tubo da giardino 25 m', 'Garden hose 25 m'], 24.9, 'Mondial Relay'],
  ['SCR', ['Lot de 100 vis inox', 'Edelstahlschrauben 100 Stück', 'Tornillos inox 100 uds', 'Viti inox 100 pezzi', 'Stainless steel screws, pack of 100'], 9.9, 'La Poste Suivi'],
  ['LED', ['Ampoule LED E27 806 lm', 'LED-Lampe E27 806 lm', 'Bombilla LED E27 806 lm', 'Lampadina LED E27 806 lm', 'LED bulb E27 806 lm'], 4.9, 'La Poste Suivi'],
  ['GRD', ['Salon de jardin 4 places', 'Gartenlounge 4-Sitzer', 'Conjunto de jardín 4 plazas', 'Salotto da giardino 4 posti', 'Garden lounge set, 4 seats'], 349, 'Geodis'],
  ['GRN', ["Meuleuse d'angle 125 mm", 'Winkelschleifer 125 mm', 'Amoladora 125 mm', 'Smerigliatrice angolare 125 mm', 'Angle grinder 125 mm'], 69.9, 'DPD'],
  ['PWS', ['Nettoyeur haute pression 130 bar', 'Hochdruckreiniger 130 bar', 'Hidrolimpiadora 130 bar', 'Idropulitrice 130 bar', 'Pressure washer 130 bar'], 179, 'DPD'],
  ['SHF', ['Étagère murale en chêne', 'Wandregal Eiche', 'Estante de pared de roble', 'Mensola in rovere', 'Oak wall shelf'], 34.9, 'Colis Privé'],
  ['RAD', ['Radiateur électrique 1500W', 'Elektroheizkörper 1500W', 'Radiador eléctrico 1500W', 'Radiatore elettrico 1500W', 'Electric radiator 1500W'], 129, 'GLS'],
];
const BRANDS = ['Bosch', 'Makita', 'Ryobi', 'Einhell', 'Stanley', 'Dexter', 'Kärcher', 'Gardena', 'Grohe', 'Philips', 'Hozelock', 'Dulux'];
const GB_CARRIERS = ['Royal Mail', 'DPD', 'Evri', 'Yodel', 'ParcelForce'];

/** Rounds to a "x.90"-style price in cents. */
function shelfPrice(value: number): number {
  if (value < 10) return Math.round(value * 10) * 10 - 1;
  return Math.max(100, Math.round(value) * 100 - 10);
}

/** The generated offers of one contract, sorted by SKU; deterministic for (seed, catalogue size). */
export function generateOffers(seed: number, contractId: number, market: Market, count: number): OfferInformation[] {
  const cat = new Rng(subSeed(seed, 'catalogue')); // same SKUs and brands on every contract
  const local = new Rng(subSeed(seed, 'offers', contractId)); // prices and stock differ per contract
  const { lang, currency } = MARKETS[market];
  const fx = currency === 'GBP' ? 0.86 : 1;
  const offers: OfferInformation[] = [];
  for (let i = 0; i < count; i++) {
    const [code, names, base, carrier] = cat.pick(TYPES);
    const brand = cat.pick(BRANDS);
    const sku = `${code}-${10000 + i * 7 + cat.int(0, 6)}`;
    const price = shelfPrice(base * fx * (0.8 + local.next() * 0.5)) / 100;
    const stock = local.chance(0.1) ? 0 : local.int(1, 250);
    const idMe = 10000000 + (subSeed(seed, sku) % 89999999);
    offers.push({
      sku,
      title: `${brand} ${names[LANG_INDEX[lang]]}`,
      price,
      retail_price: local.chance(0.3) ? Math.round(price * 125) / 100 : null,
      stock,
      id_me: idMe,
      id_me_link: `https://www.manomano.${market === 'GB' ? 'co.uk' : market.toLowerCase()}/p/${idMe}`,
      carrier: market === 'GB' ? local.pick(GB_CARRIERS) : carrier,
      shipping_time: `${local.int(1, 3)}#${local.int(4, 8)}`,
      offer_is_online: stock > 0,
      frozen_price: false,
      frozen_retail_price: false,
      frozen_stock: false,
      status: 'COMPLETED',
      errors: [],
    });
  }
  return offers.sort((a, b) => a.sku.localeCompare(b.sku));
}
