/**
 * The one CSV parser behind every CSV manoflow reads. Hand-written, resumable state machine: fed
 * decoded text chunk by chunk, it emits records with the 1-based physical line where each starts
 * (counting the newlines inside quoted multi-line cells), which papaparse and fast-csv do not give.
 * Measured against papaparse, csv-parse and fast-csv by bench/csv-parsers.mjs.
 *
 * Dialect: RFC 4180 plus what shop exports do. Records end at LF, CRLF or a lone CR outside quotes;
 * a quote doubled inside a quoted cell is one quote; a quote inside an unquoted cell is literal; a
 * closing quote followed by anything but a delimiter or newline is taken as literal (lenient, like
 * papaparse); empty lines are skipped (they still count as lines). Lines are counted by LF, plus a
 * lone CR that ends a record.
 */

/** Parser settings. `delimiter` and `quote` are single characters. */
export interface CsvParseOptions {
  delimiter: string;
  quote?: string;
  /** Line number of the first character fed (default 1), e.g. after skipped preamble lines. */
  startLine?: number;
}

/** One parsed record, before any header is applied. */
export interface CsvRawRecord {
  fields: string[];
  /** 1-based physical line where the record starts. */
  line: number;
  /** True when the file ended inside a quoted cell (the last field holds the rest of the file). */
  unterminated?: boolean;
}

const enum S {
  RecordStart, // nothing read in this record yet (also: skip a LF that follows a CR)
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted, // saw a quote inside a quoted cell: doubled quote, end of cell, or literal
}

const LF = 10;
const CR = 13;

/** Incremental parser: `push(text)` returns the records completed so far, `end()` the last one. */
export class CsvParser {
  private readonly delim: number;
  private readonly quote: number;
  private readonly quoteText: string;
  private buf = '';
  private pos = 0;
  private state: S = S.RecordStart;
  private afterCr = false;
  private fields: string[] = [];
  private fieldStart = 0;
  private acc = ''; // quoted cell content before `fieldStart` (across doubled quotes and chunks)
  private line: number;
  private recordLine: number;

  constructor(options: CsvParseOptions) {
    if (options.delimiter.length !== 1) throw new Error(`CSV delimiter must be one character, got ${JSON.stringify(options.delimiter)}`);
    const quote = options.quote ?? '"';
    if (quote.length !== 1) throw new Error(`CSV quote must be one character, got ${JSON.stringify(quote)}`);
    this.delim = options.delimiter.charCodeAt(0);
    this.quote = quote.charCodeAt(0);
    this.quoteText = quote;
    this.line = options.startLine ?? 1;
    this.recordLine = this.line;
  }

  /** Feeds decoded text; returns every record that ended inside it. */
  push(chunk: string, out: CsvRawRecord[] = []): CsvRawRecord[] {
    // Keep only the unfinished part of the previous chunk (the current cell), then scan on.
    if (this.state === S.Unquoted || this.state === S.Quoted || this.state === S.QuoteInQuoted) {
      this.buf = this.buf.slice(this.fieldStart) + chunk;
      this.pos -= this.fieldStart;
      this.fieldStart = 0;
    } else {
      this.buf = chunk;
      this.pos = 0;
      this.fieldStart = 0;
    }
    this.scan(out, false);
    return out;
  }

  /** Signals the end of input; returns the final record when the text did not end with a newline. */
  end(out: CsvRawRecord[] = []): CsvRawRecord[] {
    this.scan(out, true);
    return out;
  }

  private endRecord(out: CsvRawRecord[], newlineLength: number): void {
    out.push({ fields: this.fields, line: this.recordLine });
    this.fields = [];
    this.line += 1;
    this.recordLine = this.line;
    this.state = S.RecordStart;
    this.pos += newlineLength;
  }

