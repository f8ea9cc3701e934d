/**
 * The `csv` source: streams a CSV file row by row through engine/runtime/csv-parse.ts. Every
 * value is a string; a row that cannot be read (ragged, unterminated quote) is yielded as a
 * rejected item with its physical line, and the rows after it are still read.
 */
import { ManoflowError, RecordError } from '../../../errors.js';
import { CsvParser, sniffDelimiter, type CsvRawRecord } from '../../../runtime/csv-parse.js';
import type { Row, Source, SourceDefinition, SourceItem, RunContext } from '../../../runtime/types.js';
import type { CsvSourceConfig } from '../../../types/generated/pipeline.js';
import { readTextChunks, type TextEncodingName } from './read-text.js';
import { headerNames } from './header.js';

const RAW_MAX = 500;

/** Skips `skip` physical lines and, when asked, sniffs the delimiter from the header line. */
async function* afterPreamble(
  chunks: AsyncIterator<string>,
  skip: number,
  sniff: boolean,
  onDelimiter: (d: string) => void,
  quote: string,
): AsyncGenerator<string> {
  const need = skip + (sniff ? 1 : 0);
  let head = '';
  let newlines = 0;
  let done = false;
  while (!done && newlines < need) {
    const r = await chunks.next();
    if (r.done) done = true;
    else {
      for (let k = r.value.indexOf('\n'); k >= 0; k = r.value.indexOf('\n', k + 1)) newlines++;
      head += r.value;
    }
  }
  let at = 0;
  for (let s = 0; s < skip && at <= head.length; s++) {
    const k = head.indexOf('\n', at);
    at = k < 0 ? head.length + 1 : k + 1;
  }
  head = head.slice(Math.min(at, head.length));
  if (sniff) {
    const k = head.indexOf('\n');
    onDelimiter(sniffDelimiter(k < 0 ? head : head.slice(0, k), quote));
  }
  if (head.length > 0) yield head;
  if (done) return;
  for (let r = await chunks.next(); !r.done; r = await chunks.next()) yield r.value;
}

function rejectItem(code: string, message: string, hint: string, index: number, rec: CsvRawRecord, delimiter: string, id?: string): SourceItem {
  const raw = rec.fields.join(delimiter);
  return {
    ok: false,
    error: new RecordError(code, message, { hint }),
    position: id ? { index, line: rec.line, id } : { index, line: rec.line },
    raw: raw.length > RAW_MAX ? `${raw.slice(0, RAW_MAX)}…` : raw,
  };
}

/** Builds the record object; `__proto__` as a column name stays an ordinary key. */
function toRecord(names: readonly string[], fields: readonly string[], trim: boolean): Row {
  const rec: Row = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const raw = fields[i] ?? '';
    const value = trim ? raw.trim() : raw;
    if (name === '__proto__') Object.defineProperty(rec, name, { value, enumerable: true, writable: true, configurable: true });
    else rec[name] = value;
  }
  return rec;
}

async function* readCsv(config: CsvSourceConfig, ctx: RunContext): AsyncGenerator<SourceItem> {
  const path = ctx.resolvePath(config.path);
  const quote = config.quote ?? '"';
  let delimiter = config.delimiter ?? ',';
  const auto = delimiter === 'auto';
  if (!auto && delimiter.length !== 1) {
    throw new ManoflowError('CSV_BAD_DELIMITER', `delimiter must be one character or "auto", got ${JSON.stringify(delimiter)}`, {
      hint: 'use ",", ";", "\\t", "|" or "auto"',
    });
  }
  if (quote === delimiter) {
    throw new ManoflowError('CSV_BAD_DELIMITER', `quote and delimiter are the same character (${JSON.stringify(quote)})`, {
      hint: 'set `quote` or `delimiter` to another character',
    });
  }
  const trim = config.trim ?? false;
  const header = config.header ?? true;
  const skip = config.skip_lines ?? 0;
  const chunks = readTextChunks(path, (config.encoding ?? 'utf8') as TextEncodingName);
  const text = afterPreamble(chunks[Symbol.asyncIterator](), skip, auto, (d) => (delimiter = d), quote);

  let parser: CsvParser | undefined;
  let names: string[] | undefined = Array.isArray(header) ? headerNames(header, trim, path) : undefined;
  let idAt = -1;
  let index = 0;
  const out: CsvRawRecord[] = [];
  const setNames = (list: string[]) => {
    names = list;
    if (config.id_column !== undefined) {
      idAt = list.indexOf(config.id_column);
      if (idAt < 0) {
        throw new ManoflowError('CSV_UNKNOWN_ID_COLUMN', `id_column ${JSON.stringify(config.id_column)} is not a column of ${path}`, {
          hint: `the columns are: ${list.map((n) => JSON.stringify(n)).join(', ')}`,
        });
      }
    }
  };
  if (names) setNames(names);

  const drain = function* (): Generator<SourceItem> {
    for (const rec of out) {
      if (!names) {
        if (rec.unterminated) {
          throw new ManoflowError('CSV_UNTERMINATED_QUOTE', `${path}: the header row (line ${rec.line}) opens a quote that is never closed`, {
            hint: 'fix the quotes in the header line, or check `quote`',
          });
        }
        if (header === true) { setNames(headerNames(rec.fields, trim, path)); continue; }
        setNames(rec.fields.map((_, i) => `col_${i + 1}`));
      }
      const id = idAt >= 0 ? (rec.fields[idAt] ?? '').trim() || undefined : undefined;
      const at = index++;
      if (rec.unterminated) {
        yield rejectItem('CSV_UNTERMINATED_QUOTE', `line ${rec.line}: a quoted cell opened in this record is never closed before the end of the file`,
          `look for a missing closing quote (${quote}) at or after line ${rec.line}; a quote inside a quoted cell must be doubled`, at, rec, delimiter, id);
      } else if (rec.fields.length !== names!.length) {
        yield rejectItem('CSV_RAGGED_ROW', `line ${rec.line} has ${rec.fields.length} fields, the header has ${names!.length}`,
          `check line ${rec.line} for an unquoted ${JSON.stringify(delimiter)} inside a value, or a missing cell; cells holding the delimiter must be quoted`,
          at, rec, delimiter, id);
      } else {
        const record = toRecord(names!, rec.fields, trim);
        yield { ok: true, record, position: id ? { index: at, line: rec.line, id } : { index: at, line: rec.line } };
      }
    }
    out.length = 0;
  };

  for await (const chunk of text) {
    parser ??= new CsvParser({ delimiter, quote, startLine: skip + 1 });
    parser.push(chunk, out);
    yield* drain();
  }
  parser ??= new CsvParser({ delimiter, quote, startLine: skip + 1 });
  parser.end(out);
  yield* drain();
}

/** The csv source definition (registry entry). */
const csvSource: SourceDefinition<CsvSourceConfig> = {
  kind: 'source',
  type: 'csv',
  summary: 'Reads a CSV file as a stream (auto delimiter, BOM, latin1, multi-line cells, line numbers in errors).',
  create(config, ctx): Source {
    return { read: () => readCsv(config, ctx) };
  },
};

export default csvSource;
