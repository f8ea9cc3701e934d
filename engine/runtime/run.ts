/**
 * Runs a pipeline: source → filter → mapping → destination, streamed in batches with
 * back-pressure, every record accounted for: read = written + rejected + filtered.
 */
import { basename, dirname, extname, join, resolve } from 'node:path';
import { PipelineConfigError, RecordError, ManoflowError } from '../errors.js';
import { loadPipeline, type LoadedPipeline, type LoadOptions } from '../config/load.js';
import { validatePipeline } from '../config/validate.js';
import { findDestination, findSource } from '../connectors/registry.js';
import { redact } from '../secrets.js';
import { compileMapping, mappedPosition } from './mapping.js';
import { isGuardrailReject, isPending } from '../expr/index.js';
import { ItemReport, RejectReport } from './reject-report.js';
import type { ItemResult, Logger, OutputItem, PreparedItem, RecordPosition, Reject, Row, RunContext, RunOptions, SourceItem } from './types.js';
import { mapInWorkers, workerCount } from './parallel/index.js';

export interface RunSummary {
  pipeline: string;
  ok: boolean;
  read: number;
  written: number;
  rejected: number;
  filtered: number;
  /** True when `limit` stopped the run before the source was exhausted. */
  limited: boolean;
  rejectsByCode: Record<string, number>;
  outputs: string[];
  rejectReport: string;
  /** API destinations: the per-item report and its counts by outcome (sent, would-send, skipped, refused, failed). */
  itemReport?: string;
  items?: Record<string, number>;
  /** Items that need attention (refused, failed, skipped for a reason), by code; they set the exit code. */
  itemProblems?: number;
  itemProblemsByCode?: Record<string, number>;
  /** Under `plan` (or `keepItems`), every item result, in order. */
  plannedItems?: ItemResult[];
  durationMs: number;
  details?: Record<string, unknown>;
  error?: { code: string; message: string; hint?: string };
}

export interface Progress { read: number; written: number; rejected: number; filtered: number; elapsedMs: number }

export interface RunPipelineOptions extends RunOptions, LoadOptions {
  log?: Logger;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Keep every item result in the summary (always on under `plan`). */
  keepItems?: boolean;
  /** Called with each mapped record as it joins a destination batch (watch mode diffs them). */
  onRecord?: (item: OutputItem) => void;
}

const silent: Logger = { info() {}, warn() {}, debug() {} };

/** How long the run loop may keep the event loop busy before letting signal handlers run. */
const YIELD_MS = 50;

/** Why: a macrotask turn (setImmediate), the only point where a signal handler can run; returns the time after it. */
function yieldToEventLoop(): Promise<number> {
  return new Promise((done) => setImmediate(() => done(Date.now())));
}

/** Loads and validates, throwing PipelineConfigError with every diagnostic when invalid. */
export function loadValidPipeline(file: string | LoadedPipeline, options: LoadOptions = {}): LoadedPipeline {
  const p = typeof file === 'string' ? loadPipeline(file, options) : file;
  const diagnostics = validatePipeline(p);
  if (diagnostics.some((d) => d.severity === 'error')) throw new PipelineConfigError(diagnostics);
  return p;
}

/** Where the reject report goes; under `plan` a `.plan` variant, so a plan never replaces a run's report. */
export function rejectReportPath(p: LoadedPipeline, ctx: RunContext): string {
  const suffix = ctx.options.plan ? '.plan.rejects.csv' : '.rejects.csv';
  const explicit = (p.config.report as { rejects?: string } | undefined)?.rejects;
  if (explicit) {
    const abs = ctx.resolvePath(explicit);
    return ctx.options.plan ? join(dirname(abs), `${basename(abs, extname(abs))}.plan${extname(abs)}`) : abs;
  }
  const output = ctx.options.output ?? (p.config.destination as { output?: string }).output;
  if (output) {
    const abs = ctx.resolvePath(output);
    return join(dirname(abs), `${basename(abs, extname(abs))}${suffix}`);
  }
  return join(ctx.stateDir, 'reports', `${p.config.name}${suffix}`);
}

/**
 * Guards applied before anything is committed or sent (skipped with --force). A file output where
 * every record was rejected keeps the previous file (a broken mapping must not empty it); a feed
 * ManoMano fetches is never replaced by an empty file (an empty or truncated export, a filter that
 * drops everything) nor by a --limit sample; `options.max_reject_percent` caps the share of rejects.
 */
