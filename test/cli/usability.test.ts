/**
 * A CLI that helps: did-you-mean for commands and flags (the helper pipeline diagnostics use),
 * `help CMD` equal to `CMD --help` with every flag described, colour only where a person reads,
 * the command to paste in init's next steps, `schema --write`, and `validate DIR`.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { colourEnabled } from '../../engine/cli/colour.js';
import { formatCommandHelp } from '../../engine/cli/command.js';
import { commands } from '../../engine/cli/main.js';
import { formatProgress } from '../../engine/cli/output.js';
import { cliCommand } from '../../engine/util/invocation.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { parseGenerateArgs } from '../../bench/generate-catalog.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'manoflow-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('suggestions', () => {
  it('a misspelt command gets the nearest one, exit 2', async () => {
    const r = await runCli(['vaildate', 'pipelines']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^manoflow: unknown command "vaildate"\n  hint: did you mean "validate"\?\n/);
  });

  it('a misspelt flag gets the nearest flag of that command, exit 2', async () => {
    const r = await runCli(['run', 'pipelines/fr-product-creation.yaml', '--limt', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('manoflow run: CLI_UNKNOWN_FLAG unknown option "--limt"\n  hint: did you mean "--limit"?\n');
  });
});

describe('help', () => {
  it('`help run` is `run --help`, and lists every flag with a description', async () => {
    const viaHelp = await runCli(['help', 'run']);
    expect(viaHelp.code).toBe(0);
    // `run --help` prints the same function's text (main.ts)
    expect(viaHelp.stdout).toBe(formatCommandHelp(await commands.run!.load()));
    expect(viaHelp.stdout).toContain('  --limit N');
    expect(viaHelp.stdout).toMatch(/-o, --output PATH\s+write the output here/);
  });

  it('every command describes every flag it takes', async () => {
    for (const [name, entry] of Object.entries(commands)) {
      const command = await entry.load();
      const help = formatCommandHelp(command);
      for (const [flag, spec] of Object.entries(command.flags)) {
        expect({ name, flag, described: spec.description.length > 10 }).toEqual({ name, flag, described: true });
        expect(help).toContain(`--${flag}`);
      }
    }
  });
});

describe('colour', () => {
  it('only on a terminal; NO_COLOR and TERM=dumb turn it off; FORCE_COLOR decides', () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colourEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
  });

  it('a pipe gets plain text; FORCE_COLOR=1 colours the code and severity', async () => {
    const plain = await runCli(['validate', 'test/config/diagnostics/rules.yaml'], { env: { FORCE_COLOR: undefined } });
    expect(plain.stderr).not.toContain('\x1b[');
    const coloured = await runCli(['validate', 'test/config/diagnostics/rules.yaml'], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stderr).toContain('\x1b[31merror\x1b[39m');
    expect(coloured.stderr).toContain('\x1b[1mCFG_UNKNOWN_RULE\x1b[22m');
  });
});

describe('progress line', () => {
  it('percent, rate and ETA when the size is known; counts only otherwise', () => {
    const p = { read: 2000, written: 1900, rejected: 50, filtered: 50, elapsedMs: 4000 };
    expect(formatProgress({ ...p, bytes: 250, totalBytes: 1000 })).toBe(' 25% · read 2000 · written 1900 · rejected 50 · filtered 50 · 500 rec/s · ETA 0:12');
    expect(formatProgress(p)).toBe('read 2000 · written 1900 · rejected 50 · filtered 50 · 500 rec/s');
  });
});

describe('the command to paste', () => {
  it('npx in a project, node bin/manoflow.js in a clone, manoflow on the PATH', () => {
    expect(cliCommand({ cwd: '/p', script: '/p/node_modules/.bin/manoflow', env: {} })).toBe('npx manoflow');
    expect(cliCommand({ cwd: '/p', script: '/home/u/.npm/_npx/1/node_modules/.bin/manoflow', env: { npm_command: 'exec' } })).toBe('npx manoflow');
    expect(cliCommand({ cwd: '/src/manoflow', script: '/src/manoflow/bin/manoflow.js', env: {} })).toBe('node bin/manoflow.js');
    expect(cliCommand({ cwd: '/elsewhere', script: '/src/manoflow/bin/manoflow.js', env: {} })).toBe('node /src/manoflow/bin/manoflow.js');
    expect(cliCommand({ cwd: '/p', script: '/usr/local/bin/manoflow', env: {} })).toBe('manoflow');
  });
});

describe('schema --write', () => {
  it('writes both editor schemas into the project, with its own rule boxes', async () => {
    const cwd = mkdtempSync(join(tmp, 'schema-'));
    mkdirSync(join(cwd, 'rules'));
    writeFileSync(join(cwd, 'rules', 'shout.jsonata'), '/**\n * shout: upper case, with a mark.\n * @param mark string = "!"  appended\n */\n$uppercase($) & $mark\n');
    const r = await runCli(['schema', '--write'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote schemas/pipeline.schema.json\nwrote schemas/pipeline-test.schema.json\n');
    const schema = JSON.parse(readFileSync(join(cwd, 'schemas/pipeline.schema.json'), 'utf8'));
    expect(schema.definitions['rule-name'].enum).toEqual(expect.arrayContaining(['shout', 'truncate']));
    expect(schema.definitions['rule-call'].properties.shout.markdownDescription).toContain('`mark` string = "!"');
  });
});

describe('validate', () => {
  it('a folder means every pipeline in it; other YAML is named and skipped', async () => {
    const cwd = mkdtempSync(join(tmp, 'dir-'));
    mkdirSync(join(cwd, 'flows', 'more'), { recursive: true });
    const plain = (name: string) => `version: 1\nname: ${name}\nsource: { type: json, path: in.json }\nmapping: { automap: true }\ndestination: { type: json, output: out.json }\n`;
    writeFileSync(join(cwd, 'flows', 'in.json'), '[]');
    writeFileSync(join(cwd, 'flows', 'a.yaml'), plain('a'));
    writeFileSync(join(cwd, 'flows', 'more', 'b.yml'), plain('b').replace('in.json', '../in.json'));
    writeFileSync(join(cwd, 'flows', 'a.test.yaml'), 'cases: []\n');
    writeFileSync(join(cwd, 'flows', 'compose.yaml'), 'services: { db: { image: postgres } }\n');
    const r = await runCli(['validate', 'flows'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('flows/compose.yaml: not a pipeline, skipped\nflows/a.yaml: ok\nflows/more/b.yml: ok\n');
    expect(r.code).toBe(0);
  });

  it('a product feed that cannot produce a mandatory column is an error, not "ok"', async () => {
    const r = await runCli(['validate', 'test/config/diagnostics/required-attributes.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error CFG_REQUIRED_ATTRIBUTE manomano-products needs "brand", "title", "product_price_vat_inc", "quantity"');
    expect(r.stderr).toContain('rename "price" to "product_price_vat_inc"; rename "stock" to "quantity"');
    expect(r.stderr).toMatch(/required-attributes\.yaml: 1 error, 2 warnings\n$/);
  });
});

describe('bench/generate-catalog.mjs', () => {
  it('--help prints its usage and writes nothing; a bad argument is refused', async () => {
    const run = (args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [join(repoRoot, 'bench/generate-catalog.mjs'), ...args], { cwd: tmp }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: node bench\/generate-catalog\.mjs \[--rows N\] \[--out FILE\]\n/);
    expect(parseGenerateArgs(['--help'])).toEqual({ help: true, rows: undefined, out: undefined });
    const bad = await run(['--rows', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--rows expects a whole number above 0, got "lots"');
  });
});

