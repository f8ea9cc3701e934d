// One measurement of `npm run bench:state`, in its own process (so its peak RSS is its own):
//   node bench/state-measure.mjs files|sqlite|migrate <state dir> <actions in the journal> <actions to decide>
// `files` is today's code path (commit 08f93f0, engine/state/journal.ts + files.ts, copied below):
// the order-action destination built an OrderJournal (which read the whole JSONL into a Map) and
// reload()ed it once it held the lock, so a run parsed the file twice. `sqlite` is the new path:
// openStateStore (schema check, nothing to migrate) and OrderJournal.load() of the run's keys.
// Both then decide the actions: 1,000 by default, half already in the journal, half new.
// `migrate` times the import of today's files into state.db. Prints one JSON line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { action } from './state-gen.mjs';

const [mode, dir, nText, decideText] = process.argv.slice(2);
const n = Number(nText);
const decideCount = Number(decideText ?? 1000);
const dist = join(fileURLToPath(new URL('..', import.meta.url)), 'dist');
const started = performance.now(); // ms since the process started (Node's own start-up before it)

function peakRssMb() {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Math.round(process.resourceUsage().maxRSS / 1024);
}

/** The run's actions: half in the journal (spread over it), half new orders. */
function runActions() {
  const out = [];
  for (let k = 0; k < decideCount / 2; k++) out.push(action(Math.floor((k * n) / (decideCount / 2)), n));
  for (let k = 0; k < decideCount / 2; k++) out.push(action(n + 2 * k, n));
  return out.map((a) => ({ action: a.action, contract: a.contract, order_reference: a.order_reference, ...(a.fingerprint ? { fingerprint: a.fingerprint } : {}) }));
}

// ---- today's file journal (08f93f0: engine/state/files.ts readLines, engine/state/journal.ts) ----
function readLines(path) {
  if (!existsSync(path)) return [];
  const out = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try { out.push(JSON.parse(line)); } catch { /* torn last line */ }
  }
  return out;
}
class FileJournal {
  constructor(stateDir) { this.path = join(stateDir, 'journal', 'order-actions.jsonl'); this.latest = new Map(); this.reload(); }
  static key(a, c, r, fp) { return fp === undefined ? `${c}:${r}:${a}` : `${c}:${r}:${a}:${fp}`; }
  reload() { this.latest.clear(); for (const e of readLines(this.path)) this.latest.set(e.key, e); }
  get(a, c, r, fp) {
    const exact = this.latest.get(FileJournal.key(a, c, r, fp));
    if (exact || fp === undefined) return exact;
    const legacy = this.latest.get(FileJournal.key(a, c, r));
    return legacy && legacy.fingerprint === undefined ? legacy : undefined;
  }
}

async function measure() {
  const refs = runActions();
  const t0 = performance.now();
  let journal;
  let release = async () => {};
  if (mode === 'files') {
    journal = new FileJournal(dir);
    journal.reload(); // under the lock, as the destination did
  } else if (mode === 'sqlite') {
    const { openStateStore } = await import(join(dist, 'engine/state/open.js'));
    const { OrderJournal } = await import(join(dist, 'engine/state/journal.js'));
    const handle = await openStateStore(dir);
    release = handle.release;
    journal = new OrderJournal(handle.store, 'bench@now');
    await journal.load(refs);
  } else if (mode === 'migrate') {
    const { openStateStore } = await import(join(dist, 'engine/state/open.js'));
    const handle = await openStateStore(dir, { log: { info: (m) => process.stderr.write(`${m}\n`), warn: (m) => process.stderr.write(`${m}\n`) } });
    await handle.release();
    return { ok: true, ms_migrate: Math.round(performance.now() - t0), ms_total: Math.round(performance.now()), rss_mb: peakRssMb() };
  } else throw new Error(`unknown mode ${mode}`);
  const tLoaded = performance.now();
  let done = 0;
  let send = 0;
  for (const r of refs) {
    const e = journal.get(r.action, r.contract, r.order_reference, r.fingerprint);
    if (e?.state === 'done') done++;
    else send++;
  }
  const tDecided = performance.now();
  await release();
  return {
    ok: true, decided: refs.length, already_done: done, to_send: send,
    ms_load: Math.round(tLoaded - t0), ms_decide: Math.round((tDecided - tLoaded) * 10) / 10,
    ms_total: Math.round(tDecided), ms_in_script: Math.round(tDecided - started), rss_mb: peakRssMb(),
  };
}

try {
  console.log(JSON.stringify(await measure()));
} catch (err) {
  console.log(JSON.stringify({ ok: false, error: `${err.code ?? err.name}: ${String(err.message).split('\n')[0]}`, ms_total: Math.round(performance.now()), rss_mb: peakRssMb() }));
}
