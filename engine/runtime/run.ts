/**
 * Runs a built pipeline: the source is read once (rows grouped by `group_by`), and each record goes
 * through every target's filter, `let`, `each` and mapping into its destination, streamed in
 * batches with back-pressure. Every record is accounted for, per target:
 * records = written + rejected + filtered (records = read without `each`).
 */
import { ManoflowError, RecordError } from '../errors.js';
import type { LoadedPipeline } from '../config/load.js';
import { redact } from '../secrets.js';
import { isGuardrailReject, isPending } from '../expr/index.js';
import { buildRun, type BuildOptions, type BuiltRun, type RunTarget } from './build.js';
import { mappedPosition, type MappedOutput } from './mapping/index.js';
import { groupRows, type GroupCounts } from './group.js';
import { ItemReport, RejectReport } from './reject-report.js';
import { commitGuard } from './guards.js';
import { isPerRunPath } from './output-path.js';
import { mapInWorkers, workerCount } from './parallel/index.js';
import type { Destination, DestinationResult, ItemResult, OutputItem, PreparedItem, RecordPosition, Row, RunOptions, SourceItem } from './types.js';
import type { RecordOutcome } from './parallel/protocol.js';
import { RunStats } from './run-stats.js';
import { htmlReportPath, writeRunReport } from './html-report.js';

export { loadValidPipeline, rejectReportPath } from './build.js';

/** How long the run loop may keep the event loop busy before letting signal handlers run. */
const YIELD_MS = 50;

/** Why: a macrotask turn (setImmediate), the only point where a signal handler can run; returns the time after it. */
function yieldToEventLoop(): Promise<number> {
  return new Promise((done) => setImmediate(() => done(Date.now())));
}

/** What one market's share of a run did (the whole run, without markets). */
export interface TargetSummary {
  ok: boolean;
  written: number;
  rejected: number;
  filtered: number;
  /** With `each`: the records the source records became (= written + rejected + filtered). */
  records?: number;
  rejectsByCode: Record<string, number>;
  /** Records written with a problem worth reading (rows of severity `warning` in the reject report). */
  warnings: number;
  warningsByCode: Record<string, number>;
  outputs: string[];
  rejectReport: string;
  itemReport?: string;
  items?: Record<string, number>;
  itemProblems?: number;
  itemProblemsByCode?: Record<string, number>;
  plannedItems?: ItemResult[];
  details?: Record<string, unknown>;
  error?: { code: string; message: string; hint?: string };
  /** The HTML run report, when one was asked for (`--report html`, `report.html`). */
  htmlReport?: string;
  /** Under plan: the guard a run would stop on (nothing would be written or sent). */
  wouldStop?: { code: string; message: string; hint?: string };
  /** Under plan, file destinations: the file a run would write. */
  wouldWrite?: string;
}

export interface RunSummary extends TargetSummary {
  pipeline: string;
  /** Source records read (after `group_by`). */
  read: number;
  /** With `group_by`: the rows the records were grouped from. */
  rows?: number;
  /** True when `limit` stopped the run before the source was exhausted. */
  limited: boolean;
  /** With markets: each market's share (the top-level counts are their sums). */
  markets?: Record<string, TargetSummary>;
  durationMs: number;
}

export interface Progress {
  read: number; written: number; rejected: number; filtered: number; elapsedMs: number;
  /** File sources: bytes read so far and the file's size, for percent and ETA. */
  bytes?: number; totalBytes?: number;
}

export interface RunPipelineOptions extends BuildOptions {
  onProgress?: (p: Progress) => void;
  /** Keep every item result in the summary (always on under `plan`). */
  keepItems?: boolean;
  /** Called with each mapped record as it joins a destination batch (watch mode diffs them). */
  onRecord?: (item: OutputItem) => void;
}

interface TargetRun {
  t: RunTarget;
  report: RejectReport;
  itemReport?: ItemReport;
  writer?: Destination;
  counts: { written: number; rejected: number; filtered: number; records: number };
  batch: OutputItem[];
  prepared: PreparedItem[];
  result?: DestinationResult;
  failure?: unknown;
  committed: boolean;
  rejectReport: string;
  /** The HTML report's statistics, when a report is asked for. */
  stats?: RunStats;
  wouldStop?: ManoflowError;
  htmlReport?: string;
}

/** The run options a worker's preparer may read (plain data: functions and signals stay here). */
function plainRunOptions(o: RunOptions): RunOptions {
  return { limit: o.limit, output: o.output, plan: o.plan, full: o.full, force: o.force, fastPath: o.fastPath, workers: o.workers, retryRefused: o.retryRefused };
}

