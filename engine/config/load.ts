/**
 * Loads a pipeline file: YAML with positions, env interpolation, and the data as plain JS.
 * Loading never throws on a bad file: problems come back as diagnostics for `validate` to print.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Diagnostic } from '../errors.js';
import type { PipelineConfig } from '../types/generated/pipeline.js';
import { interpolateEnv } from './env.js';
import { checkAliasExpansion, MAX_ALIAS_COUNT, MAX_PIPELINE_BYTES, unclosedQuoteOffset } from './yaml-limits.js';
import { registerSecretsFromEnv } from '../secrets.js';
import { unquotedExpressionHint } from './yaml-hints.js';

export interface LoadedPipeline {
  /** Absolute path of the pipeline file. */
  path: string;
  /** The path as shown in diagnostics (relative to the working directory when shorter). */
  displayPath: string;
  dir: string;
  source: string;
  doc: Document;
  lines: LineCounter;
  /** The pipeline after interpolation; only trustworthy when `diagnostics` holds no error. */
  config: PipelineConfig;
  diagnostics: Diagnostic[];
  /** Pointers whose value still holds an unset `${VAR}` (already reported; not checked further). */
  unresolved: Set<string>;
}

export interface LoadOptions {
  env?: Record<string, string | undefined>;
  /** Text to use instead of reading the file (editors, tests). */
  source?: string;
}

