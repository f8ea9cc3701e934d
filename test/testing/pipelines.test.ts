// Runs every case of every pipeline test file under pipelines/ and examples/ as its own vitest test
// (rule-box tests run in test/rules/). A failure message is the same diff `manoflow test` prints.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTestFiles, formatCaseResult, runPipelineTestFile, testFileKind } from '../../engine/testing/index.js';
import { repoRoot } from '../helpers/cli.js';

const roots = ['pipelines', 'examples'].map((d) => join(repoRoot, d)).filter((d) => existsSync(d));
const files = findTestFiles(roots).filter((f) => testFileKind(f) === 'pipeline');

describe('pipeline test files', () => {
  it('include the product-creation example\'s', () => {
    expect(files.map((f) => relative(repoRoot, f))).toContain('examples/product-creation/catalog-to-manomano.test.yaml');
  });
});

for (const file of files) {
  describe(relative(repoRoot, file), async () => {
    const results = await runPipelineTestFile(file);
    it('has cases', () => {
      expect(results.length).toBeGreaterThan(0);
    });
    for (const r of results) {
      it(`${r.name} (line ${r.line})`, () => {
        expect(r.ok, formatCaseResult(r)).toBe(true);
      });
    }
  });
}
