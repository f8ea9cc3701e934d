/**
 * Messages between the run loop and its mapping workers (engine/runtime/parallel). Everything
 * here crosses a thread boundary by structured clone: plain data only.
 */
import type { ExprOptions } from '../../expr/index.js';
import type { PreparedItem, RecordPosition, Row, RunOptions } from '../types.js';
import type { SharedLookups } from '../lookups.js';

/** What a worker needs to compile the same mapping as the main thread. */
export interface WorkerInit {
  /** The pipeline file and the text main loaded (positions in messages come from it). */
  path: string;
  source: string;
  /** The pipeline as main runs it (after interpolation and any override, e.g. the source path). */
  config: unknown;
  /** The market the worker maps for (its view of the pipeline), when the pipeline declares markets. */
  market?: string;
  destinationType: string;
  /** The destination's config when its preparer runs in the workers (see DestinationDefinition.preparer). */
  destination?: unknown;
  runOptions?: RunOptions;
  exprOptions: ExprOptions;
  /** The lookup tables main loaded, as shared buffers (workers attach to them, nothing is read twice). */
  lookups?: SharedLookups;
}

/** One chunk of source records, numbered so results are put back in order. */
export interface ChunkRequest {
  seq: number;
  records: Row[];
  /** With a destination preparer: each record's position, for the items it prepares. */
  positions?: RecordPosition[];
}

/** The outcome for one record, in the order of the chunk's records. */
export type RecordOutcome =
  | { kind: 'filtered' }
  | { kind: 'mapped'; record: Row }
  | { kind: 'prepared'; item: PreparedItem }
  | { kind: 'rejected'; code: string; message: string; hint?: string; attribute?: string }
  /** With `let`/`each`: the outcomes of the record's outputs (none: `each` gave no item). */
  | { kind: 'expanded'; outcomes: RecordOutcome[] };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'chunk'; seq: number; outcomes: RecordOutcome[] }
  | { type: 'fatal'; seq?: number; code: string; message: string; hint?: string };
