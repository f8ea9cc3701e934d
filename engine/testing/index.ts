/**
 * Pipeline tests (`<pipeline>.test.yaml`): the library API behind `manoflow test` and the vitest
 * suite. See README.md for the file format.
 */
import { readPipelineTestFile } from './test-file.js';
import { runPipelineCase } from './run-case.js';
import type { CaseResult } from './types.js';

export type { CaseResult, PipelineTestCase, TestFailure } from './types.js';
export { readPipelineTestFile, defaultPipelineOf, type PipelineTestFile } from './test-file.js';
export { runPipelineCase } from './run-case.js';
export { formatCaseResult, formatFailure, formatTotals } from './format.js';
export { findTestFiles, testFileKind } from './discover.js';

/**
 * Runs every case of a pipeline test file, in order. Throws ManoflowError CFG_PIPELINE_TEST when
 * the test file itself is malformed; a broken pipeline is a failing case, not a throw.
 */
export async function runPipelineTestFile(file: string): Promise<CaseResult[]> {
  const t = readPipelineTestFile(file);
  const results: CaseResult[] = [];
  for (const [index, c] of t.cases.entries()) {
    results.push(await runPipelineCase(t.pipeline, c.value, { file: t.displayPath, line: c.line, index, env: t.env }));
  }
  return results;
}
