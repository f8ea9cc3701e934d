/**
 * Header names for the csv source: empty cells get positional names, duplicates are refused
 * (silently suffixing them would let a mapping read the wrong column of a real export).
 */
import { ManoflowError } from '../../../errors.js';
import { delimiterCounts } from '../../../runtime/csv-parse.js';

/** Normalises header cells: trimmed when asked, `col_<n>` for an empty cell; throws CSV_DUPLICATE_HEADER. */
export function headerNames(cells: readonly string[], trim: boolean, file: string): string[] {
  const names = cells.map((c, i) => {
    const name = trim ? c.trim() : c;
    return name === '' ? `col_${i + 1}` : name;
  });
  const seen = new Map<string, number[]>();
  names.forEach((n, i) => seen.set(n, [...(seen.get(n) ?? []), i + 1]));
  const dups = [...seen].filter(([, cols]) => cols.length > 1);
  if (dups.length > 0) {
    const list = dups.map(([n, cols]) => `${JSON.stringify(n)} (columns ${cols.join(', ')})`).join(', ');
    throw new ManoflowError('CSV_DUPLICATE_HEADER', `${file}: duplicate column name(s) in the header: ${list}`, {
      hint: 'rename the columns in the file, or set `header` to an explicit list of unique names (the first row is then read as data; add `skip_lines: 1` to skip the original header)',
    });
  }
  return names;
}

/**
 * A comma file read with `delimiter: ";"` gives one column named after the whole header line and
 * every mapped attribute empty. Returns the fatal CSV_DELIMITER_MISMATCH for a one-column header
 * whose line holds another candidate delimiter outside quotes (a quoted `"Price, EUR"` is fine).
 */
export function delimiterMismatch(names: readonly string[], headerLine: string, delimiter: string, quote: string, file: string): ManoflowError | undefined {
  if (names.length !== 1) return undefined;
  let found: string | undefined;
  let most = 0;
  for (const [c, k] of delimiterCounts(headerLine, quote)) if (c !== delimiter && k > most) { found = c; most = k; }
  if (!found) return undefined;
  const shown = JSON.stringify(found);
  return new ManoflowError('CSV_DELIMITER_MISMATCH',
    `${file}: the header has a single column ${JSON.stringify(names[0])}: the file looks delimited by ${shown} (${most} in the header line), not by ${JSON.stringify(delimiter)}`,
    { hint: `set delimiter: ${shown} (or auto)` });
}
