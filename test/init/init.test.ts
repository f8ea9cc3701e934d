// `manoflow init` as a child process: every ManoMano connector's scaffold validates and its tests pass.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findDestination, findSource } from '../../engine/connectors/registry.js';
import { INIT_CONNECTORS, resolveInitConnector, scaffold } from '../../engine/init/index.js';
import { bin, repoRoot, runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'manoflow-init-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cli = `node ${bin}`;
const registered = (c: (typeof INIT_CONNECTORS)[number]) => (c.kind === 'source' ? findSource(c.type) : findDestination(c.type)) !== undefined;

describe('manoflow init, for each ManoMano connector', () => {
  for (const c of INIT_CONNECTORS) {
    // Connectors are built in parallel; one not registered yet cannot validate, so it is skipped, loudly.
    if (!registered(c)) console.warn(`skipping init test of ${c.type}: the connector is not registered in engine/connectors/registry.ts yet`);
    it.skipIf(!registered(c))(`${c.type}: scaffolds files that validate and whose tests pass`, async () => {
      const cwd = mkdtempSync(join(tmp, `${c.aliases[0]}-`));
      const init = await runCli(['init', '--connector', c.aliases[0]], { cwd });
      expect(init.stderr).toBe('');
      expect(init.code).toBe(0);
      const pipeline = `pipelines/${c.defaultName}.yaml`;
      const testFile = `pipelines/${c.defaultName}.test.yaml`;
      expect(init.stdout).toContain(`${c.type}: wrote\n  ${pipeline}\n`);
      // The next steps use the command that works here: this test runs `node <repo>/bin/manoflow.js`.
      expect(init.stdout).toContain(`next:\n  ${cli} validate ${pipeline}\n  ${cli} test ${testFile}\n`);
      expect(init.stdout).toContain(`  ${cli} run ${pipeline}\n`);
      const text = readFileSync(join(cwd, pipeline), 'utf8');
      expect(text).toContain(`Run it:     ${cli} run ${pipeline}`);
      // manoflow is outside this project: the editor schemas are copied into it, so the path survives a move.
      const schema = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text)?.[1];
      expect(schema).toBe('schemas/pipeline.schema.json');
      expect(readFileSync(join(cwd, 'pipelines', schema!), 'utf8')).toBe(readFileSync(join(repoRoot, 'schemas/pipeline.schema.json'), 'utf8'));
      const testSchema = /^# yaml-language-server: \$schema=(\S+)\n/.exec(readFileSync(join(cwd, testFile), 'utf8'))?.[1];
      expect(existsSync(join(cwd, 'pipelines', testSchema!))).toBe(true);
      expect(text).toContain(`type: ${c.type}`);

      const validate = await runCli(['validate', pipeline], { cwd, env: { MANOMANO_ENV: undefined, MANOMANO_API_KEY: undefined, MANOMANO_CONTRACT_ID: undefined } });
      expect(validate.stderr).toBe('');
      expect(validate.stdout).toBe(`${pipeline}: ok\n`);
      expect(validate.code).toBe(0);

      const test = await runCli(['test', testFile], { cwd });
      expect(test.stdout).not.toContain('✗');
      expect(test.stdout.trimEnd().split('\n').at(-1)).toMatch(/^[1-9]\d* passed, 0 failed$/);
      expect(test.code).toBe(0);
    });
  }
});

describe('manoflow init options', () => {
  it('accepts every alias, and suggests a near name for an unknown one', async () => {
    for (const c of INIT_CONNECTORS) for (const a of [c.type, ...c.aliases]) expect(resolveInitConnector(a).type).toBe(c.type);
    expect(resolveInitConnector('Price-Stock').type).toBe('manomano-offers');
    const r = await runCli(['init', '--connector', 'shipment'], { cwd: mkdtempSync(join(tmp, 'typo-')) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown connector "shipment": did you mean "shipments"');
  });

  it('writes sample data only where the source is a file, and honours --name and --dir', () => {
    const cwd = mkdtempSync(join(tmp, 'opts-'));
    const refunds = scaffold({ connector: 'refunds', name: 'fr-refunds', dir: 'flows', cwd });
    expect(refunds.files.map((f) => f.slice(cwd.length + 1))).toEqual(['flows/fr-refunds.yaml', 'flows/data/fr-refunds.csv', 'flows/fr-refunds.test.yaml', 'flows/schemas/pipeline.schema.json', 'flows/schemas/pipeline-test.schema.json']);
    expect(readFileSync(refunds.pipeline, 'utf8')).toContain('name: fr-refunds\n');
    const orders = scaffold({ connector: 'orders', dir: 'flows', cwd });
    expect(orders.files.map((f) => f.slice(cwd.length + 1))).toEqual(['flows/orders-import.yaml', 'flows/orders-import.test.yaml', 'flows/schemas/pipeline.schema.json', 'flows/schemas/pipeline-test.schema.json']);
    expect(() => scaffold({ connector: 'orders', name: 'bad name', cwd })).toThrow(/not a valid pipeline name/);
  });

  it('refuses to overwrite existing files without --force', async () => {
    const cwd = mkdtempSync(join(tmp, 'force-'));
    expect((await runCli(['init', '-c', 'shipments'], { cwd })).code).toBe(0);
    writeFileSync(join(cwd, 'pipelines/shipments.yaml'), '# mine\n');
    const again = await runCli(['init', '-c', 'shipments'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('not overwriting pipelines/shipments.yaml, pipelines/data/shipments.csv, pipelines/shipments.test.yaml');
    expect(readFileSync(join(cwd, 'pipelines/shipments.yaml'), 'utf8')).toBe('# mine\n');
    const forced = await runCli(['init', '-c', 'shipments', '--force'], { cwd });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(cwd, 'pipelines/shipments.yaml'), 'utf8')).toContain('type: manomano-shipments');
    expect(existsSync(join(cwd, 'pipelines/data/shipments.csv'))).toBe(true);
  });
});
