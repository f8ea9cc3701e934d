/**
 * `npm run bench` end to end on a few hundred rows: every contender still runs against the engine
 * as it is now (a contender calling an API that moved failed only in the next 1M-row run), and the
 * outputs the benchmark compares agree. No time is asserted: figures come from the real runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'manoflow-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bench(args: string[]): Record<string, any> {
  const out = execFileSync(process.execPath, [join(root, 'bench', 'run.mjs'), '--rows', '400', '--results', dir, ...args], {
    cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  const file = /^written: (.*)$/m.exec(out)![1]!;
  return JSON.parse(readFileSync(file, 'utf8'));
}

it('every contender of the reference workload runs; fast path and stock interpreter write the same bytes', () => {
  const report = bench(['--catalog', join(dir, 'catalog.csv'), '--repeat', '2']);
  for (const name of ['limit', 'floor', 'manoflow', 'manoflow-csv', 'baseline', 'manoflow-stock']) {
    expect(report.contenders[name]?.rows, name).toBe(400);
  }
  // --repeat: the targets' contenders ran twice, and each reports the median of its rounds
  for (const name of ['limit', 'floor', 'manoflow', 'manoflow-csv']) {
    const { rounds, ms } = report.contenders[name];
    expect(rounds, name).toHaveLength(2);
    expect(ms, name).toBe(Math.round((rounds[0].ms + rounds[1].ms) / 2));
  }
  expect(report.contenders.baseline.rounds).toBeUndefined();
  expect(report.identical).toMatchObject({ feed: true, rejects: true });
  // the pandas peer runs where .ci/run installs it (python3-pandas); elsewhere run.mjs skips it
  if (report.contenders.pandas) expect(report.pandasAgrees).toEqual({ feed: true, rejects: true });
  expect(report.contenders.manoflow.written + report.contenders.manoflow.rejected).toBe(400);
}, 180_000);

it('--repeat takes a whole number of rounds', () => {
  expect(() => bench(['--repeat', '0'])).toThrow(/--repeat takes a whole number of rounds, 1 or more, not "0"/);
});

it('the variants workload runs: rows grouped into products, one record per variant in four markets', () => {
  const report = bench(['--workload', 'variants']);
  const { reference, variants } = report.contenders;
  expect(reference.rows).toBe(400);
  expect(variants.rows).toBe(400);
  expect(variants.products).toBeLessThan(variants.rows);
  expect(variants.records).toBeGreaterThan(variants.products);
}, 120_000);
