/**
 * A run stuck in an evaluation (a rule that loops on every record) can be stopped: the guardrails
 * give control back, the run loop lets the signal handler in, and SIGTERM exits 143 (Ctrl-C 130)
 * with nothing committed: the previous feed is kept and no temporary file is left. The CLI runs as
 * a child process; the signal is sent once it reports a record stopped by the time limit.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin } from '../helpers/cli.js';

const LOOP = '($loop := function($n){ $n > 0 ? $loop($n - 1) : 0 }; $loop(1e12))';

function pipeline(dir: string, title: string): void {
  writeFileSync(join(dir, 'p.yaml'), `version: 1\nname: stuck\nsource: { type: csv, path: in.csv }\nmapping:\n  attributes:\n    sku: ref\n    title: ${title}\ndestination: { type: csv, output: out/feed.csv }\n`);
}

const temps = (dir: string) => (existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.tmp')) : []);

function run(dir: string, ...args: string[]): { child: ReturnType<typeof spawn>; stderr: () => string; closed: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, 'run', join(dir, 'p.yaml'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const closed = new Promise<number | null>((r) => child.on('close', r));
  return { child, stderr: () => stderr, closed };
}

/** 200 rows, a first run that writes the feed, then the looping pipeline; returns the first feed. */
async function stuckSetup(dir: string): Promise<string> {
  const rows = ['ref,name'];
  for (let i = 0; i < 200; i++) rows.push(`R${i},Produit ${i}`);
  writeFileSync(join(dir, 'in.csv'), rows.join('\n') + '\n');
  pipeline(dir, 'name');
  expect(await run(dir).closed).toBe(0);
  // every record loops until options.time_limit_ms (default 1000 ms): 200 s if nothing stopped it
  pipeline(dir, JSON.stringify(LOOP));
  return readFileSync(join(dir, 'out/feed.csv'), 'utf8');
}

describe('a run stuck in an evaluation', () => {
  // one folder for both cases: a stopped run leaves it as it was (that is what they check)
  let dir = '';
  let before = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mf-stuck-'));
    before = await stuckSetup(dir);
  }, 60_000);

  it('stops on SIGTERM with mapping workers: the wait for a chunk ends and the workers are terminated', async () => {
    const stuck = run(dir, '--workers', '1');
    // the destination's temporary file exists once the run is reading and mapping
    for (let i = 0; i < 3000 && temps(dir).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(temps(dir)).toHaveLength(1);
    stuck.child.kill('SIGTERM');
    expect(await stuck.closed).toBe(143);
    expect(readFileSync(join(dir, 'out/feed.csv'), 'utf8')).toBe(before);
    expect(temps(dir)).toEqual([]);
  }, 120_000);

  // (Ctrl-C's 130 with the same handler: test/runtime/interrupt.test.ts)
  for (const [signal, code] of [['SIGTERM', 143]] as const) {
    it(`stops on ${signal}: exit ${code}, previous feed kept, no temporary file`, async () => {
      const stuck = run(dir);
      // wait on what the run prints when the first record is stopped by the limit (bounded, not a sleep)
      for (let i = 0; i < 3000 && !stuck.stderr().includes('options.time_limit_ms'); i++) await new Promise((r) => setTimeout(r, 20));
      expect(stuck.stderr()).toContain('rejected: attribute "title" expression: Expression evaluation timeout');
      stuck.child.kill(signal);
      expect(await stuck.closed).toBe(code);
      expect(stuck.stderr()).toContain('stopping: no more records are read and no file is committed');
      expect(readFileSync(join(dir, 'out/feed.csv'), 'utf8')).toBe(before);
      expect(temps(dir)).toEqual([]);
    }, 120_000);
  }
});
