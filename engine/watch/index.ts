/**
 * Watch mode as a library: watches a pipeline and everything it depends on, and on each change
 * (debounced, deduplicated by content hash) re-validates and, only when valid, re-runs a preview
 * on a sample. An invalid edit reports its diagnostics and keeps the last good result.
 *
 *   const w = await watchPipeline('pipelines/fr.yaml', { limit: 200 });
 *   w.on('run', (e) => ...); w.on('invalid', (e) => ...); w.on('error', (err) => ...);
 *   await w.close();
 */
import { EventEmitter } from 'node:events';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { loadPipeline, type LoadedPipeline } from '../config/load.js';
import { validatePipeline } from '../config/validate.js';
import { ManoflowError, PipelineConfigError, type Diagnostic } from '../errors.js';
import { clearRuleCache } from '../rules/index.js';
import { runPipeline, type RunSummary } from '../runtime/run.js';
import type { Logger } from '../runtime/types.js';
import { diffRecords, recordCollector, type RecordDiff, type RecordSet } from './diff.js';
import { environmentOf, forPreview, modeOf, PRODUCTION_CODE, previewDirOf, previewOutputOf, productionGuard, type ModeOptions, type WatchMode } from './mode.js';
import { contentHash, mergeTargets, watchTargets, type WatchTargets } from './targets.js';

export { diffRecords, recordId, isEmptyDiff, type RecordDiff, type AttributeChange, type ValueChange } from './diff.js';
export { PRODUCTION_CODE, previewDirOf, previewOutputOf, modeOf, type WatchMode } from './mode.js';
export { watchTargets, contentHash, schemaFile, type WatchTargets, type TargetKind } from './targets.js';

/** Default sample size of a watch run (records read from the source). */
export const DEFAULT_WATCH_LIMIT = 200;
/** Default quiet time after the last file event before a cycle starts (ms). */
export const DEFAULT_DEBOUNCE_MS = 150;

export interface WatchOptions extends ModeOptions {
  /** Source records per run; default 200; 0 reads the whole source. */
  limit?: number;
  debounceMs?: number;
  /** Also watch the source file (file sources). */
  watchSource?: boolean;
  /** Use chokidar's polling instead of native events (network drives, some containers). */
  poll?: boolean;
  env?: Record<string, string | undefined>;
  fastPath?: boolean;
  log?: Logger;
}

/** A good run: its summary and what changed since the previous good run (none on the first). */
export interface WatchRunEvent { summary: RunSummary; mode: WatchMode; diff?: RecordDiff; runs: number; changed: string[] }
/** An invalid edit: every diagnostic, and the last good run that is kept. */
export interface WatchInvalidEvent { diagnostics: Diagnostic[]; lastGood?: RunSummary; changed: string[] }

/**
 * A running watch. Events: 'run' (WatchRunEvent), 'invalid' (WatchInvalidEvent), 'error' (a run
 * that failed; the last good result stays), 'unchanged' ({ changed }: files touched, content the
 * same, nothing done) and 'targets' (the watched set changed).
 */
export interface WatchHandle extends EventEmitter {
  readonly pipeline: string;
  readonly targets: WatchTargets;
  readonly mode: WatchMode;
  readonly previewDir: string;
  readonly limit: number;
  /** The destination's API environment (`local`, `sandbox`, `production`), when it has one. */
  readonly environment: string | undefined;
  /** The last good run, kept while edits are invalid. */
  readonly lastGood: RunSummary | undefined;
  /** Stops watching; aborts a run in progress and waits for it to end. */
  close(): Promise<void>;
}

class Watch extends EventEmitter implements WatchHandle {
  targets: WatchTargets;
  mode: WatchMode;
  previewDir: string;
  environment: string | undefined;
  lastGood: RunSummary | undefined;
  private watched = new Set<string>();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private lastHash: string | undefined;
  private lastRecords: RecordSet | undefined;
  private runs = 0;
  private busy: Promise<void> | undefined;
  private again = false;
  private controller: AbortController | undefined;
  private closed = false;

  constructor(readonly pipeline: string, first: LoadedPipeline, private readonly watcher: FSWatcher, private readonly options: WatchOptions, readonly limit: number) {
    super();
    this.targets = watchTargets(first, options);
    this.mode = modeOf(first, options);
    this.previewDir = previewDirOf(first, options);
    this.environment = environmentOf(first);
    watcher.on('all', (_event, path) => this.onEvent(resolve(path)));
    watcher.on('error', (err) => this.fail(err));
    this.sync();
  }

  /** Adds newly needed paths to the watcher; never unwatches (events on unused paths are filtered out). */
  sync(): void {
    const want = [...this.targets.files.keys(), ...this.targets.ruleDirs.filter(isDir)].filter((p) => !this.watched.has(p));
    for (const p of want) this.watched.add(p);
    if (want.length) this.watcher.add(want);
  }

