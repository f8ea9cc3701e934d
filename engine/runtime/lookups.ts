/**
 * Lookup tables loaded from files (category mappings, colour names...): a JSON object, or a CSV
 * whose first two columns are key and value. Available to expressions as `$lookups.<name>`.
 * Loaded once per run; a problem is a config error naming the file.
 */
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { ManoflowError } from '../errors.js';
import { parseCsvText, sniffDelimiter } from './csv-parse.js';

export type LookupTables = Record<string, Record<string, unknown>>;

export function loadLookupTable(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    throw new ManoflowError('CFG_LOOKUP_FILE', `cannot read lookup file ${path}: ${(err as NodeJS.ErrnoException).code ?? err}`, {
      hint: 'lookup paths are relative to the pipeline file', cause: err,
    });
  }
  if (extname(path).toLowerCase() === '.csv') {
    const delimiter = sniffDelimiter(text.split('\n', 1)[0] ?? '');
    const rows = parseCsvText(text, { delimiter });
    const table: Record<string, unknown> = {};
    for (const row of rows.slice(1)) {
      // A half-read row would silently map some keys to the wrong value: refuse the table instead.
      if (row.problem) throw new ManoflowError('CFG_LOOKUP_FILE', `lookup file ${path}: line ${row.line} cannot be read (${row.problem.kind} quote)`, { hint: 'fix the quoting of that line' });
      if (row.fields[0]) table[row.fields[0]] = row.fields[1] ?? '';
    }
    return table;
  }
  try {
    const data = JSON.parse(text);
    if (data && typeof data === 'object' && !Array.isArray(data)) return data as Record<string, unknown>;
  } catch (err) {
    throw new ManoflowError('CFG_LOOKUP_FILE', `lookup file ${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  throw new ManoflowError('CFG_LOOKUP_FILE', `lookup file ${path} must hold a JSON object (key → value)`, {
    hint: 'or use a CSV file with two columns: key,value',
  });
}

export function loadLookups(dir: string, lookups: Record<string, string> | undefined): LookupTables {
  const out: LookupTables = {};
  for (const [name, path] of Object.entries(lookups ?? {})) out[name] = loadLookupTable(resolve(dir, path));
  return out;
}