export async function runPipeline(file: string | LoadedPipeline, options: RunPipelineOptions = {}): Promise<RunSummary> {
  return executeRun(await buildRun(file, options), options);
}

/** Runs what buildRun prepared: reads, maps, writes, then commits each target or none of its files. */
export async function executeRun(run: BuiltRun, options: RunPipelineOptions = {}): Promise<RunSummary> {
  const started = run.stamp.startedAt.getTime();
  const { engine } = run;
  const keepItems = options.plan === true || options.keepItems === true;
  const runs: TargetRun[] = [];
  for (const t of run.targets) {
    const reportSettings = t.view.config.report as { rejects?: unknown; html?: boolean | string } | undefined;
    const format = typeof reportSettings?.rejects === 'object' && reportSettings.rejects !== null ? reportSettings.rejects : {};
    const report = new RejectReport(t.rejectPath, format);
    const pendingItems: ItemResult[] = [];
    const tr: TargetRun = { t, report, counts: { written: 0, rejected: 0, filtered: 0, records: 0 }, batch: [], prepared: [], committed: false, rejectReport: t.rejectPath };
    // the HTML report's statistics, collected only when a report is asked for
    const stats = (options.htmlReport ?? reportSettings?.html) ? (tr.stats = new RunStats()) : undefined;
    t.sinks.reject = (r) => { report.add(r); stats?.reject(r); };
    t.sinks.warn = (w) => { report.warn(w); stats?.warning(w); };
    t.sinks.report = (item) => { stats?.item(item); return tr.itemReport ? tr.itemReport.add(item) : pendingItems.push(item); };
    await report.open();
    if (t.itemPath) {
      tr.itemReport = new ItemReport(t.itemPath, keepItems);
      await tr.itemReport.open();
      for (const item of pendingItems.splice(0)) tr.itemReport.add(item);
    }
    runs.push(tr);
  }
  const counts = { read: 0 };
  const groups: GroupCounts = { rows: 0 };
  const batchSize = (t: RunTarget) => engine.batch_size ?? t.destDef.batchSize ?? 500;
  let limited = false;
  let failure: unknown;
  let reader: Awaited<ReturnType<BuiltRun['sourceDef']['create']>> | undefined;

  const progress = () => {
    const sum = (k: 'written' | 'rejected' | 'filtered') => runs.reduce((n, r) => n + r.counts[k], 0);
    options.onProgress?.({ read: counts.read, written: sum('written'), rejected: sum('rejected'), filtered: sum('filtered'), elapsedMs: Date.now() - started, ...reader?.progress?.() });
  };
  const flush = async (r: TargetRun) => {
    if (r.batch.length === 0 && r.prepared.length === 0) return;
    const res = r.prepared.length > 0 ? await r.writer!.writePrepared!(r.prepared) : await r.writer!.write(r.batch);
    r.counts.written += res.written;
    r.counts.rejected += res.rejected;
    r.batch = [];
    r.prepared = [];
    await r.report.drain();
    progress();
  };
  let guardrailWarned = false;
  const reject = (r: TargetRun, stage: 'source' | 'mapping', err: { code: string; message: string; hint?: string; attribute?: string }, position: RecordPosition) => {
    r.counts.rejected++;
    r.counts.records++;
    if (!guardrailWarned && stage === 'mapping' && isGuardrailReject(err)) {
      // each such record costs the whole limit: say so as it happens, not only in the report
      guardrailWarned = true;
      options.log?.warn(`record ${position.index + 1}${position.line !== undefined ? ` (line ${position.line})` : ''} rejected: ${err.message}; ${err.hint} (further ones go to the reject report)`);
    }
    const row = { stage, index: position.index, line: position.line, id: position.id, attribute: err.attribute, code: err.code, message: err.message, hint: err.hint };
    r.report.add(row);
    r.stats?.reject(row);
  };
  /** Adds a mapped record to the batch; true when the batch is full (no Promise per record). */
  const add = (r: TargetRun, record: Row, position: RecordPosition): boolean => {
    const out: OutputItem = { record, position: mappedPosition(record, position) };
    r.counts.records++;
    if (r.stats !== undefined) r.stats.add(record);
    r.batch.push(out);
    options.onRecord?.(out);
    return r.batch.length >= batchSize(r.t);
  };
  const addOutputs = async (r: TargetRun, outputs: MappedOutput[], position: RecordPosition) => {
    if (outputs.length === 0) {
      // `each` gave no item: the source record becomes no record, counted as filtered
      r.counts.filtered++;
      r.counts.records++;
      return;
    }
    for (const o of outputs) {
      if (o.error !== undefined) reject(r, 'mapping', o.error, position);
      else if (add(r, o.record, position)) await flush(r);
    }
  };

  try {
    reader = await run.sourceDef.create(run.sourceConfig, run.sourceCtx);
    for (const r of runs) r.writer = await r.t.destDef.create(r.t.view.config.destination, r.t.ctx);
    const items: AsyncIterable<SourceItem> = run.sourceConfig.group_by === undefined ? reader.read()
      : groupRows(reader.read(), run.sourceConfig.group_by, run.exprOptions, groups);
    const workers = runs.length === 1 && options.onRecord === undefined
      ? workerCount(options.workers ?? engine.workers, run.sourceConfig, run.sourceCtx) : 0;
    if (workers > 0) {
      limited = await readInWorkers(run, runs[0]!, items, workers, options, {
        onRead: () => counts.read++, reject, add, flush,
      });
    } else {
      let lastYield = Date.now();
      for await (const item of items) {
        // records mapped without a Promise never leave the microtask queue: give signal handlers
        // (Ctrl-C, SIGTERM) a turn at least every YIELD_MS, so a stop request is seen promptly
        if (Date.now() - lastYield >= YIELD_MS) lastYield = await yieldToEventLoop();
        if (options.limit !== undefined && counts.read >= options.limit) { limited = true; break; }
        if (options.signal?.aborted) throw new ManoflowError('RUN_ABORTED', 'run aborted');
        counts.read++;
        if (!item.ok) {
          for (const r of runs) reject(r, 'source', item.error, item.position);
          continue;
        }
        const { record, position } = item;
        for (const r of runs) {
          const mapping = r.t.mapping;
          try {
            // Await only what IS a Promise: on the fast path a record is mapped without one.
            const accepted = mapping.acceptsRecord(record);
            if (!(isPending(accepted) ? await accepted : accepted)) {
              r.counts.filtered++;
              r.counts.records++;
              continue;
            }
            if (!mapping.expands) {
              const pending = mapping.mapRecord(record);
              if (add(r, isPending(pending) ? await pending : pending, position)) await flush(r);
              continue;
            }
            const pending = mapping.mapSource(record);
            await addOutputs(r, isPending(pending) ? await pending : pending, position);
          } catch (err) {
            if (!(err instanceof RecordError)) throw err;
            reject(r, 'mapping', err, position);
          }
        }
      }
    }
    for (const r of runs) await flush(r);
  } catch (err) {
    failure = err;
  }

  for (const r of runs) {
    const guard = failure !== undefined || options.force ? undefined
      : commitGuard({ read: counts.read, ...r.counts }, r.t.destDef, { limited, outputOverride: options.output !== undefined }, engine.max_reject_percent);
    // Under plan a tripped guard is reported (the run would stop on it), not raised.
    if (options.plan) r.wouldStop = guard;
    const own = failure ?? (options.plan ? undefined : guard);
    r.failure = own;
    // Under plan a file destination is discarded: a plan never replaces a real output. API
    // destinations compute their plan at close, so they are closed normally (they send nothing).
    const commit = own === undefined && (r.t.destDef.api === true || !options.plan);
    // The reject report is flushed first, so that committing the feed and its report are two
    // renames in a row: a feed and a reject report on disk always come from the same run.
    await r.report.finish().catch((err) => { r.failure ??= err; });
    r.result = r.writer === undefined ? { outputs: [] }
      : await r.writer.close(commit && r.failure === undefined).catch((err) => { r.failure ??= err; return { outputs: [] as string[], details: (err as { details?: Record<string, unknown> }).details }; });
    r.committed = commit && r.failure === undefined;
    const output = (r.t.view.config.destination as { output?: unknown }).output;
    if (r.committed && r.report.rows === 0 && (r.result?.outputs.length ?? 0) === 0 && typeof output === 'string' && isPerRunPath(output)) {
      // a per-run output that wrote nothing (if_empty: skip) leaves no empty report behind either
      await r.report.discard();
      r.rejectReport = '';
    } else {
      // API runs' reports describe what was sent: they are kept whatever happened.
      r.rejectReport = await r.report.commitWith(r.committed || r.t.destDef.api === true || options.plan === true);
    }
    await r.itemReport?.close();
  }
  for (const r of runs) {
    if (r.stats === undefined) continue;
    const setting = (options.htmlReport ?? (r.t.view.config.report as { html?: boolean | string } | undefined)?.html) as true | string;
    const e = (r.failure ?? failure) as ManoflowError | undefined;
    r.htmlReport = await writeRunReport({
      pipeline: r.t.ctx.pipelineName, ok: r.failure === undefined, read: counts.read, ...r.counts, rejectsByCode: r.report.byCode, warningsByCode: r.report.warningsByCode,
      items: r.itemReport?.byOutcome, outputs: r.committed ? r.result?.outputs ?? [] : [], rejectReport: r.rejectReport || r.t.rejectPath,
      durationMs: Date.now() - started, ...(e !== undefined ? { error: { code: e.code ?? 'RUN_FAILED', message: redact(e.message ?? String(e)) } } : {}),
    }, { path: htmlReportPath(setting, r.t.rejectPath, r.t.ctx.resolvePath), stats: r.stats, pipelineFile: run.pipeline.displayPath, startedAt: run.stamp.startedAt, plan: options.plan === true, settings: r.t.view.config })
      .catch((err: Error) => { r.t.ctx.log.warn(`the HTML report was not written: ${err.message}`); return undefined; });
  }
  // A source's cursor moves only once every output of the run is committed: a run whose output
  // was not committed reads the same records again next time.
  if (failure === undefined && !options.plan && runs.every((r) => r.committed)) {
    try {
      await reader?.commit?.();
    } catch (err) {
      for (const r of runs) r.failure ??= err;
    }
  }
  run.lookups.close();
  return summarise(run, runs, { read: counts.read, rows: run.sourceConfig.group_by === undefined ? undefined : groups.rows, limited, started, keepItems, plan: options.plan === true });
}

