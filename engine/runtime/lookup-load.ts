/**
 * Loads a keyed lookup table (a `lookups:` entry given as an object) with the code of the source of
 * its type (csv, json, ndjson: the same reading settings, the same reading errors), computes each
 * row's key, and indexes it (lookup-table.ts). A row the table cannot read, a key that is not a
 * text, or (by default) a key on two rows stops the run with a config error naming the file and
 * the line: a half-read or ambiguous table would map records to the wrong row without a word.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { ManoflowError } from '../errors.js';
import { displayPathOf } from '../config/load.js';
import { findSource } from '../connectors/registry.js';
import { compileExpression, isPending, type ExprOptions } from '../expr/index.js';
import { didYouMeanHint } from '../rules/did-you-mean.js';
import { DEFAULT_MEMORY_BUDGET, RowStore } from './lookup-store.js';
import { LookupTable, type Duplicates } from './lookup-table.js';
import type { LookupTableConfig } from '../types/generated/pipeline.js';
import type { Row, RunContext } from './types.js';

/** The reading settings each table type takes (those of the source of that type). */
export const READING_SETTINGS: Readonly<Record<'csv' | 'json' | 'ndjson', readonly string[]>> = {
  csv: ['delimiter', 'quote', 'encoding', 'header', 'skip_lines', 'trim', 'trailing_delimiter'],
  json: ['items'],
  ndjson: [],
};
const TABLE_SETTINGS = ['path', 'type', 'key', 'duplicates', 'required'];

const EXTENSIONS: Readonly<Record<string, 'csv' | 'json' | 'ndjson'>> = {
  '.csv': 'csv', '.tsv': 'csv', '.txt': 'csv', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson',
};

/** The table's type: as set, else from the file extension; undefined when neither tells. */
export function tableType(entry: Pick<LookupTableConfig, 'type' | 'path'>): 'csv' | 'json' | 'ndjson' | undefined {
  return entry.type ?? EXTENSIONS[extname(entry.path).toLowerCase()];
}

/** Reading settings of another type given to this table (e.g. `items` on a csv table); unknown names are the schema's to report. */
export function misplacedSettings(entry: LookupTableConfig, type: 'csv' | 'json' | 'ndjson'): string[] {
  const other = new Set(Object.values(READING_SETTINGS).flat());
  return Object.keys(entry).filter((k) => !TABLE_SETTINGS.includes(k) && other.has(k) && !READING_SETTINGS[type].includes(k));
}

/** Sentinel: a key value that is not a text, a number or a boolean. */
export const NOT_A_KEY: unique symbol = Symbol('manoflow.notAKey');

/**
 * One part of a key as text: texts as they are, numbers as JSONata's `$string` writes them (so 12
 * and "12" are the same key), booleans as "true"/"false"; null and undefined are empty.
 */
export function keyPart(v: unknown): string | undefined | typeof NOT_A_KEY {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return NOT_A_KEY;
    return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  }
  if (typeof v === 'boolean') return String(v);
  return NOT_A_KEY;
}

/**
 * The key text of several parts, or undefined when every part is empty (a row left out of the
 * index; a lookup that never matches). Parts are joined unambiguously: a NUL inside a part is
 * written NUL + \u0001, and parts are separated by two NULs.
 */
export function joinKey(parts: readonly (string | undefined)[]): string | undefined {
  if (parts.length === 1) return parts[0] === '' ? undefined : parts[0];
  if (parts.every((p) => p === undefined || p === '')) return undefined;
  return parts.map((p) => (p === undefined ? '' : p.includes('\u0000') ? p.replaceAll('\u0000', '\u0000\u0001') : p)).join('\u0000\u0000');
}

/** What a loaded table's function needs to know about it. */
export interface TableInfo {
  name: string;
  /** The file as shown in messages. */
  file: string;
  /** The key's columns, or its expression. */
  key: string[] | { expr: string };
  /** How many values a lookup passes: one per key column (1 for an expression key). */
  arity: number;
  required: boolean;
  /** Rows left out of the index because their key was empty. */
  emptyKeys: number;
}

