/**
 * Lock FILES, for what is not in the state store: the machine-wide second lock of order-action
 * runs (one file per API URL and contract under the temp folder, so pipelines of this machine
 * with different state dirs do not send to one contract at the same time). The locks that
 * guarantee "never twice" live in the state store with the state they protect (lease.ts).
 * A lock file is created with the `wx` flag holding `{ pid, host, started, token }`; a lock whose
 * process is gone (same host, pid not alive) is stale and taken over. Held locks are released on
 * release(), on process exit and on SIGINT/SIGTERM (when nothing else handles the signal). A
 * waiter polls up to a timeout and then fails with STATE_LOCKED, naming the holder and the file.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { ManoflowError } from '../errors.js';

/** What a lock file holds. */
export interface LockHolder {
  pid: number;
  host: string;
  started: string;
  token: string;
  purpose?: string;
}

/** How to wait for a lock. */
export interface LockOptions {
  /** Give up after this long (ms); default DEFAULT_LOCK_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Delay between attempts (ms); default 100. */
  pollMs?: number;
  /** What the holder does, for messages: `sending order actions`. */
  purpose?: string;
  /** Called once, when the first attempt finds the lock held (holder undefined: file being written). */
  onWait?(holder: LockHolder | undefined): void;
  /** Stops waiting (RUN_ABORTED) when aborted: Ctrl-C while another run holds the lock. */
  signal?: AbortSignal;
}

/** Why: a run waits this long for another one before failing with STATE_LOCKED. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

/** Why: cron and CI can raise the wait without editing pipelines: MANOFLOW_LOCK_TIMEOUT, in seconds. */
export function lockTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MANOFLOW_LOCK_TIMEOUT;
  const s = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(s) && s >= 0 ? Math.round(s * 1000) : DEFAULT_LOCK_TIMEOUT_MS;
}

/** A lock file older than this that holds no readable holder was left by a crash mid-create. */
const TORN_AFTER_MS = 5_000;
const held = new Map<string, string>(); // token → path

/** Why: a held lock; release() removes the file only if it is still ours. */
export class StateLock {
  constructor(readonly path: string, readonly holder: LockHolder) {}
  get released(): boolean {
    return !held.has(this.holder.token);
  }
  release(): void {
    if (!held.delete(this.holder.token)) return;
    releaseFile(this.path, this.holder.token);
    if (held.size === 0) uninstallHooks();
  }
}

function releaseFile(path: string, token: string): void {
  try {
    if (readHolder(path)?.token === token) unlinkSync(path);
  } catch {
    // already gone
  }
}