  private relevant(path: string): boolean {
    if (this.targets.files.has(path) || this.targets.ruleDirs.includes(path)) return true;
    return path.endsWith('.jsonata') && this.targets.ruleDirs.includes(dirname(path));
  }

  private onEvent(path: string): void {
    if (this.closed || !this.relevant(path)) return;
    this.pending.add(path);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.check(), this.options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  }

  /** Runs cycles one at a time; a change during a run aborts it when the content really changed. */
  check(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.busy) {
      this.again = true;
      if (this.controller && contentHash(this.targets) !== this.lastHash) this.controller.abort();
      return this.busy;
    }
    this.busy = (async () => {
      try {
        do {
          this.again = false;
          await this.cycle();
        } while (this.again && !this.closed);
      } catch (err) {
        this.fail(err);
      } finally {
        this.busy = undefined;
      }
    })();
    return this.busy;
  }

  private async cycle(): Promise<void> {
    const changed = [...this.pending];
    this.pending.clear();
    clearRuleCache();
    const p = loadPipeline(this.pipeline, { env: this.options.env });
    const fresh = watchTargets(p, this.options);
    const hash = contentHash(fresh);
    if (hash === this.lastHash) {
      // Same content as the last cycle (an editor saving twice, a touch): no run, no re-print.
      this.emit('unchanged', { changed });
      return;
    }
    this.lastHash = hash;
    const guard = p.doc.errors.length === 0 ? productionGuard(p, this.options) : undefined;
    const diagnostics = [...validatePipeline(p), ...(guard ? [guard] : [])];
    if (diagnostics.some((d) => d.severity === 'error')) {
      this.setTargets(mergeTargets(this.targets, fresh));
      this.emit('invalid', { diagnostics, lastGood: this.lastGood, changed } satisfies WatchInvalidEvent);
      return;
    }
    this.setTargets(fresh);
    this.mode = modeOf(p, this.options);
    this.previewDir = previewDirOf(p, this.options);
    this.environment = environmentOf(p);
    await this.run(p, changed);
  }

  private async run(p: LoadedPipeline, changed: string[]): Promise<void> {
    const collector = recordCollector();
    const controller = (this.controller = new AbortController());
    try {
      const summary = await runPipeline(forPreview(p), {
        limit: this.limit > 0 ? this.limit : undefined,
        output: previewOutputOf(p, this.options),
        plan: this.mode === 'plan',
        signal: controller.signal,
        onRecord: collector.onRecord,
        fastPath: this.options.fastPath,
        log: this.options.log,
      });
      const diff = this.lastRecords ? diffRecords(this.lastRecords, collector.set) : undefined;
      this.lastRecords = collector.set;
      this.lastGood = summary;
      this.runs++;
      this.emit('run', { summary, mode: this.mode, diff, runs: this.runs, changed } satisfies WatchRunEvent);
    } catch (err) {
      if (controller.signal.aborted) {
        this.lastHash = undefined; // superseded: the next cycle runs whatever the content is then
        return;
      }
      if (err instanceof PipelineConfigError) {
        this.emit('invalid', { diagnostics: err.diagnostics, lastGood: this.lastGood, changed } satisfies WatchInvalidEvent);
        return;
      }
      this.fail(err);
    } finally {
      this.controller = undefined;
    }
  }

  private setTargets(t: WatchTargets): void {
    const before = [...this.targets.files.keys()].sort().join('\0');
    this.targets = t;
    this.sync();
    if ([...t.files.keys()].sort().join('\0') !== before) this.emit('targets', t);
  }

  private fail(err: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
    else this.options.log?.warn(`watch: ${(err as Error)?.message ?? String(err)}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.controller?.abort();
    await this.busy;
    await this.watcher.close();
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Starts watching. Resolves once the file watcher is ready; the first cycle (validate, then run)
 * starts on the next turn of the event loop, so listeners attached right after `await` see it.
 * Throws WATCH_LIVE_PRODUCTION when `live` meets `environment: production` without `yesProduction`.
 */
export async function watchPipeline(file: string, options: WatchOptions = {}): Promise<WatchHandle> {
  const path = resolve(file);
  const first = loadPipeline(path, { env: options.env });
  const guard = first.doc.errors.length === 0 ? productionGuard(first, options) : undefined;
  if (guard) {
    throw new ManoflowError(PRODUCTION_CODE, `${guard.file}:${guard.line}:${guard.column} ${guard.message}`, { hint: guard.hint });
  }
  const { watch } = await import('chokidar');
  const watcher = watch([], { ignoreInitial: true, depth: 0, usePolling: options.poll === true, interval: 100 });
  const handle = new Watch(path, first, watcher, options, options.limit ?? DEFAULT_WATCH_LIMIT);
  await new Promise<void>((ready) => watcher.once('ready', () => ready()));
  setImmediate(() => void handle.check());
  return handle;
}
