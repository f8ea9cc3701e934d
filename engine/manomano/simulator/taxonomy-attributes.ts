/**
 * The simulator's attribute dictionary: the category-specific columns of the product feed
 * (reference §6.3: `power`/`power_unit`, `material`, `ip_rating`...), with localized names,
 * datatypes, unit lists and localized accepted values. Data, not logic; names are written
 * fr|de|es|it|en, accepted values are parallel lists (reference §2.8: `accepted_values` and
 * `localized_accepted_values[locale]` pair up by position, as HDC's taxonomy parser reads them).
 */

/** Why: one string per name keeps the five languages of an entry on one line. */
export type Localized = string; // 'fr|de|es|it|en'

/** One category-specific attribute. `units` makes a `<key>_unit` column with that list. */
export interface AttributeSpec {
  names: Localized;
  datatype: 'numerical' | 'text';
  units?: readonly string[];
  /** Accepted values, canonical (English) first, then per language: 'fr|de|es|it' lists, parallel. */
  values?: { en: readonly string[]; fr: readonly string[]; de: readonly string[]; es: readonly string[]; it: readonly string[] };
}

const same = (list: readonly string[]) => ({ en: list, fr: list, de: list, es: list, it: list });
const split = (s: string) => s.split(',').map((v) => v.trim());

const num = (names: Localized, units?: string[]): AttributeSpec => ({ names, datatype: 'numerical', units });

