/**
 * The small runtime interfaces every connector implements. A source yields records (or the rows
 * it could not read); the mapping is the one broad transform; a destination consumes mapped
 * records in batches and commits or discards on close.
 *
 * Error meaning, everywhere:
 * - a problem with ONE record is never thrown: it is reported through `ctx.reject(...)` (or yielded
 *   as `{ ok: false }` by a source) and the run goes on;
 * - a thrown error is fatal to the run (config, I/O, auth): the destination is closed with
 *   `ok = false` and must leave no partial output behind.
 */
import type { LoadedPipeline } from '../config/load.js';
import type { Diagnostic, RecordError } from '../errors.js';
import type { RequestBudget } from '../manomano/client/retry.js';

/** A record as read from a source or produced by the mapping. */
export type Row = Record<string, unknown>;

/** Where a record came from, for reports and error messages. */
export interface RecordPosition {
  /** 0-based index of the item in the source (data rows, header excluded). */
  index: number;
  /** 1-based physical line in the source file where the record starts, when it has lines. */
  line?: number;
  /** A human id for the item (the sku, the order reference) once known. */
  id?: string;
}

/** One item a source yields: a record, or a row it could not read (rejected, not fatal). */
export type SourceItem =
  | { ok: true; record: Row; position: RecordPosition }
  | { ok: false; error: RecordError; position: RecordPosition; raw?: string };

export interface Source {
  /** Streams the items; must honour back-pressure (pull-based) and stop early when the consumer breaks. */
  read(): AsyncIterable<SourceItem>;
  /**
   * Called once, after the destination committed (not on failure, not under `plan`). A source
   * that keeps a cursor saves it here, so a run that failed downstream reads the same records again.
   */
  commit?(): Promise<void> | void;
  /** How far the read has got, for a progress line: bytes read and the total when known (file sources). */
  progress?(): { bytes: number; totalBytes?: number };
}

/** A mapped record on its way to a destination. */
export interface OutputItem {
  record: Row;
  position: RecordPosition;
}

/** Why an item did not make it, as written to the reject report. */
export interface Reject {
  stage: 'source' | 'filter' | 'mapping' | 'destination' | 'remote';
  index?: number;
  line?: number;
  id?: string;
  attribute?: string;
  code: string;
  message: string;
  hint?: string;
}

/**
 * What happened to one item at an API destination (or what would happen, under `plan`).
 * Written to the run's item report and counted in the summary by outcome.
 */
export interface ItemResult {
  /** The item: an sku, an order reference. */
  id: string;
  /** What is or would be sent: `update`, `accept`, `refuse`, `ship`, `refund`... */
  action: string;
  outcome: 'sent' | 'would-send' | 'skipped' | 'refused' | 'failed';
  /** Stable code for skipped/refused/failed (ManoMano's app_code or ours). */
  code?: string;
  message?: string;
  /** What changed, for people: `price 19.9 → 17.9; stock 3 → 0`. */
  change?: string;
  /**
   * A `skipped` item that is no problem (unchanged since the last run, already done by an earlier
   * run). Other skipped items (wrong status, unknown order), refused and failed ones count as
   * problems: they set the exit code.
   */
  benign?: boolean;
  index?: number;
  line?: number;
}

export interface Destination {
  /** Consumes one batch. Records it refuses are reported with `ctx.reject` and counted in `rejected`. */
  write(batch: OutputItem[]): Promise<{ written: number; rejected: number }>;
  /**
   * `write` for items already turned into output by the definition's `preparer` (in a mapping
   * worker): the same result, rejects and output as `write` on the records they came from.
   */
  writePrepared?(batch: PreparedItem[]): Promise<{ written: number; rejected: number }>;
  /** `ok = true`: flush and commit (atomic rename for files). `ok = false`: discard everything. */
  close(ok: boolean): Promise<DestinationResult>;
}

