/**
 * The package as a user gets it: `npm pack`, installed from the tarball into an empty project,
 * then `npx manoflow init` and run, with no npm warning and no error; what ships (no source maps
 * of unshipped sources, no examples/out); ESM-only said plainly to require(); the Node.js types
 * the declarations need come with the package (`npm run check:package` type-checks a consumer).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

const exec = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), 'manoflow-pack-'));
const project = join(tmp, 'consumer');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));

// The outer `npm test` sets npm_* variables (its command, its prefix): a user's shell has none.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
const sh = async (cmd: string, args: string[], cwd = project, extra: Record<string, string> = {}) => {
  try {
    const r = await exec(cmd, args, { cwd, env: { ...env, NO_COLOR: '1', ...extra }, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
};

let files: string[] = [];
let install: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  // dist/ is built by `npm test` before vitest; prepack (clean + tsc) is not what is tested here.
  const pack = await sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], repoRoot);
  expect(pack.code).toBe(0);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  files = info!.files.map((f) => f.path);
  mkdirSync(project);
  // better-sqlite3 (the state store) is a native module: npm 11 asks a project to approve its
  // install script once, as the README says; approved here as a user would. BullMQ's optional
  // msgpackr-extract (a faster MessagePack) is declined the same way: BullMQ runs without it.
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, allowScripts: { 'better-sqlite3': true, 'msgpackr-extract': false } }));
  // Its install script fetches a prebuilt binary (or compiles for minutes without network): the
  // test hands it the one this checkout built, as a local prebuild, so the real script runs fast.
  const addon = JSON.parse(readFileSync(join(repoRoot, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string };
  const prebuilds = join(tmp, 'prebuilds');
  mkdirSync(join(tmp, 'stage/build/Release'), { recursive: true });
  mkdirSync(prebuilds);
  copyFileSync(join(repoRoot, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), join(tmp, 'stage/build/Release/better_sqlite3.node'));
  await sh('tar', ['-czf', join(prebuilds, `better-sqlite3-v${addon.version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`), '-C', join(tmp, 'stage'), 'build'], tmp);
  install = await sh('npm', ['install', join(tmp, info!.filename), '--prefer-offline', '--no-audit', '--no-fund'], project, { npm_config_better_sqlite3_local_prebuilds: prebuilds });
}, 240_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm package', () => {
  it('runs nothing at install: no install script, built before packing', () => {
    for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[s]).toBeUndefined();
    expect(pkg.scripts.prepack).toContain('tsc');
  });

  it('ships the built code, the schemas and the rule boxes, and no source maps or example outputs', () => {
    for (const f of ['bin/manoflow.js', 'dist/engine/index.js', 'dist/engine/index.d.ts', 'cjs/esm-only.cjs', 'schemas/pipeline.schema.json', 'schemas/pipeline-test.schema.json', 'rules/truncate.jsonata']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('examples/out/'))).toEqual([]);
  });

  it('installs from the tarball with no warning', () => {
    // the one line npm prints about the test's own local-prebuild setting (not a user's install)
    const own = /^npm warn Unknown env config "better-sqlite3-local-prebuilds".*\n/m;
    expect(install.stderr.replace(own, '')).toBe('');
    expect(install.stdout).not.toMatch(/warn|ERR/i);
    expect(install.code).toBe(0);
  });

  it('npx manoflow init and run: no warning, no error', async () => {
    const init = await sh('npx', ['manoflow', 'init']);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('next:\n  npx manoflow validate pipelines/product-creation.yaml\n');
    const text = readFileSync(join(project, 'pipelines/product-creation.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../node_modules/manoflow/schemas/pipeline.schema.json');
    expect(text).toContain('Run it:     npx manoflow run pipelines/product-creation.yaml');
    expect(existsSync(join(project, 'node_modules/manoflow/schemas/pipeline.schema.json'))).toBe(true);

    const run = await sh('npx', ['manoflow', 'run', 'pipelines/product-creation.yaml']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^product-creation: done: read \d+/);
    // The sample data holds one bad row on purpose, to show the reject report: exit 1 says so.
    expect(run.stdout).toContain('rejects: pipelines/out/product-creation.rejects.csv');
    expect([0, 1]).toContain(run.code);
  });

  it('says it is ESM-only to require(), and imports', async () => {
    const required = await sh(process.execPath, ['-e', "require('manoflow')"]);
    expect(required.code).not.toBe(0);
    expect(required.stderr).toContain("manoflow is ESM-only: require('manoflow') cannot load it");
    expect(required.stderr).toContain("await import('manoflow')");
    const imported = await sh(process.execPath, ['--input-type=module', '-e', "const m = await import('manoflow'); console.log(typeof m.runPipeline)"]);
    expect(imported.stdout).toBe('function\n');
  });

  it('brings the Node.js types its declarations use (a full consumer type-check: npm run check:package)', () => {
    expect(pkg.peerDependencies['@types/node']).toBeDefined();
    expect(readFileSync(join(project, 'node_modules/manoflow/dist/engine/index.d.ts'), 'utf8')).toMatch(/^\/\/\/ <reference types="node" preserve="true" \/>\n/);
    expect(existsSync(join(project, 'node_modules/@types/node/package.json'))).toBe(true);
  });
});
