/**
 * Reading text files for the file sources (csv, ndjson, json): a pull-based stream of decoded
 * chunks, with multi-byte characters decoded correctly across chunk boundaries (TextDecoder in
 * streaming mode, the trap papaparse falls into with raw Buffers) and a UTF-8 BOM removed; and
 * the items parsed from each chunk handed out one by one (flattenBatches).
 */
import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { ManoflowError } from '../../../errors.js';

/** `path: -` in a pipeline (or `--output -`): the standard input (or output), not a file. */
export const STDIO_PATH = '-';

/** Why: `source: { path: - }` reads what is piped in (`export.sh | manoflow run p.yaml`). */
function openInput(path: string, highWaterMark: number): NodeJS.ReadableStream & { destroy(): void } {
  return path === STDIO_PATH ? process.stdin : createReadStream(path, { highWaterMark });
}

/** How far a file source has read, for progress: bytes read, and the file's size when known (not stdin). */
export interface ReadMeter { bytes: number; totalBytes?: number }

/** Why: percent and ETA on a terminal need the size before the first read. */
export function fileMeter(path: string): ReadMeter {
  if (path === STDIO_PATH) return { bytes: 0 };
  try {
    const stat = statSync(path);
    return stat.isFile() ? { bytes: 0, totalBytes: stat.size } : { bytes: 0 };
  } catch {
    return { bytes: 0 };
  }
}

/** Encodings the file sources accept (WHATWG labels: latin1 decodes as windows-1252). */
export type TextEncodingName = 'utf8' | 'latin1' | 'windows-1252';

