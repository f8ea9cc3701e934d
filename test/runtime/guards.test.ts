/**
 * What protects a user's real outputs and their cron: a plan never writes or replaces an output
 * or a reject report; a run where every record was rejected keeps the previous feed; an optional
 * reject ceiling; and exit codes that count ManoMano's refusals and failures, not only rejects.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline, type RunSummary } from '../../engine/runtime/run.js';
import { exitCodeOf } from '../../engine/cli/run.js';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';
import { runCli } from '../helpers/cli.js';

const pipeline = (extra = '') => `version: 1
name: guards
source: { type: csv, path: in.csv }
mapping:
  attributes:
    sku: ref
    price: $number(price)
destination: { type: csv, output: out/feed.csv }
${extra}`;

function setup(csv: string, extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'mf-guards-'));
  writeFileSync(join(dir, 'in.csv'), csv);
  writeFileSync(join(dir, 'p.yaml'), pipeline(extra));
  return dir;
}

describe('file outputs', () => {
  it('plan writes no output and keeps the run\'s reject report', async () => {
    const dir = setup('ref,price\nA1,1\nA2,x\n');
    await runPipeline(join(dir, 'p.yaml'));
    const feed = readFileSync(join(dir, 'out/feed.csv'), 'utf8');
    const rejects = readFileSync(join(dir, 'out/feed.rejects.csv'), 'utf8');
    writeFileSync(join(dir, 'in.csv'), 'ref,price\nB1,2\n');
    const plan = await runPipeline(join(dir, 'p.yaml'), { plan: true });
    expect(plan.outputs).toEqual([]);
    expect(plan.rejectReport).toBe(join(dir, 'out/feed.plan.rejects.csv'));
    expect(readFileSync(join(dir, 'out/feed.csv'), 'utf8')).toBe(feed);
    expect(readFileSync(join(dir, 'out/feed.rejects.csv'), 'utf8')).toBe(rejects);
  });

  it('a run where every record is rejected keeps the previous feed, unless --force', async () => {
    const dir = setup('ref,price\nA1,1\n');
    await runPipeline(join(dir, 'p.yaml'));
    const feed = readFileSync(join(dir, 'out/feed.csv'), 'utf8');
    writeFileSync(join(dir, 'in.csv'), 'ref,price\nA1,x\nA2,y\n');
    await expect(runPipeline(join(dir, 'p.yaml'))).rejects.toMatchObject({ code: 'RUN_NOTHING_WRITTEN', summary: { rejected: 2, outputs: [] } });
    expect(readFileSync(join(dir, 'out/feed.csv'), 'utf8')).toBe(feed);
    const forced = await runPipeline(join(dir, 'p.yaml'), { force: true });
    expect(forced.written).toBe(0);
    // forced through: the file holds the header of the mapped attributes and no row
    expect(readFileSync(join(dir, 'out/feed.csv'), 'utf8')).toBe('sku,price\n');
  });

  it('options.max_reject_percent stops a run above the ceiling before committing', async () => {
    const dir = setup('ref,price\nA1,1\nA2,x\nA3,3\nA4,y\n', 'options: { max_reject_percent: 25 }\n');
    await expect(runPipeline(join(dir, 'p.yaml'))).rejects.toMatchObject({ code: 'SAFETY_REJECTS' });
    expect(existsSync(join(dir, 'out/feed.csv'))).toBe(false);
    expect((await runPipeline(join(dir, 'p.yaml'), { force: true })).written).toBe(2);
  });
});

describe('exit codes', () => {
  const base: RunSummary = {
    pipeline: 'x', ok: true, read: 3, written: 3, rejected: 0, filtered: 0, limited: false, rejectsByCode: {}, warnings: 0, warningsByCode: {}, outputs: [], rejectReport: 'r', durationMs: 1,
  };
  it.each([
    ['all good', base, false, 0],
    ['records rejected', { ...base, rejected: 1 }, false, 1],
    ['records rejected, --allow-rejects', { ...base, rejected: 1 }, true, 0],
    ['ManoMano refused or skipped for a reason', { ...base, items: { sent: 2, refused: 1 }, itemProblems: 1 }, false, 1],
    ['only benign skips', { ...base, items: { sent: 2, skipped: 1 }, itemProblems: 0 }, false, 0],
    ['items could not be sent', { ...base, ok: false, items: { failed: 3 }, itemProblems: 3 }, true, 3],
  ] as [string, RunSummary, boolean, number][])('%s → %i', (_name, summary, allow, code) => {
    expect(exitCodeOf(summary, allow)).toBe(code);
  });

  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, faults: [{ endpoint: 'POST /orders/v1/accept-orders', kind: 'status', status: 503 }] });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('CLI: accept actions that keep failing with 503 exit 3 and say FAILED', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-exit-'));
    const conn = '  environment: local\n  api_key: sandbox-key-0001\n  seller_contract_id: 110841\n  max_retries: 1\n';
    writeFileSync(join(dir, 'accept.yaml'), `version: 1\nname: accept\nsource:\n  type: manomano-orders\n  statuses: [PENDING]\n${conn}destination:\n  type: manomano-order-decisions\n  decision: accept\n${conn}`);
    const r = await runCli(['run', join(dir, 'accept.yaml')], { env: { MANOFLOW_SANDBOX_URL: sim.url } });
    expect(r.stdout).toMatch(/^accept: FAILED: read \d+, to send \d+/);
    expect(r.stdout).toMatch(/ManoMano: failed \d+/);
    expect(r.code).toBe(3);
  });
});
