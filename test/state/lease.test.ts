/**
 * Locks in the state store with their policy (engine/state/lease.ts): a second taker waits and
 * gets a higher token once released; a holder that crashed on this host (dead pid, or this pid
 * not held by this process) is taken over at once; another host's holder is waited for until
 * STATE_LOCKED; the lease is renewed while held; a child process releases on exit, and one killed
 * with -9 is taken over (its pid is gone). Child processes run against dist/ (npm run build).
 * Every case runs on each store (SQLite and Redis: test/state/store-factories.ts).
 */
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { acquireStateLock, lockTtlFromEnv } from '../../engine/state/lease.js';
import type { LockInfo } from '../../engine/state/store.js';
import { repoRoot } from '../helpers/cli.js';
import { forEachStore } from './store-factories.js';

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

async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

forEachStore('state locks (lease.ts)', (backend, make) => {
  test('a second taker waits, says who it waits for, and gets the lock with a higher token once released', async () => {
    const be = await make();
    const a = await be.open();
    const b = await be.open();
    const first = await acquireStateLock(a, 'order-actions:1', { purpose: 'sending order actions' });
    let waited: LockInfo | undefined;
    let told!: () => void;
    const waiting = new Promise<void>((r) => (told = r));
    const second = acquireStateLock(b, 'order-actions:1', { pollMs: 5, onWait: (c) => { waited = c; told(); } });
    await waiting;
    expect(waited).toMatchObject({ token: first.lease.token, holder: { pid: process.pid, host: hostname(), purpose: 'sending order actions' } });
    await first.release();
    const got = await second;
    expect(got.lease.token).toBeGreaterThan(first.lease.token);
    await got.release();
  });

  test.each([
    ['its pid is gone', () => deadPid()],
    ['it is this pid but not held by this process (a pid reused in a container)', () => process.pid],
  ])('a holder on this host that crashed (%s) is taken over at once', async (_why, pid) => {
    const be = await make();
    const store = await be.open();
    const crashed = await store.tryLock('L', { pid: pid(), host: hostname(), since: '2026-01-01T00:00:00Z' }, 3_600_000);
    expect(crashed.ok).toBe(true);
    const got = await acquireStateLock(store, 'L', { timeoutMs: 0 });
    expect(got.lease.holder.pid).toBe(process.pid);
    await got.release();
  });

  test('a live holder on another host is waited for, then STATE_LOCKED names it, the database and when the lock expires', async () => {
    const be = await make();
    const store = await be.open();
    await store.tryLock('offers:local-1', { pid: deadPid(), host: `${hostname()}-other`, since: '2026-01-01T00:00:00Z', purpose: 'sending price & stock updates' }, 3_600_000);
    const err = await acquireStateLock(store, 'offers:local-1', { timeoutMs: 30, pollMs: 5, purpose: 'sending price & stock updates' }).catch((e: unknown) => e) as { code: string; message: string; hint: string };
    expect(err.code).toBe('STATE_LOCKED');
    expect(err.message).toMatch(/another manoflow run \(pid \d+ on .*-other, since 2026-01-01T00:00:00Z\) is sending price & stock updates and still holds the lock "offers:local-1" of /);
    expect(err.message).toMatch(be.locationPattern);
    expect(err.hint).toMatch(/its lock expires by itself at \d{4}-\d\d-\d\dT/);
  });

  test('an aborted run stops waiting with RUN_ABORTED; the holder keeps its lock', async () => {
    const be = await make();
    const store = await be.open();
    const first = await acquireStateLock(store, 'L');
    const stop = new AbortController();
    await expect(acquireStateLock(store, 'L', { pollMs: 5, signal: stop.signal, onWait: () => stop.abort() })).rejects.toMatchObject({ code: 'RUN_ABORTED' });
    expect((await store.stats()).locks.map((l) => l.token)).toEqual([first.lease.token]);
    await first.release();
  });

  test('the lease is renewed while held', async () => {
    // The store's clock moves one millisecond a reading: the lease cannot expire however slowly
    // the renewal timer fires on a loaded machine, and each renewal pushes the expiry further.
    let clock = Date.parse('2026-12-01T00:00:00Z');
    const be = await make({ now: () => clock++ });
    const store = await be.open();
    const held = await acquireStateLock(store, 'L', { ttlMs: 3000 }); // renewed every second
    const first = held.lease.expiresAt;
    await until(() => held.lease.expiresAt > first, 'a renewal');
    expect(held.lost).toBe(false);
    await held.release();
    expect((await store.stats()).locks).toEqual([]);
  });

  test.each([
    ['exits', 'process.exit(0)', 'code 0', false],
    ['is killed with -9', "process.kill(process.pid, 'SIGKILL')", 'signal SIGKILL', true],
  ])('a child process holding a lock %s: the next run gets it at once', async (_how, end, ended, leftBehind) => {
    const be = await make();
    const script = [
      be.childOpen,
      `import { acquireStateLock } from ${JSON.stringify(join(repoRoot, 'dist/engine/state/lease.js'))};`,
      `await acquireStateLock(store, 'order-actions:1', { ttlMs: 3600000 });`,
      `console.log('held');`,
      `${end};`,
    ].join('\n');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (x) => (out += x));
    const how = await new Promise<string>((r) => child.on('close', (c, s) => r(s ? `signal ${s}` : `code ${c}`)));
    expect([out.trim(), how]).toEqual(['held', ended]);
    const store = await be.open();
    // Redis has no synchronous release for the exit hook: the lock stays until its holder is judged gone (dead pid)
    expect((await store.stats()).locks.length).toBe(leftBehind || backend === 'redis' ? 1 : 0);
    const got = await acquireStateLock(store, 'order-actions:1', { timeoutMs: 0 });
    expect(got.lease.token).toBe(2);
    await got.release();
  });

});

describe('lock settings', () => {
  test.each([[undefined, 60_000], ['', 60_000], ['5', 5000], ['0.5', 60_000], ['x', 60_000]])('MANOFLOW_LOCK_TTL=%s → %i ms', (raw, ms) => {
    expect(lockTtlFromEnv({ MANOFLOW_LOCK_TTL: raw })).toBe(ms);
  });
});