/** Turns an fs error into a fatal, typed error that names the file and the pipeline setting. */
export function fileError(err: unknown, path: string, setting = 'path'): ManoflowError {
  const code = (err as { code?: string })?.code;
  if (code === 'ENOENT') {
    return new ManoflowError('FILE_NOT_FOUND', `file not found: ${path}`, {
      hint: `check the source's \`${setting}\`: it is resolved relative to the pipeline file`,
      cause: err,
    });
  }
  if (code === 'EISDIR') return new ManoflowError('FILE_READ_ERROR', `${path} is a directory, not a file`, { cause: err });
  return new ManoflowError('FILE_READ_ERROR', `cannot read ${path}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

function decoder(encoding: TextEncodingName, fatal: boolean): TextDecoder {
  try {
    return new TextDecoder(encoding === 'utf8' ? 'utf-8' : encoding, { fatal: fatal && encoding === 'utf8' });
  } catch (err) {
    throw new ManoflowError('FILE_BAD_ENCODING', `unsupported encoding ${JSON.stringify(encoding)}`, {
      hint: 'use utf8, latin1 or windows-1252',
      cause: err,
    });
  }
}

/** How a reader treats bytes that are not valid UTF-8: replaced by U+FFFD (default) or fatal. */
export interface DecodeOptions {
  /** Throw on the first invalid UTF-8 byte, naming its line, instead of decoding it as U+FFFD. */
  fatal?: boolean;
  /** The error code when `fatal` (default `FILE_ENCODING`). */
  code?: string;
  /** Counts the bytes read (progress). */
  meter?: ReadMeter;
}

/** Where the first invalid UTF-8 sequence of a file is (WHATWG decoder rules): byte offset, line, column. */
export interface InvalidUtf8 { offset: number; line: number; column: number; byte: number }

/**
 * Finds the first invalid UTF-8 sequence by re-reading the file (only after the decoder failed,
 * so the hot path pays nothing for line numbers). Column counts bytes from 1.
 */
export async function locateInvalidUtf8(path: string): Promise<InvalidUtf8 | undefined> {
  let needed = 0, lower = 0x80, upper = 0xbf;
  let offset = 0, line = 1, lineStart = 0, seqStart = 0, lead = 0;
  const at = (o: number, b: number): InvalidUtf8 => ({ offset: o, line, column: o - lineStart + 1, byte: b });
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  try {
    for await (const bytes of stream as AsyncIterable<Buffer>) {
      for (let i = 0; i < bytes.length; i++, offset++) {
        const b = bytes[i]!;
        if (needed === 0) {
          if (b < 0x80) { if (b === 10) { line++; lineStart = offset + 1; } continue; }
          seqStart = offset;
          lead = b;
          if (b >= 0xc2 && b <= 0xdf) needed = 1;
          else if (b >= 0xe0 && b <= 0xef) { needed = 2; if (b === 0xe0) lower = 0xa0; if (b === 0xed) upper = 0x9f; }
          else if (b >= 0xf0 && b <= 0xf4) { needed = 3; if (b === 0xf0) lower = 0x90; if (b === 0xf4) upper = 0x8f; }
          else return at(offset, b);
          continue;
        }
        if (b < lower || b > upper) return at(seqStart, lead);
        lower = 0x80;
        upper = 0xbf;
        needed--;
      }
    }
  } finally {
    stream.destroy();
  }
  return needed > 0 ? at(seqStart, lead) : undefined;
}

async function encodingError(path: string, code: string, cause: unknown): Promise<ManoflowError> {
  const bad = path === STDIO_PATH ? undefined : await locateInvalidUtf8(path).catch(() => undefined);
  const where = bad
    ? `line ${bad.line} is not valid UTF-8 (byte 0x${bad.byte.toString(16).toUpperCase().padStart(2, '0')} at column ${bad.column})`
    : 'the file is not valid UTF-8';
  return new ManoflowError(code, `${path}: ${where}: the file is probably in windows-1252 (latin1); nothing is read as U+FFFD`, {
    hint: 'set encoding: windows-1252 (or latin1) on the source',
    cause,
  });
}

const READ_SLICES = 4;

const isDecodeError = (err: unknown): boolean => (err as { code?: string })?.code === 'ERR_ENCODING_INVALID_ENCODED_DATA';

/**
 * Streams a file as decoded text chunks. Pull-based: the next chunk is read only when the
 * consumer asks, and breaking out of the loop closes the file. With `fatal`, invalid UTF-8 throws
 * a ManoflowError naming the line instead of silently becoming U+FFFD.
 */
export async function* readTextChunks(path: string, encoding: TextEncodingName = 'utf8', highWaterMark = 64 * 1024, options: DecodeOptions = {}): AsyncGenerator<string> {
  const fatal = options.fatal === true && encoding === 'utf8';
  const dec = decoder(encoding, fatal);
  // Each fs read costs the main thread a round trip to the thread pool (~0.5 µs a CSV row at
  // 64 KiB): read READ_SLICES chunks at once, still decode and hand them out chunk by chunk.
  const stream = openInput(path, highWaterMark * READ_SLICES);
  let first = true;
  let tail = '';
  try {
    const meter = options.meter;
    for await (const read of stream as AsyncIterable<Buffer>) {
      if (meter !== undefined) meter.bytes += read.length;
      for (let at = 0; at < read.length; at += highWaterMark) {
        const bytes = at === 0 && read.length <= highWaterMark ? read : read.subarray(at, at + highWaterMark);
        let text = dec.decode(bytes, { stream: true });
        if (first && text.length > 0) {
          first = false;
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        }
        if (text.length > 0) yield text;
      }
    }
    tail = dec.decode();
  } catch (err) {
    if (err instanceof ManoflowError) throw err;
    if (fatal && isDecodeError(err)) throw await encodingError(path, options.code ?? 'FILE_ENCODING', err);
    throw fileError(err, path);
  } finally {
    stream.destroy();
  }
  if (tail.length > 0) yield first && tail.charCodeAt(0) === 0xfeff ? tail.slice(1) : tail;
}

/** Reads a whole UTF-8 text file, BOM removed (for whole-document formats such as JSON). */
export async function readWholeText(path: string): Promise<string> {
  let text: string;
  try {
    if (path === STDIO_PATH) {
      const parts: Buffer[] = [];
      for await (const part of process.stdin) parts.push(part as Buffer);
      text = Buffer.concat(parts).toString('utf8');
    } else text = await readFile(path, 'utf8');
  } catch (err) {
    throw fileError(err, path);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// Handing parsed items out one by one. The csv source parses a whole chunk of text at a time;
// yielding each record from an async generator costs an async-generator step per record (~0.5 µs:
// its queue, an await on the yielded value, a `yield*` delegation), while a ready item here is one
// already-resolved promise (~0.15 µs).

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * Flattens `batches` into an async iterator with async-generator semantics: calls answered in
 * order even when not awaited one by one, done for good after the end or an error (the error
 * itself reaches the caller once), and `return()` (a consumer's `break`) closes `batches`.
 */
export function flattenBatches<T>(batches: AsyncGenerator<T[], void, undefined>): AsyncIterableIterator<T> {
  let items: T[] = [];
  let at = 0;
  let finished = false;
  let busy: Promise<unknown> | undefined; // the last call still in flight, when one is

  const refill = async (): Promise<IteratorResult<T, undefined>> => {
    try {
      for (;;) {
        const r = await batches.next();
        if (r.done) break;
        if (r.value.length > 0) {
          items = r.value;
          at = 1;
          return { done: false, value: r.value[0]! };
        }
      }
    } catch (err) {
      finished = true;
      items = [];
      throw err;
    }
    finished = true;
    items = [];
    return DONE;
  };

  const step = (): IteratorResult<T, undefined> | Promise<IteratorResult<T, undefined>> => {
    if (at < items.length) return { done: false, value: items[at++]! };
    return finished ? DONE : refill();
  };

  // Once a call waits on a refill, the calls after it queue behind it (rare: `for await` waits).
  const track = <R>(p: Promise<R>): Promise<R> => {
    busy = p;
    const clear = () => { if (busy === p) busy = undefined; };
    p.then(clear, clear);
    return p;
  };

  const close = async (): Promise<IteratorResult<T, undefined>> => {
    finished = true;
    items = [];
    await batches.return(undefined);
    return DONE;
  };

  const it: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => it,
    next() {
      if (busy) return track(busy.then(step, step));
      const r = step();
      return r instanceof Promise ? track(r) : Promise.resolve(r);
    },
    return() {
      return busy ? track(busy.then(close, close)) : track(close());
    },
  };
  return it;
}