  private scan(out: CsvRawRecord[], final: boolean): void {
    const buf = this.buf;
    const n = buf.length;
    const d = this.delim;
    const q = this.quote;
    let i = this.pos;
    while (i < n) {
      const c = buf.charCodeAt(i);
      switch (this.state) {
        case S.RecordStart:
          if (this.afterCr) {
            this.afterCr = false;
            if (c === LF) { i++; continue; }
          }
          if (c === LF) { this.line++; this.recordLine = this.line; i++; continue; } // empty line
          if (c === CR) { this.line++; this.recordLine = this.line; this.afterCr = true; i++; continue; }
          this.state = S.FieldStart;
          continue;
        case S.FieldStart:
          if (c === q) { this.state = S.Quoted; this.acc = ''; this.fieldStart = i + 1; i++; continue; }
          this.state = S.Unquoted;
          this.fieldStart = i;
          continue;
        case S.Unquoted: {
          // Tight loop to the end of the cell.
          let j = i;
          let ch = c;
          while (ch !== d && ch !== LF && ch !== CR) {
            if (++j >= n) break;
            ch = buf.charCodeAt(j);
          }
          if (j >= n) { i = n; continue; }
          this.fields.push(buf.slice(this.fieldStart, j));
          if (ch === d) { this.state = S.FieldStart; i = j + 1; this.fieldStart = i; continue; }
          this.pos = j;
          if (ch === CR) this.afterCr = true;
          this.endRecord(out, 1);
          i = this.pos;
          continue;
        }
        case S.Quoted: {
          const k = buf.indexOf(this.quoteText, i);
          const stop = k < 0 ? n : k;
          for (let m = buf.indexOf('\n', i); m >= 0 && m < stop; m = buf.indexOf('\n', m + 1)) this.line++;
          if (k < 0) { i = n; continue; }
          this.state = S.QuoteInQuoted;
          i = k + 1;
          continue;
        }
        case S.QuoteInQuoted:
          if (c === q) {
            // Doubled quote: keep one.
            this.acc += buf.slice(this.fieldStart, i);
            this.fieldStart = i + 1;
            this.state = S.Quoted;
            i++;
            continue;
          }
          if (c === d || c === LF || c === CR) {
            this.fields.push(this.acc + buf.slice(this.fieldStart, i - 1));
            this.acc = '';
            if (c === d) { this.state = S.FieldStart; i++; this.fieldStart = i; continue; }
            this.pos = i;
            if (c === CR) this.afterCr = true;
            this.endRecord(out, 1);
            i = this.pos;
            continue;
          }
          // A stray quote inside a quoted cell: literal, the cell goes on.
          this.state = S.Quoted;
          continue;
      }
    }
    this.pos = i;
    if (!final) return;
    // End of input.
    if (this.state === S.Unquoted) {
      this.fields.push(buf.slice(this.fieldStart, n));
    } else if (this.state === S.FieldStart) {
      this.fields.push(''); // the text ended right after a delimiter
    } else if (this.state === S.QuoteInQuoted) {
      this.fields.push(this.acc + buf.slice(this.fieldStart, n - 1));
    } else if (this.state === S.Quoted) {
      this.fields.push(this.acc + buf.slice(this.fieldStart, n));
      out.push({ fields: this.fields, line: this.recordLine, unterminated: true });
      this.reset();
      return;
    }
    if (this.state !== S.RecordStart) out.push({ fields: this.fields, line: this.recordLine });
    this.reset();
  }

  private reset(): void {
    this.fields = [];
    this.acc = '';
    this.buf = '';
    this.pos = 0;
    this.fieldStart = 0;
    this.state = S.RecordStart;
  }
}

/** Parses a stream of decoded text chunks, pulling one chunk at a time (back-pressure). */
export async function* parseCsvChunks(chunks: AsyncIterable<string>, options: CsvParseOptions): AsyncGenerator<CsvRawRecord> {
  const parser = new CsvParser(options);
  const out: CsvRawRecord[] = [];
  for await (const chunk of chunks) {
    parser.push(chunk, out);
    for (const r of out) yield r;
    out.length = 0;
  }
  parser.end(out);
  for (const r of out) yield r;
}

/** Parses a whole string (tests, small inputs). */
export function parseCsvText(text: string, options: CsvParseOptions): CsvRawRecord[] {
  const parser = new CsvParser(options);
  return parser.end(parser.push(text));
}

/** Picks the delimiter that occurs most often outside quotes in a header line (`,` on a tie or none). */
export function sniffDelimiter(headerLine: string, quote = '"', candidates: readonly string[] = [',', ';', '\t', '|']): string {
  const counts = new Map<string, number>(candidates.map((c) => [c, 0]));
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === quote) inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = candidates[0] ?? ',';
  let bestCount = 0;
  for (const [c, k] of counts) if (k > bestCount) { best = c; bestCount = k; }
  return best;
}
