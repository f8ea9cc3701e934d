/**
 * The SQLite store (engine/state/sqlite) against the StateStore contract: every `open()` is a new
 * connection to the same state.db in a temp dir, as two processes sharing a state dir would be.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStateStore } from '../../engine/state/sqlite/store.js';
import { describeStateStore } from './store-contract.js';

describeStateStore('sqlite', async ({ now }) => {
  const dir = mkdtempSync(join(tmpdir(), 'mf-sqlite-'));
  return {
    open: async () => new SqliteStateStore(dir, { now }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
