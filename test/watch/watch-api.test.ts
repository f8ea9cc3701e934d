/**
 * `manoflow watch` on an API pipeline (manomano-order-decisions, `environment: local`) pointed at
 * a simulator started here through MANOFLOW_SANDBOX_URL: without --live every run is a plan that
 * reads order statuses and sends nothing; --live refuses production without --yes-production.
 * Needs a build: `npx tsc -p tsconfig.json`.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { findDestination } from '../../engine/connectors/registry.js';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';
import { runCli } from '../helpers/cli.js';
import { CYCLE, WatchProcess } from './harness.js';

const C = 110841;
/** The API destination these cases drive; when it is not registered the cases are skipped, and say why. */
const REGISTERED = findDestination('manomano-order-decisions')?.api === true;

let sim: Simulator;
let w: WatchProcess | undefined;
beforeEach(async () => {
  sim = await startSimulator({ port: 0 });
});
afterEach(async () => {
  await w?.stop('SIGKILL');
  w = undefined;
  await sim.close();
});

function decisionsPipeline(dir: string, environment: string, refs: string[]): string {
  writeFileSync(join(dir, 'decisions.ndjson'), refs.map((r) => JSON.stringify({ ref: r })).join('\n') + '\n');
  const file = join(dir, 'decisions.yaml');
  writeFileSync(file, [
    'version: 1',
    'name: decisions',
    'source: { type: ndjson, path: decisions.ndjson }',
    'mapping:',
    '  attributes:',
    '    order_reference: ref',
    '    decision: { value: accept }',
    'destination:',
    '  type: manomano-order-decisions',
    `  environment: ${environment}`,
    `  api_key: ${sim.apiKey}`,
    `  seller_contract_id: ${C}`,
  ].join('\n') + '\n');
  return file;
}

const until = (marker: string) => new RegExp(`${marker}[\\s\\S]*${CYCLE.source}`);

const SUITE = `manoflow watch (CLI) on an API pipeline${REGISTERED ? '' : ': SKIPPED, manomano-order-decisions is not registered'}`;

describe.skipIf(!REGISTERED)(SUITE, () => {
  test('without --live every run is a plan: statuses are read, nothing is sent, no journal, no item report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-watch-api-'));
    const refs = sim.state.listOrders(C).filter((o) => o.status === 'PENDING').slice(0, 3).map((o) => o.order_reference);
    const file = decisionsPipeline(dir, 'local', refs);
    w = new WatchProcess(['decisions.yaml'], { cwd: dir, env: { MANOFLOW_SANDBOX_URL: sim.url } });

    const start = await w.waitFor(until('run 1:'));
    expect(start).toContain('API calls: planned only, nothing is sent (add --live to send)');
    expect(start).toContain('run 1: read 3, written 3, rejected 0, filtered 0');
    expect(start).toContain('  plan: would-send 3\n');
    expect(sim.requests.some((r) => r.method === 'GET')).toBe(true); // statuses were read

    const mark = w.mark();
    writeFileSync(file, readFileSync(file, 'utf8').replace('decision: { value: accept }', 'decision: { value: refuse }'));
    const out = await w.waitFor(until('run 2:'), mark);
    expect(out).toContain(`decision: 3 values changed (order ${refs[0]}: decision "accept" → "refuse";`);

    expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(refs.map((r) => sim.state.getOrder(C, r)!.status)).toEqual(['PENDING', 'PENDING', 'PENDING']);
    expect(existsSync(join(dir, '.manoflow/journal'))).toBe(false);
    expect(existsSync(join(dir, '.manoflow/reports/decisions.items.csv'))).toBe(false);
    expect(await w.stop()).toBe(0);
    expect(w.stderr).toBe('');
  });

  test('--live refuses environment: production without --yes-production (exit 2, nothing started)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-watch-api-'));
    decisionsPipeline(dir, 'production', ['M000000000001']);
    const r = await runCli(['watch', 'decisions.yaml', '--live'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^manoflow watch: WATCH_LIVE_PRODUCTION decisions\.yaml:10:16 watch --live refuses to send to environment: production\n {2}hint: .*--yes-production/);
    expect(sim.requests).toEqual([]);
  });
});
