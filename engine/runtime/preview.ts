/**
 * Preview: the before/after view of a few records, and for one attribute its lineage: the
 * starting value, the value after each rule box in order, and the final value. Nothing is
 * written anywhere; the source is read only as far as needed.
 */
import { ManoflowError, RecordError } from '../errors.js';
import { didYouMeanHint } from '../rules/did-you-mean.js';
import { findDestination, findSource } from '../connectors/registry.js';
import { loadValidPipeline } from './run.js';
import { compileMapping } from './mapping.js';
import type { LoadOptions } from '../config/load.js';
import type { LoadedPipeline } from '../config/load.js';
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
}

export interface PreviewRecord {
  position: RecordPosition;
  before: Row;
  after?: Row;
  filtered?: boolean;
  error?: { code: string; message: string; attribute?: string };
  /**
   * What the destination would do with the mapped record: accepted, or rejected with its codes
   * (ManoMano's rules for the product feed, the pure checks of API destinations).
   */
  verdict?: { accepted: boolean; rejects: Pick<Reject, 'code' | 'message' | 'attribute' | 'hint'>[] };
  lineage?: Record<string, { step: string; value: unknown }[]>;
}

/**
 * The destination's judgement of single records, without writing anything where the run would:
 * a file destination is created with its output in a temporary folder and never committed; an
 * API destination is never created, its pure `checkRecord` stands in.
 */
async function verdicts(p: LoadedPipeline, destDef: DestinationDefinition | undefined, attributes: readonly string[]) {
  const rejects: Reject[] = [];
  let writer: Destination | undefined;
  let tmp: string | undefined;
  if (destDef && !destDef.api) {
    tmp = await mkdtemp(join(tmpdir(), 'manoflow-preview-'));
    const output = (p.config.destination as { output?: string }).output;
    writer = await destDef.create(p.config.destination, {
      pipelineFile: p.path, pipelineDir: p.dir, pipelineName: p.config.name,
      resolvePath: (q) => resolve(p.dir, q), reject: (r) => rejects.push(r), report: () => {}, mappedAttributes: attributes,
      log: { info() {}, warn() {}, debug() {} }, options: { output: join(tmp, basename(output ?? 'output')) }, stateDir: join(tmp, '.manoflow'),
    });
  }
  return {
    async judge(record: Row, position: RecordPosition): Promise<NonNullable<PreviewRecord['verdict']>> {
      rejects.length = 0;
      if (writer) await writer.write([{ record, position }]);
      else if (destDef?.checkRecord) rejects.push(...destDef.checkRecord(record, p.config.destination));
      const found = rejects.map(({ code, message, attribute, hint }) => ({ code, message, ...(attribute ? { attribute } : {}), ...(hint ? { hint } : {}) }));
      return { accepted: found.length === 0, rejects: found };
    },
    async close(): Promise<void> {
      await writer?.close(false).catch(() => undefined);
      if (tmp) await rm(tmp, { recursive: true, force: true });
    },
  };
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
  const judge = await verdicts(p, destDef, mapping.attributes);
  const out: PreviewRecord[] = [];
  // With --sku, the ids seen so far, for a suggestion when none matches (bounded: big catalogues).
  const seen = new Set<string>();
  try {
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
      if (options.sku !== undefined && id !== options.sku && item.position.id !== options.sku) {
        if (id && seen.size < 10_000) seen.add(id);
        continue;
      }
      if (entry.after && !entry.filtered && !entry.error) entry.verdict = await judge.judge(entry.after, id ? { ...item.position, id } : item.position);
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