/** Why: the attributes product types list (taxonomy-tree.ts); keys are the feed's column names. */
export const ATTRIBUTES: Record<string, AttributeSpec> = {
  power: num('Puissance|Leistung|Potencia|Potenza|Power', ['W', 'kW']),
  voltage: num('Tension|Spannung|Tensión|Tensione|Voltage', ['V']),
  battery_capacity: num('Capacité de la batterie|Akkukapazität|Capacidad de la batería|Capacità della batteria|Battery capacity', ['Ah']),
  chuck_size: num('Capacité du mandrin|Bohrfutterspannweite|Capacidad del portabrocas|Capacità del mandrino|Chuck size', ['mm']),
  torque: num('Couple|Drehmoment|Par de apriete|Coppia|Torque', ['Nm']),
  impact_energy: num('Énergie de frappe|Schlagenergie|Energía de impacto|Energia di impatto|Impact energy', ['J']),
  blade_diameter: num('Diamètre de la lame|Sägeblattdurchmesser|Diámetro del disco de corte|Diametro della lama|Blade diameter', ['mm']),
  disc_diameter: num('Diamètre du disque|Scheibendurchmesser|Diámetro del disco|Diametro del disco|Disc diameter', ['mm']),
  pad_diameter: num('Diamètre du plateau|Tellerdurchmesser|Diámetro de la base|Diametro del platorello|Pad diameter', ['mm']),
  planing_width: num('Largeur de rabotage|Hobelbreite|Ancho de cepillado|Larghezza di piallatura|Planing width', ['mm']),
  cutting_depth: num('Profondeur de coupe|Schnitttiefe|Profundidad de corte|Profondità di taglio|Cutting depth', ['mm']),
  cutting_width: num('Largeur de coupe|Schnittbreite|Ancho de corte|Larghezza di taglio|Cutting width', ['cm']),
  blade_length: num('Longueur de lame|Messerlänge|Longitud de la cuchilla|Lunghezza della lama|Blade length', ['cm']),
  bar_length: num('Longueur du guide|Schwertlänge|Longitud de la espada|Lunghezza della barra|Bar length', ['cm']),
  max_branch_diameter: num('Diamètre de coupe max.|Max. Astdurchmesser|Diámetro máx. de rama|Diametro max. dei rami|Max. branch diameter', ['mm']),
  max_pressure: num('Pression maximale|Maximaler Druck|Presión máxima|Pressione massima|Max. pressure', ['bar']),
  flow_rate: num('Débit|Fördermenge|Caudal|Portata|Flow rate', ['l/h', 'l/min']),
  max_area: num('Surface maximale|Maximale Fläche|Superficie máxima|Superficie massima|Max. area', ['m²']),
  heating_area: num('Surface de chauffe|Raumgröße|Superficie calefactable|Superficie riscaldabile|Heating area', ['m²']),
  grass_box: num('Capacité du bac|Fangkorbvolumen|Capacidad del recogedor|Capacità del cesto|Grass box capacity', ['L']),
  length: num('Longueur|Länge|Longitud|Lunghezza|Length', ['mm', 'cm', 'm']),
  width: num('Largeur|Breite|Ancho|Larghezza|Width', ['mm', 'cm', 'm']),
  height: num('Hauteur|Höhe|Altura|Altezza|Height', ['mm', 'cm', 'm']),
  diameter: num('Diamètre|Durchmesser|Diámetro|Diametro|Diameter', ['mm', 'cm']),
  spout_height: num('Hauteur du bec|Auslaufhöhe|Altura del caño|Altezza della bocca|Spout height', ['mm', 'cm']),
  volume: num('Volume|Volumen|Volumen|Volume|Volume', ['L', 'ml']),
  net_weight: num('Poids net|Nettogewicht|Peso neto|Peso netto|Net weight', ['kg', 'g']),
  head_weight: num('Poids de la tête|Kopfgewicht|Peso de la cabeza|Peso della testa|Head weight', ['g', 'kg']),
  max_load: num('Charge maximale|Maximale Belastbarkeit|Carga máxima|Portata massima|Max. load', ['kg']),
  tank_capacity: num('Capacité du réservoir|Tankinhalt|Capacidad del depósito|Capacità del serbatoio|Tank capacity', ['L']),
  coverage: num('Rendement|Ergiebigkeit|Rendimiento|Resa|Coverage', ['m²/L']),
  light_output: num('Flux lumineux|Lichtstrom|Flujo luminoso|Flusso luminoso|Light output', ['lm']),
  colour_temperature: num('Température de couleur|Farbtemperatur|Temperatura de color|Temperatura di colore|Colour temperature', ['K']),
  section: num('Section|Querschnitt|Sección|Sezione|Cross-section', ['mm²']),
  amperage: num('Intensité|Stromstärke|Intensidad|Corrente|Current', ['A']),
  noise_level: num('Niveau sonore|Schallpegel|Nivel sonoro|Livello sonoro|Noise level', ['dB']),
  screen_size: num("Taille de l'écran|Bildschirmgröße|Tamaño de pantalla|Dimensione dello schermo|Screen size", ['cm']),
  range: num('Portée|Reichweite|Alcance|Portata del segnale|Range', ['m']),
  cable_length: num('Longueur du câble|Kabellänge|Longitud del cable|Lunghezza del cavo|Cable length', ['m']),
  number_of_pieces: num('Nombre de pièces|Stückzahl|Número de piezas|Numero di pezzi|Number of pieces'),
  number_of_outlets: num('Nombre de prises|Anzahl Steckdosen|Número de tomas|Numero di prese|Number of outlets'),
  number_of_cores: num('Nombre de conducteurs|Anzahl Adern|Número de conductores|Numero di conduttori|Number of cores'),
  number_of_shelves: num('Nombre de tablettes|Anzahl Böden|Número de baldas|Numero di ripiani|Number of shelves'),
  number_of_drawers: num('Nombre de tiroirs|Anzahl Schubladen|Número de cajones|Numero di cassetti|Number of drawers'),
  number_of_modules: num('Nombre de modules|Anzahl Module|Número de módulos|Numero di moduli|Number of modules'),
  seat_count: num('Nombre de places|Anzahl Sitzplätze|Número de plazas|Numero di posti|Seats'),
  poles: num('Nombre de pôles|Polzahl|Número de polos|Numero di poli|Poles'),
  material: {
    names: 'Matériau|Material|Material|Materiale|Material', datatype: 'text',
    values: {
      en: split('Wood, Steel, Stainless steel, Aluminium, Plastic, Brass, Copper, Cast iron, Glass, Ceramic, Resin, Rattan'),
      fr: split('Bois, Acier, Acier inoxydable, Aluminium, Plastique, Laiton, Cuivre, Fonte, Verre, Céramique, Résine, Rotin'),
      de: split('Holz, Stahl, Edelstahl, Aluminium, Kunststoff, Messing, Kupfer, Gusseisen, Glas, Keramik, Harz, Rattan'),
      es: split('Madera, Acero, Acero inoxidable, Aluminio, Plástico, Latón, Cobre, Hierro fundido, Vidrio, Cerámica, Resina, Ratán'),
      it: split('Legno, Acciaio, Acciaio inox, Alluminio, Plastica, Ottone, Rame, Ghisa, Vetro, Ceramica, Resina, Rattan'),
    },
  },
  handle_material: {
    names: 'Matériau du manche|Stielmaterial|Material del mango|Materiale del manico|Handle material', datatype: 'text',
    values: {
      en: split('Wood, Fibreglass, Steel, Aluminium, Plastic'),
      fr: split('Bois, Fibre de verre, Acier, Aluminium, Plastique'),
      de: split('Holz, Glasfaser, Stahl, Aluminium, Kunststoff'),
      es: split('Madera, Fibra de vidrio, Acero, Aluminio, Plástico'),
      it: split('Legno, Fibra di vetro, Acciaio, Alluminio, Plastica'),
    },
  },
  colour: {
    names: 'Couleur|Farbe|Color|Colore|Colour', datatype: 'text',
    values: {
      en: split('White, Black, Grey, Anthracite, Beige, Brown, Red, Blue, Green, Yellow, Chrome, Brushed nickel, Gold, Transparent'),
      fr: split('Blanc, Noir, Gris, Anthracite, Beige, Marron, Rouge, Bleu, Vert, Jaune, Chromé, Nickel brossé, Doré, Transparent'),
      de: split('Weiß, Schwarz, Grau, Anthrazit, Beige, Braun, Rot, Blau, Grün, Gelb, Chrom, Nickel gebürstet, Gold, Transparent'),
      es: split('Blanco, Negro, Gris, Antracita, Beige, Marrón, Rojo, Azul, Verde, Amarillo, Cromado, Níquel cepillado, Dorado, Transparente'),
      it: split('Bianco, Nero, Grigio, Antracite, Beige, Marrone, Rosso, Blu, Verde, Giallo, Cromato, Nichel spazzolato, Oro, Trasparente'),
    },
  },
  finish: {
    names: 'Finition|Glanzgrad|Acabado|Finitura|Finish', datatype: 'text',
    values: { en: split('Matt, Satin, Gloss'), fr: split('Mat, Satiné, Brillant'), de: split('Matt, Seidenmatt, Glänzend'), es: split('Mate, Satinado, Brillante'), it: split('Opaco, Satinato, Lucido') },
  },
  head_type: {
    names: "Type d'empreinte|Antrieb|Tipo de cabeza|Tipo di impronta|Drive type", datatype: 'text',
    values: {
      en: split('Slotted, Phillips, Pozidriv, Torx, Hex'), fr: split('Plate, Phillips, Pozidriv, Torx, Six pans creux'),
      de: split('Schlitz, Phillips, Pozidriv, Torx, Innensechskant'), es: split('Plana, Phillips, Pozidriv, Torx, Hexagonal'),
      it: split('Taglio, Phillips, Pozidriv, Torx, Esagonale'),
    },
  },
  installation: {
    names: 'Installation|Montageart|Instalación|Installazione|Installation', datatype: 'text',
    values: {
      en: split('Wall-mounted, Freestanding, Built-in, Ceiling'), fr: split('Murale, À poser, Encastrable, Plafond'),
      de: split('Wandmontage, Freistehend, Einbau, Deckenmontage'), es: split('De pared, De pie, Empotrable, De techo'),
      it: split('A parete, Da appoggio, Da incasso, A soffitto'),
    },
  },
  ip_rating: { names: 'Indice de protection|Schutzart|Grado de protección|Grado di protezione|IP rating', datatype: 'text', values: same(split('IP20, IP44, IP54, IP65, IP66, IP67, IP68')) },
  socket_type: { names: 'Culot|Sockel|Casquillo|Attacco|Cap type', datatype: 'text', values: same(split('E27, E14, GU10, GU5.3, G9, B22')) },
  energy_class: { names: 'Classe énergétique|Energieeffizienzklasse|Clase energética|Classe energetica|Energy class', datatype: 'text', values: same(split('A, B, C, D, E, F, G')) },
  thread_size: { names: 'Filetage|Gewinde|Rosca|Filettatura|Thread size', datatype: 'text', values: same(['3/8"', '1/2"', '3/4"', '1"']) },
  resolution: { names: 'Résolution|Auflösung|Resolución|Risoluzione|Resolution', datatype: 'text', values: same(split('720p, 1080p, 2K, 4K')) },
};

