/**
 * The taxonomy cache: one plain JSON file per environment under the state directory
 * (`<state dir>/taxonomy/<environment>.json`), holding the category tree, the field dictionary
 * and the date they were fetched. Deliberately a tiny file reader/writer of its own, apart from
 * engine/state: the cache is re-fetchable, so it never needs the journal's guarantees.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ManoflowError } from '../../errors.js';
import type { TaxonomyDocument } from '../taxonomy-types.js';

/** Why: one place names the file, so `manoflow categories` and the products feed share it. */
export function taxonomyCachePath(stateDir: string, environment: string): string {
  return join(stateDir, 'taxonomy', `${environment}.json`);
}

/** The cached taxonomy, or undefined when there is none; a file that is not one is an error naming it. */
export function readTaxonomyCache(path: string): TaxonomyDocument | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ManoflowError('TAXONOMY_CACHE', `cannot read the taxonomy cache ${path}: ${(err as Error).message}`, { cause: err });
  }
  let doc: Partial<TaxonomyDocument>;
  try {
    doc = JSON.parse(text) as Partial<TaxonomyDocument>;
  } catch (err) {
    throw new ManoflowError('TAXONOMY_CACHE', `the taxonomy cache ${path} is not valid JSON: ${(err as Error).message}`, {
      hint: 'delete it, or fetch it again with `manoflow categories --refresh`', cause: err,
    });
  }
  if (doc.format !== 1 || !Array.isArray(doc.categories) || !Array.isArray(doc.fields) || typeof doc.fetched_at !== 'string') {
    throw new ManoflowError('TAXONOMY_CACHE', `the taxonomy cache ${path} is not a manoflow taxonomy (format 1)`, {
      hint: 'fetch it again with `manoflow categories --refresh`',
    });
  }
  return doc as TaxonomyDocument;
}

/** Writes the cache atomically (temporary file, then rename): a crash never leaves half a taxonomy. */
export function writeTaxonomyCache(path: string, doc: TaxonomyDocument): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(doc));
  renameSync(tmp, path);
}

/** Whole days between the fetch and `now`, for "fetched 40 days ago: refresh it" warnings. */
export function taxonomyAgeDays(doc: TaxonomyDocument, now: Date = new Date()): number {
  return Math.floor((now.getTime() - Date.parse(doc.fetched_at)) / 86_400_000);
}
