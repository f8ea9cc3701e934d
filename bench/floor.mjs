// The hand-written floor: what a careful engineer writes by hand for the reference pipeline's
// mapping, with no engine. Exactly: papaparse parses the catalogue as a stream into one object per
// row (`header: true`); each row becomes the 25 attributes of bench/reference-pipeline.yaml, in
// its order, by plain JavaScript calling manoflow's native rule-box functions directly (the
// one-pass strip_html and truncate, number reading and formatting, join, lookups, replace,
// if/then: engine/rules/native, the same functions manoflow runs) and a JSON object for the
// category lookup; papaparse writes the rows back (`;`). No expression evaluation, no batches, no
// feed: no normalisation, no checks (EANs, prices, duplicates), no reject report; a value a
// native declines (none in the benchmark's catalogue) is left empty.
// `floor / limit` is the cost of the work itself, `manoflow / floor` the engine's own (feed included).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { papaStream } from './papa-stream.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const categories = JSON.parse(readFileSync(join(here, 'lookups', 'categories.json'), 'utf8'));

/**
 * The hand-written mapping of one record, with the native rule boxes of the checkout at `root`
 * (its dist/: this one by default; bench/natives.mjs passes another build to compare the two).
 */
export async function floorMapping(root = join(here, '..')) {
  const dist = (path) => pathToFileURL(join(root, 'dist', path)).href;
  const { bindRuleArgs, builtinRulesDir, loadRuleBox } = await import(dist('engine/rules/index.js'));
  const { NATIVE_RULES } = await import(dist('engine/rules/native/index.js'));
  // a native with the pipeline's arguments, the rule's defaults filled in as the pipeline binds them
  const rule = (name, args) => {
    const native = NATIVE_RULES[name](bindRuleArgs(loadRuleBox(name, [builtinRulesDir()]), args));
    if (!native) throw new Error(`floor: no native ${name} for ${JSON.stringify(args)}`);
    return native;
  };
  const stripHtml = rule('strip_html', { newlines: false });
  const title150 = rule('truncate', { length: 150, ellipsis: '…', word_boundary: true });
  const desc5000 = rule('truncate', { length: 5000, ellipsis: '…', word_boundary: true });
  const joinImages = rule('join', { separator: '#' });
  const addVat = rule('add_vat', { rate: 0.2, decimals: 2 });
  const price2 = rule('number_format', { decimals: 2, decimal_separator: '.', thousands_separator: '' });
  const weight3 = rule('number_format', { decimals: 3, decimal_separator: '.', thousands_separator: '' });
  const toNumber = rule('to_number', {});
  const colours = { rouge: 'Rouge', bleu: 'Bleu', vert: 'Vert', noir: 'Noir', blanc: 'Blanc', gris: 'Gris', inox: 'Inox', jaune: 'Jaune' };
  const colour = rule('lookup', { table: colours });
  const shipping = rule('replace', { pattern: '-', with: '#' });
  const freeReturn = rule('if_then_else', { equals: 'oui', then: 1, else: 0, case_sensitive: false });
  const vars = { vat_rate: 0.2 };
  const v = (x) => (typeof x === 'symbol' ? '' : x);
  /** One record of the reference pipeline, by hand (a value the natives decline is left empty). */
  return function map(r) {
    const shippingPrice = v(toNumber(r.frais_port_ttc));
    return [
      r.reference, r.ean13, r.reference_fabricant, r.marque, v(title150(v(stripHtml(r.nom)))), v(desc5000(v(stripHtml(r.description_html)))),
      r.categorie, categories[r.categorie] ?? '', r.image_1, r.image_2, r.image_3, r.image_4, r.image_5,
      v(joinImages([r.image_1, r.image_2, r.image_3, r.image_4, r.image_5])), v(addVat(r.prix_ht, r, vars)), v(price2(r.prix_barre_ttc)),
      v(toNumber(r.stock)), v(weight3(r.poids_kg)), 'kg', v(colour(r.couleur)), r.transporteur, v(shipping(r.delai_livraison)),
      shippingPrice === '' ? 0 : shippingPrice, v(freeReturn(r.retour_gratuit)), r.taux_tva,
    ];
  };
}

const map = await floorMapping();

/** papaparse parse → hand-written mapping → papaparse write, as the limit does without the mapping. */
export async function floor(catalog, output) {
  return { rows: await papaStream(catalog, output, { header: true, rows: (data) => data.map(map) }), outputs: [output] };
}
