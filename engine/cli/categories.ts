/**
 * `manoflow categories`: ManoMano's category tree from the command line. Search it by words in
 * any of the five languages (`--search perceuse`), show one category with the attributes it
 * needs (`show ID`), or propose a ManoMano category for each of a catalogue's own categories
 * (`suggest`, categories-suggest.ts). The tree comes from the taxonomy cache of the state
 * directory, fetched when missing or with `--refresh`: the simulator for `local` (the default
 * without a pipeline), so it works offline from a fresh clone.
 */
import { resolve } from 'node:path';
import { loadPipeline } from '../config/load.js';
import { ManoflowError } from '../errors.js';
import { describeFetch, howToGetTaxonomy, loadTaxonomy, type LoadedTaxonomy } from '../connectors/taxonomy.js';
import { pipelineStateDir, resolveTaxonomySettings, type ProductsTaxonomyConfig } from '../connectors/destinations/manomano-products/category-settings.js';
import { acceptedValues, TaxonomyIndex } from '../manomano/taxonomy/taxonomy-index.js';
import { searchCategories } from '../manomano/taxonomy/search.js';
import { TAXONOMY_LOCALES, type TaxonomyLocale } from '../manomano/taxonomy-types.js';
import { EXIT, intFlag, parseCommandArgs, type CliCommand, type Flags } from './command.js';
import { printJson } from './output.js';
import { suggest } from './categories-suggest.js';

const usage = `manoflow categories [--search WORDS | search WORDS] [show ID] [--refresh] [--environment local|sandbox|production] [--pipeline FILE] [--state-dir DIR] [--language L] [--limit N] [--json]
       manoflow categories suggest CATALOG.csv --column NAME [--title-column NAME] [--output FILE.csv] [--delimiter C] [--min-score 0.5] [...same]`;

const OPTIONS = {
  search: { type: 'string', value: 'WORDS', description: 'categories whose path holds these words, in any of the five languages' },
  environment: { type: 'string', value: 'ENV', description: 'whose tree: local (the simulator, default without --pipeline), sandbox, production (sandbox/production need MANOMANO_API_KEY the first time)' },
  pipeline: { type: 'string', value: 'FILE', description: "use the environment, key and state directory of this products pipeline's taxonomy settings" },
  refresh: { type: 'boolean', description: 'fetch the tree again (it is cached in <state dir>/taxonomy/<environment>.json)' },
  'state-dir': { type: 'string', value: 'DIR', description: 'where the cache lives (default .manoflow in the current directory)' },
  language: { type: 'string', value: 'L', description: 'the language of the paths shown: fr_FR, de_DE, es_ES, it_IT or en_GB' },
  limit: { type: 'string', value: 'N', description: 'at most N categories in a search' },
  json: { type: 'boolean', description: 'print the result as JSON' },
  column: { type: 'string', value: 'NAME', description: "suggest: the catalogue's own category column" },
  'title-column': { type: 'string', value: 'NAME', description: 'suggest: the product titles of each category weigh in too (better guesses)' },
  output: { type: 'string', short: 'o', value: 'FILE.csv', description: 'suggest: write the lookup CSV (merchant_category;mm_category_id;path;score;products;alternatives) here instead of stdout' },
  delimiter: { type: 'string', value: 'C', description: "suggest: the catalogue's delimiter" },
  'min-score': { type: 'string', value: 'S', description: 'suggest: leave categories below this score (0..1) without a suggestion' },
} satisfies Flags;

/** Where the taxonomy comes from, from the flags (and the pipeline, when given). */
interface Where { environment: 'production' | 'sandbox' | 'local'; stateDir: string; apiKey?: string; config: ProductsTaxonomyConfig }

function whereFrom(values: { environment?: string; pipeline?: string; 'state-dir'?: string }): Where {
  let config: ProductsTaxonomyConfig = {};
  let stateDir = resolve(values['state-dir'] ?? '.manoflow');
  if (values.pipeline) {
    const p = loadPipeline(values.pipeline);
    const errors = p.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) throw new ManoflowError('CLI_PIPELINE', `${p.displayPath}: ${errors[0]!.message}`, { hint: `run \`manoflow validate ${values.pipeline}\`` });
    const dest = p.config.destination as { type?: string; taxonomy?: ProductsTaxonomyConfig; environment?: string; api_key?: string };
    config = dest.taxonomy ?? { environment: dest.environment as Where['environment'], api_key: dest.api_key };
    if (!values['state-dir']) stateDir = pipelineStateDir(p.dir, p.config);
  }
  const environment = (values.environment ?? config.environment ?? (values.pipeline ? 'production' : 'local')) as Where['environment'];
  if (!['production', 'sandbox', 'local'].includes(environment)) {
    throw new ManoflowError('CLI_USAGE', `--environment must be local, sandbox or production, got "${environment}"`);
  }
  return { environment, stateDir, apiKey: config.api_key || process.env.MANOMANO_API_KEY || undefined, config };
}

/** Loads (or fetches) the taxonomy, or fails with how to get it. */
export async function taxonomyFor(where: Where, refresh: boolean): Promise<LoadedTaxonomy> {
  const log = { info: (m: string) => process.stderr.write(`${m}\n`), warn: (m: string) => process.stderr.write(`warning: ${m}\n`), debug() {} };
  const loaded = await loadTaxonomy({
    environment: where.environment, stateDir: where.stateDir, apiKey: where.apiKey, refresh,
    baseUrl: where.config.base_url, simulator: where.config.simulator, fieldCategories: where.config.field_categories, log,
  });
  if (!loaded) {
    throw new ManoflowError('CLI_NO_TAXONOMY', `no ${where.environment} taxonomy is cached in ${where.stateDir} and there is no API key to fetch it`, { hint: howToGetTaxonomy(where.environment) });
  }
  return loaded;
}

