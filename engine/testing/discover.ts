/**
 * Finds test files (`*.test.yaml`) under files and folders, and tells a rule-box test (top-level
 * `rule:`, or a `<name>.jsonata` beside it) from a pipeline test (`cases:` and no `rule:`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ManoflowError } from '../errors.js';

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', '.manoflow']);
const TEST_FILE = /\.test\.ya?ml$/;

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(join(dir, entry.name), out);
    } else if (TEST_FILE.test(entry.name)) {
      out.push(join(dir, entry.name));
    }
  }
}

/**
 * Why: `manoflow test` takes files or folders; folders are searched recursively, in name order.
 * A path that does not exist is a usage error (CLI_USAGE), not an empty success.
 */
export function findTestFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new ManoflowError('CLI_USAGE', `no such file or folder: ${p}`);
    if (statSync(abs).isDirectory()) walk(abs, out);
    else if (!/\.test\.ya?ml$/.test(abs) && /\.ya?ml$/.test(abs)) {
      // A pipeline given instead of its tests: run the test file beside it.
      const tests = abs.replace(/\.ya?ml$/, '.test.yaml');
      if (!existsSync(tests)) throw new ManoflowError('CLI_USAGE', `${p} is a pipeline and has no test file beside it (${tests.slice(resolve('.').length + 1)})`, { hint: 'write one: see engine/testing/README.md, or `manoflow init` for an example' });
      out.push(tests);
    } else out.push(abs);
  }
  return [...new Set(out)];
}

/** Which runner a test file belongs to; `unknown` when it is neither (reported as a config error). */
export function testFileKind(file: string): 'rule' | 'pipeline' | 'unknown' {
  if (existsSync(file.replace(TEST_FILE, '.jsonata'))) return 'rule';
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch {
    return 'pipeline'; // its runner reports the YAML error with a position
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return 'unknown';
  if ('rule' in data) return 'rule';
  return 'cases' in data ? 'pipeline' : 'unknown';
}