/** The summary of each target and of the run; throws the first failure with the summary attached. */
function summarise(run: BuiltRun, runs: TargetRun[], at: { read: number; rows?: number; limited: boolean; started: number; keepItems: boolean; plan: boolean }): RunSummary {
  const expands = runs.some((r) => r.t.mapping.fansOut);
  const targets = runs.map((r): TargetSummary => {
    const s: TargetSummary = {
      // Items that could not be sent (after retries) make the run a failure, like a thrown error.
      ok: r.failure === undefined && !(r.itemReport && (r.itemReport.byOutcome.failed ?? 0) > 0),
      written: r.counts.written,
      rejected: r.counts.rejected,
      filtered: r.counts.filtered,
      ...(expands ? { records: r.counts.records } : {}),
      rejectsByCode: r.report.byCode,
      warnings: r.report.warnings,
      warningsByCode: r.report.warningsByCode,
      outputs: r.committed ? r.result?.outputs ?? [] : [],
      rejectReport: r.rejectReport,
      // A destination's own written/rejected count only its records; the headline counts are the run's.
      details: r.result?.details && Object.fromEntries(Object.entries(r.result.details).filter(([k]) => k !== 'written' && k !== 'rejected' && k !== 'plan')),
      ...(r.htmlReport ? { htmlReport: r.htmlReport } : {}),
      ...(at.plan ? wouldWrite(r) : {}),
      ...(r.wouldStop ? { wouldStop: { code: r.wouldStop.code, message: r.wouldStop.message, ...(r.wouldStop.hint ? { hint: r.wouldStop.hint } : {}) } } : {}),
      ...(r.itemReport ? { itemReport: r.itemReport.path, items: r.itemReport.byOutcome, itemProblems: r.itemReport.problems, itemProblemsByCode: r.itemReport.problemsByCode } : {}),
      ...(r.itemReport && at.keepItems ? { plannedItems: r.itemReport.items } : {}),
    };
    if (r.failure !== undefined) {
      const e = r.failure as ManoflowError;
      s.error = { code: e.code ?? 'RUN_FAILED', message: redact(e.message ?? String(r.failure)), ...(e.hint ? { hint: redact(e.hint) } : {}) };
    }
    return s;
  });
  const base = { pipeline: run.pipeline.config.name, read: at.read, ...(at.rows !== undefined ? { rows: at.rows } : {}), limited: at.limited, durationMs: Date.now() - at.started };
  let summary: RunSummary;
  if (runs.length === 1 && runs[0]!.t.market === undefined) summary = { ...base, ...targets[0]! };
  else summary = { ...base, ...combine(targets), markets: Object.fromEntries(runs.map((r, i) => [r.t.market!, targets[i]!])) };
  const failed = runs.find((r) => r.failure !== undefined);
  if (failed !== undefined) {
    if (!(failed.failure instanceof ManoflowError)) throw failed.failure;
    throw Object.assign(failed.failure, { summary });
  }
  return summary;
}

