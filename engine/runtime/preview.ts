/**
 * Preview: the before/after view of a few records, and for one attribute its lineage: the
 * starting value, the value after each rule box in order, and the final value. Nothing is
 * written anywhere; the source is read only as far as needed.
 */
import { ManoflowError, RecordError } from '../errors.js';
import { didYouMeanHint } from '../rules/did-you-mean.js';
import { findDestination, findSource } from '../connectors/registry.js';
import { loadValidPipeline } from './run.js';
import { compileMapping } from './mapping/index.js';
import { pipelineViews } from '../config/markets.js';
import { exprOptionsOf, type EngineOptions } from './build.js';
import { groupRows, type GroupBy } from './group.js';
import { loadLookups, type LoadedLookups } from './lookups.js';
import type { ExprOptions } from '../expr/index.js';
import type { LoadedPipeline, LoadOptions } from '../config/load.js';
import type { Destination, DestinationDefinition, RecordPosition, Reject, RunContext, Row } from './types.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

export interface PreviewOptions extends LoadOptions {
  /** Records to show (default 5). */
  limit?: number;
  /** Show only the record whose mapped `sku` (or source id) is this. */
  sku?: string;
  /** Attribute whose lineage to trace (default: every mapped attribute of the shown records). */
  attribute?: string;
  fastPath?: boolean;
  /** The market whose view to preview (default: the first the pipeline declares). */
  market?: string;
}

export interface PreviewRecord {
  position: RecordPosition;
  before: Row;
  after?: Row;
  /** With `each`: every output record of the source record (`after` is the first). */
  items?: Row[];
  filtered?: boolean;
  error?: { code: string; message: string; attribute?: string };
  /**
   * What the destination would do with the mapped record: accepted (perhaps with warnings), or
   * rejected with its codes (ManoMano's rules for the product feed, the pure checks of API destinations).
   */
  verdict?: { accepted: boolean; rejects: VerdictProblem[]; warnings?: VerdictProblem[] };
  lineage?: Record<string, { step: string; value: unknown }[]>;
}

/** One problem the destination found with a record, as the reject report would show it. */
export type VerdictProblem = Pick<Reject, 'code' | 'message' | 'attribute' | 'hint'>;

const problem = ({ code, message, attribute, hint }: Reject): VerdictProblem => ({ code, message, ...(attribute ? { attribute } : {}), ...(hint ? { hint } : {}) });

/**
 * The destination's judgement of single records, without writing anything where the run would:
 * a file destination is created with its output in a temporary folder and never committed; an
 * API destination is never created, its pure `checkRecord` stands in.
 */
