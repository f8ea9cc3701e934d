/**
 * CSV formatting for every CSV we write (feeds, reports, plain csv destinations). Hand-written:
 * it is the hot path of a million-row feed, and quoting rules are simple (RFC 4180).
 */

/** Formats one cell: quoted only when it holds the delimiter, a quote, CR or LF. */
export function formatCsvCell(value: unknown, delimiter: string): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r')) {
    return `"${text.replaceAll('"', '""')}"`;
  }
  return text;
}

/** Formats one row, ending with `\n`. */
export function formatCsvRow(values: readonly unknown[], delimiter = ','): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += delimiter;
    out += formatCsvCell(values[i], delimiter);
  }
  return out + '\n';
}