export interface TableLoadOptions {
  vars?: Record<string, unknown>;
  exprOptions?: ExprOptions;
  /** Row bytes kept in memory before the spill file (tests set it low). */
  memoryBudget?: number;
}

/** Why: every table problem reads the same: `lookup "name" (file[:line]): what`, a CFG code, a hint. */
function tableError(code: string, info: { name: string; file: string }, message: string, hint?: string, line?: number): ManoflowError {
  return new ManoflowError(code, `lookup "${info.name}" (${info.file}${line !== undefined ? `:${line}` : ''}): ${message}`, { hint });
}

/** Loads and indexes one table; `ctx` resolves its path (relative to the pipeline). */
export async function loadTable(name: string, entry: LookupTableConfig, ctx: RunContext, options: TableLoadOptions = {}): Promise<{ table: LookupTable; info: TableInfo }> {
  const abs = ctx.resolvePath(entry.path);
  const base = { name, file: displayPathOf(abs) };
  const type = tableType(entry);
  if (!type) throw tableError('CFG_LOOKUP_TYPE', base, `cannot tell how to read ${JSON.stringify(entry.path)} from its extension`, 'set type: csv, json or ndjson');
  const misplaced = misplacedSettings(entry, type);
  if (misplaced.length) {
    throw tableError('CFG_LOOKUP_SETTING', base, `${misplaced.join(', ')} ${misplaced.length > 1 ? 'are' : 'is'} not a setting of a ${type} table`,
      `a ${type} table takes: ${READING_SETTINGS[type].join(', ') || 'no reading setting'}`);
  }
  const reading: Record<string, unknown> = { type, path: entry.path };
  const given = entry as unknown as Record<string, unknown>;
  for (const k of READING_SETTINGS[type]) if (given[k] !== undefined) reading[k] = given[k];
  const keySpec = entry.key;
  const columns = typeof keySpec === 'string' ? [keySpec] : Array.isArray(keySpec) ? keySpec : undefined;
  let expr: ReturnType<typeof compileExpression> | undefined;
  try {
    expr = columns === undefined ? compileExpression((keySpec as { expr: string }).expr, options.exprOptions) : undefined;
  } catch (err) {
    throw tableError('CFG_LOOKUP_KEY', base, `the key expression does not compile: ${(err as Error).message}`, 'fix the expression (https://docs.jsonata.org/overview)');
  }
  const info: TableInfo = {
    ...base, key: columns ?? { expr: (keySpec as { expr: string }).expr }, arity: columns?.length ?? 1,
    required: entry.required ?? false, emptyKeys: 0,
  };
  const duplicates: Duplicates = entry.duplicates ?? 'error';
  const bindings = { vars: options.vars ?? {} };
  let table: LookupTable | undefined;
  // where a row is, as the source says it: a line (csv, ndjson) or a 0-based item (json)
  const where = (position: { line?: number; index: number }) => (position.line !== undefined ? `line ${position.line}` : `item ${position.index}`);
  try {
    const source = await findSource(type)!.create(reading, ctx);
    for await (const item of source.read()) {
      if (!item.ok) {
        throw tableError('CFG_LOOKUP_ROW', base, `a row cannot be read: ${item.error.code} ${item.error.message}`,
          `${item.error.hint ? `${item.error.hint}; ` : ''}a table is read whole or not at all: fix the file`, item.position.line);
      }
      const { record, position } = item;
      const line = position.line ?? position.index;
      if (table === undefined) {
        if (type === 'csv' && columns) {
          const header = Object.keys(record);
          const missing = columns.find((c) => !header.includes(c));
          if (missing !== undefined) {
            throw tableError('CFG_LOOKUP_KEY', base, `the key column ${JSON.stringify(missing)} is not in the header`,
              didYouMeanHint(missing, header) || `the columns are: ${header.map((h) => JSON.stringify(h)).join(', ')}`);
          }
        }
        const expected = estimateRows(abs, type);
        const rows = new RowStore(type === 'csv' ? 'cells' : 'json', type === 'csv' ? Object.keys(record) : [], options.memoryBudget ?? DEFAULT_MEMORY_BUDGET, undefined, expected);
        table = new LookupTable(duplicates, rows, undefined, expected);
      }
      const key = await rowKey(record, columns, expr, bindings, base, where(position), position.line);
      if (key === undefined) {
        info.emptyKeys++;
        continue;
      }
      const firstLine = table.add(key, record, line);
      if (firstLine !== undefined) {
        const at = position.line !== undefined ? `lines ${firstLine} and ${line}` : `items ${firstLine} and ${line}`;
        throw tableError('CFG_LOOKUP_DUPLICATE', base, `the key ${JSON.stringify(key.replaceAll('\u0000\u0000', ', '))} is on ${at}`,
          'set duplicates: first, last or all on the lookup (all gives the list of rows), or fix the file', position.line);
      }
    }
  } catch (err) {
    table?.close();
    if (err instanceof ManoflowError && err.code.startsWith('CFG_LOOKUP_')) throw err;
    const e = err as ManoflowError;
    const hint = e.code === 'FILE_NOT_FOUND' ? 'lookup paths are relative to the pipeline file' : e.hint;
    throw tableError('CFG_LOOKUP_FILE', base, `${e.code ? `${e.code} ` : ''}${String(e.message ?? err).replaceAll(abs, base.file)}`, hint);
  }
  table ??= new LookupTable(duplicates, new RowStore('json', [], 0));
  table.finish();
  return { table, info };
}

