/**
 * The API key never reaches a log line, an error, a report or a state file: runs real pipelines
 * through the CLI with a distinctive key (a good one, then a wrong one that ManoMano refuses),
 * then searches stdout, stderr and every file manoflow wrote.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';
import { runCli } from '../helpers/cli.js';
import { C, tempDir } from '../connectors/order-actions/helpers.js';

const KEY = 'sk-live-7f3a9c0d2e5b41a8';
const WRONG = 'sk-live-wrong-0000-1111';
let sim: Simulator;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, keys: { [KEY]: [C] } });
  dir = tempDir('mf-secrets-');
});
afterAll(async () => {
  await sim.close();
});

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const connection = `  environment: local\n  api_key: \${MANOMANO_API_KEY}\n  seller_contract_id: ${C}\n`;

describe('secrets', () => {
  test('never appear in output, errors, reports, journals, cursors or feedback', async () => {
    const importFile = join(dir, 'import.yaml');
    writeFileSync(importFile, `version: 1\nname: import\nsource:\n  type: manomano-orders\n  incremental: true\n  records: lines\n${connection}destination:\n  type: csv\n  output: out/orders.csv\n`);
    const acceptFile = join(dir, 'accept.yaml');
    writeFileSync(acceptFile, `version: 1\nname: accept\nsource:\n  type: manomano-orders\n  statuses: [PENDING]\n${connection}destination:\n  type: manomano-order-decisions\n  decision: accept\n${connection}`);
    const outputs: string[] = [];
    for (const [file, key] of [[importFile, KEY], [acceptFile, KEY], [acceptFile, WRONG], [importFile, WRONG]] as const) {
      for (const command of ['plan', 'run']) {
        const r = await runCli([command, file], { env: { MANOFLOW_SANDBOX_URL: sim.url, MANOMANO_API_KEY: key } });
        outputs.push(`${command} ${file} exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      }
    }
    const all = outputs.join('\n');
    // The runs did real work, and the wrong key was refused with a clear message.
    expect(all).toMatch(/read \d+, written [1-9]/);
    expect(all).toMatch(/API_UNAUTHORIZED|401/);
    const written = filesUnder(dir).filter((f) => !f.endsWith('.yaml'));
    expect(written.length).toBeGreaterThan(3);
    for (const secret of [KEY, WRONG]) {
      expect(all).not.toContain(secret);
      for (const f of written) expect(readFileSync(f, 'utf8'), f).not.toContain(secret);
    }
    // The simulator's own request log redacts keys as well.
    expect(JSON.stringify(sim.requests)).not.toContain(KEY);
  }, 180_000); // eleven CLI runs: minutes on a loaded 2-core machine, with nothing timed in it

  test('are redacted in every --json output too (validate, preview, plan, run)', async () => {
    const valid = join(dir, 'leaky.yaml');
    writeFileSync(valid, `version: 1\nname: leaky\nsource: { type: csv, path: in.csv }\nvars: { k: "\${MANOMANO_API_KEY}" }\nmapping:\n  attributes:\n    sku: id\n    note: $vars.k & $number(id)\ndestination: { type: csv, output: out/leaky.csv }\n`);
    const invalid = join(dir, 'leaky-invalid.yaml');
    writeFileSync(invalid, `version: 1\nname: leaky\nsource: { type: csv, path: in.csv, encoding: "\${MANOMANO_ENV}" }\ndestination: { type: csv, output: out/leaky.csv }\n`);
    writeFileSync(join(dir, 'in.csv'), 'id\nA1\n2\n');
    const env = { MANOMANO_API_KEY: KEY, MANOMANO_ENV: KEY };
    const outputs: string[] = [];
    for (const [command, file] of [['validate', invalid], ['preview', valid], ['plan', valid], ['run', valid]] as const) {
      const r = await runCli([command, file, '--json'], { env });
      outputs.push(r.stdout, r.stderr);
    }
    const all = outputs.join('\n');
    expect(all).toContain('***');
    expect(all).not.toContain(KEY);
  });
});
