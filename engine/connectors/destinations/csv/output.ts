/**
 * The output file shared by the file destinations (csv, json, ndjson): the path (the run option
 * `output` wins over the pipeline's), opened lazily as an atomic file so that a run that fails
 * before writing leaves nothing behind, committed or discarded once on close.
 */
import { ManoflowError } from '../../../errors.js';
import { openAtomicFile, type AtomicFile } from '../../../runtime/atomic-file.js';
import type { DestinationResult, OutputItem, RunContext } from '../../../runtime/types.js';

/**
 * The final path: the run option `output` if set, else the pipeline's `output`, both through
 * `ctx.resolvePath` (as the runner does for the reject report beside it; an absolute path is kept).
 */
export function outputPath(output: string, ctx: RunContext): string {
  return ctx.resolvePath(ctx.options.output || output);
}

/** A lazily opened atomic output with a header and footer hook. */
export class OutputFile {
  private file: AtomicFile | undefined;
  private opening: Promise<AtomicFile> | undefined;
  private closed = false;

  constructor(readonly path: string, private readonly head: () => string = () => '') {}

  /** Writes text, opening the temporary file (and writing the head) on first use. */
  async write(text: string): Promise<void> {
    if (this.closed) throw new ManoflowError('DEST_CLOSED', `write after close on ${this.path}`);
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
      const head = this.head();
      if (head.length > 0) await f.write(head);
      this.file = f;
      return f;
    })();
    return this.opening;
  }

  /** `ok`: writes the tail, commits (rename over the target). Not ok: removes the temporary file. */
  async close(ok: boolean, tail: () => string = () => ''): Promise<DestinationResult> {
    if (this.closed) return { outputs: ok ? [this.path] : [] };
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
