/**
 * A real RunContext for connector tests: paths resolve inside a temp dir, rejects (and item reports) land
 * in arrays the test can read, the logger keeps warnings for assertions and prints nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { ItemResult, Reject, RunContext, RunOptions, SourceItem, Source } from '../../../engine/runtime/types.js';

export interface TestContext extends RunContext {
  rejects: Reject[];
  reports: ItemResult[];
  warnings: string[];
}

/** Builds a context whose pipeline lives in `dir` (pipeline.yaml there). */
export function makeContext(dir: string, options: RunOptions = {}): TestContext {
  const rejects: Reject[] = [];
  const warnings: string[] = [];
  const reports: ItemResult[] = [];
  return {
    pipelineFile: join(dir, 'pipeline.yaml'),
    pipelineDir: dir,
    pipelineName: 'test',
    resolvePath: (p) => (isAbsolute(p) ? p : resolve(dir, p)),
    reject: (r) => rejects.push(r),
    warn: (w) => rejects.push(w),
    report: (r) => reports.push(r),
    log: { info: () => undefined, warn: (m) => warnings.push(m), debug: () => undefined },
    options,
    stateDir: join(dir, '.manoflow'),
    rejects,
    reports,
    warnings,
  };
}

/** A fresh temp dir; call the returned cleanup in afterEach. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'manoflow-files-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Reads a whole source into an array (tests only: real runs stream). */
export async function readAll(source: Source): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of source.read()) items.push(item);
  return items;
}
