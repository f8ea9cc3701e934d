/**
 * The output file shared by the file destinations (csv, json, ndjson): the path (the run option
 * `output` wins over the pipeline's), opened lazily as an atomic file so that a run that fails
 * before writing leaves nothing behind, committed or discarded once on close.
 */
import { ManoflowError } from '../../../errors.js';
import { open } from 'node:fs/promises';
import { openAtomicFile, type AtomicFile } from '../../../runtime/atomic-file.js';
import type { DestinationResult, OutputItem, RunContext } from '../../../runtime/types.js';

/**
 * The final path: the run option `output` if set, else the pipeline's `output`, both through
 * `ctx.resolvePath` (as the runner does for the reject report beside it; an absolute path is kept).
 */
export function outputPath(output: string, ctx: RunContext): string {
  return ctx.resolvePath(ctx.options.output || output);
}

/** How a file output treats what is already there, and a run with no record. */
export interface OutputFileOptions {
  /** `append`: the run's records go after the file's (copied into the temporary file, then renamed: still atomic). */
  mode?: 'replace' | 'append';
  /** `skip`: a run with no record writes no file (a templated path would otherwise collect empty files). */
  ifEmpty?: 'write' | 'skip';
}

/**
 * A lazily opened atomic output with a header and footer hook. `head` gets the first line of the
 * file being appended to (undefined: a new file), and returns what to write first.
 */
export class OutputFile {
  private file: AtomicFile | undefined;
  private opening: Promise<AtomicFile> | undefined;
  private closed = false;
  private records = 0;

  constructor(readonly path: string, private readonly head: (appendingTo?: string) => string = () => '', private readonly options: OutputFileOptions = {}) {}

  /** Writes the text of `count` records, opening the temporary file (and writing the head) on first use. */
  async write(text: string, count = 1): Promise<void> {
    if (this.closed) throw new ManoflowError('DEST_CLOSED', `write after close on ${this.path}`);
    this.records += count;
    const file = await this.open();
    if (text.length > 0) await file.write(text);
  }

  private async open(): Promise<AtomicFile> {
    if (this.file) return this.file;
    this.opening ??= (async () => {
      let f: AtomicFile;
      try {
        f = await openAtomicFile(this.path);
      } catch (err) {
        throw new ManoflowError('DEST_OPEN_FAILED', `cannot write ${this.path}: ${(err as Error).message}`, {
          hint: 'check that the output folder is writable (the path is relative to the pipeline file)',
          cause: err,
        });
      }
      const existing = this.options.mode === 'append' ? await copyExisting(this.path, f) : undefined;
      const head = this.head(existing);
      if (head.length > 0) await f.write(head);
      this.file = f;
      return f;
    })();
    return this.opening;
  }

  /** `ok`: writes the tail, commits (rename over the target). Not ok: removes the temporary file. */
  async close(ok: boolean, tail: () => string = () => ''): Promise<DestinationResult> {
    if (this.closed) return { outputs: ok ? [this.path] : [] };
    if (ok && this.records === 0 && this.options.ifEmpty === 'skip') ok = false;
    if (!ok) {
      this.closed = true;
      const file = this.file ?? (this.opening ? await this.opening.catch(() => undefined) : undefined);
      await file?.abort();
      return { outputs: [] };
    }
    const file = await this.open();
    this.closed = true;
    try {
      const text = tail();
      if (text.length > 0) await file.write(text);
      await file.commit();
    } catch (err) {
      await file.abort().catch(() => undefined);
      throw err;
    }
    return { outputs: [this.path] };
  }
}

/** The reject entry for a record a file destination could not write. */
export function destinationReject(ctx: RunContext, item: OutputItem, code: string, message: string, hint?: string): void {
  const { index, line, id } = item.position;
  ctx.reject({ stage: 'destination', index, line, id, code, message, hint });
}

/**
 * Appending: the file as it is goes first into the temporary file (so the rename keeps the
 * commit atomic); returns its first line (a CSV header to match), or undefined when there is none.
 */
async function copyExisting(path: string, into: AtomicFile): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ManoflowError('DEST_OPEN_FAILED', `cannot read ${path} to append to it: ${(err as Error).message}`, { cause: err });
  }
  try {
    let first: string | undefined;
    let last = 0x0a;
    for await (const chunk of handle.readableWebStream() as unknown as AsyncIterable<Uint8Array>) {
      const bytes = Buffer.from(chunk);
      if (first === undefined) first = bytes.toString('utf8').split(/\r?\n/, 1)[0];
      last = bytes[bytes.length - 1] ?? last;
      await into.write(bytes);
    }
    // a file without a final newline gets one, so the first appended record starts its own line
    if (first !== undefined && last !== 0x0a) await into.write('\n');
    return first?.replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
}
