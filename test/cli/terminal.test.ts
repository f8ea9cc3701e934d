/**
 * In a real pseudo-terminal (util-linux `script`): the progress line with percent, rate and ETA
 * for a file source, and colour on errors and codes; NO_COLOR turns the colour off.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, repoRoot } from '../helpers/cli.js';

const SCRIPT = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));
const tmp = mkdtempSync(join(tmpdir(), 'manoflow-tty-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** Runs the CLI with its stdout and stderr on a pseudo-terminal; returns what the terminal showed. */
function inTerminal(args: string[], env: Record<string, string> = {}): Promise<{ code: number; screen: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'FORCE_COLOR' && k !== 'NO_COLOR'));
  const command = [process.execPath, bin, ...args].map(quote).join(' ');
  return new Promise((resolve) => {
    execFile(SCRIPT!, ['-q', '-e', '-c', command, '/dev/null'], { cwd: repoRoot, env: { ...base, TERM: 'xterm', ...env }, maxBuffer: 8 * 1024 * 1024 }, (err, stdout) => {
      resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, screen: stdout });
    });
  });
}

describe.skipIf(!SCRIPT)(`in a terminal${SCRIPT ? '' : ' (skipped: util-linux `script` is not installed)'}`, () => {
  it('a run over a file source shows percent, rate and ETA, then clears the line for the summary', async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => `SKU-${i},${'Perceuse visseuse sans fil 18 V avec deux batteries et coffret de transport '.repeat(3)},${(i % 90) + 10}.90`);
    writeFileSync(join(tmp, 'big.csv'), `sku,title,price\n${rows.join('\n')}\n`);
    writeFileSync(join(tmp, 'big.yaml'), 'version: 1\nname: big\nsource: { type: csv, path: big.csv }\nmapping: { automap: true }\ndestination: { type: csv, output: out.csv }\n');
    const { code, screen } = await inTerminal(['run', join(tmp, 'big.yaml')]);
    expect(code).toBe(0);
    // The first progress line is written at the first batch, long before the end of the file.
    expect(screen).toMatch(/\r\x1b\[K\s*\d{1,2}% · read \d+ · written \d+ · rejected 0 · filtered 0 · \d+ rec\/s · ETA \d+:\d\d/);
    expect(screen).toMatch(/\r\x1b\[K(\x1b\[1m)?big(\x1b\[22m)?: (\x1b\[32m)?done/);
  });

  it('colours severities and codes on a terminal, and not with NO_COLOR', async () => {
    const coloured = await inTerminal(['validate', 'test/config/diagnostics/rules.yaml']);
    expect(coloured.code).toBe(2);
    expect(coloured.screen).toContain('\x1b[31merror\x1b[39m \x1b[1mCFG_UNKNOWN_RULE\x1b[22m');
    const plain = await inTerminal(['validate', 'test/config/diagnostics/rules.yaml'], { NO_COLOR: '1' });
    expect(plain.code).toBe(2);
    expect(plain.screen).toContain('error CFG_UNKNOWN_RULE');
    expect(plain.screen).not.toContain('\x1b[');
  });
});
