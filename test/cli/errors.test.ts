/**
 * CLI edges a newcomer hits: a busy port, a closed pipe, a shell glob that picks up test files,
 * --quiet under cron, and a YAML mistake reported once at the right place.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, runCli } from '../helpers/cli.js';

describe('CLI edges', () => {
  it('sandbox on a busy port: a clear error, exit 2, no stack trace', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const r = await runCli(['sandbox', '--port', String(port)]);
    server.close();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`CLI_PORT_IN_USE port ${port} is already in use`);
    expect(r.stderr).toContain('--port 0');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a closed pipe (schema | head) ends quietly', async () => {
    const child = spawn(process.execPath, [bin, 'schema'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((r) => child.stdout.once('data', () => r()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('validate skips test files picked up by a glob, and says how to run them', async () => {
    const r = await runCli(['validate', 'pipelines/fr-product-creation.yaml', 'pipelines/fr-shipments.test.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pipelines/fr-shipments.test.yaml: a test file, skipped (run it with `manoflow test pipelines/fr-shipments.test.yaml`)');
  });

  it('--quiet prints nothing when all went well', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-quiet-'));
    writeFileSync(join(dir, 'in.csv'), 'id\nA1\n');
    writeFileSync(join(dir, 'p.yaml'), 'version: 1\nname: q\nsource: { type: csv, path: in.csv }\ndestination: { type: csv, output: out.csv }\n');
    const r = await runCli(['run', '--quiet', join(dir, 'p.yaml')]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
  });

  it('an unclosed quote is reported once, where the quote opens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-yaml-'));
    writeFileSync(join(dir, 'p.yaml'), 'version: 1\nname: "x\nsource: {}\n');
    const r = await runCli(['validate', join(dir, 'p.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr.match(/CFG_YAML_SYNTAX/g)).toHaveLength(1);
    expect(r.stderr).toContain('p.yaml:2:7 error CFG_YAML_SYNTAX Missing closing "quote');
  });

  it('test given a pipeline runs the test file beside it', async () => {
    const r = await runCli(['test', 'pipelines/fr-shipments.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/pipelines\/fr-shipments\.test\.yaml:\d+ /);
    expect(r.stdout).toMatch(/\n\d+ passed, 0 failed\n$/);
  });

  it('plan --json prints the summary with the error when the plan fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-planjson-'));
    writeFileSync(join(dir, 'p.yaml'), 'version: 1\nname: pj\nsource: { type: csv, path: missing.csv }\ndestination: { type: csv, output: out.csv }\n');
    const r = await runCli(['plan', join(dir, 'p.yaml'), '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
  });

  it('preview --json reports a fatal error as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-prevjson-'));
    writeFileSync(join(dir, 'p.yaml'), 'version: 1\nname: pj\nsource: { type: csv, path: missing.csv }\ndestination: { type: csv, output: out.csv }\n');
    const r = await runCli(['preview', join(dir, 'p.yaml'), '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
  });
});
