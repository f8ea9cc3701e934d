/**
 * Typed errors and diagnostics. Every problem manoflow reports carries a stable code so that
 * scripts, tests and docs can rely on it; wording may improve, codes do not change.
 */

export type Severity = 'error' | 'warning';

/** One located problem in a pipeline file (or a file it references). */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  /** JSON pointer into the pipeline document, e.g. `/mapping/attributes/title`. */
  pointer: string;
  code: string;
  severity: Severity;
  message: string;
  hint?: string;
}

/** Formats a diagnostic as `file:line:col severity CODE message (hint)`, the shape editors link. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`;
  return d.hint ? `${head}\n    hint: ${d.hint}` : head;
}

/** Sorts by file, then line, then column, so output is stable and reads top to bottom. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}

/** Base class: a code, a message, optional hint, and the cause chain kept intact. */
export class ManoflowError extends Error {
  readonly code: string;
  readonly hint?: string;
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ManoflowError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** The pipeline did not load or validate; carries every diagnostic, not just the first. */
export class PipelineConfigError extends ManoflowError {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super('CFG_INVALID', `pipeline is invalid: ${errors.length} error(s)\n${errors.map(formatDiagnostic).join('\n')}`);
    this.name = 'PipelineConfigError';
    this.diagnostics = diagnostics;
  }
}

/** A problem with one record: rejected into the report, never fatal to the run. */
export class RecordError extends ManoflowError {
  readonly attribute?: string;
  readonly details?: Record<string, unknown>;
  constructor(code: string, message: string, options: { attribute?: string; hint?: string; cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(code, message, options);
    this.name = 'RecordError';
    this.attribute = options.attribute;
    this.details = options.details;
  }
}
