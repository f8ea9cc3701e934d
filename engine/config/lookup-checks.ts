/**
 * What validate checks about keyed lookup tables, without reading them whole (a table may hold a
 * million rows): the type can be told, the reading settings belong to that type, the file exists
 * and is readable, a csv table's key columns are in its header (did you mean...), a key
 * expression compiles; and in every expression, `$lookups.<name>` names a lookup, a call names a
 * table (not a key → value map) and passes one value per key column. Each at its file:line:col.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isScalar, type Scalar } from 'yaml';
import jsonata from 'jsonata';
import type { Diagnostic } from '../errors.js';
import { compileExpression, ExpressionError } from '../expr/index.js';
import { lookupUsesOf, normalizeTableCalls } from '../expr/table-calls.js';
import { readCsvHeaderSync } from '../connectors/sources/csv/header.js';
import { didYouMeanHint } from '../rules/did-you-mean.js';
import { misplacedSettings, READING_SETTINGS, tableType } from '../runtime/lookup-load.js';
import type { LookupTableConfig } from '../types/generated/pipeline.js';
import type { LoadedPipeline } from './load.js';
import { expressionDiagnostic } from './validate.js';
import { expressionsOf, type ExpressionSite } from './walk.js';
import { nodeAt, positionInScalar, positionOf, toPointer } from './yaml-positions.js';

type Entry = LookupTableConfig & Record<string, unknown>;

const tablesOf = (p: LoadedPipeline): [string, Entry][] =>
  Object.entries((p.config.lookups ?? {}) as Record<string, unknown>)
    .filter((e): e is [string, Entry] => e[1] !== null && typeof e[1] === 'object' && typeof (e[1] as { path?: unknown }).path === 'string');

/** Why: the table's own settings, checked before any run reads it (see the file comment). */
export function checkLookupTables(p: LoadedPipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, entry] of tablesOf(p)) {
    const base = toPointer(['lookups', name]);
    if ([...p.unresolved].some((ptr) => ptr === base || ptr.startsWith(`${base}/`))) continue;
    const at = (pointer: string, key = false) => ({ file: p.displayPath, ...positionOf(p.doc, p.lines, pointer, key), pointer });
    const err = (pointer: string, code: string, message: string, hint?: string, key = false): void => {
      out.push({ ...at(pointer, key), code, severity: 'error', message: `lookup "${name}": ${message}`, ...(hint ? { hint } : {}) });
    };
    const type = tableType(entry);
    if (!type) {
      err(`${base}/path`, 'CFG_LOOKUP_TYPE', `cannot tell how to read ${JSON.stringify(entry.path)} from its extension`, 'set type: csv, json or ndjson');
      continue;
    }
    for (const setting of misplacedSettings(entry, type)) {
      err(`${base}/${setting}`, 'CFG_LOOKUP_SETTING', `${setting} is not a setting of a ${type} table`,
        `a ${type} table takes: ${READING_SETTINGS[type].join(', ') || 'no reading setting'}${entry.type === undefined ? ` (the type comes from the extension; set type: to read it otherwise)` : ''}`, true);
    }
    const abs = resolve(p.dir, entry.path);
    const problem = unreadable(abs);
    if (problem) err(`${base}/path`, 'CFG_LOOKUP_FILE', `${problem}: ${entry.path}`, 'lookup paths are relative to the pipeline file');
    const key = entry.key;
    if (key !== null && typeof key === 'object' && !Array.isArray(key) && typeof key.expr === 'string') {
      try {
        compileExpression(key.expr, { fastPath: false });
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        out.push(expressionDiagnostic(p, `${base}/key/expr`, e, `lookup "${name}" key`));
      }
    }
    const columns = typeof key === 'string' ? [key] : Array.isArray(key) ? key : [];
    if (problem || type !== 'csv' || columns.length === 0) continue;
    const header = readCsvHeaderSync(abs, entry);
    if (!header) continue;
    columns.forEach((c, i) => {
      if (typeof c !== 'string' || header.includes(c)) return;
      err(typeof key === 'string' ? `${base}/key` : `${base}/key/${i}`, 'CFG_LOOKUP_KEY', `the key column ${JSON.stringify(c)} is not in the header of ${entry.path}`,
        didYouMeanHint(c, header) || `the columns are: ${header.map((h) => JSON.stringify(h)).join(', ')}`);
    });
  }
  return out;
}

/** Why: a wrong table name or key count fails every record at run time; say it at its place now. */
export function checkLookupCalls(p: LoadedPipeline): Diagnostic[] {
  const lookups = (p.config.lookups ?? {}) as Record<string, unknown>;
  const names = Object.keys(lookups);
  const out: Diagnostic[] = [];
  for (const site of expressionsOf(p.config)) {
    if (p.unresolved.has(site.pointer)) continue;
    let ast: unknown;
    try {
      ast = jsonata(site.source).ast();
    } catch {
      continue; // a syntax error: reported with the expressions
    }
    normalizeTableCalls(ast);
    const { calls, refs } = lookupUsesOf(ast);
    const reported = new Set<string>();
    for (const ref of refs) {
      if (Object.hasOwn(lookups, ref.name) || reported.has(ref.name)) continue;
      reported.add(ref.name);
      out.push(located(p, site, ref.position - ref.name.length, 'CFG_LOOKUP_UNKNOWN', `$lookups.${ref.name}: there is no lookup "${ref.name}"`,
        didYouMeanHint(ref.name, names) || (names.length ? `the lookups are: ${names.join(', ')}` : 'declare it under lookups:')));
    }
    for (const call of calls) {
      const entry = lookups[call.name];
      const start = call.position - call.name.length;
      if (typeof entry === 'string') {
        out.push(located(p, site, start, 'CFG_LOOKUP_NOT_TABLE', `$lookups.${call.name}(...): "${call.name}" is a key → value map, not a table to call`,
          `read it with $lookup($lookups.${call.name}, key), or declare it as a table (path, key)`));
        continue;
      }
      const key = (entry as { key?: unknown } | undefined)?.key;
      const arity = Array.isArray(key) ? key.length : key === undefined ? undefined : 1;
      if (arity !== undefined && call.args !== arity) {
        const keyText = Array.isArray(key) ? key.map((k) => JSON.stringify(k)).join(', ') : typeof key === 'string' ? JSON.stringify(key) : 'its key expression';
        out.push(located(p, site, start, 'CFG_LOOKUP_ARGS', `$lookups.${call.name}(...) is given ${call.args} value${call.args === 1 ? '' : 's'}: the table is keyed on ${keyText}`,
          `pass one value per key column, in the order of key: $lookups.${call.name}(${Array.from({ length: arity }, () => '…').join(', ')})`));
      }
    }
  }
  return out;
}

/** A diagnostic at an offset inside an expression (its scalar in the YAML, `|` blocks included). */
function located(p: LoadedPipeline, site: ExpressionSite, offset: number, code: string, message: string, hint: string): Diagnostic {
  const node = nodeAt(p.doc, site.pointer);
  const pos = node && isScalar(node) ? positionInScalar(p.source, p.lines, node as Scalar, Math.max(0, offset)) : positionOf(p.doc, p.lines, site.pointer);
  return { file: p.displayPath, ...pos, pointer: site.pointer, code, severity: 'error', message: `${site.label}: ${message}`, hint };
}

/** Why the file cannot be read, or undefined when it can. */
function unreadable(file: string): string | undefined {
  try {
    if (statSync(file).isDirectory()) return 'the path is a directory';
    accessSync(file, constants.R_OK);
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}
