import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, repoRoot } from '../helpers/cli.js';

const fixtures = join(repoRoot, 'test/config/fixtures');

describe('manoflow validate (CLI)', () => {
  it('locates a misspelt key, a wrong connector type, a JSONata syntax error in a block and an unset variable', async () => {
    const r = await runCli(['validate', 'test/config/fixtures/broken.yaml'], { env: { MANOFLOW_TEST_UNSET_BRAND: undefined } });
    expect(r.code).toBe(2);
    const expected = readFileSync(join(fixtures, 'broken.expected.txt'), 'utf8');
    expect(r.stderr).toBe(expected);
  });

  it('accepts the same file once fixed, and says ok', async () => {
    const r = await runCli(['validate', 'test/config/fixtures/valid.yaml'], { env: { MANOFLOW_TEST_BRAND: 'Bosch' } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('test/config/fixtures/valid.yaml: ok\n');
    expect(r.code).toBe(0);
  });

  it('reports a missing pipeline file without a stack trace', async () => {
    const r = await runCli(['validate', 'test/config/fixtures/nope.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^test\/config\/fixtures\/nope\.yaml:1:1 error CFG_FILE_NOT_FOUND cannot read pipeline file: ENOENT/);
  });
});