/**
 * How many rows a csv or ndjson file holds, roughly (its size over the mean length of its first
 * lines, plus 10%), so that the table's arrays are sized once: each doubling would leave the old
 * copy for the garbage collector, ~50 MB more at the peak of a million-row load. 1024 for json.
 */
export function estimateRows(file: string, type: 'csv' | 'json' | 'ndjson'): number {
  if (type === 'json') return 1024;
  try {
    const size = statSync(file).size;
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(Math.min(size, 256 * 1024));
      const n = readSync(fd, head, 0, head.length, 0);
      let lines = 0;
      for (let i = head.indexOf(10); i >= 0 && i < n; i = head.indexOf(10, i + 1)) lines++;
      if (lines === 0) return 1024;
      // capped: first lines much shorter than the rest would size far too much (past it, arrays grow)
      return Math.min(4 * 1024 * 1024, Math.ceil((size / (n / lines)) * 1.1));
    } finally {
      closeSync(fd);
    }
  } catch {
    return 1024;
  }
}

/** A row's key text, undefined when empty; throws CFG_LOOKUP_KEY for a key that is not a text. */
async function rowKey(
  record: Row, columns: string[] | undefined, expr: ReturnType<typeof compileExpression> | undefined,
  bindings: Record<string, unknown>, base: { name: string; file: string }, where: string, line: number | undefined,
): Promise<string | undefined> {
  let values: unknown[];
  if (columns) values = columns.map((c) => (Object.hasOwn(record, c) ? record[c] : undefined));
  else {
    try {
      const v = expr!.evaluate(record, bindings);
      values = [isPending(v) ? await v : v];
    } catch (err) {
      throw tableError('CFG_LOOKUP_KEY', base, `the key expression fails on ${where}: ${(err as Error).message}`, 'fix the key expression, or the row', line);
    }
  }
  const parts: (string | undefined)[] = [];
  for (const v of values) {
    const part = keyPart(v);
    if (part === NOT_A_KEY) {
      throw tableError('CFG_LOOKUP_KEY', base, `the key of ${where} is ${Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : String(v)}, not a text or a number`,
        'key a table on a column (or an expression) that holds one text or number per row', line);
    }
    parts.push(part);
  }
  return joinKey(parts);
}
