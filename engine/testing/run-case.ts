/**
 * Runs one case of a pipeline test: validate the (patched) pipeline, then each input record
 * through filter and mapping, and, for file destinations, through the real destination writing
 * into a temp dir, so its own record checks reject what a run would reject. API destinations are
 * never created: the mapped records are what would be sent, and tests never call an API.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { RecordError } from '../errors.js';
import { validatePipeline } from '../config/validate.js';
import { findDestination } from '../connectors/registry.js';
import { compileMapping, type MappedOutput } from '../runtime/mapping/index.js';
import { pipelineViews, type PipelineView } from '../config/markets.js';
import type { Destination, Logger, Reject, Row, RunContext, SourceItem } from '../runtime/types.js';
import { groupRows, type GroupBy } from '../runtime/group.js';
import { loadLookups, type LoadedLookups } from '../runtime/lookups.js';
import type { ExprOptions } from '../expr/index.js';
import { compareDiagnostics, compareOutputs, compareRejects, plain } from './match.js';
import { loadCasePipeline } from './patch.js';
import { CASE_KEYS, type CaseResult, type PipelineTestCase, type TestFailure } from './types.js';

const silent: Logger = { info() {}, warn() {}, debug() {} };
const EXPECT_KEYS = ['expect', 'expect_rejects', 'expect_filtered', 'expect_diagnostics'] as const;

/** Why: the file-level runner and the vitest suite run cases one by one, with the same semantics. */
export async function runPipelineCase(
  pipelineFile: string,
  c: PipelineTestCase,
  where: { file: string; line: number; index: number; env?: Record<string, string> },
): Promise<CaseResult> {
  const result: CaseResult = {
    file: where.file, line: where.line, name: c.name ?? `case ${where.index + 1}`,
    ok: false, failures: [], outputs: [], rejects: [], filtered: 0, diagnostics: [],
  };
  const fail = (message: string): CaseResult => ({ ...result, failures: [...result.failures, { kind: 'error', message }] });
  const unknown = Object.keys(c).find((k) => !CASE_KEYS.has(k));
  if (unknown) return fail(`unknown case key "${unknown}" (use ${[...CASE_KEYS].join(', ')})`);
  if (!EXPECT_KEYS.some((k) => c[k] !== undefined)) return fail(`the case checks nothing: give at least one of ${EXPECT_KEYS.join(', ')}`);
  if (c.input !== undefined && (!Array.isArray(c.input) || c.input.some((r) => !r || typeof r !== 'object' || Array.isArray(r)))) {
    return fail('"input" must be a list of records (mappings)');
  }

  const env = { ...process.env, ...where.env, ...c.env };
  const p = loadCasePipeline(pipelineFile, { vars: c.vars, patch: c.pipeline_patch, env });
  result.diagnostics = validatePipeline(p);
  result.failures.push(...compareDiagnostics(c.expect_diagnostics, result.diagnostics));
  const invalid = result.diagnostics.some((d) => d.severity === 'error');
  if (invalid || c.input === undefined) {
    if (invalid && c.expect_diagnostics === undefined) {
      result.failures.splice(0, result.failures.length, { kind: 'error', message: 'the pipeline is invalid:' });
      result.failures.push(...result.diagnostics.filter((d) => d.severity === 'error').map((d): TestFailure => ({ kind: 'unexpected-diagnostic', actual: d })));
    } else if (c.input !== undefined && (c.expect ?? c.expect_rejects ?? c.expect_filtered) !== undefined) {
      result.failures.push({ kind: 'error', message: 'the case has input and expectations, but the pipeline is invalid: nothing ran' });
    }
    return { ...result, ok: result.failures.length === 0 };
  }

  try {
    const run = await runRecords(pipelineViews(p, c.market === undefined ? undefined : [c.market])[0]!, c.input);
    Object.assign(result, run);
  } catch (err) {
    return fail(`the run failed: ${(err as { code?: string }).code ?? 'ERROR'} ${(err as Error).message ?? String(err)}`);
  }
  if (c.expect !== undefined) result.failures.push(...compareOutputs(c.expect, result.outputs));
  result.failures.push(...compareRejects(c.expect_rejects, result.rejects));
  if (c.expect_filtered !== undefined && c.expect_filtered !== result.filtered) {
    result.failures.push({ kind: 'filtered', expected: c.expect_filtered, actual: result.filtered });
  }
  return { ...result, ok: result.failures.length === 0 };
}

