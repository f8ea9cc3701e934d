/**
 * The `lookups:` of a pipeline, as expressions see them under `$lookups.<name>`:
 * - a path loads a key → value map (a JSON object, or a CSV whose first two columns are key and
 *   value), read with `$lookup($lookups.categories, categorie)`;
 * - an object loads a keyed table of whole rows (lookup-load.ts), a function:
 *   `$lookups.parents(Product_ID)` gives the row (engine/expr/table-calls.ts makes the arguments
 *   read the record), undefined on a miss, or rejects the record (LOOKUP_MISSING) when `required`.
 * Loaded once per run; a problem is a config error naming the file.
 */
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { ManoflowError, RecordError } from '../errors.js';
import type { LoadedPipeline } from '../config/load.js';
import type { ExprOptions } from '../expr/index.js';
import { TABLE_CALL_PREFIX } from '../expr/table-calls.js';
import type { LookupTableConfig } from '../types/generated/pipeline.js';
import { parseCsvText, sniffDelimiter } from './csv-parse.js';
import { joinKey, keyPart, loadTable, NOT_A_KEY, type TableInfo } from './lookup-load.js';
import { LookupTable, type LookupTableHandle } from './lookup-table.js';
import type { RunContext } from './types.js';

export type LookupTables = Record<string, Record<string, unknown>>;