function commitGuard(
  counts: { read: number; written: number; rejected: number; filtered: number },
  dest: { api?: boolean; feed?: boolean },
  run: { limited: boolean; outputOverride: boolean },
  maxRejectPercent: number | undefined,
): ManoflowError | undefined {
  const force = '; --force writes it anyway';
  if (!dest.api && counts.written === 0 && counts.rejected > 0) {
    return new ManoflowError('RUN_NOTHING_WRITTEN', `every record was rejected (${counts.rejected} of ${counts.read}); the previous output is kept`, {
      hint: `read the reject report and fix the mapping${force}`,
    });
  }
  if (dest.feed && counts.written === 0) {
    return new ManoflowError('RUN_NOTHING_WRITTEN', `no record to write (read ${counts.read}, filtered ${counts.filtered}, rejected ${counts.rejected}); the previous feed is kept`, {
      hint: `an empty or truncated export, or a filter that drops everything? check the source${force}`,
    });
  }
  if (dest.feed && run.limited && !run.outputOverride) {
    return new ManoflowError('RUN_LIMITED_FEED', 'a --limit run does not replace the feed ManoMano fetches; the previous feed is kept', {
      hint: `write the sample elsewhere with --output sample.csv${force}`,
    });
  }
  if (maxRejectPercent !== undefined && counts.read > 0 && (counts.rejected * 100) / counts.read > maxRejectPercent) {
    const pct = ((counts.rejected * 100) / counts.read).toFixed(1);
    return new ManoflowError('SAFETY_REJECTS', `${pct}% of the records were rejected (${counts.rejected} of ${counts.read}), above options.max_reject_percent ${maxRejectPercent}%: nothing was written or sent`, {
      hint: `read the reject report and fix the source or the mapping${force}`,
    });
  }
  return undefined;
}

/** The run options a worker's preparer may read (plain data: functions and signals stay here). */
function plainRunOptions(o: RunPipelineOptions): RunOptions {
  return { limit: o.limit, output: o.output, plan: o.plan, full: o.full, force: o.force, fastPath: o.fastPath, workers: o.workers };
}

