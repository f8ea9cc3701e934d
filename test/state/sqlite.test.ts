/**
 * What the SQLite store adds to the contract: WAL mode, synchronous=FULL and a busy timeout; a
 * write is on disk when its promise resolves (a child killed with -9 right after loses nothing);
 * another process's long write past the busy timeout is STATE_BUSY and writes nothing; a file
 * that is not a database is STATE_DB_UNREADABLE; a prune gives its pages back to the file system.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { busyTimeoutFromEnv } from '../../engine/state/sqlite/schema.js';
import { SqliteStateStore } from '../../engine/state/sqlite/store.js';
import { actionKey, type ActionEntry } from '../../engine/state/store.js';
import { repoRoot } from '../helpers/cli.js';

const dir = () => mkdtempSync(join(tmpdir(), 'mf-sqlite-'));
const pending = (ref: string, at = '2026-10-01T08:00:00.000Z'): ActionEntry => ({ key: actionKey({ action: 'accept', contract: 1, order_reference: ref }), action: 'accept', contract: 1, order_reference: ref, state: 'pending', at, run: 'r' });

describe('SQLite state store', () => {
  test('WAL mode, synchronous FULL, busy timeout (MANOFLOW_STATE_BUSY_TIMEOUT in seconds)', async () => {
    const s = new SqliteStateStore(dir());
    expect([s.db.pragma('journal_mode', { simple: true }), s.db.pragma('synchronous', { simple: true }), s.db.pragma('busy_timeout', { simple: true })]).toEqual(['wal', 2, 10_000]);
    expect(busyTimeoutFromEnv({ MANOFLOW_STATE_BUSY_TIMEOUT: '2.5' })).toBe(2500);
    expect(busyTimeoutFromEnv({})).toBe(10_000);
    await s.close();
  });

  test('a pending entry is on disk when record resolves: a process killed with -9 right after loses nothing', async () => {
    const d = dir();
    const script = [
      `import { SqliteStateStore } from ${JSON.stringify(join(repoRoot, 'dist/engine/state/sqlite/store.js'))};`,
      `const s = new SqliteStateStore(${JSON.stringify(d)});`,
      `await s.recordActions([${JSON.stringify(pending('M1'))}, ${JSON.stringify(pending('M2'))}]);`,
      `process.kill(process.pid, 'SIGKILL');`,
    ].join('\n');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    expect(await new Promise((r) => child.on('close', (_c, sig) => r(sig)))).toBe('SIGKILL');
    const s = new SqliteStateStore(d);
    expect([...(await s.getActions(['1:M1:accept', '1:M2:accept'])).values()].map((e) => e.state)).toEqual(['pending', 'pending']);
    await s.close();
  });

  test('another process holding a write past the busy timeout: STATE_BUSY, nothing written', async () => {
    const d = dir();
    const s = new SqliteStateStore(d, { busyTimeoutMs: 20 });
    const other = new Database(join(d, 'state.db'));
    other.exec('BEGIN IMMEDIATE');
    const err = await s.recordActions([pending('M1')]).catch((e: unknown) => e) as { code: string; hint: string };
    other.exec('ROLLBACK');
    other.close();
    expect(err.code).toBe('STATE_BUSY');
    expect(err.hint).toContain('MANOFLOW_STATE_BUSY_TIMEOUT');
    expect(await s.getActions(['1:M1:accept'])).toEqual(new Map());
    await s.close();
  });

  test('a state.db that is not a database: STATE_DB_UNREADABLE with what to do', () => {
    const d = dir();
    writeFileSync(join(d, 'state.db'), 'this is not sqlite, it is a text file that got in the way '.repeat(100));
    expect(() => new SqliteStateStore(d)).toThrow(expect.objectContaining({ code: 'STATE_DB_UNREADABLE', hint: expect.stringContaining('move it aside') }));
  });

  test('prune gives the pages it freed back to the file system (incremental vacuum)', async () => {
    const s = new SqliteStateStore(dir());
    await s.recordActions(Array.from({ length: 20_000 }, (_, i) => ({ ...pending(`M${i}`, '2020-01-01T00:00:00.000Z'), state: 'done' as const })));
    const before = s.db.pragma('page_count', { simple: true }) as number;
    expect(await s.prune({ done: '2021-01-01T00:00:00.000Z', feedback: '2021-01-01T00:00:00.000Z' })).toEqual({ done: 20_000, feedback: 0 });
    expect(s.db.pragma('freelist_count', { simple: true })).toBe(0);
    expect(s.db.pragma('page_count', { simple: true }) as number).toBeLessThan(before / 4);
    await s.close();
  });
});
