/**
 * Drives `manoflow watch` as a user would: a child process in a temp dir, real edits on disk,
 * and its stdout read until an expected marker appears (a deadline, never a fixed sleep).
 * Run `npx tsc -p tsconfig.json` first: the CLI runs from dist/.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, repoRoot } from '../helpers/cli.js';

export const fixtures = join(repoRoot, 'test/watch/fixtures');

/** A temp copy of a fixture folder. */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mf-watch-'));
  cpSync(join(fixtures, name), dir, { recursive: true });
  return dir;
}

/** Only stops a hung test: each wait ends as soon as its marker appears, however loaded the machine. */
const DEADLINE_MS = 90_000;

export class WatchProcess {
  stdout = '';
  stderr = '';
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;

  constructor(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }) {
    this.child = spawn(process.execPath, [bin, 'watch', ...args], {
      cwd: options.cwd,
      env: { ...process.env, FORCE_COLOR: '0', ...options.env },
    });
    this.child.stdout.on('data', (d) => (this.stdout += d));
    this.child.stderr.on('data', (d) => (this.stderr += d));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  /** Where the output ends now: pass it to `waitFor` to look only at what comes after. */
  mark(): number {
    return this.stdout.length;
  }

  /** Resolves with the output after `from` once it matches `pattern`; fails after the deadline. */
  async waitFor(pattern: RegExp, from = 0): Promise<string> {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const text = this.stdout.slice(from);
      if (pattern.test(text)) return text;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`no ${pattern} in the watch output\n--- stdout since mark:\n${text}\n--- stderr:\n${this.stderr}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Sends a signal and resolves with the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** Output of one cycle: from `from` up to the next "waiting for changes". */
export const CYCLE = /waiting for changes/;
