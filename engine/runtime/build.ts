/**
 * Building a run, before anything is read or written: the pipeline loaded and validated, the
 * source connector, and one target per market (or one for a pipeline without markets), each with
 * its compiled mapping, destination connector, context and report paths. Running it is run.ts.
 */
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ManoflowError, PipelineConfigError } from '../errors.js';
import { loadPipeline, type LoadedPipeline, type LoadOptions } from '../config/load.js';
import { validatePipeline } from '../config/validate.js';
import { pipelineViews, type PipelineView } from '../config/markets.js';
import { findDestination, findSource } from '../connectors/registry.js';
import type { ExprOptions } from '../expr/index.js';
import { compileMapping, type CompiledMapping } from './mapping/index.js';
import { loadLookups, type LoadedLookups } from './lookups.js';
import { expandPath, newRunStamp, type RunStamp } from './output-path.js';
import { refuseOverwrites } from './overwrite-guard.js';
import type { GroupBy } from './group.js';
import type { DestinationDefinition, ItemResult, Logger, Reject, RunContext, RunOptions, SourceDefinition, StateSettings } from './types.js';

/** Engine settings of `options:` as the run reads them. */
export interface EngineOptions {
  fast_path?: boolean;
  time_limit_ms?: number;
  max_depth?: number;
  batch_size?: number;
  max_reject_percent?: number;
  workers?: number | 'auto';
}

/** Where one target's rejects and item results go while it runs (set when the run opens its reports). */
export interface TargetSinks {
  reject(r: Reject): void;
  warn(w: Reject): void;
  report(item: ItemResult): void;
}

/** One market's share of a run (or the whole run, without markets). */
export interface RunTarget {
  market?: string;
  view: PipelineView;
  destDef: DestinationDefinition;
  mapping: CompiledMapping;
  ctx: RunContext;
  /** Where its reject report goes (a `.plan` variant under plan). */
  rejectPath: string;
  /** API destinations: where its item report goes. */
  itemPath?: string;
  sinks: TargetSinks;
}

export interface BuiltRun {
  pipeline: LoadedPipeline;
  sourceDef: SourceDefinition;
  sourceConfig: { type: string; group_by?: GroupBy; path?: string };
  /** A context for the source (its rejects and reports reach every target). */
  sourceCtx: RunContext;
  targets: RunTarget[];
  engine: EngineOptions;
  exprOptions: ExprOptions;
  stamp: RunStamp;
  /** The lookups, loaded once for every market (tables indexed; mapping workers attach to them); closed by the run. */
  lookups: LoadedLookups;
}

export interface BuildOptions extends RunOptions, LoadOptions {
  log?: Logger;
  signal?: AbortSignal;
  /** Write the HTML run report: true (beside the reject report) or a path; overrides `report.html`. */
  htmlReport?: boolean | string;
  /** Markets to run (default: every market the pipeline declares). */
  markets?: readonly string[];
  /** Replaces settings of the pipeline's `state` (a project's sellers, a fleet worker's shared store). */
  stateOverride?: StateSettings;
}

const silent: Logger = { info() {}, warn() {}, debug() {} };

/** Loads and validates, throwing PipelineConfigError with every diagnostic when invalid. */
export function loadValidPipeline(file: string | LoadedPipeline, options: LoadOptions = {}): LoadedPipeline {
  const p = typeof file === 'string' ? loadPipeline(file, options) : file;
  const diagnostics = validatePipeline(p);
  if (diagnostics.some((d) => d.severity === 'error')) throw new PipelineConfigError(diagnostics);
  return p;
}

/** The expression settings of a run: the pipeline's options, `--no-fast-path` over them. */
export function exprOptionsOf(engine: EngineOptions, options: { fastPath?: boolean }): ExprOptions {
  return { fastPath: options.fastPath ?? engine.fast_path ?? true, timeLimitMs: engine.time_limit_ms, maxDepth: engine.max_depth };
}

/** Where the reject report goes; under `plan` a `.plan` variant, so a plan never replaces a run's report. */
export function rejectReportPath(view: { config: LoadedPipeline['config'] }, ctx: RunContext): string {
  const suffix = ctx.options.plan ? '.plan.rejects.csv' : '.rejects.csv';
  const setting = (view.config.report as { rejects?: string | { path?: string } } | undefined)?.rejects;
  const explicit = typeof setting === 'string' ? setting : setting?.path;
  if (explicit) {
    const abs = ctx.resolvePath(explicit);
    return ctx.options.plan ? join(dirname(abs), `${basename(abs, extname(abs))}.plan${extname(abs)}`) : abs;
  }
  const output = ctx.options.output ?? (view.config.destination as { output?: string }).output;
  if (output && output !== '-') {
    const abs = ctx.resolvePath(output);
    return join(dirname(abs), `${basename(abs, extname(abs))}${suffix}`);
  }
  // ctx.pipelineName is `name.market` under markets: each market its own report, like its item report
  return join(ctx.stateDir, 'reports', `${ctx.pipelineName}${suffix}`);
}