/** Reads one key → value map (validate reads it too, to report a broken file at its place). */
export function loadLookupTable(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    throw new ManoflowError('CFG_LOOKUP_FILE', `cannot read lookup file ${path}: ${(err as NodeJS.ErrnoException).code ?? err}`, {
      hint: 'lookup paths are relative to the pipeline file', cause: err,
    });
  }
  if (extname(path).toLowerCase() === '.csv') {
    const delimiter = sniffDelimiter(text.split('\n', 1)[0] ?? '');
    const rows = parseCsvText(text, { delimiter });
    const table: Record<string, unknown> = {};
    for (const row of rows.slice(1)) {
      // A half-read row would silently map some keys to the wrong value: refuse the table instead.
      if (row.problem) throw new ManoflowError('CFG_LOOKUP_FILE', `lookup file ${path}: line ${row.line} cannot be read (${row.problem.kind} quote)`, { hint: 'fix the quoting of that line' });
      if (row.fields[0]) table[row.fields[0]] = row.fields[1] ?? '';
    }
    return table;
  }
  try {
    const data = JSON.parse(text);
    if (data && typeof data === 'object' && !Array.isArray(data)) return data as Record<string, unknown>;
  } catch (err) {
    throw new ManoflowError('CFG_LOOKUP_FILE', `lookup file ${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  throw new ManoflowError('CFG_LOOKUP_FILE', `lookup file ${path} must hold a JSON object (key → value)`, {
    hint: 'or use a CSV file with two columns: key,value',
  });
}

/** The key → value maps (the entries given as a path), loaded synchronously. */
export function loadLookupMaps(dir: string, lookups: Record<string, unknown> | undefined): LookupTables {
  const out: LookupTables = {};
  for (const [name, path] of Object.entries(lookups ?? {})) if (typeof path === 'string') out[name] = loadLookupTable(resolve(dir, path));
  return out;
}

/** The entries of `lookups:` given as objects: keyed tables. */
export function tableEntries(p: LoadedPipeline): [string, LookupTableConfig][] {
  return Object.entries((p.config.lookups ?? {}) as Record<string, unknown>)
    .filter((e): e is [string, LookupTableConfig] => e[1] !== null && typeof e[1] === 'object');
}

/** A pipeline's lookups, loaded: what the mapping binds, and what mapping workers attach to. */
export interface LoadedLookups {
  /** `lookups` (maps and table functions) and one `lookups.<name>` function per table. */
  bindings: Record<string, unknown>;
  /** The tables as shared buffers, for mapping workers (structured clone). */
  shared: SharedLookups;
  /** Per table: distinct keys, rows kept, bytes in memory and in the spill file. */
  stats(): Record<string, LookupTable['stats'] & { emptyKeys: number }>;
  /** Releases the tables' spill files (call once the run is over). */
  close(): void;
}

/** Plain data: each table's handle and what its function needs. */
export interface SharedLookups {
  tables: Record<string, { handle: LookupTableHandle; info: TableInfo }>;
}

const shown = (parts: readonly unknown[]): string => parts.map((p) => JSON.stringify(p ?? '')).join(', ');

/** `$lookups.<name>(...)`: the row of the key given, checked as the table's settings say. */
function tableFunction(table: LookupTable, info: TableInfo): (...args: unknown[]) => unknown {
  const { name, arity, required, file } = info;
  const keyText = Array.isArray(info.key) ? info.key.map((k) => JSON.stringify(k)).join(', ') : `the value of ${info.key.expr}`;
  return (...args: unknown[]): unknown => {
    if (args.length !== arity) {
      throw new RecordError('LOOKUP_ARGS', `lookup table "${name}" takes ${arity} key value${arity > 1 ? 's' : ''} (${keyText}), got ${args.length}`, {
        hint: `call it with one value per key column, in order: $lookups.${name}(${Array.isArray(info.key) ? info.key.map(() => '…').join(', ') : '…'})`,
      });
    }
    let key: string | undefined;
    if (arity === 1) {
      const part = keyPart(args[0]);
      if (part === NOT_A_KEY) throw keyTypeError(name, args[0]);
      key = part === '' ? undefined : part;
    } else {
      const parts: (string | undefined)[] = [];
      for (const a of args) {
        const part = keyPart(a);
        if (part === NOT_A_KEY) throw keyTypeError(name, a);
        parts.push(part);
      }
      key = joinKey(parts);
    }
    const row = key === undefined ? undefined : table.get(key);
    if (row === undefined && required) {
      throw new RecordError('LOOKUP_MISSING', key === undefined
        ? `lookup table "${name}" (${file}): the key is empty`
        : `lookup table "${name}" (${file}) has no row with the key ${shown(args)}`, {
        hint: `check the key in the source (or add the row to the table); without required: true on lookups.${name}, a miss leaves the value empty`,
      });
    }
    return row;
  };
}

function keyTypeError(name: string, value: unknown): RecordError {
  const what = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : String(value);
  return new RecordError('LOOKUP_KEY_TYPE', `lookup table "${name}": a key value is ${what}, not a text or a number`, {
    hint: 'pass one value per key column (pick one item of a list, e.g. with [0])',
  });
}

function bindingsOf(maps: LookupTables, tables: Record<string, { table: LookupTable; info: TableInfo }>): Record<string, unknown> {
  const lookups: Record<string, unknown> = { ...maps };
  const bindings: Record<string, unknown> = { lookups };
  for (const [name, { table, info }] of Object.entries(tables)) {
    const fn = tableFunction(table, info);
    lookups[name] = fn;
    bindings[`${TABLE_CALL_PREFIX}${name}`] = fn;
  }
  return bindings;
}

/** The RunContext a table's source reads with: paths relative to the pipeline, nothing else. */
function readingContext(p: LoadedPipeline): RunContext {
  const none = () => undefined;
  return {
    pipelineFile: p.path, pipelineDir: p.dir, pipelineName: String(p.config.name ?? ''), resolvePath: (q) => resolve(p.dir, q),
    reject: none, warn: none, report: none, log: { info: none, warn: none, debug: none }, options: {}, stateDir: resolve(p.dir, '.manoflow'),
  };
}

/** Loads every lookup of a pipeline: maps, and tables (read, keyed and indexed once). */
export async function loadLookups(p: LoadedPipeline, options: { exprOptions?: ExprOptions; memoryBudget?: number } = {}): Promise<LoadedLookups> {
  const maps = loadLookupMaps(p.dir, p.config.lookups as Record<string, unknown> | undefined);
  const tables: Record<string, { table: LookupTable; info: TableInfo }> = {};
  const ctx = readingContext(p);
  const vars = (p.config.vars ?? {}) as Record<string, unknown>;
  try {
    for (const [name, entry] of tableEntries(p)) tables[name] = await loadTable(name, entry, ctx, { vars, exprOptions: options.exprOptions, memoryBudget: options.memoryBudget });
  } catch (err) {
    for (const t of Object.values(tables)) t.table.close();
    throw err;
  }
  return {
    bindings: bindingsOf(maps, tables),
    shared: { tables: Object.fromEntries(Object.entries(tables).map(([n, t]) => [n, { handle: t.table.handle(), info: t.info }])) },
    stats: () => Object.fromEntries(Object.entries(tables).map(([n, t]) => [n, { ...t.table.stats, emptyKeys: t.info.emptyKeys }])),
    close: () => { for (const t of Object.values(tables)) t.table.close(); },
  };
}

/** A mapping worker's view of the lookups main loaded: the maps read again, the tables attached. */
export function attachLookups(p: LoadedPipeline, shared: SharedLookups): LoadedLookups {
  const maps = loadLookupMaps(p.dir, p.config.lookups as Record<string, unknown> | undefined);
  const tables = Object.fromEntries(Object.entries(shared.tables).map(([n, t]) => [n, { table: LookupTable.attach(t.handle), info: t.info }]));
  return { bindings: bindingsOf(maps, tables), shared, stats: () => ({}), close() {} };
}

/**
 * The lookups of a pipeline that has no table: its maps, loaded here. A pipeline with tables must
 * have them loaded first (asynchronously, once per run) with loadLookups.
 */
export function mapLookups(p: LoadedPipeline): LoadedLookups {
  const tables = tableEntries(p);
  if (tables.length > 0) {
    throw new ManoflowError('RUN_LOOKUPS_NOT_LOADED', `the lookup table "${tables[0]![0]}" must be loaded before the mapping is compiled`, {
      hint: 'load the lookups with loadLookups(pipeline) and pass them to compileMapping',
    });
  }
  return { bindings: bindingsOf(loadLookupMaps(p.dir, p.config.lookups as Record<string, unknown> | undefined), {}), shared: { tables: {} }, stats: () => ({}), close() {} };
}
