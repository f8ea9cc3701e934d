/**
 * Header names for the csv source: empty cells get positional names, duplicates are refused
 * (silently suffixing them would let a mapping read the wrong column of a real export).
 */
import { ManoflowError } from '../../../errors.js';

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