/** The `--output` of a run with several markets: one file each, named after the market. */
function outputFor(output: string | undefined, market: string | undefined, many: boolean): string | undefined {
  if (output === '-' && many) {
    throw new ManoflowError('CLI_USAGE', '--output - writes one feed to stdout, and this run has several markets', { hint: 'choose one with --market, or write files: --output feeds/feed-{market}.csv' });
  }
  if (output === undefined || !many || output.includes('{market}')) return output;
  return join(dirname(output), `${basename(output, extname(output))}-{market}${extname(output)}`);
}

/** `make()`, releasing the lookups' spill files when it throws (the run that would close them never starts). */
function closingOnThrow<T>(lookups: LoadedLookups, make: () => T): T {
  try {
    return make();
  } catch (err) {
    lookups.close();
    throw err;
  }
}

/** Everything a run needs before it reads its first record (lookup tables loaded); throws on an invalid pipeline. */
export async function buildRun(file: string | LoadedPipeline, options: BuildOptions = {}): Promise<BuiltRun> {
  const p = loadValidPipeline(file, options);
  const config = p.config;
  const sourceConfig = config.source as BuiltRun['sourceConfig'];
  const sourceDef = findSource(sourceConfig.type);
  if (!sourceDef) throw new ManoflowError('CFG_UNKNOWN_CONNECTOR', `connector not registered: ${sourceConfig.type}`);
  const engine = (config.options ?? {}) as EngineOptions;
  const exprOptions = exprOptionsOf(engine, options);
  const stamp = newRunStamp();
  const stateSettings: StateSettings = { ...(config.state as StateSettings | undefined), ...options.stateOverride };
  const stateDir = resolve(p.dir, stateSettings.dir ?? '.manoflow');
  const views = pipelineViews(p, options.markets);
  // loaded once for every market: a table of a million rows is read and indexed one time
  const lookups = await loadLookups(p, { exprOptions });
  const log = options.log ?? silent;
  const shared = new Map<string, unknown>();
  const targets = closingOnThrow(lookups, () => views.map((view): RunTarget => {
    const dest = view.config.destination as { type: string };
    const destDef = findDestination(dest.type);
    if (!destDef) throw new ManoflowError('CFG_UNKNOWN_CONNECTOR', `connector not registered: ${dest.type}`);
    const sinks: TargetSinks = { reject() {}, warn() {}, report() {} };
    const output = outputFor(options.output, view.market, views.length > 1);
    const ctx: RunContext = {
      pipelineFile: p.path,
      pipelineDir: p.dir,
      pipelineName: view.market === undefined ? config.name : `${config.name}.${view.market}`,
      // output paths may hold {market}, {date}, {run_started_at}, {run_id}; `-` is stdout, never a file
      resolvePath: (q) => (q === '-' ? q : resolve(p.dir, expandPath(q, stamp, view.market))),
      reject: (r) => sinks.reject(r),
      warn: (w) => sinks.warn(w),
      report: (item) => sinks.report(item),
      log: view.market === undefined ? log : { info: (m) => log.info(`[${view.market}] ${m}`), warn: (m) => log.warn(`[${view.market}] ${m}`), debug: (m) => log.debug(`[${view.market}] ${m}`) },
      options: { ...options, output: output === undefined ? undefined : expandPath(output, stamp, view.market) },
      stateDir,
      stateSettings,
      signal: options.signal,
      market: view.market,
      runId: stamp.runId,
      shared,
    };
    const mapping = compileMapping(view, destDef, exprOptions, { lookups });
    ctx.mappedAttributes = mapping.attributes;
    const suffix = options.plan ? 'plan' : 'items';
    return {
      market: view.market, view, destDef, mapping, ctx, sinks,
      rejectPath: rejectReportPath(view, ctx),
      itemPath: destDef.api ? join(stateDir, 'reports', `${ctx.pipelineName}.${suffix}.csv`) : undefined,
    };
  }));
  const first = targets[0]!;
  const sourceCtx: RunContext = {
    ...first.ctx,
    pipelineName: config.name,
    // `path: "-"` reads stdin
    resolvePath: (q) => (q === '-' ? q : resolve(p.dir, q)),
    reject: (r) => { for (const t of targets) t.sinks.reject(r); },
    warn: (w) => { for (const t of targets) t.sinks.warn(w); },
    report: (item) => { for (const t of targets) t.sinks.report(item); },
    log,
    options: { ...options },
    market: undefined,
  };
  const built: BuiltRun = { pipeline: p, sourceDef, sourceConfig, sourceCtx, targets, engine, exprOptions, stamp, lookups };
  // no output may replace a file the run reads (by file identity: symlinks, hard links)
  refuseOverwrites(built, options.plan === true);
  return built;
}
