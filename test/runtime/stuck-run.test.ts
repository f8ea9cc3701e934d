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
import { describe, expect, it } from 'vitest';
import { bin } from '../helpers/cli.js';

const LOOP = '($loop := function($n){ $n > 0 ? $loop($n - 1) : 0 }; $loop(1e12))';

function pipeline(dir: string, title: string): void {
  writeFileSync(join(dir, 'p.yaml'), `version: 1\nname: stuck\nsource: { type: csv, path: in.csv }\nmapping:\n  attributes:\n    sku: ref\n    title: ${title}\ndestination: { type: csv, output: out/feed.csv }\n`);
}

const temps = (dir: string) => (existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.tmp')) : []);

function run(dir: string): { child: ReturnType<typeof spawn>; stderr: () => string; closed: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, 'run', join(dir, 'p.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const closed = new Promise<number | null>((r) => child.on('close', r));
  return { child, stderr: () => stderr, closed };
}

describe('a run stuck in an evaluation', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`stops on ${signal}: exit ${code}, previous feed kept, no temporary file`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mf-stuck-'));
      const rows = ['ref,name'];
      for (let i = 0; i < 200; i++) rows.push(`R${i},Produit ${i}`);
      writeFileSync(join(dir, 'in.csv'), rows.join('\n') + '\n');
      pipeline(dir, 'name');
      const first = run(dir);
      expect(await first.closed).toBe(0);
      const before = readFileSync(join(dir, 'out/feed.csv'), 'utf8');

      // every record loops until options.time_limit_ms (default 1000 ms): 200 s if nothing stopped it
      pipeline(dir, JSON.stringify(LOOP));
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
