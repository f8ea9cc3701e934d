/**
 * Loads a pipeline file: YAML with positions, env interpolation, and the data as plain JS.
 * Loading never throws on a bad file: problems come back as diagnostics for `validate` to print.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Diagnostic } from '../errors.js';
import type { PipelineConfig } from '../types/generated/pipeline.js';
import { interpolateEnv } from './env.js';
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
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const diagnostics: Diagnostic[] = [];
  const seenLines = new Set<number>();
  for (const e of [...doc.errors, ...doc.warnings]) {
    // Clamp to the last line: an unclosed quote is reported past the end of the file.
    const pos = e.code === 'MISSING_CHAR' && /quote/.test(e.message)
      ? openingQuote(source, e.message.includes("'") ? "'" : '"') ?? clampPosition(lines.linePos(e.pos[0]), source)
      : clampPosition(e.linePos?.[0] ?? lines.linePos(e.pos[0]), source);
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
  let unresolved = new Set<string>();
  if (doc.errors.length === 0) {
    registerSecretsFromEnv(options.env ?? process.env);
    const env = interpolateEnv(doc, source, lines, displayPath, options.env ?? process.env);
    diagnostics.push(...env.diagnostics);
    unresolved = env.unresolved;
  }
  const data = doc.errors.length === 0 ? doc.toJS({ maxAliasCount: 100 }) : {};
  const config = (data && typeof data === 'object' ? data : {}) as PipelineConfig;
  if (doc.errors.length === 0 && (!data || typeof data !== 'object' || Array.isArray(data))) {
    diagnostics.push({
      file: displayPath, line: 1, column: 1, pointer: '', code: 'CFG_NOT_A_MAPPING', severity: 'error',
      message: 'a pipeline file must be a YAML mapping (version, name, source, mapping, destination)',
      hint: 'start from a template in pipelines/ or run `manoflow init`',
    });
  }
  return { path, displayPath, dir: dirname(path), source, doc, lines, config, diagnostics, unresolved };
}

function clampPosition(pos: { line: number; col: number }, source: string): { line: number; col: number } {
  const lineCount = source.endsWith('\n') ? source.split('\n').length - 1 : source.split('\n').length;
  return pos.line > lineCount && lineCount > 0 ? { line: lineCount, col: 1 } : pos;
}

/** The parser reports an unclosed quote at the end of the file; point at the quote that opened it. */
function openingQuote(source: string, quote: string): { line: number; col: number } | undefined {
  const all = source.split('\n');
  for (let i = all.length - 1; i >= 0; i--) {
    const text = all[i]!;
    const count = text.split(quote).length - 1;
    if (count % 2 === 1) return { line: i + 1, col: text.indexOf(quote) + 1 };
  }
  return undefined;
}
