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
import type { RecordPosition, RunContext, Row } from './types.js';
import { resolve } from 'node:path';

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
  lineage?: Record<string, { step: string; value: unknown }[]>;
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
  const out: PreviewRecord[] = [];
  const read = sourceConfig.group_by === undefined ? source.read() : groupRows(source.read(), sourceConfig.group_by, exprOptions, { rows: 0 });
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
    if (options.sku !== undefined && !ids.includes(options.sku) && item.position.id !== options.sku) continue;
    const attributes = options.attribute ? [options.attribute] : mapping.attributes;
    entry.lineage = {};
    for (const a of attributes) {
      entry.lineage[a] = await mapping.trace(item.record, a).catch((err: Error) => [{ step: 'error', value: err.message }]);
    }
    out.push(entry);
  }
  return out;
}