function localeFlag(value: string | undefined): TaxonomyLocale | undefined {
  if (value === undefined) return undefined;
  if (!(TAXONOMY_LOCALES as readonly string[]).includes(value)) {
    throw new ManoflowError('CLI_USAGE', `--language must be one of ${TAXONOMY_LOCALES.join(', ')}, got "${value}"`);
  }
  return value as TaxonomyLocale;
}

export const command: CliCommand = {
  name: 'categories',
  summary: "search ManoMano's category tree, show a category's attributes, suggest categories for a catalogue",
  usage,
  flags: OPTIONS,
  notes: [
    'show ID: one category: its path in each language, its subcategories, the attributes it needs',
    "suggest CATALOG: for each distinct value of the catalogue's --column, the best final ManoMano category and a score (0..1),",
    '  as a lookup CSV to review, then use as a pipeline lookup',
  ],
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS, usage);
    const where = whereFrom(values);
    const locale = localeFlag(values.language);
    const [sub, ...rest] = positionals;
    if (sub === 'suggest') return suggest(rest, values, locale, await taxonomyFor(where, values.refresh === true));
    const loaded = await taxonomyFor(where, values.refresh === true);
    const index = new TaxonomyIndex(loaded.doc);
    const origin = `${where.environment} taxonomy, ${describeFetch(loaded.doc)}`;
    if (sub === 'show') return show(index, rest[0], locale, values.json === true, origin);
    // `categories search WORDS` reads as `--search WORDS`, beside the show and suggest subcommands
    const query = sub === 'search' ? rest : positionals;
    const words = [values.search, ...query].filter((w): w is string => Boolean(w)).join(' ');
    if (!words) {
      const finals = index.finals.length;
      process.stdout.write(`${loaded.doc.categories.length} categories (${finals} final) in the ${origin}:\n`);
      for (const root of index.children(null)) process.stdout.write(`  ${String(root.id).padStart(7)}  ${index.name(root, locale ?? 'fr_FR')} (${index.finalsUnder(root.id).length} final)\n`);
      process.stdout.write('search them with --search WORDS, e.g. manoflow categories --search perceuse\n');
      return EXIT.ok;
    }
    const matches = searchCategories(index, words, { locales: locale ? [locale] : undefined, limit: intFlag('limit', values.limit) ?? 20 });
    if (values.json) {
      printJson(matches.map((m) => ({ id: m.category.id, final: m.category.finalNode, score: m.score, language: m.locale, path: m.path })));
      return matches.length ? EXIT.ok : EXIT.rejected;
    }
    if (matches.length === 0) {
      process.stdout.write(`no category matches "${words}" (${origin})\n`);
      return EXIT.rejected;
    }
    process.stdout.write(`${matches.length} categor${matches.length === 1 ? 'y matches' : 'ies match'} "${words}" (${origin}); mm_category_id takes a final one:\n`);
    for (const m of matches) process.stdout.write(`  ${String(m.category.id).padStart(7)}  ${m.category.finalNode ? 'final' : '     '}  ${m.path}\n`);
    return EXIT.ok;
  },
};

/** `categories show ID`: the path in each language, the subcategories, and the attributes a final one needs. */
function show(index: TaxonomyIndex, raw: string | undefined, locale: TaxonomyLocale | undefined, json: boolean, origin: string): number {
  const id = Number(raw);
  const c = Number.isInteger(id) ? index.byId.get(id) : undefined;
  if (!c) throw new ManoflowError('CLI_UNKNOWN_CATEGORY', `no category ${raw ?? '(missing id)'} in the ${origin}`, { hint: 'find ids with manoflow categories --search WORDS' });
  const lang = locale ?? 'fr_FR';
  const fields = index.fieldsOf(id).map((f) => ({
    name: f.field.name, mandatory: f.mandatory, datatype: f.field.datatype,
    units: f.unit ? acceptedValues(f.unit, lang) : undefined,
    accepted_values: f.field.accepted_values.length ? acceptedValues(f.field, lang) : undefined,
  }));
  if (json) {
    printJson({ id, final: c.finalNode, paths: Object.fromEntries(TAXONOMY_LOCALES.map((l) => [l, index.path(id, l)])), children: index.children(id).map((k) => k.id), fields });
    return EXIT.ok;
  }
  const out = [`${id}  ${c.finalNode ? 'final category' : 'not final: mm_category_id takes one of the final categories under it'}`];
  for (const l of TAXONOMY_LOCALES) out.push(`  ${l}  ${index.path(id, l)}`);
  for (const k of index.children(id)) out.push(`  subcategory ${k.id}  ${index.name(k, lang)}${k.finalNode ? ' (final)' : ''}`);
  for (const f of fields) {
    const extra = [f.units ? `unit in ${f.name}_unit: ${f.units.join(', ')}` : '', f.accepted_values ? `one of: ${f.accepted_values.join(', ')}` : ''].filter(Boolean).join('; ');
    out.push(`  ${f.mandatory ? 'mandatory' : 'optional '}  ${f.name} (${f.datatype})${extra ? `  ${extra}` : ''}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.ok;
}
