/**
 * The `csv` source: streams a CSV file row by row through engine/runtime/csv-parse.ts. Every
 * value is a string; a row that cannot be read (ragged, stray or unclosed quote) is yielded as a
 * rejected item with its physical line, and the rows after it are still read. What would make
 * every row wrong is fatal before the first record: invalid UTF-8, a header in another delimiter.
 */
import { ManoflowError, RecordError } from '../../../errors.js';
import { CsvParser, sniffDelimiter, type CsvRawRecord } from '../../../runtime/csv-parse.js';
import type { Row, Source, SourceDefinition, SourceItem, RunContext } from '../../../runtime/types.js';
import type { CsvSourceConfig } from '../../../types/generated/pipeline.js';
import { fileMeter, flattenBatches, readTextChunks, type ReadMeter, type TextEncodingName } from './read-text.js';
import { delimiterMismatch, dropTrailingField, headerNames } from './header.js';

const RAW_MAX = 500;

/**
 * Skips `skip` physical lines and hands over the header line (the first line after them): the
 * delimiter is sniffed from it under `auto`, and a one-column header is checked against it.
 */
async function* afterPreamble(
  chunks: AsyncIterator<string>,
  skip: number,
  onHeaderLine: (line: string) => void,
): AsyncGenerator<string> {
  const need = skip + 1;
  let head = '';
  let newlines = 0;
  let done = false;
  try {
    while (!done && newlines < need) {
      const r = await chunks.next();
      if (r.done) done = true;
      else {
        for (let k = r.value.indexOf('\n'); k >= 0 && newlines < need; k = r.value.indexOf('\n', k + 1)) newlines++;
        head += r.value;
      }
    }
    let at = 0;
    for (let s = 0; s < skip && at <= head.length; s++) {
      const k = head.indexOf('\n', at);
      at = k < 0 ? head.length + 1 : k + 1;
    }
    head = head.slice(Math.min(at, head.length));
    const k = head.indexOf('\n');
    onHeaderLine((k < 0 ? head : head.slice(0, k)).replace(/\r$/, ''));
    if (head.length > 0) yield head;
    if (done) return;
    for (let r = await chunks.next(); !r.done; r = await chunks.next()) yield r.value;
    done = true;
  } finally {
    // A consumer that stops early (`--limit`, preview) closes the file now, not at exit.
    if (!done) await chunks.return?.();
  }
}

/** Why a row could not be read, as the reject report says it (code, message, hint). */
function problemText(rec: CsvRawRecord, quote: string, header = false): { code: string; message: string; hint: string } {
  const p = rec.problem!;
  const resume = header ? 'the header row cannot be read' : `the row is rejected and reading resumes at line ${p.resumeLine}`;
  if (p.kind === 'stray') {
    const what = `a closing quote is followed by ${JSON.stringify(p.char)}`;
    return {
      code: 'CSV_QUOTE_STRAY',
      message: p.line === rec.line ? `line ${rec.line}: ${what}; ${resume}`
        : `line ${rec.line}: the quoted cell opened on this line runs on to line ${p.line}, where ${what} (a quote never closed on line ${rec.line}, or an undoubled quote inside a multi-line cell); ${resume}`,
      hint: `a quote inside a quoted cell must be doubled (${quote}${quote}), and only the delimiter or the end of the line may follow a closing quote`,
    };
  }
  return {
    code: 'CSV_UNTERMINATED_QUOTE',
    message: p.kind === 'unterminated'
      ? `line ${rec.line}: a quoted cell opened on this line is never closed before the end of the file; ${resume}`
      : `line ${rec.line}: a quoted cell opened on this line is still open after 10 000 lines or 16 MiB, taken as a missing closing quote; ${resume}`,
    hint: `look for a missing closing quote (${quote}) on line ${rec.line}; a quote inside a quoted cell must be doubled`,
  };
}

/** The ragged row's hint: a trailing delimiter (one extra empty last field) has a setting; anything else is a quoting or cell problem. */
function raggedHint(fields: readonly string[], expected: number, trim: boolean, line: number, delimiter: string): string {
  const last = fields[fields.length - 1] ?? '';
  if (fields.length === expected + 1 && (trim ? last.trim() : last) === '') {
    return `line ${line} ends with a ${JSON.stringify(delimiter)} (one extra, empty field): set trailing_delimiter: allow on the source to read such rows`;
  }
  return `check line ${line} for an unquoted ${JSON.stringify(delimiter)} inside a value, or a missing cell; cells holding the delimiter must be quoted`;
}

