/**
 * `manoflow state stats` and `prune` as a user runs them (child processes), their wording pinned
 * by golden files (test/cli/golden/state-*.expected.txt; UPDATE_GOLDEN=1 rewrites them), and
 * retention applied by runs: done entries, feedback and report files older than
 * `state.retention_days` go; pending, failed and refused entries stay whatever their age.
 */
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';
import { runPipeline } from '../../engine/runtime/run.js';
import { RETENTION_CURSOR } from '../../engine/state/retention.js';
import { SqliteStateStore } from '../../engine/state/sqlite/store.js';
import { actionKey, type ActionEntry, type ActionState } from '../../engine/state/store.js';
import { runCli } from '../helpers/cli.js';
import { cursorValue, journalEntries, stateOf } from '../helpers/state.js';
import { ordersIn, tempDir, writeNdjson, writePipeline } from '../connectors/order-actions/helpers.js';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();
const entry = (ref: string, state: ActionState, at: string): ActionEntry => ({ key: actionKey({ action: 'accept', contract: 1, order_reference: ref }), action: 'accept', contract: 1, order_reference: ref, state, at, run: 'r' });

/** A state dir with 200-day-old history and recent entries of every kind. */
async function seeded(): Promise<string> {
  const dir = stateOf(tempDir('mf-state-cli-'));
  const store = new SqliteStateStore(dir);
  await store.recordActions([
    entry('OLD-DONE-1', 'done', daysAgo(200)), entry('OLD-DONE-2', 'done', daysAgo(190)), entry('NEW-DONE', 'done', daysAgo(2)),
    entry('OLD-PENDING', 'pending', daysAgo(200)), entry('OLD-FAILED', 'failed', daysAgo(200)), entry('OLD-REFUSED', 'refused', daysAgo(200)),
  ]);
  await store.confirmOffers('local-1', [{ sku: 'A', price: 1 }, { sku: 'B', quantity: 2 }]);
  await store.saveCursor('import.manomano-orders.local.1', { status_updated_at: daysAgo(1) });
  await store.recordFeedback([{ pipeline: 'p', run: 'old', at: daysAgo(200), line: { sku: 'A' } }, { pipeline: 'p', run: 'new', at: daysAgo(1), line: { sku: 'B' } }]);
  await store.close();
  mkdirSync(join(dir, 'reports'), { recursive: true });
  for (const [name, age] of [['gone.items.csv', 200], ['kept.items.csv', 1]] as const) {
    writeFileSync(join(dir, 'reports', name), 'id\n');
    utimesSync(join(dir, 'reports', name), new Date(Date.now() - age * DAY), new Date(Date.now() - age * DAY));
  }
  return dir;
}

/** Paths and times that change from run to run become placeholders. */
function normalise(text: string, dir: string): string {
  return text.split(dir).join('<state>').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>').replace(/\d+\.\d MB/, '<size> MB');
}

function golden(name: string, text: string): void {
  const path = join(import.meta.dirname, 'golden', `${name}.expected.txt`);
  if (process.env.UPDATE_GOLDEN || !existsSync(path)) writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

describe('manoflow state stats and prune', () => {
  test('stats says what is there; prune --dry-run what would go; prune removes only history', async () => {
    const dir = await seeded();
    const stats = await runCli(['state', 'stats', '--dir', dir]);
    expect([stats.code, stats.stderr]).toEqual([0, '']);
    golden('state-stats', normalise(stats.stdout, dir));

    const dry = await runCli(['state', 'prune', '--dir', dir, '--dry-run']);
    expect(dry.code).toBe(0);
    golden('state-prune-dry-run', normalise(dry.stdout, dir));
    expect(journalEntries(dir)).toHaveLength(6);

    const prune = await runCli(['state', 'prune', '--dir', dir]);
    expect(prune.code).toBe(0);
    golden('state-prune', normalise(prune.stdout, dir));
    expect(journalEntries(dir).map((e) => e.order_reference).sort()).toEqual(['NEW-DONE', 'OLD-FAILED', 'OLD-PENDING', 'OLD-REFUSED']);
    expect([existsSync(join(dir, 'reports/gone.items.csv')), existsSync(join(dir, 'reports/kept.items.csv'))]).toEqual([false, true]);
    const store = new SqliteStateStore(dir);
    expect((await store.stats()).feedback.lines).toBe(1);
    expect(await store.loadCursor(RETENTION_CURSOR)).toMatchObject({ days: 180 }); // "last applied" in the next stats
    await store.close();
  });

  test('usage errors exit 2 with the usage', async () => {
    const r = await runCli(['state', 'stat', '--dir', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CLI_USAGE unknown state command "stat"');
    expect(r.stderr).toContain('manoflow state prune PIPELINE|--dir DIR [--days N] [--dry-run] [--json]');
  });
});

describe('retention applied by runs', () => {
  let sim: Simulator;
  beforeAll(async () => { sim = await startSimulator({ port: 0 }); });
  afterAll(async () => { await sim.close(); });

  test('state.retention_days: a run removes older done entries at most once a day, and says so', async () => {
    const pipelineDir = tempDir('mf-retention-');
    const dir = stateOf(pipelineDir);
    const store = new SqliteStateStore(dir);
    await store.recordActions([entry('OLD-DONE', 'done', daysAgo(40)), entry('OLD-PENDING', 'pending', daysAgo(40)), entry('RECENT', 'done', daysAgo(20))]);
    await store.close();
    const ref = ordersIn(sim, 'PENDING')[0]!.order_reference;
    const input = writeNdjson(pipelineDir, 'in.ndjson', [{ order_reference: ref }]);
    const file = writePipeline(pipelineDir, 'accept', sim, { source: `type: ndjson\npath: ${input}`, destination: 'type: manomano-order-decisions', extra: 'state:\n  retention_days: 30' });
    const logs: string[] = [];
    const s = await runPipeline(file, { log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), debug() {} } });
    expect(s.items).toEqual({ sent: 1 });
    expect(logs.filter((l) => l.startsWith('state: retention'))).toEqual([expect.stringMatching(/^state: retention \(30 days\) removed 1 done order-action entries, 0 feedback line\(s\) and 0 report file\(s\) older than \d{4}-/)]);
    expect(journalEntries(dir).map((e) => e.order_reference).sort()).toEqual(['OLD-PENDING', 'RECENT', ref].sort());
    const applied = cursorValue(dir, RETENTION_CURSOR);
    expect(applied).toMatchObject({ days: 30 });
    // The same day: not applied again (the cursor is unchanged).
    await runPipeline(file);
    expect(cursorValue(dir, RETENTION_CURSOR)).toEqual(applied);
  });
});