export function displayPathOf(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

export function loadPipeline(file: string, options: LoadOptions = {}): LoadedPipeline {
  const path = resolve(file);
  const displayPath = displayPathOf(path);
  const lines = new LineCounter();
  let source: string;
  try {
    // checked before reading: a pipeline is settings and expressions, never megabytes
    const size = options.source === undefined ? statSync(path).size : Buffer.byteLength(options.source);
    if (size > MAX_PIPELINE_BYTES) return tooLarge(path, displayPath, lines, size);
    source = options.source ?? readFileSync(path, 'utf8');
  } catch (err) {
    const doc = parseDocument('', { lineCounter: lines });
    return {
      path, displayPath, dir: dirname(path), source: '', doc, lines, config: {} as PipelineConfig, unresolved: new Set(),
      diagnostics: [{
        file: displayPath, line: 1, column: 1, pointer: '', code: 'CFG_FILE_NOT_FOUND', severity: 'error',
        message: `cannot read pipeline file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        hint: 'check the path; pipeline paths are relative to the current directory',
      }],
    };
  }
  const { doc, diagnostics, sound } = parseYamlSource(source, lines, displayPath);
  let unresolved = new Set<string>();
  if (sound) {
    registerSecretsFromEnv(options.env ?? process.env);
    const env = interpolateEnv(doc, source, lines, displayPath, options.env ?? process.env);
    diagnostics.push(...env.diagnostics);
    unresolved = env.unresolved;
  }
  const data = sound ? yamlData(doc, displayPath, diagnostics, 'pipeline') : {};
  const config = (data && typeof data === 'object' ? data : {}) as PipelineConfig;
  if (sound && !diagnostics.some((d) => d.code === 'CFG_YAML_ALIAS_LIMIT') && (!data || typeof data !== 'object' || Array.isArray(data))) {
    diagnostics.push({
      file: displayPath, line: 1, column: 1, pointer: '', code: 'CFG_NOT_A_MAPPING', severity: 'error',
      message: 'a pipeline file must be a YAML mapping (version, name, source, mapping, destination)',
      hint: 'start from a template in pipelines/ or run `manoflow init`',
    });
  }
  return { path, displayPath, dir: dirname(path), source, doc, lines, config, diagnostics, unresolved };
}

/**
 * Why: pipelines and project files are parsed alike. Syntax errors and duplicate keys become
 * diagnostics located from the error's offset (never the parser's own line count, off after an
 * unclosed bracket), and an alias bomb is refused before anything walks the expanded document.
 * `sound`: the document may be interpolated and read (yamlData).
 */
export function parseYamlSource(source: string, lines: LineCounter, displayPath: string): { doc: Document; diagnostics: Diagnostic[]; sound: boolean } {
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const diagnostics: Diagnostic[] = [];
  const seenLines = new Set<number>();
  for (const e of [...doc.errors, ...doc.warnings]) {
    // From the error's offset, never the parser's own line count (it can be off by several lines
    // after an unclosed bracket); an unclosed quote points at the quote that opened it; clamped to
    // the last line, as an error "at the end" is reported past it.
    const quote = e.code === 'MISSING_CHAR' && /quote/.test(e.message) ? unclosedQuoteOffset(source, e.pos[0]) : undefined;
    const pos = clampPosition(lines.linePos(quote ?? e.pos[0]), source);
    // The yaml parser often reports one mistake several times on one line; the first says it best.
    if (seenLines.has(pos.line)) continue;
    seenLines.add(pos.line);
    diagnostics.push({
      file: displayPath, line: pos.line, column: pos.col, pointer: '',
      code: e.code === 'DUPLICATE_KEY' ? 'CFG_DUPLICATE_KEY' : 'CFG_YAML_SYNTAX',
      severity: doc.errors.includes(e as never) ? 'error' : 'warning',
      message: e.message.split('\n')[0] ?? e.message,
      hint: e.code === 'DUPLICATE_KEY' ? 'remove one of the two keys'
        : unquotedExpressionHint(source.split('\n')[pos.line - 1] ?? '') ?? 'fix the YAML syntax at this position (indentation, quotes, a missing colon)',
    });
  }
  // An alias bomb is refused before anything walks the expanded document.
  const aliasLimit = doc.errors.length === 0 ? checkAliasExpansion(doc, lines, displayPath) : undefined;
  if (aliasLimit) diagnostics.push(aliasLimit);
  const sound = doc.errors.length === 0 && !aliasLimit;
  return { doc, diagnostics, sound };
}

function clampPosition(pos: { line: number; col: number }, source: string): { line: number; col: number } {
  const lineCount = source.endsWith('\n') ? source.split('\n').length - 1 : source.split('\n').length;
  return pos.line > lineCount && lineCount > 0 ? { line: lineCount, col: 1 } : pos;
}

/**
 * The document as plain data; yaml's own alias guard (MAX_ALIAS_COUNT uses per anchor) throws a
 * ReferenceError, reported like the expansion limit rather than as a crash.
 */
export function yamlData(doc: Document, file: string, diagnostics: Diagnostic[], what: 'pipeline' | 'project'): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    diagnostics.push({
      file, line: 1, column: 1, pointer: '', code: 'CFG_YAML_ALIAS_LIMIT', severity: 'error',
      message: `the YAML aliases of this ${what} expand too much: ${err.message}`,
      hint: `a ${what} holds settings${what === 'pipeline' ? ' and expressions' : ''}: write the value once${what === 'pipeline' ? ', or move large data to a lookup file (lookups:)' : ''}`,
    });
    return {};
  }
}

/** A pipeline file over MAX_PIPELINE_BYTES: one diagnostic, the file is not parsed. */
function tooLarge(path: string, displayPath: string, lines: LineCounter, size: number): LoadedPipeline {
  const doc = parseDocument('', { lineCounter: lines });
  return {
    path, displayPath, dir: dirname(path), source: '', doc, lines, config: {} as PipelineConfig, unresolved: new Set(),
    diagnostics: [{
      file: displayPath, line: 1, column: 1, pointer: '', code: 'CFG_FILE_TOO_LARGE', severity: 'error',
      message: `the pipeline file holds ${(size / 1024 / 1024).toFixed(1)} MiB, more than the ${MAX_PIPELINE_BYTES / 1024 / 1024} MiB a pipeline may hold`,
      hint: 'a pipeline holds settings and expressions: move data to a source or a lookup file (lookups:)',
    }],
  };
}
