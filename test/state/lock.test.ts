/**
 * The state lock (engine/state/lock.ts) on real files: exclusive, waits and then gets a released
 * lock, takes over stale locks (dead pid, reused pid, torn file), never another host's, fails
 * with STATE_LOCKED naming holder and file, and is released by a child process on exit and on
 * SIGTERM (run against dist/, built by `npx tsc -p tsconfig.json`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ManoflowError } from '../../engine/errors.js';
import { acquireLock, acquireLockSync, isStale, lockTimeoutFromEnv, readHolder, withLockSync, type LockHolder } from '../../engine/state/lock.js';
import { repoRoot } from '../helpers/cli.js';

const lockFile = () => join(mkdtempSync(join(tmpdir(), 'mf-lock-')), 'sub', 'x.lock');

/** A pid that is not running here (searched downwards from a high number). */
function deadPid(): number {
  for (let pid = 4_000_000; pid > 1000; pid -= 7919) {
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
  throw new Error('no free pid found');
}

const holder = (over: Partial<LockHolder>): LockHolder => ({ pid: process.ppid, host: hostname(), started: '2026-01-01T00:00:00.000Z', token: 'other', ...over });

describe('state lock', () => {
  test('held: the file names this process; released: gone', async () => {
    const path = lockFile();
    const lock = await acquireLock(path, { purpose: 'testing' });
    expect(readHolder(path)).toMatchObject({ pid: process.pid, host: hostname(), purpose: 'testing', token: lock.holder.token });
    expect(Date.parse(readHolder(path)!.started)).not.toBeNaN();
    lock.release();
    expect(existsSync(path)).toBe(false);
    lock.release(); // twice is harmless
  });

  test('a second taker waits, says who it waits for, and gets the lock once released', async () => {
    const path = lockFile();
    const first = await acquireLock(path);
    let waitedFor: LockHolder | undefined;
    let resolveWait!: () => void;
    const waiting = new Promise<void>((r) => (resolveWait = r));
    const second = acquireLock(path, { pollMs: 5, onWait: (h) => { waitedFor = h; resolveWait(); } });
    await waiting;
    expect(waitedFor?.pid).toBe(process.pid);
    expect(readHolder(path)!.token).toBe(first.holder.token);
    first.release();
    const got = await second;
    expect(readHolder(path)!.token).toBe(got.holder.token);
    got.release();
  });

  test.each([
    ['a dead pid', () => JSON.stringify(holder({ pid: deadPid() }))],
    ['this pid, not held by this process (pid reused in a container)', () => JSON.stringify(holder({ pid: process.pid }))],
  ])('a stale lock (%s) is taken over', async (_name, content) => {
    const path = lockFile();
    const lock0 = acquireLockSync(path); // creates the folder
    lock0.release();
    writeFileSync(path, content());
    const lock = await acquireLock(path, { timeoutMs: 0 });
    expect(readHolder(path)!.pid).toBe(process.pid);
    lock.release();
  });

  test('a torn lock file (empty, older than a few seconds) is taken over; a fresh empty one is not', async () => {
    const path = lockFile();
    acquireLockSync(path).release();
    writeFileSync(path, '');
    // dated an hour ahead: "fresh" however long this machine takes to reach the next line
    utimesSync(path, new Date(Date.now() + 3_600_000), new Date(Date.now() + 3_600_000));
    await expect(acquireLock(path, { timeoutMs: 0 })).rejects.toMatchObject({ code: 'STATE_LOCKED' });
    utimesSync(path, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const lock = await acquireLock(path, { timeoutMs: 0 });
    lock.release();
  });

  test('a live holder past the timeout: STATE_LOCKED naming the pid and the file, with how to remove a stale lock', async () => {
    const path = lockFile();
    acquireLockSync(path).release();
    writeFileSync(path, JSON.stringify(holder({ pid: process.ppid })));
    const err = await acquireLock(path, { timeoutMs: 30, pollMs: 5, purpose: 'sending order actions' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ManoflowError);
    const e = err as ManoflowError;
    expect(e.code).toBe('STATE_LOCKED');
    expect(e.message).toContain(`pid ${process.ppid}`);
    expect(e.message).toContain('is sending order actions');
    expect(e.message).toContain(path);
    expect(e.hint).toContain(`delete ${path}`);
    expect(readHolder(path)!.token).toBe('other'); // untouched
    expect(() => acquireLockSync(path, { timeoutMs: 10, pollMs: 2 })).toThrow(/still holds the lock/);
  });

  test('an aborted run stops waiting: RUN_ABORTED, the holder keeps its lock', async () => {
    const path = lockFile();
    const first = await acquireLock(path);
    const stop = new AbortController();
    const second = acquireLock(path, { pollMs: 5, signal: stop.signal, onWait: () => stop.abort() });
    await expect(second).rejects.toMatchObject({ code: 'RUN_ABORTED' });
    expect(readHolder(path)!.token).toBe(first.holder.token);
    first.release();
  });

  test("another host's lock is never judged stale; a dead local pid is", () => {
    expect(isStale(holder({ host: `${hostname()}-elsewhere`, pid: deadPid() }))).toBe(false);
    expect(isStale(holder({ pid: deadPid() }))).toBe(true);
    expect(isStale(holder({ pid: process.ppid }))).toBe(false);
  });

  test('withLockSync releases when the work throws', () => {
    const path = lockFile();
    expect(() => withLockSync(path, {}, () => { throw new Error('boom'); })).toThrow('boom');
    expect(existsSync(path)).toBe(false);
  });

  test.each([
    [undefined, 60_000], ['', 60_000], ['2.5', 2500], ['0', 0], ['-1', 60_000], ['soon', 60_000],
  ])('MANOFLOW_LOCK_TIMEOUT=%s → %i ms', (raw, ms) => {
    expect(lockTimeoutFromEnv({ MANOFLOW_LOCK_TIMEOUT: raw })).toBe(ms);
  });

  test.each([
    ['exit', 'process.exit(0)', 'code 0'],
    ['SIGTERM', "process.kill(process.pid, 'SIGTERM')", 'signal SIGTERM'],
    ['an uncaught error', "setTimeout(() => { throw new Error('crash'); }, 0)", 'code 1'],
  ])('a child process holding a lock releases it on %s', async (_how, end, ended) => {
    const path = lockFile();
    const lockJs = join(repoRoot, 'dist', 'engine', 'state', 'lock.js');
    const script = `import { acquireLock } from ${JSON.stringify(lockJs)};\nawait acquireLock(${JSON.stringify(path)});\nconsole.log('held');\n${end};\nsetInterval(() => {}, 1000);\n`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const how = await new Promise<string>((r) => child.on('close', (c, signal) => r(signal ? `signal ${signal}` : `code ${c}`)));
    expect(out).toContain('held');
    expect(how).toBe(ended);
    expect(existsSync(path)).toBe(false);
  });
});
