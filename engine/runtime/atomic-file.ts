/**
 * Atomic output files: everything is written to a temporary file beside the target and renamed
 * over it only on commit, so a crash never leaves a half-written feed where ManoMano would fetch it.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';

export interface AtomicFile {
  /** The final path, written only on commit. */
  readonly path: string;
  /** Writes text, waiting for drain when the stream's buffer is full (back-pressure). */
  write(text: string): Promise<void>;
  /** Flushes, fsyncs by closing, and renames the temporary file over the target. */
  commit(): Promise<void>;
  /** Removes the temporary file; the target is untouched. */
  abort(): Promise<void>;
}

export async function openAtomicFile(path: string): Promise<AtomicFile> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const stream: WriteStream = createWriteStream(tmp, { encoding: 'utf8' });
  await once(stream, 'open');
  let done = false;
  const end = async () => {
    if (stream.closed) return;
    stream.end();
    await once(stream, 'close');
  };
  return {
    path,
    async write(text) {
      if (!stream.write(text)) await once(stream, 'drain');
    },
    async commit() {
      if (done) return;
      done = true;
      await end();
      await rename(tmp, path);
    },
    async abort() {
      if (done) return;
      done = true;
      await end().catch(() => undefined);
      await rm(tmp, { force: true });
    },
  };
}
