/**
 * Atomic output files: everything is written to a temporary file beside the target, flushed to
 * disk (fsync), and renamed over the target only on commit, so a crash never leaves a half-written
 * feed where ManoMano would fetch it. Temporary files left by a killed run are removed by the next
 * run that writes the same target.
 */
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';

export interface AtomicFile {
  /** The final path, written only on commit. */
  readonly path: string;
  /** Writes text, waiting for drain when the stream's buffer is full (back-pressure). */
  write(text: string | Uint8Array): Promise<void>;
  /** Flushes and fsyncs the temporary file (idempotent): what is left of a commit is one rename. */
  prepare(): Promise<void>;
  /**
   * Flushes, fsyncs and renames the temporary file over the target (or over `target`: a failed
   * run's report goes beside the committed one, never over it).
   */
  commit(target?: string): Promise<void>;
  /** Removes the temporary file; the target is untouched. */
  abort(): Promise<void>;
}

/** Open temporary files of this process, removed on exit whatever happens (Ctrl-C included). */
const openTemps = new Set<string>();
let exitHookInstalled = false;

function trackTemp(tmp: string): void {
  openTemps.add(tmp);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const t of openTemps) {
      try {
        // Synchronous on purpose: nothing asynchronous runs in an exit handler.
        rmSync(t, { force: true });
      } catch {
        // best effort
      }
    }
  });
}

/** Removes `.name.<pid>.<time>.tmp` files of processes that are gone (a run killed with -9). */
async function removeStaleTemps(dir: string, name: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return;
  }
  const prefix = `.${name}.`;
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
    const pid = Number(entry.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await rm(join(dir, entry), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function openAtomicFile(path: string): Promise<AtomicFile> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  await removeStaleTemps(dir, basename(path));
  // pid first (stale-file cleanup reads it), then a random part: two writers in one process never collide.
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomUUID()}.tmp`);
  const stream: WriteStream = createWriteStream(tmp, { encoding: 'utf8' });
  await once(stream, 'open');
  trackTemp(tmp);
  let done = false;
  let prepared = false;
  const end = async () => {
    if (stream.closed) return;
    stream.end();
    await once(stream, 'close');
  };
  const prepare = async () => {
    if (prepared) return;
    await end();
    const handle = await open(tmp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    prepared = true;
  };
  return {
    path,
    async write(text) {
      if (!stream.write(text)) await once(stream, 'drain');
    },
    prepare,
    async commit(target = path) {
      if (done) return;
      done = true;
      await prepare();
      await rename(tmp, target);
      openTemps.delete(tmp);
    },
    async abort() {
      if (done) return;
      done = true;
      await end().catch(() => undefined);
      await rm(tmp, { force: true });
      openTemps.delete(tmp);
    },
  };
}
