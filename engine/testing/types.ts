/**
 * Shapes of pipeline test files (`<pipeline>.test.yaml`) and of their results. A case feeds source
 * records through a pipeline's filter, mapping and (file) destination, and checks what came out.
 */
import type { Diagnostic } from '../errors.js';
import type { Reject, Row } from '../runtime/types.js';

/** One case as written in the test file (every key optional except `name`). */
export interface PipelineTestCase {
  name?: string;
  /** Environment variables for `${VAR}` interpolation, over the file's `env` and process.env. */
  env?: Record<string, string>;
  /** The market whose view of the pipeline the case runs (default: the first it declares). */
  market?: string;
  /** Merged into the pipeline's `vars` for this case. */
  vars?: Record<string, unknown>;
  /** Deep-merged into the pipeline document for this case; `null` deletes a key. */
  pipeline_patch?: Record<string, unknown>;
  /** Source records, as the source would yield them (strings for CSV). */
  input?: Row[];
  /** The output records, in order; each lists only the attributes it checks. */
  expect?: Row[];
  /** The rejects, in any order; each lists only the fields it checks (code, attribute, stage, id, index, message). */
  expect_rejects?: Partial<Reject>[];
  /** How many input records the filter skipped. */
  expect_filtered?: number;
  /** Diagnostics the (patched) pipeline must have; each lists only the fields it checks. */
  expect_diagnostics?: Partial<Diagnostic>[];
}

export const CASE_KEYS: ReadonlySet<string> = new Set([
  'name', 'env', 'market', 'vars', 'pipeline_patch', 'input', 'expect', 'expect_rejects', 'expect_filtered', 'expect_diagnostics',
]);

/** One thing a case found wrong; `format.ts` turns it into the readable diff. */
export type TestFailure =
  | { kind: 'value'; record: number; id?: string; attribute: string; expected: unknown; actual: unknown }
  | { kind: 'count'; expected: number; actual: number; extra: Row[] }
  | { kind: 'missing-reject'; expected: Partial<Reject> }
  | { kind: 'unexpected-reject'; actual: Reject }
  | { kind: 'filtered'; expected: number; actual: number }
  | { kind: 'missing-diagnostic'; expected: Partial<Diagnostic> }
  | { kind: 'unexpected-diagnostic'; actual: Diagnostic }
  | { kind: 'error'; message: string };

/** What happened to one case: `ok`, or the failures; plus what the run produced, for `--json`. */
export interface CaseResult {
  /** The test file, as shown in messages (relative to the working directory when inside it). */
  file: string;
  /** 1-based line of the case in the test file. */
  line: number;
  name: string;
  ok: boolean;
  failures: TestFailure[];
  /** The records that would be written or sent, in order. */
  outputs: Row[];
  rejects: Reject[];
  filtered: number;
  diagnostics: Diagnostic[];
}