export async function runPipeline(file: string | LoadedPipeline, options: RunPipelineOptions = {}): Promise<RunSummary> {
  const started = Date.now();
  const p = loadValidPipeline(file, options);
  const config = p.config;
  const source = config.source as { type: string };
  const dest = config.destination as { type: string };
  const sourceDef = findSource(source.type);
  const destDef = findDestination(dest.type);
  if (!sourceDef || !destDef) throw new ManoflowError('CFG_UNKNOWN_CONNECTOR', `connector not registered: ${!sourceDef ? source.type : dest.type}`);
  const engineOptions = (config.options ?? {}) as { fast_path?: boolean; time_limit_ms?: number; max_depth?: number; batch_size?: number; max_reject_percent?: number; workers?: number | 'auto' };
  const counts = { read: 0, written: 0, rejected: 0, filtered: 0 };
  let report: RejectReport | undefined;
  let itemReport: ItemReport | undefined;
  const pendingItems: ItemResult[] = [];
  const ctx: RunContext = {
    pipelineFile: p.path,
    pipelineDir: p.dir,
    pipelineName: config.name,
    resolvePath: (q) => resolve(p.dir, q),
    reject: (r: Reject) => report?.add(r),
    report: (item: ItemResult) => {
      if (itemReport) itemReport.add(item);
      else pendingItems.push(item);
    },
    log: options.log ?? silent,
    options,
    stateDir: resolve(p.dir, (config.state as { dir?: string } | undefined)?.dir ?? '.manoflow'),
    signal: options.signal,
  };
  const exprOptions = {
    fastPath: options.fastPath ?? engineOptions.fast_path ?? true,
    timeLimitMs: engineOptions.time_limit_ms,
    maxDepth: engineOptions.max_depth,
  };
  const mapping = compileMapping(p, destDef, exprOptions);
  ctx.mappedAttributes = mapping.attributes;
  report = new RejectReport(rejectReportPath(p, ctx));
  await report.open();
  if (destDef.api) {
    const suffix = options.plan ? 'plan' : 'items';
    itemReport = new ItemReport(join(ctx.stateDir, 'reports', `${config.name}.${suffix}.csv`), options.plan || options.keepItems);
    await itemReport.open();
    for (const item of pendingItems.splice(0)) itemReport.add(item);
  }
  const reader = await sourceDef.create(config.source, ctx);
  const writer = await destDef.create(config.destination, ctx);
  const batchSize = engineOptions.batch_size ?? destDef.batchSize ?? 500;
  let batch: OutputItem[] = [];
  let prepared: PreparedItem[] = [];
  let limited = false;
  const onRecord = options.onRecord;
  const flush = async () => {
    if (batch.length === 0 && prepared.length === 0) return;
    const r = prepared.length > 0 ? await writer.writePrepared!(prepared) : await writer.write(batch);
    counts.written += r.written;
    counts.rejected += r.rejected;
    batch = [];
    prepared = [];
    await report?.drain();
    options.onProgress?.({ ...counts, elapsedMs: Date.now() - started });
  };
  const sourceProblem = (item: Extract<SourceItem, { ok: false }>) => {
    counts.rejected++;
    ctx.reject({ stage: 'source', index: item.position.index, line: item.position.line, id: item.position.id, code: item.error.code, message: item.error.message, hint: item.error.hint });
  };
  let guardrailWarned = false;
  const mappingProblem = (err: { code: string; message: string; hint?: string; attribute?: string }, position: RecordPosition) => {
    counts.rejected++;
    if (!guardrailWarned && isGuardrailReject(err)) {
      // each such record costs the whole limit: say so as it happens, not only in the report
      guardrailWarned = true;
      ctx.log.warn(`record ${position.index + 1}${position.line !== undefined ? ` (line ${position.line})` : ''} rejected: ${err.message}; ${err.hint} (further ones go to the reject report)`);
    }
    ctx.reject({ stage: 'mapping', index: position.index, line: position.line, id: position.id, attribute: err.attribute, code: err.code, message: err.message, hint: err.hint });
  };
  /** Adds a mapped record to the batch; true when the batch is full (no Promise per record). */
  const add = (record: Row, position: RecordPosition): boolean => {
    const out: OutputItem = { record, position: mappedPosition(record, position) };
    batch.push(out);
    if (onRecord !== undefined) onRecord(out);
    return batch.length >= batchSize;
  };
  const workers = onRecord === undefined ? workerCount(options.workers ?? engineOptions.workers, config.source as { type: string; path?: string }, ctx) : 0;
  // with workers, the destination's per-record half runs there too when it has one for this config
  const prepares = workers > 0 && writer.writePrepared !== undefined && destDef.preparer?.(config.destination, {
    pipelineDir: p.dir, resolvePath: ctx.resolvePath, options, mappedAttributes: mapping.attributes, automap: mapping.automap,
  }) !== undefined;
  let failure: unknown;
  try {
    if (workers > 0) {
      const outcome = await mapInWorkers(reader.read(), {
        init: {
          path: p.path, source: p.source, config, destinationType: dest.type, exprOptions,
          ...(prepares ? { destination: config.destination, runOptions: plainRunOptions(options) } : {}),
        },
        workers,
        limit: options.limit,
        signal: options.signal,
        onRead: () => counts.read++,
        onItem: async (item, result) => {
          if (!item.ok) sourceProblem(item);
          else if (result!.kind === 'filtered') counts.filtered++;
          else if (result!.kind === 'rejected') mappingProblem(result!, item.position);
          else if (result!.kind === 'prepared') {
            prepared.push(result!.item);
            if (prepared.length >= batchSize) await flush();
          } else if (add(result!.record, item.position)) await flush();
        },
      });
      limited = outcome.limited;
    } else {
      let lastYield = Date.now();
      for await (const item of reader.read()) {
        // records mapped without a Promise never leave the microtask queue: give signal handlers
        // (Ctrl-C, SIGTERM) a turn at least every YIELD_MS, so a stop request is seen promptly
        if (Date.now() - lastYield >= YIELD_MS) lastYield = await yieldToEventLoop();
        if (options.limit !== undefined && counts.read >= options.limit) { limited = true; break; }
        if (options.signal?.aborted) throw new ManoflowError('RUN_ABORTED', 'run aborted');
        counts.read++;
        if (!item.ok) {
          sourceProblem(item);
          continue;
        }
        const { record, position } = item;
        let result: Row;
        try {
          // Await only what IS a Promise: on the fast path a record is mapped without one.
          const accepted = mapping.acceptsRecord(record);
          if (!(isPending(accepted) ? await accepted : accepted)) { counts.filtered++; continue; }
          const pending = mapping.mapRecord(record);
          result = isPending(pending) ? await pending : pending;
        } catch (err) {
          if (!(err instanceof RecordError)) throw err;
          mappingProblem(err, position);
          continue;
        }
        if (add(result, position)) await flush();
      }
    }
    await flush();
  } catch (err) {
    failure = err;
  }
  if (failure === undefined && !options.force && !options.plan) {
    failure = commitGuard(counts, destDef, { limited, outputOverride: options.output !== undefined }, engineOptions.max_reject_percent);
  }
  // Under plan a file destination is discarded: a plan never replaces a real output. API
  // destinations compute their plan at close, so they are closed normally (they send nothing).
  const commit = failure === undefined && (destDef.api === true || !options.plan);
  const result = await writer.close(commit).catch((err) => { failure ??= err; return { outputs: [] as string[], details: (err as { details?: Record<string, unknown> }).details }; });
  if (failure === undefined && !options.plan) {
    try {
      await reader.commit?.();
    } catch (err) {
      failure = err;
    }
  }
  await report.close();
  await itemReport?.close();
  const summary: RunSummary = {
    pipeline: config.name,
    // Items that could not be sent (after retries) make the run a failure, like a thrown error.
    ok: failure === undefined && !(itemReport && (itemReport.byOutcome.failed ?? 0) > 0),
    ...counts,
    limited,
    rejectsByCode: report.byCode,
    outputs: commit ? result.outputs : [],
    rejectReport: report.path,
    durationMs: Date.now() - started,
    details: result.details,
    ...(itemReport ? { itemReport: itemReport.path, items: itemReport.byOutcome, itemProblems: itemReport.problems, itemProblemsByCode: itemReport.problemsByCode } : {}),
    ...(itemReport && (options.plan || options.keepItems) ? { plannedItems: itemReport.items } : {}),
  };
  if (failure !== undefined) {
    const e = failure as ManoflowError;
    summary.error = { code: e.code ?? 'RUN_FAILED', message: redact(e.message ?? String(failure)), ...(e.hint ? { hint: redact(e.hint) } : {}) };
    if (!(failure instanceof ManoflowError)) throw failure;
    throw Object.assign(failure, { summary });
  }
  return summary;
}
