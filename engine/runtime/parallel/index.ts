/**
 * Mapping on every core: the run loop keeps reading the source and writing the destination on the
 * main thread (so rejects, ids, batches and the reject report are exactly the sequential ones),
 * while chunks of records are filtered and mapped by a pool of workers and taken back in order.
 */
import { statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { ManoflowError } from '../../errors.js';
import type { RecordPosition, RunContext, SourceItem } from '../types.js';
import { MappingPool } from './pool.js';
import type { RecordOutcome, WorkerInit } from './protocol.js';

/** Records per chunk: large enough that a message's cost is spread, small enough to keep memory flat. */
const CHUNK = 1000;
/** Below this a file is mapped in the main thread: starting workers costs more than they give back. */
export const AUTO_MIN_BYTES = 32 * 1024 * 1024;

/**
 * How many workers a run uses: `workers` as given (0 = none), or under `auto` (the default) one
 * per idle core, at most 4, when at least two cores are idle and the source is a file of at least
 * 32 MiB. Idle means not used by other processes (cores minus the 1-minute load average): on a
 * shared 2-core machine workers spent ~50% more CPU than the main thread alone and finished later
 * (bench/README.md), since the threads then take turns on the same core.
 */
export function workerCount(
  workers: number | 'auto' | undefined,
  source: { type: string; path?: string },
  ctx: Pick<RunContext, 'resolvePath'>,
  machine: { cores: number; load: number } = { cores: availableParallelism(), load: loadavg()[0]! },
): number {
  if (typeof workers === 'number') return Math.max(0, Math.floor(workers));
  const idle = Math.floor(machine.cores - machine.load);
  if (idle < 2 || typeof source.path !== 'string' || source.path === '-') return 0;
  try {
    return statSync(ctx.resolvePath(source.path)).size >= AUTO_MIN_BYTES ? Math.min(idle, 4) : 0;
  } catch {
    return 0;
  }
}

export interface ParallelRun {
  init: WorkerInit;
  workers: number;
  limit?: number;
  signal?: AbortSignal;
  /** Called for each item read (the caller counts it). */
  onRead(): void;
  /** Called for each item in source order, with its mapping outcome (none for a source problem). */
  onItem(item: SourceItem, outcome: RecordOutcome | undefined): Promise<void>;
}

/** Reads `items`, maps them in workers, and hands every item back in order; `limited` as the sequential loop. */
export async function mapInWorkers(items: AsyncIterable<SourceItem>, run: ParallelRun): Promise<{ limited: boolean }> {
  const pool = await MappingPool.start(run.init, run.workers);
  const inFlight: { items: SourceItem[]; outcomes: Promise<RecordOutcome[]> }[] = [];
  const maxInFlight = run.workers * 4;
  let chunk: SourceItem[] = [];
  let read = 0;
  let limited = false;

  // a stop request must not wait for a chunk whose records each run up to options.time_limit_ms:
  // the wait ends at once and `pool.close()` terminates the workers mid-evaluation
  const stopped = new Promise<never>((_, reject) => {
    const stop = () => reject(new ManoflowError('RUN_ABORTED', 'run aborted'));
    if (run.signal?.aborted) stop();
    else run.signal?.addEventListener('abort', stop, { once: true });
  });
  stopped.catch(() => undefined);
  const settle = async () => {
    const next = inFlight.shift()!;
    const outcomes = await Promise.race([next.outcomes, stopped]);
    let k = 0;
    for (const item of next.items) await run.onItem(item, item.ok ? outcomes[k++] : undefined);
  };
  const dispatch = async () => {
    const records = [];
    const positions = run.init.destination === undefined ? undefined : [] as RecordPosition[];
    for (const item of chunk) {
      if (!item.ok) continue;
      records.push(item.record);
      positions?.push(item.position);
    }
    const outcomes = pool.map(records, positions);
    // a failure is taken when this chunk's turn comes (or ends the run at close)
    outcomes.catch(() => undefined);
    inFlight.push({ items: chunk, outcomes });
    chunk = [];
    while (inFlight.length >= maxInFlight) await settle();
  };

  try {
    for await (const item of items) {
      if (run.limit !== undefined && read >= run.limit) { limited = true; break; }
      if (run.signal?.aborted) throw new ManoflowError('RUN_ABORTED', 'run aborted');
      read++;
      run.onRead();
      chunk.push(item);
      if (chunk.length >= CHUNK) await dispatch();
    }
    if (chunk.length > 0) await dispatch();
    while (inFlight.length > 0) await settle();
  } finally {
    await pool.close();
  }
  return { limited };
}
