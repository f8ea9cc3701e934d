/**
 * Reads a pipeline test file with positions: the pipeline it tests, the file-wide `env`, and each
 * case with the line it starts on, so a failure points at the case in the editor.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { LineCounter, isMap, isSeq, parseDocument } from 'yaml';
import { checkAliasExpansion, MAX_ALIAS_COUNT } from '../config/yaml-limits.js';
import { ManoflowError } from '../errors.js';
import { displayPathOf } from '../config/load.js';
import type { PipelineTestCase } from './types.js';

/** A parsed test file: absolute paths, and each case with its 1-based line. */
export interface PipelineTestFile {
  path: string;
  displayPath: string;
  pipeline: string;
  env: Record<string, string>;
  cases: { line: number; value: PipelineTestCase }[];
}

/** Why: the top-level keys of a pipeline test file (schemas/pipeline-test.schema.json lists the same). */
export const TEST_FILE_KEYS: ReadonlySet<string> = new Set(['pipeline', 'env', 'cases']);

/** `fr-price-stock.test.yaml` → `fr-price-stock.yaml` (or `.yml` when that is the one that exists). */
export function defaultPipelineOf(testFile: string): string {
  const stem = basename(testFile).replace(/\.test\.ya?ml$/, '');
  const yaml = resolve(dirname(testFile), `${stem}.yaml`);
  const yml = resolve(dirname(testFile), `${stem}.yml`);
  return existsSync(yaml) || !existsSync(yml) ? yaml : yml;
}

/** Why: one place turns a malformed test file into a located CFG_PIPELINE_TEST error (exit 2). */
export function readPipelineTestFile(file: string): PipelineTestFile {
  const path = resolve(file);
  const displayPath = displayPathOf(path);
  const fail = (line: number, message: string, hint?: string): never => {
    throw new ManoflowError('CFG_PIPELINE_TEST', `${displayPath}:${line}: ${message}`, { hint });
  };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return fail(1, `cannot read the test file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    fail(lines.linePos(e.pos[0]).line, `YAML: ${e.message.split('\n')[0]}`);
  }
  // test files share rows through anchors: an alias bomb is refused, not expanded
  const aliases = checkAliasExpansion(doc, lines, displayPath);
  if (aliases) fail(aliases.line, aliases.message, aliases.hint);
  let root: Record<string, unknown> | null = null;
  try {
    root = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown> | null;
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    fail(1, `YAML: ${err.message}`, 'share rows through fewer, smaller anchors');
  }
  const casesNode = isMap(doc.contents) ? doc.contents.get('cases', true) : undefined;
  if (!root || typeof root !== 'object' || !Array.isArray(root.cases) || !isSeq(casesNode)) {
    return fail(1, 'expected "cases:" with a list of test cases', 'pipeline: my-pipeline.yaml   # optional\ncases:\n  - name: ...\n    input: [ {...} ]\n    expect: [ {...} ]');
  }
  // `x-...` keys are free: a place for YAML anchors shared by cases (`x-row: &row {...}`).
  const unknown = Object.keys(root).find((k) => !TEST_FILE_KEYS.has(k) && !k.startsWith('x-'));
  if (unknown) fail(1, `unknown key "${unknown}" (a pipeline test file has ${[...TEST_FILE_KEYS].join(', ')}, and x-... keys for anchors)`);
  if (root.pipeline !== undefined && typeof root.pipeline !== 'string') fail(1, '"pipeline" must be a file name, relative to the test file');
  const env = (root.env ?? {}) as Record<string, unknown>;
  if (typeof env !== 'object' || Array.isArray(env)) fail(1, '"env" must be a mapping of variable names to values');
  const cases = (root.cases as unknown[]).map((value, i) => {
    const node = casesNode.items[i] as { range?: [number, number, number] } | undefined;
    const line = node?.range ? lines.linePos(node.range[0]).line : 1;
    if (!value || typeof value !== 'object' || Array.isArray(value)) fail(line, `case ${i + 1} must be a mapping (name, input, expect...)`);
    return { line, value: value as PipelineTestCase };
  });
  return {
    path,
    displayPath,
    pipeline: typeof root.pipeline === 'string' ? resolve(dirname(path), root.pipeline) : defaultPipelineOf(path),
    env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
    cases,
  };
}
