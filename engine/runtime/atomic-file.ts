/**
 * Atomic output files: everything is written to a temporary file beside the target, flushed to
 * disk (fsync), and renamed over the target only on commit, so a crash never leaves a half-written
 * feed where ManoMano would fetch it. Temporary files left by a killed run are removed by the next
 * run that writes the same target.
 */
import { close as fsClose, createReadStream, createWriteStream, open as fsOpen, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { ManoflowError } from '../errors.js';
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
  // `-` (`--output -`): spooled to a temporary file and copied to stdout on commit, so a run that
  // fails writes nothing there either, as with a file.
  const toStdout = path === '-';
  const dir = toStdout ? tmpdir() : dirname(path);
  const name = toStdout ? 'manoflow-stdout' : basename(path);
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw ioError(err, path, 'create the folder of');
  }
  await removeStaleTemps(dir, name);
  // pid first (stale-file cleanup reads it), then a random part: two writers in one process never collide.
  const tmp = join(dir, `.${name}.${process.pid}.${randomUUID()}.tmp`);
  // A 1 MiB buffer (16 KiB by default): a batch's bytes go to disk while the next batch is mapped,
  // instead of the run waiting for each write (bench/README.md, "Batches and writes").
  const stream: WriteStream = createWriteStream(tmp, { encoding: 'utf8', fs: faultyFs(path), highWaterMark: 1 << 20 });
  // The first error of the stream (a full disk, an I/O error) is kept: every later write and the
  // commit fail with it, naming the target, and nothing is renamed over the target.
  let failure: ManoflowError | undefined;
  stream.on('error', (err) => { failure ??= ioError(err, path, 'write'); });
  try {
    await once(stream, 'open');
  } catch (err) {
    throw failure ?? ioError(err, path, 'write');
  }
  trackTemp(tmp);
  let done = false;
  let prepared = false;
  const end = async () => {
    if (stream.closed) return;
    stream.end();
    await once(stream, 'close');
  };
  const fail = async (): Promise<never> => {
    done = true;
    await end().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    openTemps.delete(tmp);
    throw failure!;
  };
  const prepare = async () => {
    if (prepared) return;
    if (failure) return fail();
    await end().catch(() => undefined);
    if (failure) return fail();
    try {
      const handle = await open(tmp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (err) {
      failure = ioError(err, path, 'write');
      return fail();
    }
    prepared = true;
  };
  return {
    path,
    async write(text) {
      if (failure) return fail();
      if (!stream.write(text)) await once(stream, 'drain').catch(() => undefined);
      if (failure) return fail();
    },
    prepare,
    async commit(target = path) {
      if (done) return;
      if (toStdout && target === '-') {
        if (failure) return fail();
        done = true;
        await end();
        await pipeline(createReadStream(tmp), process.stdout, { end: false });
        await rm(tmp, { force: true });
        openTemps.delete(tmp);
        return;
      }
      await prepare();
      done = true;
      try {
        await rename(tmp, target);
      } catch (err) {
        failure = ioError(err, target, 'write');
        await rm(tmp, { force: true }).catch(() => undefined);
        openTemps.delete(tmp);
        throw failure;
      }
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

/**
 * Why: a system error names neither the file the user knows (only the temporary one, if any) nor
 * what to do. A full disk, a quota, a read-only or forbidden folder each get a code and a hint;
 * the message says the previous file is untouched, which the atomic write guarantees.
 */
export function ioError(err: unknown, path: string, what: 'write' | 'create the folder of'): ManoflowError {
  if (err instanceof ManoflowError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  const kept = what === 'write' ? '; nothing was committed: the previous file, if any, is untouched' : '';
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new ManoflowError('IO_DISK_FULL', `no space left on the device to ${what} ${path}${code === 'EDQUOT' ? ' (disk quota reached)' : ''}${kept}`, {
      hint: `free space on the disk that holds ${dirname(path)} (df -h shows it), or write the output elsewhere, then re-run`, cause: err,
    });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new ManoflowError('IO_NOT_WRITABLE', `cannot ${what} ${path}: ${code === 'EROFS' ? 'the file system is read-only' : 'permission denied'}${kept}`, {
      hint: `check that the user running manoflow may write in ${dirname(path)}`, cause: err,
    });
  }
  if (code === 'EFBIG') {
    return new ManoflowError('IO_FILE_TOO_LARGE', `cannot ${what} ${path}: the file grew past the size this system allows${kept}`, {
      hint: 'check `ulimit -f` and the file system\'s maximum file size', cause: err,
    });
  }
  return new ManoflowError('IO_WRITE_FAILED', `cannot ${what} ${path}: ${(err as Error)?.message ?? String(err)}${kept}`, {
    hint: 'check the disk and the folder, then re-run', cause: err,
  });
}

/** A test hook: makes the writes of files whose target matches fail as the function says. */
type WriteFault = (target: string) => NodeJS.ErrnoException | undefined;
let writeFault: WriteFault | undefined;

/**
 * Why: a full disk cannot be had on demand in a test. Installs (or, with undefined, removes) a
 * fault: every write to the temporary file of a matching target fails with the error given, through
 * the same stream error path a real ENOSPC takes. For tests only.
 */
export function setWriteFaultForTests(fault: WriteFault | undefined): void {
  writeFault = fault;
}

/** The fs the write stream uses: node's, or one whose writes fail under an installed fault. */
function faultyFs(target: string): { open: typeof fsOpen; close: typeof fsClose; write: (...args: unknown[]) => void; writev: (...args: unknown[]) => void } | undefined {
  const error = writeFault?.(target);
  if (!error) return undefined;
  const fail = (...args: unknown[]) => {
    const cb = args[args.length - 1] as (err: Error) => void;
    process.nextTick(() => cb(Object.assign(new Error(error.message), { code: error.code, errno: error.errno, syscall: 'write' })));
  };
  return { open: fsOpen, close: fsClose, write: fail, writev: fail };
}
