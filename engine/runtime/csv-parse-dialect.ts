/**
 * What the CSV parser (csv-parse.ts) is told and gives back: its options, the records and the
 * problems it reports, and the delimiter sniffing the CSV source and lookups do on a header line.
 * Import these through csv-parse.ts, which re-exports them.
 */

/** Parser settings. `delimiter` and `quote` are single characters. */
export interface CsvParseOptions {
  delimiter: string;
  quote?: string;
  /** Line number of the first character fed (default 1), e.g. after skipped preamble lines. */
  startLine?: number;
  /** A record still inside a quoted cell after this many line breaks is taken as an unclosed quote (default 10 000: real cells are far shorter; a long quoted cell is not cut into fake records). */
  maxRecordLines?: number;
  /** ... or after this many characters (default 16 MiB). */
  maxRecordChars?: number;
}

/**
 * Why a record could not be read. `unterminated`: the input ended inside a quoted cell;
 * `too-long`: a quoted cell ran past the limits; `stray`: a closing quote followed by something
 * other than the delimiter, a line end, or spaces. `line` is where the problem shows.
 */
export interface CsvRecordProblem {
  kind: 'unterminated' | 'too-long' | 'stray';
  line: number;
  /** For `stray`: the character after the closing quote. */
  char?: string;
  /** 1-based physical line where reading resumed (the line after the record's first line). */
  resumeLine: number;
}

/** One parsed record, before any header is applied. */
export interface CsvRawRecord {
  fields: string[];
  /** 1-based physical line where the record starts. */
  line: number;
  /** True when the record was cut by an unclosed quote (kept for callers that only check this). */
  unterminated?: boolean;
  /** Set on a record that could not be read: `fields` holds the cells read before the problem. */
  problem?: CsvRecordProblem;
  /** For a record with a problem: the text of its first physical line (what the caller rejects). */
  raw?: string;
}

/** Counts each candidate delimiter outside quotes in a header line (what `auto` and the mismatch check read). */
export function delimiterCounts(headerLine: string, quote = '"', candidates: readonly string[] = [',', ';', '\t', '|']): Map<string, number> {
  const counts = new Map<string, number>(candidates.map((c) => [c, 0]));
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === quote) inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  return counts;
}

/** Picks the delimiter that occurs most often outside quotes in a header line (`,` on a tie or none). */
export function sniffDelimiter(headerLine: string, quote = '"', candidates: readonly string[] = [',', ';', '\t', '|']): string {
  let best = candidates[0] ?? ',';
  let bestCount = 0;
  for (const [c, k] of delimiterCounts(headerLine, quote, candidates)) if (k > bestCount) { best = c; bestCount = k; }
  return best;
}
