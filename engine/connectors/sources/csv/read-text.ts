/**
 * Reading text files for the file sources (csv, ndjson, json): a pull-based stream of decoded
 * chunks, with multi-byte characters decoded correctly across chunk boundaries (TextDecoder in
 * streaming mode, the trap papaparse falls into with raw Buffers) and a UTF-8 BOM removed.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { ManoflowError } from '../../../errors.js';

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

function decoder(encoding: TextEncodingName): TextDecoder {
  try {
    return new TextDecoder(encoding === 'utf8' ? 'utf-8' : encoding);
  } catch (err) {
    throw new ManoflowError('FILE_BAD_ENCODING', `unsupported encoding ${JSON.stringify(encoding)}`, {
      hint: 'use utf8, latin1 or windows-1252',
      cause: err,
    });
  }
}

/**
 * Streams a file as decoded text chunks. Pull-based: the next chunk is read only when the
 * consumer asks, and breaking out of the loop closes the file.
 */
export async function* readTextChunks(path: string, encoding: TextEncodingName = 'utf8', highWaterMark = 64 * 1024): AsyncGenerator<string> {
  const dec = decoder(encoding);
  const stream = createReadStream(path, { highWaterMark });
  let first = true;
  try {
    for await (const bytes of stream as AsyncIterable<Buffer>) {
      let text = dec.decode(bytes, { stream: true });
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (text.length > 0) yield text;
    }
  } catch (err) {
    if (err instanceof ManoflowError) throw err;
    throw fileError(err, path);
  } finally {
    stream.destroy();
  }
  const tail = dec.decode();
  if (tail.length > 0) yield first && tail.charCodeAt(0) === 0xfeff ? tail.slice(1) : tail;
}

/** Reads a whole UTF-8 text file, BOM removed (for whole-document formats such as JSON). */
export async function readWholeText(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw fileError(err, path);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