/** Under plan, the file a file destination would write (its `--output` or `output`, templates expanded). */
function wouldWrite(r: TargetRun): { wouldWrite?: string } {
  if (r.t.destDef.api) return {};
  const output = r.t.ctx.options.output ?? (r.t.view.config.destination as { output?: unknown }).output;
  return typeof output === 'string' ? { wouldWrite: r.t.ctx.resolvePath(output) } : {};
}

/** The run-level view of several markets: counts summed, codes merged, the first error. */
function combine(targets: TargetSummary[]): TargetSummary {
  const sum = (k: 'written' | 'rejected' | 'filtered' | 'records') => targets.reduce((n, t) => n + (t[k] ?? 0), 0);
  const merge = (pick: (t: TargetSummary) => Record<string, number> | undefined) => {
    const out: Record<string, number> = {};
    for (const t of targets) for (const [k, v] of Object.entries(pick(t) ?? {})) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const withItems = targets.some((t) => t.items !== undefined);
  return {
    ok: targets.every((t) => t.ok),
    written: sum('written'), rejected: sum('rejected'), filtered: sum('filtered'),
    ...(targets.some((t) => t.records !== undefined) ? { records: sum('records') } : {}),
    rejectsByCode: merge((t) => t.rejectsByCode),
    warnings: targets.reduce((n, t) => n + t.warnings, 0),
    warningsByCode: merge((t) => t.warningsByCode),
    outputs: targets.flatMap((t) => t.outputs),
    rejectReport: targets[0]!.rejectReport,
    ...(withItems ? { items: merge((t) => t.items), itemProblems: targets.reduce((n, t) => n + (t.itemProblems ?? 0), 0), itemProblemsByCode: merge((t) => t.itemProblemsByCode) } : {}),
    ...(targets.some((t) => t.plannedItems) ? { plannedItems: targets.flatMap((t) => t.plannedItems ?? []) } : {}),
    ...(targets.find((t) => t.error) ? { error: targets.find((t) => t.error)!.error } : {}),
    ...(targets.find((t) => t.wouldStop) ? { wouldStop: targets.find((t) => t.wouldStop)!.wouldStop } : {}),
  };
}

interface LoopHooks {
  onRead(): void;
  reject(r: TargetRun, stage: 'source' | 'mapping', err: { code: string; message: string; hint?: string; attribute?: string }, position: RecordPosition): void;
  add(r: TargetRun, record: Row, position: RecordPosition): boolean;
  flush(r: TargetRun): Promise<void>;
}

/** The read loop with mapping in worker threads (one target): outcomes come back in source order. */
async function readInWorkers(run: BuiltRun, r: TargetRun, items: AsyncIterable<SourceItem>, workers: number, options: RunPipelineOptions, hooks: LoopHooks): Promise<boolean> {
  const t = r.t;
  // with workers, the destination's per-record half runs there too when it has one for this config
  // (not with an HTML report: its statistics need the mapped records on this thread)
  const prepares = r.stats === undefined && r.writer!.writePrepared !== undefined && t.destDef.preparer?.(t.view.config.destination, {
    pipelineDir: run.pipeline.dir, resolvePath: t.ctx.resolvePath, options: t.ctx.options, mappedAttributes: t.mapping.attributes, automap: t.mapping.automap, stateDir: t.ctx.stateDir,
  }) !== undefined;
  const take = async (outcome: RecordOutcome, position: RecordPosition): Promise<void> => {
    if (outcome.kind === 'filtered') { r.counts.filtered++; r.counts.records++; }
    else if (outcome.kind === 'rejected') hooks.reject(r, 'mapping', outcome, position);
    else if (outcome.kind === 'prepared') {
      r.counts.records++;
      r.prepared.push(outcome.item);
      if (r.prepared.length >= (run.engine.batch_size ?? t.destDef.batchSize ?? 500)) await hooks.flush(r);
    } else if (outcome.kind === 'expanded') {
      if (outcome.outcomes.length === 0) { r.counts.filtered++; r.counts.records++; }
      for (const o of outcome.outcomes) await take(o, position);
    } else if (hooks.add(r, outcome.record, position)) await hooks.flush(r);
  };
  const outcome = await mapInWorkers(items, {
    init: {
      path: run.pipeline.path, source: run.pipeline.source, config: run.pipeline.config, market: t.market, destinationType: t.destDef.type, exprOptions: run.exprOptions,
      lookups: run.lookups.shared,
      ...(prepares ? { destination: t.view.config.destination, runOptions: plainRunOptions(t.ctx.options) } : {}),
    },
    workers,
    limit: options.limit,
    signal: options.signal,
    onRead: hooks.onRead,
    onItem: async (item, result) => {
      if (!item.ok) hooks.reject(r, 'source', item.error, item.position);
      else await take(result!, item.position);
    },
  });
  return outcome.limited;
}
