/**
 * JSONata's own test suite through manoflow's expression layer (fast path on): zero failures, and
 * a real share of the cases answered by the fast path. Skips when the shared suite is not present.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatReport, runConformance } from '../../engine/expr/conformance.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const suiteDir = resolve(repoRoot, '../shared/conformance/jsonata');
const present = existsSync(resolve(suiteDir, 'groups'));

if (!present) console.warn(`[expr conformance] skipped: JSONata test suite not found at ${suiteDir}`);

describe.skipIf(!present)(`JSONata conformance suite (${suiteDir})`, () => {
  it('passes every case, with the fast path answering a share of them', { timeout: 180_000 }, async () => {
    const report = await runConformance(suiteDir);
    if (report.total.failed > 0) console.error(formatReport(report));
    expect(report.failures.map((f) => `${f.group}/${f.name}: expected ${f.expected}, got ${f.actual}`)).toEqual([]);
    expect(report.total.cases).toBeGreaterThan(0);
    expect(report.total.passed).toBe(report.total.cases);
    expect(report.total.fast).toBeGreaterThan(0);
  });
});