function rejectItem(code: string, message: string, hint: string, index: number, rec: CsvRawRecord, delimiter: string, id?: string): SourceItem {
  const raw = rec.raw ?? rec.fields.join(delimiter);
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

/**
 * `toRecord` for one header, compiled once into an object literal: the record gets all its keys at
 * creation in one shape (a property-by-property build costs ~3 µs a row and leaves most keys
 * outside the object). Same keys, order and values as `toRecord`; `__proto__` is a computed key,
 * which defines an ordinary property as `toRecord` does. Names are embedded as JSON string literals.
 */
function recordFactory(names: readonly string[], trim: boolean): (fields: readonly string[]) => Row {
  const cell = (i: number) => (trim ? `(f[${i}] ?? '').trim()` : `f[${i}] ?? ''`);
  const keys = names.map((n, i) => `${n === '__proto__' ? '["__proto__"]' : JSON.stringify(n)}: ${cell(i)}`);
  return new Function('f', `return { ${keys.join(', ')} };`) as (fields: readonly string[]) => Row;
}

/** The items of each parsed chunk as one array (the source hands them out one by one). */
async function* readCsv(config: CsvSourceConfig, ctx: RunContext, meter?: ReadMeter): AsyncGenerator<SourceItem[], void, undefined> {
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
  const allowTrailing = config.trailing_delimiter === 'allow';
  const header = config.header ?? true;
  const skip = config.skip_lines ?? 0;
  const chunks = readTextChunks(path, (config.encoding ?? 'utf8') as TextEncodingName, undefined, { fatal: true, code: 'CSV_ENCODING', meter });
  let headerLine = '';
  const text = afterPreamble(chunks[Symbol.asyncIterator](), skip, (line) => {
    headerLine = line;
    if (auto) delimiter = sniffDelimiter(line, quote);
  });

  let parser: CsvParser | undefined;
  let names: string[] | undefined = Array.isArray(header) ? headerNames(header, trim, path) : undefined;
  let idAt = -1;
  let index = 0;
  let mismatch: ManoflowError | undefined; // a one-column header that holds another delimiter
  const out: CsvRawRecord[] = [];
  let makeRecord: ((fields: readonly string[]) => Row) | undefined;
  const setNames = (list: string[]) => {
    names = list;
    makeRecord = recordFactory(list, trim);
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

  const drain = (items: SourceItem[]): void => {
    for (const rec of out) {
      if (!names) {
        if (rec.problem) {
          const { code, message, hint } = problemText(rec, quote, true);
          throw new ManoflowError(code, `${path}: ${message}`, { hint });
        }
        if (header === true) {
          if (allowTrailing) dropTrailingField(rec.fields, rec.fields.length - 1, trim);
          const list = headerNames(rec.fields, trim, path);
          mismatch = delimiterMismatch(list, headerLine, delimiter, quote, path);
          if (mismatch) names = list; // its error, not id_column's, explains what went wrong
          else setNames(list);
          continue;
        }
        setNames(rec.fields.map((_, i) => `col_${i + 1}`));
      }
      if (mismatch) throw mismatch; // the file has data: nothing read beats every attribute empty
      const id = idAt >= 0 ? (rec.fields[idAt] ?? '').trim() || undefined : undefined;
      const at = index++;
      if (rec.problem) {
        const { code, message, hint } = problemText(rec, quote);
        items.push(rejectItem(code, message, hint, at, rec, delimiter, id));
      } else if (rec.fields.length !== names!.length && !(allowTrailing && dropTrailingField(rec.fields, names!.length, trim))) {
        items.push(rejectItem('CSV_RAGGED_ROW', `line ${rec.line} has ${rec.fields.length} fields, the header has ${names!.length}`,
          raggedHint(rec.fields, names!.length, trim, rec.line, delimiter), at, rec, delimiter, id));
      } else {
        const record = makeRecord ? makeRecord(rec.fields) : toRecord(names!, rec.fields, trim);
        items.push({ ok: true, record, position: id ? { index: at, line: rec.line, id } : { index: at, line: rec.line } });
      }
    }
    out.length = 0;
  };
  // The items read before a fatal error still go out first, as when each was yielded on its own.
  const batch = async function* (): AsyncGenerator<SourceItem[], void, undefined> {
    const items: SourceItem[] = [];
    try {
      drain(items);
    } catch (err) {
      if (items.length > 0) yield items;
      throw err;
    }
    if (items.length > 0) yield items;
  };

  for await (const chunk of text) {
    parser ??= new CsvParser({ delimiter, quote, startLine: skip + 1 });
    parser.push(chunk, out);
    yield* batch();
  }
  parser ??= new CsvParser({ delimiter, quote, startLine: skip + 1 });
  parser.end(out);
  yield* batch();
}

/** The csv source definition (registry entry). */
const csvSource: SourceDefinition<CsvSourceConfig> = {
  kind: 'source',
  type: 'csv',
  summary: 'Reads a CSV file as a stream (auto delimiter, BOM, latin1, multi-line cells, line numbers in errors).',
  create(config, ctx): Source {
    const meter = fileMeter(ctx.resolvePath(config.path));
    return { read: () => flattenBatches(readCsv(config, ctx, meter)), progress: () => meter };
  },
};

export default csvSource;
