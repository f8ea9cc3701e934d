/**
 * `manoflow categories suggest CATALOG --column NAME`: reads a catalogue's own category column,
 * and for each distinct value proposes the best final ManoMano category with a score. The result
 * is a lookup CSV (`merchant_category;mm_category_id;path;score;products;alternatives`): its first
 * two columns are what a pipeline's `lookups:` reads, the others are there for the person who
 * reviews it. Below `--min-score` the id is left empty, to be filled by hand.
 */
import { basename, resolve } from 'node:path';
import { ManoflowError } from '../errors.js';
import type { LoadedTaxonomy } from '../connectors/taxonomy.js';
import { findSource } from '../connectors/registry.js';
import { didYouMeanHint } from '../rules/did-you-mean.js';
import { openAtomicFile } from '../runtime/atomic-file.js';
import { formatCsvRow } from '../runtime/csv-format.js';
import type { RunContext } from '../runtime/types.js';
import { suggestCategories } from '../manomano/taxonomy/search.js';
import { TaxonomyIndex } from '../manomano/taxonomy/taxonomy-index.js';
import type { TaxonomyLocale } from '../manomano/taxonomy-types.js';
import { EXIT } from './command.js';
import { printJson } from './output.js';

/** The header of the lookup CSV; a pipeline lookup reads the first two columns. */
export const SUGGESTION_COLUMNS = ['merchant_category', 'mm_category_id', 'path', 'score', 'products', 'alternatives'] as const;

interface SuggestFlags { column?: string; 'title-column'?: string; output?: string; delimiter?: string; 'min-score'?: string; json?: boolean }

/** Per distinct category value: how many rows, and a few product titles (with --title-column). */
interface Distinct { count: number; titles: string[] }

/** Counts the distinct values of one column of a CSV catalogue, through the csv source (same parsing as a run). */
async function distinctValues(path: string, column: string, titleColumn: string | undefined, delimiter: string): Promise<{ values: Map<string, Distinct>; rows: number }> {
  const ctx: RunContext = {
    pipelineFile: path, pipelineDir: process.cwd(), pipelineName: 'categories-suggest', resolvePath: (p) => resolve(p),
    reject() {}, warn() {}, report() {}, log: { info() {}, warn() {}, debug() {} }, options: {}, stateDir: resolve('.manoflow'),
  };
  const source = await findSource('csv')!.create({ type: 'csv', path, delimiter }, ctx);
  const values = new Map<string, Distinct>();
  let rows = 0;
  let checked = false;
  for await (const item of source.read()) {
    if (!item.ok) continue;
    rows++;
    if (!checked) {
      checked = true;
      for (const c of [column, titleColumn]) {
        if (c === undefined || c in item.record) continue;
        const columns = Object.keys(item.record);
        throw new ManoflowError('CLI_UNKNOWN_COLUMN', `${basename(path)} has no column "${c}"`, { hint: didYouMeanHint(c, columns) || `its columns: ${columns.join(', ')}` });
      }
    }
    const value = String(item.record[column] ?? '').trim();
    if (!value) continue;
    const entry = values.get(value) ?? { count: 0, titles: [] };
    entry.count++;
    const title = titleColumn === undefined ? '' : String(item.record[titleColumn] ?? '').trim();
    if (title && entry.titles.length < 20) entry.titles.push(title);
    values.set(value, entry);
  }
  return { values, rows };
}

/** Runs `categories suggest`; exit 0, or 1 when some values got no category above --min-score. */
export async function suggest(args: string[], flags: SuggestFlags, locale: TaxonomyLocale | undefined, loaded: LoadedTaxonomy): Promise<number> {
  const [catalog] = args;
  if (!catalog || !flags.column) {
    throw new ManoflowError('CLI_USAGE', 'categories suggest needs a catalogue file and --column', { hint: 'e.g. manoflow categories suggest examples/data/catalog.csv --column categorie --output category-lookup.csv' });
  }
  const minScore = flags['min-score'] === undefined ? 0.5 : Number(flags['min-score']);
  if (!(minScore >= 0 && minScore <= 1)) throw new ManoflowError('CLI_USAGE', `--min-score expects a number from 0 to 1, got "${flags['min-score']}"`);
  const { values, rows } = await distinctValues(catalog, flags.column, flags['title-column'], flags.delimiter ?? 'auto');
  const index = new TaxonomyIndex(loaded.doc);
  const ordered = [...values].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
  const lines = ordered.map(([merchant, { count, titles }]) => {
    const found = suggestCategories(index, merchant, { locales: locale ? [locale] : undefined, limit: 3, titles });
    const best = found[0];
    const accepted = best && best.score >= minScore ? best : undefined;
    return {
      merchant_category: merchant, mm_category_id: accepted ? String(accepted.category.id) : '', path: best?.path ?? '',
      score: best ? best.score.toFixed(2) : '0.00', products: String(count),
      alternatives: found.slice(accepted ? 1 : 0).map((m) => `${m.category.id} ${m.path} (${m.score.toFixed(2)})`).join(' | '),
    };
  });
  const unmatched = lines.filter((l) => !l.mm_category_id).length;
  if (flags.json) printJson(lines);
  else {
    const text = [SUGGESTION_COLUMNS, ...lines.map((l) => SUGGESTION_COLUMNS.map((c) => l[c]))].map((r) => formatCsvRow([...r], ';')).join('');
    if (flags.output) {
      const file = await openAtomicFile(resolve(flags.output));
      await file.write(text);
      await file.commit();
    } else process.stdout.write(text);
  }
  process.stderr.write(`${values.size} distinct ${flags.column} value(s) in ${rows} row(s); ${values.size - unmatched} matched at score >= ${minScore}, ${unmatched} left without an id`
    + `${flags.output ? `; written to ${flags.output}` : ''}. Review the ids (manoflow categories show ID), then use the file as a lookup: lookups: { categories: ${flags.output ?? 'FILE.csv'} }\n`);
  return unmatched > 0 ? EXIT.rejected : EXIT.ok;
}