/** Filter + mapping + (file) destination over the case's records, one record per batch (lookup tables loaded once). */
async function runRecords(p: PipelineView, input: Row[]): Promise<{ outputs: Row[]; rejects: Reject[]; filtered: number }> {
  const engine = (p.config.options ?? {}) as { time_limit_ms?: number; max_depth?: number };
  const exprOptions = { fastPath: true, timeLimitMs: engine.time_limit_ms, maxDepth: engine.max_depth };
  const lookups = await loadLookups(p, { exprOptions });
  try {
    return await runMapped(p, input, exprOptions, lookups);
  } finally {
    lookups.close();
  }
}

async function runMapped(p: PipelineView, input: Row[], exprOptions: ExprOptions, lookups: LoadedLookups): Promise<{ outputs: Row[]; rejects: Reject[]; filtered: number }> {
  const destConfig = p.config.destination as { type: string; output?: string };
  const destDef = findDestination(destConfig.type);
  const mapping = compileMapping(p, destDef, exprOptions, { lookups });
  const outputs: Row[] = [];
  const rejects: Reject[] = [];
  let filtered = 0;
  const tmp = destDef && !destDef.api ? await mkdtemp(join(tmpdir(), 'manoflow-test-')) : undefined;
  let writer: Destination | undefined;
  let closed = false;
  try {
    if (destDef && tmp) {
      const ctx: RunContext = {
        pipelineFile: p.path, pipelineDir: p.dir, pipelineName: String(p.config.name ?? ''),
        resolvePath: (q) => resolve(p.dir, q),
        reject: (r) => rejects.push(r),
        // a case checks outputs and rejects; warnings are for runs (their records are written)
        warn() {},
        report() {},
        mappedAttributes: mapping.attributes,
        log: silent,
        options: { output: join(tmp, basename(destConfig.output ?? 'output')) },
        stateDir: join(tmp, '.manoflow'),
      };
      writer = await destDef.create(p.config.destination, ctx);
    }
    for (const [index, record] of (await grouped(p, input)).entries()) {
      const position = { index };
      let outputs: MappedOutput[];
      try {
        if (!(await mapping.accepts(record))) { filtered++; continue; }
        outputs = mapping.expands ? await mapping.mapSource(record) : [{ record: await mapping.map(record) }];
      } catch (err) {
        if (!(err instanceof RecordError)) throw err;
        outputs = [{ error: err }];
      }
      if (outputs.length === 0) filtered++;
      for (const o of outputs) {
        if (o.error !== undefined) {
          rejects.push({ stage: 'mapping', index, attribute: o.error.attribute, code: o.error.code, message: o.error.message, hint: o.error.hint });
        } else await destine(o.record, index, position);
      }
    }
    // Committing (into the temp dir) is part of the test: a destination may fail at close.
    closed = true;
    await writer?.close(true);
  } finally {
    if (!closed) await writer?.close(false).catch(() => undefined);
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
  return { outputs, rejects: rejects.map((r) => plain(r) as Reject), filtered };

  /** One mapped record through the destination (or its pure checks, for API destinations). */
  async function destine(mapped: Row, index: number, position: { index: number }): Promise<void> {
    const id = mapped.sku ?? mapped.order_reference;
    if (!writer) {
      // API destinations are never created: their pure record checks stand in for the send.
      const problems = destDef?.checkRecord?.(mapped, p.config.destination) ?? [];
      if (problems.length) rejects.push(...problems.map((r) => ({ ...r, index })));
      else outputs.push(plain(mapped) as Row);
      return;
    }
    const r = await writer.write([{ record: mapped, position: id === undefined ? position : { ...position, id: String(id) } }]);
    if (r.written > 0) outputs.push(plain(mapped) as Row);
  }
}

/** The case's input rows grouped as the source's `group_by` would group them. */
async function grouped(p: PipelineView, input: Row[]): Promise<Row[]> {
  const groupBy = (p.config.source as { group_by?: GroupBy }).group_by;
  if (groupBy === undefined) return input;
  async function* rows(): AsyncGenerator<SourceItem> {
    for (const [index, record] of input.entries()) yield { ok: true, record, position: { index, line: index + 1 } };
  }
  const out: Row[] = [];
  for await (const item of groupRows(rows(), groupBy, {}, { rows: 0 })) if (item.ok) out.push(item.record);
  return out;
}
