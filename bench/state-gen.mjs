// Journals of N order actions for `npm run bench:state`, the same content two ways:
// - today's files: journal/order-actions.jsonl, one `pending` line then one `done` line per action
//   (what the file-based journal appended), about 210 bytes a line;
// - the new store: state.db with one row per action (its last state), through SqliteStateStore.
// Actions alternate accept / ship (ship with a fingerprint), two per order, over two years of `at`.
// Deterministic: the same N gives the same files.
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const C = 110841;
const START = Date.parse('2024-10-01T00:00:00.000Z');
const SPAN = 2 * 365 * 86_400_000;

/** Why: action i of a journal of n, as the journal of a seller would hold it. */
export function action(i, n) {
  const order = Math.floor(i / 2);
  const ref = `M${20241001000000 + order}`;
  const ship = i % 2 === 1;
  const fp = ship ? ((Math.imul(order, 2654435761) >>> 0).toString(16).padStart(8, '0') + (Math.imul(order ^ 0x5bd1e995, 40503) >>> 0).toString(16).padStart(8, '0')) : undefined;
  const at = START + Math.floor((i / n) * SPAN);
  const run = `fr-${ship ? 'shipments' : 'accept-orders'}@${new Date(at - (at % 900_000)).toISOString()}`;
  const key = fp ? `${C}:${ref}:ship:${fp}` : `${C}:${ref}:accept`;
  return { key, action: ship ? 'ship' : 'accept', contract: C, order_reference: ref, fingerprint: fp, at, run };
}

/** The JSONL journal as the file-based store wrote it; returns its size in bytes. */
export function writeLegacyJournal(dir, n) {
  const path = join(dir, 'journal', 'order-actions.jsonl');
  if (existsSync(path) && existsSync(`${path}.complete`)) return statSync(path).size;
  mkdirSync(join(dir, 'journal'), { recursive: true });
  const fd = openSync(path, 'w');
  let text = '';
  for (let i = 0; i < n; i++) {
    const a = action(i, n);
    const base = { action: a.action, contract: a.contract, order_reference: a.order_reference, ...(a.fingerprint ? { fingerprint: a.fingerprint } : {}) };
    text += JSON.stringify({ ...base, state: 'pending', key: a.key, at: new Date(a.at).toISOString(), run: a.run }) + '\n';
    text += JSON.stringify({ ...base, state: 'done', key: a.key, at: new Date(a.at + 83).toISOString(), run: a.run }) + '\n';
    if (text.length > 8 << 20) { writeSync(fd, text); text = ''; }
  }
  writeSync(fd, text);
  closeSync(fd);
  closeSync(openSync(`${path}.complete`, 'w'));
  return statSync(path).size;
}

/** state.db with the same actions (their last state, `done`), written through the store's own schema. */
export async function writeStateDb(dir, n, dist) {
  const path = join(dir, 'state.db');
  if (existsSync(path) && existsSync(`${path}.complete`)) return statSync(path).size;
  rmSync(path, { force: true });
  const { SqliteStateStore } = await import(join(dist, 'engine/state/sqlite/store.js'));
  const store = new SqliteStateStore(dir);
  const put = store.db.prepare('INSERT INTO actions (key, action, contract, order_reference, fingerprint, state, at, run) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const chunk = 200_000;
  for (let from = 0; from < n; from += chunk) {
    store.db.transaction(() => {
      for (let i = from; i < Math.min(n, from + chunk); i++) {
        const a = action(i, n);
        put.run(a.key, a.action, a.contract, a.order_reference, a.fingerprint ?? null, 'done', new Date(a.at + 83).toISOString(), a.run);
      }
    })();
  }
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  await store.close();
  closeSync(openSync(`${path}.complete`, 'w'));
  return statSync(path).size;
}
