/**
 * Header names for the csv source: empty cells get positional names, duplicates are refused
 * (silently suffixing them would let a mapping read the wrong column of a real export). Also the
 * checks on the header line, and a synchronous header reader for validate-time field checks.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { TextDecoder } from 'node:util';
import { ManoflowError } from '../../../errors.js';
import { CsvParser, delimiterCounts, sniffDelimiter } from '../../../runtime/csv-parse.js';

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

/** True when `fields` has exactly one field more than `expected`, empty and last: it is removed (a trailing delimiter). */
export function dropTrailingField(fields: string[], expected: number, trim: boolean): boolean {
  if (expected < 1 || fields.length !== expected + 1) return false;
  const last = fields[expected]!;
  if ((trim ? last.trim() : last) !== '') return false;
  fields.pop();
  return true;
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

/** The source settings the header reader honours (a subset of the csv source's config). */
export interface CsvHeaderSettings {
  delimiter?: string;
  quote?: string;
  encoding?: string;
  header?: boolean | string[];
  skip_lines?: number;
  trim?: boolean;
  trailing_delimiter?: string;
}

const HEADER_READ_MAX = 1024 * 1024;

/**
 * The column names a csv source would see, read synchronously from the start of the file (for
 * validate, which is synchronous): BOM, encoding, skip_lines, delimiter `auto`, quotes, trim and
 * `header: false | [names]` as the source does. Returns undefined when the names cannot be known
 * for sure (unreadable file, invalid settings or bytes, empty file, a header the run would refuse).
 */
export function readCsvHeaderSync(path: string, settings: CsvHeaderSettings, onMismatch?: (err: ManoflowError) => void): string[] | undefined {
  const header = settings.header ?? true;
  const trim = settings.trim === true;
  const quote = settings.quote ?? '"';
  try {
    if (Array.isArray(header)) return headerNames(header, trim, path);
    if (typeof header !== 'boolean') return undefined;
    const encoding = settings.encoding ?? 'utf8';
    if (!['utf8', 'latin1', 'windows-1252'].includes(encoding) || quote.length !== 1) return undefined;
    const text = readHead(path, encoding, (settings.skip_lines ?? 0) + 1);
    if (text === undefined) return undefined;
    let at = 0;
    for (let s = 0; s < (settings.skip_lines ?? 0); s++) {
      const k = text.indexOf('\n', at);
      if (k < 0) return undefined;
      at = k + 1;
    }
    const rest = text.slice(at);
    const nl = rest.indexOf('\n');
    const line = (nl < 0 ? rest : rest.slice(0, nl)).replace(/\r$/, '');
    let delimiter = settings.delimiter ?? ',';
    if (delimiter === 'auto') delimiter = sniffDelimiter(line, quote);
    if (delimiter.length !== 1 || delimiter === quote) return undefined;
    const parser = new CsvParser({ delimiter, quote });
    const out = parser.push(rest);
    const first = out[0] ?? parser.end(out)[0];
    if (!first || first.problem || (first.fields.length === 1 && first.fields[0] === '')) return undefined;
    if (header === false) return first.fields.map((_, i) => `col_${i + 1}`);
    const cells = [...first.fields];
    // as the source does under trailing_delimiter: allow (an empty last header name is dropped)
    if (settings.trailing_delimiter === 'allow') dropTrailingField(cells, cells.length - 1, trim);
    const names = headerNames(cells, trim, path);
    const mismatch = delimiterMismatch(names, line, delimiter, quote, path);
    if (mismatch) onMismatch?.(mismatch);
    return mismatch ? undefined : names;
  } catch {
    return undefined;
  }
}

/** Reads and decodes the start of a file until it holds `lines` line ends (1 MiB at most); undefined on invalid UTF-8. */
function readHead(path: string, encoding: string, lines: number): string | undefined {
  const fd = openSync(path, 'r');
  try {
    const dec = new TextDecoder(encoding === 'utf8' ? 'utf-8' : encoding, { fatal: encoding === 'utf8' });
    const buf = Buffer.alloc(64 * 1024);
    let text = '';
    let total = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) { text += dec.decode(); break; }
      total += n;
      // An incomplete character at a cut is kept by the streaming decoder; invalid bytes throw.
      text += dec.decode(buf.subarray(0, n), { stream: true });
      if ((text.match(/\n/g)?.length ?? 0) >= lines || total >= HEADER_READ_MAX) break;
    }
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
