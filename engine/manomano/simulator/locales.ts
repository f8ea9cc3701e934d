/**
 * Realistic people and places per market, for generated orders. Data, not logic: names, streets,
 * cities with postcodes, phone and VAT number formats, B2B company name patterns.
 */
import type { Rng } from './random.js';

export type Market = 'FR' | 'BE' | 'DE' | 'ES' | 'IT' | 'GB';
export type Currency = 'EUR' | 'GBP';

/** Every market ManoMano sells on, with its currency, VAT rate and catalogue language. */
export const MARKETS: Record<Market, { currency: Currency; vat: number; lang: 'fr' | 'de' | 'es' | 'it' | 'en'; country: string }> = {
  FR: { currency: 'EUR', vat: 20, lang: 'fr', country: 'France' },
  BE: { currency: 'EUR', vat: 21, lang: 'fr', country: 'Belgique' },
  DE: { currency: 'EUR', vat: 19, lang: 'de', country: 'Deutschland' },
  ES: { currency: 'EUR', vat: 21, lang: 'es', country: 'España' },
  IT: { currency: 'EUR', vat: 22, lang: 'it', country: 'Italia' },
  GB: { currency: 'GBP', vat: 20, lang: 'en', country: 'United Kingdom' },
};

interface Locale {
  first: string[];
  last: string[];
  street(rng: Rng): string;
  cities: [city: string, zip: string, province: string | null][];
  phone(rng: Rng): string;
  company(last: string, rng: Rng): string;
  vatNumber(rng: Rng): string;
  relays: string[];
}

const FR_FIRST = ['Camille', 'Lucas', 'Léa', 'Hugo', 'Manon', 'Louis', 'Chloé', 'Gabriel', 'Inès', 'Arthur', 'Sophie', 'Nicolas', 'Élodie', 'Thomas', 'Céline', 'Jérôme'];
const FR_LAST = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Fournier', 'Girard'];
const frStreet = (rng: Rng) =>
  `${rng.int(1, 180)} ${rng.pick(['rue', 'avenue', 'boulevard', 'impasse', 'chemin', 'allée'])} ${rng.pick(['de la République', 'Victor Hugo', 'Jean Jaurès', 'des Lilas', 'du Moulin', 'Pasteur', 'de la Gare', 'des Écoles', 'Gambetta', 'du Général de Gaulle'])}`;

