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
import type { LoadOptions } from '../config/load.js';
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
}

export interface PreviewRecord {
  position: RecordPosition;
  before: Row;
  after?: Row;
  filtered?: boolean;
  error?: { code: string; message: string; attribute?: string };
  lineage?: Record<string, { step: string; value: unknown }[]>;
}

export async function previewPipeline(file: string, options: PreviewOptions = {}): Promise<PreviewRecord[]> {
  const p = loadValidPipeline(file, options);
  const limit = options.limit ?? 5;
  const sourceDef = findSource((p.config.source as { type: string }).type)!;
  const destDef = findDestination((p.config.destination as { type: string }).type);
  const mapping = compileMapping(p, destDef, { fastPath: options.fastPath });
  const automap = p.config.mapping === undefined || (p.config.mapping as { automap?: boolean }).automap === true;
  if (options.attribute !== undefined && !automap && !mapping.attributes.includes(options.attribute)) {
    throw new ManoflowError('CLI_UNKNOWN_ATTRIBUTE', `the pipeline maps no attribute "${options.attribute}"`, {
      hint: didYouMeanHint(options.attribute, mapping.attributes) || `mapped attributes: ${mapping.attributes.join(', ')}`,
    });
  }
  const ctx: RunContext = {
    pipelineFile: p.path, pipelineDir: p.dir, pipelineName: p.config.name,
    resolvePath: (q) => resolve(p.dir, q), reject: () => {}, report: () => {},
    log: { info() {}, warn() {}, debug() {} }, options: { plan: true },
    stateDir: resolve(p.dir, '.manoflow'),
  };
  const source = await sourceDef.create(p.config.source, ctx);
  const out: PreviewRecord[] = [];
  for await (const item of source.read()) {
    if (out.length >= limit) break;
    if (!item.ok) {
      if (!options.sku) out.push({ position: item.position, before: {}, error: { code: item.error.code, message: item.error.message } });
      continue;
    }
    const entry: PreviewRecord = { position: item.position, before: item.record };
    try {
      if (!(await mapping.accepts(item.record))) entry.filtered = true;
      entry.after = await mapping.map(item.record);
    } catch (err) {
      if (!(err instanceof RecordError)) throw err;
      entry.error = { code: err.code, message: err.message, attribute: err.attribute };
    }
    const id = String(entry.after?.sku ?? entry.after?.order_reference ?? item.position.id ?? '');
    if (options.sku !== undefined && id !== options.sku && item.position.id !== options.sku) continue;
    const attributes = options.attribute ? [options.attribute] : mapping.attributes;
    entry.lineage = {};
    for (const a of attributes) {
      entry.lineage[a] = await mapping.trace(item.record, a).catch((err: Error) => [{ step: 'error', value: err.message }]);
    }
    out.push(entry);
  }
  return out;
}