async function verdicts(p: LoadedPipeline, destDef: DestinationDefinition | undefined, attributes: readonly string[]) {
  const rejects: Reject[] = [];
  const warnings: Reject[] = [];
  let writer: Destination | undefined;
  let tmp: string | undefined;
  if (destDef && !destDef.api) {
    tmp = await mkdtemp(join(tmpdir(), 'manoflow-preview-'));
    const output = (p.config.destination as { output?: string }).output;
    writer = await destDef.create(p.config.destination, {
      pipelineFile: p.path, pipelineDir: p.dir, pipelineName: p.config.name,
      resolvePath: (q) => resolve(p.dir, q), reject: (r) => rejects.push(r), warn: (w) => warnings.push(w), report: () => {}, mappedAttributes: attributes,
      log: { info() {}, warn() {}, debug() {} }, options: { output: join(tmp, basename(output ?? 'output')) }, stateDir: join(tmp, '.manoflow'),
    });
  }
  return {
    async judge(record: Row, position: RecordPosition): Promise<NonNullable<PreviewRecord['verdict']>> {
      rejects.length = 0;
      warnings.length = 0;
      if (writer) await writer.write([{ record, position }]);
      else if (destDef?.checkRecord) rejects.push(...destDef.checkRecord(record, p.config.destination));
      return { accepted: rejects.length === 0, rejects: rejects.map(problem), ...(warnings.length ? { warnings: warnings.map(problem) } : {}) };
    },
    async close(): Promise<void> {
      await writer?.close(false).catch(() => undefined);
      if (tmp) await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** Why: `manoflow preview` and the library show what the mapping does to the first records. */
export async function previewPipeline(file: string, options: PreviewOptions = {}): Promise<PreviewRecord[]> {
  const loaded = loadValidPipeline(file, options);
  const exprOptions = exprOptionsOf((loaded.config.options ?? {}) as EngineOptions, options);
  // lookup tables are read once, and their spill files released whatever happens
  const lookups = await loadLookups(loaded, { exprOptions });
  try {
    return await previewRecords(loaded, options, exprOptions, lookups);
  } finally {
    lookups.close();
  }
}

async function previewRecords(loaded: LoadedPipeline, options: PreviewOptions, exprOptions: ExprOptions, lookups: LoadedLookups): Promise<PreviewRecord[]> {
  const limit = options.limit ?? 5;
  const sourceConfig = loaded.config.source as { type: string; group_by?: GroupBy };
  const sourceDef = findSource(sourceConfig.type)!;
  const p = pipelineViews(loaded, options.market === undefined ? undefined : [options.market])[0]!;
  const destDef = findDestination((p.config.destination as { type: string }).type);
  const mapping = compileMapping(p, destDef, exprOptions, { lookups });
  const automap = mapping.automap;
  if (options.attribute !== undefined && !automap && !mapping.attributes.includes(options.attribute)) {
    throw new ManoflowError('CLI_UNKNOWN_ATTRIBUTE', `the pipeline maps no attribute "${options.attribute}"`, {
      hint: didYouMeanHint(options.attribute, mapping.attributes) || `mapped attributes: ${mapping.attributes.join(', ')}`,
    });
  }
  const ctx: RunContext = {
    pipelineFile: p.path, pipelineDir: p.dir, pipelineName: p.config.name,
    resolvePath: (q) => resolve(p.dir, q), reject: () => {}, warn: () => {}, report: () => {},
    log: { info() {}, warn() {}, debug() {} }, options: { plan: true },
    stateDir: resolve(p.dir, '.manoflow'),
  };
  const source = await sourceDef.create(sourceConfig, ctx);
  const judge = await verdicts(p, destDef, mapping.attributes);
  const out: PreviewRecord[] = [];
  // With --sku, the ids seen so far, for a suggestion when none matches (bounded: big catalogues).
  const seen = new Set<string>();
  const read = sourceConfig.group_by === undefined ? source.read() : groupRows(source.read(), sourceConfig.group_by, exprOptions, { rows: 0 });
  try {
    for await (const item of read) {
      if (out.length >= limit) break;
      if (!item.ok) {
        if (!options.sku) out.push({ position: item.position, before: {}, error: { code: item.error.code, message: item.error.message } });
        continue;
      }
      const entry: PreviewRecord = { position: item.position, before: item.record };
      try {
        if (!(await mapping.accepts(item.record))) entry.filtered = true;
        if (mapping.expands) {
          const outputs = await mapping.mapSource(item.record);
          entry.items = outputs.flatMap((o) => (o.record ? [o.record] : []));
          entry.after = entry.items[0];
          const failed = outputs.find((o) => o.error !== undefined)?.error;
          if (failed) entry.error = { code: failed.code, message: failed.message, attribute: failed.attribute };
        } else entry.after = await mapping.map(item.record);
      } catch (err) {
        if (!(err instanceof RecordError)) throw err;
        entry.error = { code: err.code, message: err.message, attribute: err.attribute };
      }
      const ids = (entry.items ?? [entry.after]).map((r) => String(r?.sku ?? r?.order_reference ?? item.position.id ?? ''));
      if (options.sku !== undefined && !ids.includes(options.sku) && item.position.id !== options.sku) {
        for (const id of ids) if (id && seen.size < 10_000) seen.add(id);
        continue;
      }
      if (entry.after && !entry.filtered && !entry.error) {
        const id = ids[0];
        entry.verdict = await judge.judge(entry.after, id ? { ...item.position, id } : item.position);
      }
      const attributes = options.attribute ? [options.attribute] : mapping.attributes;
      entry.lineage = {};
      for (const a of attributes) {
        entry.lineage[a] = await mapping.trace(item.record, a).catch((err: Error) => [{ step: 'error', value: err.message }]);
      }
      out.push(entry);
    }
  } finally {
    await judge.close();
  }
  if (options.sku !== undefined && out.length === 0) {
    throw new ManoflowError('CLI_SKU_NOT_FOUND', `no record has sku (or source id) "${options.sku}"`, {
      hint: didYouMeanHint(options.sku, seen) || 'the sku is the mapped `sku` (or the source id); check its spelling and case',
    });
  }
  return out;
}