function readRaw(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parseHolder(raw: string | undefined): LockHolder | undefined {
  if (!raw) return undefined;
  try {
    const h = JSON.parse(raw) as LockHolder;
    return typeof h.pid === 'number' && typeof h.token === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

/** The current holder of a lock file, if it exists and is readable. */
export function readHolder(path: string): LockHolder | undefined {
  return parseHolder(readRaw(path));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why: only a lock of this host can be judged; a same-pid lock we do not hold is a reused pid (containers). */
export function isStale(h: LockHolder): boolean {
  if (h.host !== hostname()) return false;
  if (h.pid === process.pid) return !held.has(h.token);
  return !pidAlive(h.pid);
}

/** Moves the stale file aside and checks it is the one judged stale; a fresh lock moved by a race is put back. */
function takeOver(path: string, staleRaw: string): void {
  const aside = `${path}.${randomUUID()}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else took it over first
  }
  if (readRaw(aside) !== staleRaw) {
    try {
      linkSync(aside, path);
    } catch {
      // the place is taken again: that newer lock wins
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // gone
  }
}

type Attempt = { lock: StateLock } | { holder: LockHolder | undefined };

function tryAcquire(path: string, purpose: string | undefined): Attempt {
  mkdirSync(dirname(path), { recursive: true });
  for (let i = 0; i < 5; i++) {
    const holder: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), token: randomUUID(), ...(purpose ? { purpose } : {}) };
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const raw = readRaw(path);
      if (raw === undefined) continue; // released in between: try again
      const h = parseHolder(raw);
      const torn = h === undefined && Date.now() - mtimeOf(path) > TORN_AFTER_MS;
      if ((h && isStale(h)) || torn) {
        takeOver(path, raw);
        continue;
      }
      return { holder: h };
    }
    try {
      writeSync(fd, JSON.stringify(holder));
    } catch (err) {
      closeSync(fd);
      unlinkSync(path);
      throw err;
    }
    closeSync(fd);
    held.set(holder.token, path);
    installHooks();
    return { lock: new StateLock(path, holder) };
  }
  return { holder: readHolder(path) };
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now();
  }
}

function lockedError(path: string, holder: LockHolder | undefined, purpose: string | undefined, waitedMs: number): ManoflowError {
  const who = holder ? `another manoflow run (pid ${holder.pid} on ${holder.host}, since ${holder.started})` : 'another manoflow run';
  return new ManoflowError('STATE_LOCKED', `${who}${purpose ? ` is ${purpose} and` : ''} still holds the lock ${path} after ${Math.round(waitedMs / 1000)} s of waiting`, {
    hint: `wait for that run to finish and run again (MANOFLOW_LOCK_TIMEOUT=<seconds> waits longer); if no manoflow run is running${holder ? ` (pid ${holder.pid} is not manoflow)` : ''}, the lock is stale: delete ${path} and run again`,
  });
}

/** Why: takes the lock, waiting (polling) while another live run holds it; STATE_LOCKED on timeout. */
export async function acquireLock(path: string, o: LockOptions = {}): Promise<StateLock> {
  const timeout = o.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const started = Date.now();
  let told = false;
  for (;;) {
    const a = tryAcquire(path, o.purpose);
    if ('lock' in a) return a.lock;
    const waited = Date.now() - started;
    if (waited >= timeout) throw lockedError(path, a.holder, o.purpose, waited);
    if (o.signal?.aborted) throw new ManoflowError('RUN_ABORTED', `run aborted while waiting for the lock ${path}`);
    if (!told) { told = true; o.onWait?.(a.holder); }
    await new Promise((r) => setTimeout(r, Math.min(o.pollMs ?? 100, Math.max(1, timeout - waited))));
  }
}

/** Why: for short synchronous critical sections (a snapshot fold): same rules, blocking sleep between attempts. */
export function acquireLockSync(path: string, o: LockOptions = {}): StateLock {
  const timeout = o.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const started = Date.now();
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  let told = false;
  for (;;) {
    const a = tryAcquire(path, o.purpose);
    if ('lock' in a) return a.lock;
    const waited = Date.now() - started;
    if (waited >= timeout) throw lockedError(path, a.holder, o.purpose, waited);
    if (!told) { told = true; o.onWait?.(a.holder); }
    Atomics.wait(sleeper, 0, 0, Math.min(o.pollMs ?? 50, Math.max(1, timeout - waited)));
  }
}

/** Why: run `fn` under the lock, released whatever happens. */
export async function withLock<T>(path: string, o: LockOptions, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(path, o);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/** Why: the synchronous twin of withLock. */
export function withLockSync<T>(path: string, o: LockOptions, fn: () => T): T {
  const lock = acquireLockSync(path, o);
  try {
    return fn();
  } finally {
    lock.release();
  }
}

function releaseAll(): void {
  for (const [token, path] of held) releaseFile(path, token);
  held.clear();
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let hooked = false;

/** On a signal nobody else handles: release, then let the default action end the process. */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return; // the program handles it (and exits, releasing on 'exit')
  releaseAll();
  uninstallHooks();
  process.kill(process.pid, signal);
}

function installHooks(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', releaseAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstallHooks(): void {
  if (!hooked) return;
  hooked = false;
  process.off('exit', releaseAll);
  for (const s of SIGNALS) process.off(s, onSignal);
}
