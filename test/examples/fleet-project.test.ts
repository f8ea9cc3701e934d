/**
 * The example project (examples/fleet/manoflow.yaml), run as the README says: two sellers, three
 * pipelines written once, `run --project` on one machine against the simulator. Copied to a temp
 * dir so its state and outputs stay there.
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

const secrets = { DUPONT_API_KEY: 'sandbox-key-0001', MARTIN_API_KEY: 'sandbox-key-0001' };

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'manoflow-fleet-example-'));
  cpSync(join(repoRoot, 'examples'), join(dir, 'examples'), { recursive: true, filter: (src) => !/[/\\](out|\.manoflow)$/.test(src) });
  return join(dir, 'examples', 'fleet');
}

it('validates clean with the secrets set, and says which secret is missing without them', async () => {
  const fleet = copy();
  const ok = await runCli(['validate', join(fleet, 'manoflow.yaml')], { env: secrets });
  expect([ok.code, ok.stderr.trim()]).toEqual([0, '']);
  expect(ok.stdout).toMatch(/manoflow\.yaml: ok\n/);
  const missing = await runCli(['validate', join(fleet, 'manoflow.yaml')], { env: { DUPONT_API_KEY: 'sandbox-key-0001', MARTIN_API_KEY: undefined } });
  expect(missing.code).toBe(2);
  expect(missing.stdout + missing.stderr).toContain('CFG_SECRET_UNSET seller "jardin-martin-de": secret MANOMANO_API_KEY reads ${MARTIN_API_KEY}');
  // validate DIR: the project's pipelines are validated through it (per seller), not alone; every bundled example is clean
  const all = await runCli(['validate', join(fleet, '..')], { env: secrets });
  expect(all.code).toBe(0);
  expect(all.stdout).toMatch(/pipelines\/accept\.yaml: a pipeline of .*manoflow\.yaml, validated there for each seller/);
  // warnings of a fresh clone: a pipeline reads what another one writes (ship-from-csv's feedback), and
  // the plain examples write to the shared examples/out/; the project's pipelines write inside the project
  const warnings = [...(all.stdout + all.stderr).matchAll(/^(\S+):\d+:\d+ warning (\w+)/gm)].map((m) => [m[1]!.replace(/.*\/examples\//, ''), m[2]]);
  expect(new Set(warnings.map((w) => w[1]))).toEqual(new Set(['CFG_SOURCE_NOT_FOUND', 'CFG_OUTPUT_OUTSIDE_PIPELINE_DIR']));
  expect(warnings.filter((w) => w[0]!.startsWith('fleet/'))).toEqual([]);
}, 60_000);

it('run --project: every seller\'s pipelines in dependency order, one output per seller, the key never printed', async () => {
  const fleet = copy();
  const r = await runCli(['run', '--project', join(fleet, 'manoflow.yaml')], { env: secrets });
  // the bundled stock file has a negative quantity on purpose: a run with rejects exits 1
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('project example-agency: 5 runs: 5 done, 0 failed, 0 skipped');
  const order = [...r.stdout.matchAll(/^\[([\w-]+\/\w+)\]/gm)].map((m) => m[1]);
  expect(order).toEqual(['outillage-dupont-fr/offers', 'outillage-dupont-fr/import', 'outillage-dupont-fr/accept', 'jardin-martin-de/import', 'jardin-martin-de/accept']);
  for (const seller of ['outillage-dupont-fr', 'jardin-martin-de']) {
    const lines = readFileSync(join(fleet, 'out', seller, 'pending-order-lines.csv'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
  }
  expect(r.stdout + r.stderr).not.toContain('sandbox-key-0001');
}, 120_000);
