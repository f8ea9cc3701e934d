/**
 * The benchmark's pandas peer (bench/pandas) writes the same feed and reject report as manoflow on
 * a dirty catalogue (bench/pandas/agreement.mjs: seeded defects meeting most of the feed's checks).
 * Runs only where a python3 with pandas is installed (Debian: python3-pandas, which .ci/run installs).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function hasPandas(): boolean {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', 'import pandas, numpy'], { stdio: 'ignore' });
      return true;
    } catch {
      // try the next
    }
  }
  return false;
}

it.skipIf(!hasPandas())('the pandas peer and manoflow write the same bytes on a dirty catalogue', async () => {
  const out = execFileSync(process.execPath, [join(root, 'bench', 'pandas', 'agreement.mjs'), '--rows', '1500', '--seed', '7'], {
    cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  expect(out).toMatch(/^feed: \d+ lines, byte-identical$/m);
  expect(out).toMatch(/^reject report: \d+ lines, byte-identical$/m);
  // the defects meet the feed's checks, not only the three the clean benchmark meets
  const codes = /codes met: (.*)/.exec(out)![1]!.split(', ').map((c) => c.split(' ')[0]);
  expect(codes.length).toBeGreaterThanOrEqual(14);
}, 120_000);
