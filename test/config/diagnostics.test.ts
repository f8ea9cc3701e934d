/**
 * Golden diagnostics: each `diagnostics/<case>.yaml` is validated and its formatted diagnostics
 * must equal `<case>.expected.txt`. Set UPDATE_GOLDEN=1 to rewrite the golden files after a
 * deliberate wording change (and review the diff).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipeline } from '../../engine/config/load.js';
import { validatePipeline } from '../../engine/config/validate.js';
import { formatDiagnostic } from '../../engine/errors.js';
import { repoRoot } from '../helpers/cli.js';

const dir = join(repoRoot, 'test/config/diagnostics');
const cases = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const env = { MANOFLOW_TEST_DIR: undefined, MANOFLOW_TEST_UNSET_X: undefined };

describe('pipeline diagnostics (golden)', () => {
  for (const file of cases) {
    it(file, () => {
      const p = loadPipeline(join(dir, file), { env: { ...process.env, ...env } });
      const text = validatePipeline(p)
        .map((d) => formatDiagnostic({ ...d, file: relative(repoRoot, join(repoRoot, d.file)) }))
        .join('\n').replaceAll(`${repoRoot}/`, '') + '\n';
      const golden = join(dir, file.replace(/\.yaml$/, '.expected.txt'));
      if (process.env.UPDATE_GOLDEN || !existsSync(golden)) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, 'utf8'));
    });
  }

  it('interpolates defaults and keeps $${...} literal', () => {
    const p = loadPipeline(join(dir, 'env-default.yaml'), { env: {} });
    const attrs = (p.config.mapping as { attributes: Record<string, string> }).attributes;
    expect(attrs.brand).toBe("'Bosch'");
    expect(attrs.literal).toBe("'${NOT_A_VAR}'");
    expect((p.config.source as { path: string }).path).toBe('./catalog.csv');
  });
});