/** The feed's generic columns (reference §6.3): mandatory flag, datatype, and their closed lists. */
export const GENERIC_FIELDS: { name: string; names: Localized; mandatory: boolean; datatype: 'numerical' | 'text'; contract?: 'mf'; values?: readonly string[] }[] = [
  { name: 'sku', names: 'Référence vendeur|Händler-Artikelnummer|Referencia del vendedor|Codice venditore|Seller SKU', mandatory: true, datatype: 'text' },
  { name: 'ean', names: 'EAN|EAN|EAN|EAN|EAN', mandatory: false, datatype: 'text' },
  { name: 'sku_manufacturer', names: 'Référence fabricant|Herstellerartikelnummer|Referencia del fabricante|Codice produttore|Manufacturer reference', mandatory: false, datatype: 'text' },
  { name: 'brand', names: 'Marque|Marke|Marca|Marca|Brand', mandatory: true, datatype: 'text' },
  { name: 'merchant_category', names: 'Catégorie marchand|Händlerkategorie|Categoría del vendedor|Categoria venditore|Merchant category', mandatory: false, datatype: 'text' },
  { name: 'mm_category_id', names: 'Catégorie ManoMano|ManoMano-Kategorie|Categoría ManoMano|Categoria ManoMano|ManoMano category', mandatory: true, datatype: 'numerical' },
  { name: 'title', names: 'Titre|Titel|Título|Titolo|Title', mandatory: true, datatype: 'text' },
  { name: 'description', names: 'Description|Beschreibung|Descripción|Descrizione|Description', mandatory: true, datatype: 'text' },
  ...[1, 2, 3, 4, 5].map((i) => ({ name: `image_${i}`, names: `Image ${i}|Bild ${i}|Imagen ${i}|Immagine ${i}|Image ${i}`, mandatory: i === 1, datatype: 'text' as const })),
  { name: 'ParentSKU', names: 'SKU parent|Eltern-SKU|SKU padre|SKU padre|Parent SKU', mandatory: false, datatype: 'text' },
  { name: 'weight', names: 'Poids|Gewicht|Peso|Peso|Weight', mandatory: false, datatype: 'numerical' },
  { name: 'weight_unit', names: 'Unité de poids|Gewichtseinheit|Unidad de peso|Unità di peso|Weight unit', mandatory: false, datatype: 'text', values: ['kg', 'g'] },
  { name: 'product_price_vat_inc', names: 'Prix TTC|Preis inkl. MwSt.|Precio IVA incl.|Prezzo IVA incl.|Price incl. VAT', mandatory: true, datatype: 'numerical' },
  { name: 'retail_price_vat_inc', names: 'Prix barré TTC|Streichpreis|Precio tachado|Prezzo barrato|Strike-through price', mandatory: false, datatype: 'numerical' },
  { name: 'quantity', names: 'Stock|Bestand|Stock|Giacenza|Stock', mandatory: true, datatype: 'numerical' },
  { name: 'eco_participation', names: 'Éco-participation|Öko-Beitrag|Ecotasa|Eco-contributo|Eco-participation', mandatory: false, datatype: 'numerical' },
  { name: 'use_grid', names: 'Grille transporteur|Versandraster|Tabla de transporte|Griglia di spedizione|Carrier grid', mandatory: false, datatype: 'numerical', values: ['0', '1'] },
  { name: 'carrier', names: 'Transporteur|Versanddienstleister|Transportista|Corriere|Carrier', mandatory: false, datatype: 'text' },
  { name: 'shipping_time', names: 'Délai de livraison|Lieferzeit|Plazo de entrega|Tempi di consegna|Delivery time', mandatory: false, datatype: 'text' },
  { name: 'shipping_price_vat_inc', names: 'Frais de port TTC|Versandkosten|Gastos de envío|Spese di spedizione|Shipping price', mandatory: false, datatype: 'numerical' },
  { name: 'DisplayWeight', names: 'Poids affiché|Anzeigegewicht|Peso mostrado|Peso visualizzato|Display weight', mandatory: false, datatype: 'numerical' },
  { name: 'weight_net', names: 'Poids net logistique|Logistik-Nettogewicht|Peso neto logístico|Peso netto logistico|Net weight (fulfilment)', mandatory: false, datatype: 'numerical', contract: 'mf' },
  { name: 'is_fragile', names: 'Fragile|Zerbrechlich|Frágil|Fragile|Fragile', mandatory: false, datatype: 'numerical', contract: 'mf', values: ['0', '1'] },
];