const LOCALES: Record<Market, Locale> = {
  FR: {
    first: FR_FIRST, last: FR_LAST, street: frStreet,
    cities: [['Paris', '75011', null], ['Lyon', '69003', null], ['Marseille', '13008', null], ['Toulouse', '31000', null], ['Nantes', '44000', null], ['Bordeaux', '33000', null], ['Lille', '59000', null], ['Rennes', '35000', null], ['Strasbourg', '67000', null], ['Montpellier', '34000', null], ['Grenoble', '38000', null], ['Dijon', '21000', null]],
    phone: (rng) => `+33 6 ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}`,
    company: (last, rng) => rng.pick([`SARL ${last} Rénovation`, `${last} Bâtiment SAS`, `EURL ${last} Plomberie`]),
    vatNumber: (rng) => `FR${rng.digits(11)}`,
    relays: ['Tabac de la Place', 'Presse du Marché', 'Pressing Saint-Michel', 'Épicerie du Centre', 'Fleuriste Les Roses'],
  },
  BE: {
    first: FR_FIRST, last: ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Dubois', 'Lambert', 'Dupont', 'Claes', 'Goossens', 'Wouters', 'Lemaire', 'Hermans'],
    street: frStreet,
    cities: [['Bruxelles', '1000', null], ['Liège', '4000', null], ['Namur', '5000', null], ['Charleroi', '6000', null], ['Mons', '7000', null], ['Wavre', '1300', null]],
    phone: (rng) => `+32 4${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}`,
    company: (last, rng) => rng.pick([`${last} Construction SRL`, `Toitures ${last} SPRL`]),
    vatNumber: (rng) => `BE0${rng.digits(9)}`,
    relays: ['Librairie du Parc', 'Night Shop Central', 'Pressing Royal'],
  },
  DE: {
    first: ['Lukas', 'Anna', 'Maximilian', 'Sophie', 'Leon', 'Marie', 'Felix', 'Laura', 'Jonas', 'Lena', 'Paul', 'Julia', 'Jürgen', 'Sabine', 'Björn', 'Katrin'],
    last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Koch', 'Bauer', 'Richter', 'Wolf', 'Schäfer', 'Krüger'],
    street: (rng) => `${rng.pick(['Hauptstraße', 'Schulstraße', 'Gartenweg', 'Bahnhofstraße', 'Lindenallee', 'Bergstraße', 'Dorfstraße', 'Goethestraße', 'Am Mühlbach'])} ${rng.int(1, 120)}`,
    cities: [['Berlin', '10115', null], ['München', '80331', null], ['Hamburg', '20095', null], ['Köln', '50667', null], ['Frankfurt am Main', '60311', null], ['Stuttgart', '70173', null], ['Düsseldorf', '40213', null], ['Leipzig', '04109', null], ['Dresden', '01067', null], ['Nürnberg', '90402', null]],
    phone: (rng) => `+49 151 ${rng.digits(8)}`,
    company: (last, rng) => rng.pick([`${last} Haustechnik GmbH`, `Malerbetrieb ${last} GmbH & Co. KG`, `${last} Bau GmbH`]),
    vatNumber: (rng) => `DE${rng.digits(9)}`,
    relays: [],
  },
  ES: {
    first: ['Lucía', 'Hugo', 'Martina', 'Mateo', 'Sofía', 'Pablo', 'María', 'Daniel', 'Carmen', 'Javier', 'Alejandro', 'Paula', 'Begoña', 'Íñigo'],
    last: ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín', 'Jiménez', 'Ruiz', 'Muñoz', 'Núñez'],
    street: (rng) => `${rng.pick(['Calle Mayor', 'Calle de Alcalá', 'Gran Vía', 'Calle del Sol', 'Calle de la Paz', 'Avenida de la Constitución', 'Paseo de la Castellana'])}, ${rng.int(1, 150)}`,
    cities: [['Madrid', '28013', 'Madrid'], ['Barcelona', '08001', 'Barcelona'], ['Valencia', '46001', 'Valencia'], ['Sevilla', '41001', 'Sevilla'], ['Zaragoza', '50001', 'Zaragoza'], ['Málaga', '29001', 'Málaga'], ['Bilbao', '48001', 'Bizkaia'], ['Murcia', '30001', 'Murcia']],
    phone: (rng) => `+34 6${rng.digits(2)} ${rng.digits(3)} ${rng.digits(3)}`,
    company: (last, rng) => rng.pick([`Reformas ${last} S.L.`, `Construcciones ${last} S.A.`]),
    vatNumber: (rng) => `ESB${rng.digits(8)}`,
    relays: ['Estanco Plaza Mayor', 'Papelería Luna', 'Kiosko Central'],
  },
  IT: {
    first: ['Giulia', 'Francesco', 'Sofia', 'Alessandro', 'Aurora', 'Lorenzo', 'Chiara', 'Matteo', 'Giorgia', 'Marco', 'Federica', 'Luca', 'Niccolò'],
    last: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'De Luca'],
    street: (rng) => `${rng.pick(['Via Roma', 'Via Garibaldi', 'Via Mazzini', 'Via Dante', 'Corso Cavour', 'Via Verdi', 'Corso Vittorio Emanuele II', 'Piazza della Libertà'])}, ${rng.int(1, 120)}`,
    cities: [['Roma', '00184', 'RM'], ['Milano', '20121', 'MI'], ['Napoli', '80133', 'NA'], ['Torino', '10121', 'TO'], ['Bologna', '40121', 'BO'], ['Firenze', '50123', 'FI'], ['Genova', '16121', 'GE'], ['Palermo', '90133', 'PA']],
    phone: (rng) => `+39 3${rng.digits(2)} ${rng.digits(3)} ${rng.digits(4)}`,
    company: (last, rng) => rng.pick([`Edilizia ${last} S.r.l.`, `Idraulica ${last} S.n.c.`]),
    vatNumber: (rng) => `IT${rng.digits(11)}`,
    relays: ['Tabaccheria Centrale', 'Edicola della Stazione', 'Cartoleria Fiore'],
  },
  GB: {
    first: ['Oliver', 'Amelia', 'George', 'Isla', 'Harry', 'Ava', 'Jack', 'Emily', 'Charlie', 'Sophie', 'James', 'Grace', 'Siobhan', 'Rhys'],
    last: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Wright', 'Evans', "O'Brien", 'Hughes', 'Khan'],
    street: (rng) => `${rng.int(1, 220)} ${rng.pick(['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Green Lane', 'Manor Road', 'Park Avenue', 'Mill Lane'])}`,
    cities: [['London', 'E1 6AN', null], ['Manchester', 'M1 1AE', null], ['Birmingham', 'B1 1BB', null], ['Leeds', 'LS1 4DY', null], ['Bristol', 'BS1 4DJ', null], ['Glasgow', 'G1 1XQ', null], ['Edinburgh', 'EH1 1YZ', null], ['Cardiff', 'CF10 1EP', null]],
    phone: (rng) => `+44 7${rng.digits(3)} ${rng.digits(6)}`,
    company: (last, rng) => rng.pick([`${last} Building Ltd`, `${last} & Sons Plumbing Ltd`]),
    vatNumber: (rng) => `GB${rng.digits(9)}`,
    relays: [],
  },
};

const ascii = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').replace(/[^A-Za-z0-9]/g, '').toLowerCase();

/** One generated customer: names, an address, contact details, and B2B data when asked. */
export function makePerson(market: Market, rng: Rng, b2b: boolean) {
  const loc = LOCALES[market];
  const firstname = rng.pick(loc.first);
  const lastname = rng.pick(loc.last);
  const [city, zipcode, province] = rng.pick(loc.cities);
  return {
    firstname,
    lastname,
    company: b2b ? loc.company(lastname, rng) : null,
    email: `${ascii(firstname)}.${ascii(lastname)}${rng.int(1, 99)}@example.com`,
    phone: loc.phone(rng),
    address_line1: loc.street(rng),
    address_line2: rng.chance(0.15) ? rng.pick(['Bât. B', 'Apt 12', '2nd floor', 'Escalier C', 'Hinterhaus']) : null,
    address_line3: null,
    zipcode,
    city,
    province,
    country: MARKETS[market].country,
    country_iso: market,
    vatNumber: b2b ? loc.vatNumber(rng) : null,
  };
}

/** A pickup point in the market, or null where the simulator has none (relays are FR/BE/ES/IT). */
export function makeRelay(market: Market, rng: Rng) {
  const loc = LOCALES[market];
  if (!loc.relays.length) return null;
  const [city, zipcode, province] = rng.pick(loc.cities);
  return {
    id: `${market}${rng.digits(6)}`,
    name: rng.pick(loc.relays),
    address_line1: loc.street(rng),
    address_line2: null,
    address_line3: null,
    zipcode, city, province,
    country: MARKETS[market].country,
    country_iso: market,
  };
}