export interface DestinationResult {
  /** Files written (final paths), for the summary. */
  outputs: string[];
  /** Connector-specific figures for the summary (sent, skipped, remote errors...). */
  details?: Record<string, unknown>;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** Options a user passes at run time (CLI flags or `runPipeline` options). */
export interface RunOptions {
  /** Stop after this many source records. */
  limit?: number;
  /** Override the destination's output path. */
  output?: string;
  /** Compute what would be sent, change nothing anywhere. */
  plan?: boolean;
  /** Ignore delta state: resend everything. */
  full?: boolean;
  /** Override safety limits. */
  force?: boolean;
  /** Turn the JSONata fast path off (compare against the stock interpreter). */
  fastPath?: boolean;
  /** Mapping threads: 0 maps in the main thread, `auto` uses every core on large files (default). */
  workers?: number | 'auto';
  /** Order actions: send again a payload ManoMano refused before (default: skipped REFUSED_BEFORE). */
  retryRefused?: boolean;
  /**
   * The request budget of an API key, shared beyond this run (a fleet's workers draw from one
   * budget per key in Redis); undefined keeps the client's own limiter. Not passed to mapping threads.
   */
  rateBudget?: (key: { apiKey: string; baseUrl: string }) => RequestBudget | undefined;
}

/** Where the state lives: the pipeline's `state` settings, or a project's or worker's override of them. */
export interface StateSettings {
  dir?: string;
  retention_days?: number;
  store?: 'sqlite' | 'redis';
  url?: string;
  prefix?: string;
}

/** What a connector gets to work with. */
export interface RunContext {
  pipelineFile: string;
  pipelineDir: string;
  pipelineName: string;
  /** Resolves a path written in the pipeline, relative to the pipeline file. */
  resolvePath(p: string): string;
  /** Reports one item that will not be written; counted in the summary. */
  reject(r: Reject): void;
  /**
   * Reports a problem with an item that IS written (duplicate EAN, HTML left in a title): a row of
   * the reject report with severity `warning`, counted in the summary as `warnings`, not `rejected`.
   */
  warn(w: Reject): void;
  /**
   * Attributes the mapping produces explicitly, in pipeline order. File destinations start their
   * header with them, so a column empty in the first batch is not lost later.
   */
  mappedAttributes?: readonly string[];
  /** Reports the outcome of one item at an API destination (sent, skipped, refused...). */
  report(item: ItemResult): void;
  log: Logger;
  options: RunOptions;
  /** Directory for manoflow's state (journal, delta snapshots, cursors, feedback). */
  stateDir: string;
  /** The pipeline's `state` settings (retention, which store...); absent outside a run. */
  stateSettings?: StateSettings;
  signal?: AbortSignal;
  /** The market this destination serves, when the pipeline declares markets. */
  market?: string;
  /** This run's id (output path templates, journal entries). */
  runId?: string;
  /**
   * Objects the destinations of one run's markets share, by a key of the connector's own (one map
   * per run): an index of a million skus is kept once, not once per market.
   */
  shared?: Map<string, unknown>;
}

/** A source connector: one folder, one definition, one registry line. */
export interface SourceDefinition<C = any> {
  kind: 'source';
  type: string;
  summary: string;
  create(config: C, ctx: RunContext): Source | Promise<Source>;
}

/** A destination connector. `attributes` lists what users may map (for automap and lint). */
export interface DestinationDefinition<C = any> {
  kind: 'destination';
  type: string;
  summary: string;
  /** Known attribute names; `undefined` means free-form (plain files). */
  attributes?: readonly string[];
  /** When true, an attribute outside `attributes` is a config error (API payloads); else a warning. */
  strictAttributes?: boolean;
  /**
   * What every record needs, for `validate`: each entry lists alternatives, each alternative the
   * attributes that together satisfy it (`[['ean'], ['sku_manufacturer', 'brand']]`). A mapping
   * that can produce none of them is an error before anything runs.
   */
  requiredAttributes?(config: C): readonly (readonly (readonly string[])[])[];
  /** Names people write for an attribute (`price` → `product_price_vat_inc`), for suggestions. */
  attributeSynonyms?: Readonly<Record<string, string>>;
  /** Records per `write` call. */
  batchSize?: number;
  /** True for connectors that talk to ManoMano's API: they get an item report and honour `plan`. */
  api?: boolean;
  /**
   * True when the output is a feed ManoMano fetches: a run never replaces it with an empty file
   * or with a `--limit` sample (unless `--force`).
   */
  feed?: boolean;
  create(config: C, ctx: RunContext): Destination | Promise<Destination>;
  /**
   * The destination's own per-record checks as a pure function (no I/O, no state). `manoflow test`
   * applies them to API destinations, which it never creates, so tests see what a run would reject.
   */
  checkRecord?(record: Row, config: C): Reject[];
  /**
   * The per-record half of `write`, pure and stateless (checks, formatting), so that mapping
   * workers can run it and hand the main thread compact items for `writePrepared`. Undefined when
   * this configuration needs the run's state first (e.g. columns taken from the first batch).
   */
  preparer?(config: C, ctx: PreparerContext): ((item: OutputItem) => PreparedItem) | undefined;
  /**
   * Checks `manoflow validate` runs after the pipeline is valid, that need more than the file:
   * the data or a cache (the products feed: mandatory attributes of the categories the data lands
   * in). Warnings only; never calls an API.
   */
  lint?(pipeline: LoadedPipeline): Promise<Diagnostic[]>;
  /**
   * More attribute names this pipeline may map without a CFG_UNKNOWN_ATTRIBUTE warning, read
   * synchronously from what the destination already knows (the products feed: the columns of its
   * cached taxonomy). No I/O beyond local files; undefined when there is nothing more.
   */
  moreAttributes?(pipeline: LoadedPipeline): readonly string[] | undefined;
}

/** What a preparer may use: no reject, report or log, which belong to the main thread. */
export interface PreparerContext {
  pipelineDir: string;
  resolvePath(p: string): string;
  options: RunOptions;
  mappedAttributes: readonly string[];
  /** True when the mapping adds source columns of its own accord (records may hold more keys). */
  automap: boolean;
  /** The run's state directory (caches a preparer may read, e.g. the products feed's taxonomy). */
  stateDir?: string;
}

/** A mapped record as a destination's preparer left it: plain data (it crosses threads). */
export interface PreparedItem {
  position: RecordPosition;
  data: unknown;
}
