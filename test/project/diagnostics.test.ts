/**
 * Golden diagnostics of project files: each `diagnostics/<case>.manoflow.yaml` is validated as
 * `manoflow validate` does (its pipelines for each seller, secrets required) and its formatted
 * diagnostics must equal `<case>.expected.txt`. UPDATE_GOLDEN=1 rewrites them (review the diff).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../engine/errors.js';
import { loadProject } from '../../engine/project/load.js';
import { validateProject } from '../../engine/project/validate.js';
import { repoRoot, runCli } from '../helpers/cli.js';

const dir = join(repoRoot, 'test/project/diagnostics');
const cases = readdirSync(dir).filter((f) => f.endsWith('.manoflow.yaml')).sort();
const env = { PATH: process.env.PATH, ACME_API_KEY: 'acme-secret-key-123' };

describe('project diagnostics (golden)', () => {
  for (const file of cases) {
    it(file, () => {
      const p = loadProject(join(dir, file), { env });
      const text = validateProject(p, { pipelines: true, secrets: true, env }).map((d) => formatDiagnostic(d)).join('\n').replaceAll(`${repoRoot}/`, '') + '\n';
      const golden = join(dir, file.replace(/\.manoflow\.yaml$/, '.expected.txt'));
      if (process.env.UPDATE_GOLDEN || !existsSync(golden)) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, 'utf8'));
    });
  }

  it('manoflow validate takes a project file: exit 2 with the diagnostics, never a secret', async () => {
    const r = await runCli(['validate', 'test/project/diagnostics/sellers.manoflow.yaml'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sellers.manoflow.yaml:10:');
    expect(r.stderr + r.stdout).not.toContain('acme-secret-key-123');
  });
});
