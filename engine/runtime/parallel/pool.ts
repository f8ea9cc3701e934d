/**
 * A pool of mapping workers (worker.ts). Chunks go to the least busy worker; each answer resolves
 * the promise of its own chunk, so the run loop awaits chunks in source order whatever the order
 * they finish in. A worker that fails or exits ends the run with RUN_WORKER_FAILED.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ManoflowError } from '../../errors.js';
import { findPackageRoot } from '../../rules/loader.js';
import type { ChunkRequest, RecordOutcome, WorkerInit, WorkerReply } from './protocol.js';
import type { RecordPosition, Row } from '../types.js';

interface Pending { resolve(outcomes: RecordOutcome[]): void; reject(err: Error): void; worker: Slot }
interface Slot { worker: Worker; busy: number }

/** worker.js beside this file (dist), or dist's copy when this file runs from TypeScript sources (vitest). */
function workerFile(): string {
  const here = fileURLToPath(new URL('./worker.js', import.meta.url));
  return existsSync(here) ? here : join(findPackageRoot(), 'dist', 'engine', 'runtime', 'parallel', 'worker.js');
}

export class MappingPool {
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private failure: Error | undefined;
  private closing = false;

  private constructor(private readonly slots: Slot[]) {}

  /** Starts `size` workers and waits until each has compiled the mapping (or one failed). */
  static async start(init: WorkerInit, size: number): Promise<MappingPool> {
    const file = workerFile();
    const slots: Slot[] = [];
    const ready: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      // small heaps: a worker holds one chunk at a time, never the run's state
      const worker = new Worker(file, { workerData: init, resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 } });
      slots.push({ worker, busy: 0 });
      ready.push(new Promise((resolve, reject) => {
        worker.once('message', (m: WorkerReply) => (m.type === 'ready' ? resolve() : reject(replyError(m))));
        worker.once('error', reject);
      }));
    }
    const pool = new MappingPool(slots);
    try {
      await Promise.all(ready);
    } catch (err) {
      await pool.close();
      throw toFailure(err);
    }
    for (const slot of slots) pool.listen(slot);
    return pool;
  }

  private listen(slot: Slot): void {
    slot.worker.on('message', (m: WorkerReply) => {
      if (m.type === 'chunk') {
        const p = this.pending.get(m.seq);
        this.pending.delete(m.seq);
        slot.busy--;
        p?.resolve(m.outcomes);
      } else if (m.type === 'fatal') {
        this.fail(replyError(m));
      }
    });
    slot.worker.on('error', (err) => this.fail(toFailure(err)));
    slot.worker.on('exit', (code) => {
      if (!this.closing) this.fail(new ManoflowError('RUN_WORKER_FAILED', `a mapping worker stopped (exit code ${code})`, { hint: 'run again with --workers 0 to map in the main thread' }));
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }

  /** Maps one chunk of records; the promise resolves with one outcome per record, in order. */
  map(records: Row[], positions?: RecordPosition[]): Promise<RecordOutcome[]> {
    if (this.failure) return Promise.reject(this.failure);
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.busy < slot.busy) slot = s;
    const seq = this.seq++;
    slot.busy++;
    const request: ChunkRequest = positions ? { seq, records, positions } : { seq, records };
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject, worker: slot });
      slot.worker.postMessage(request);
    });
  }

  /** Stops every worker (pending chunks are abandoned). */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

function replyError(m: WorkerReply): Error {
  if (m.type !== 'fatal') return new ManoflowError('RUN_WORKER_FAILED', `unexpected message from a mapping worker: ${m.type}`);
  return new ManoflowError(m.code, m.message, m.hint ? { hint: m.hint } : {});
}

function toFailure(err: unknown): Error {
  if (err instanceof ManoflowError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ManoflowError('RUN_WORKER_FAILED', `a mapping worker failed: ${message}`, { hint: 'run again with --workers 0 to map in the main thread' });
}
