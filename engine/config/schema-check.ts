/**
 * Validates pipeline data against the bundled JSON Schema (schemas/pipeline.schema.json) and
 * turns ajv's errors into located diagnostics with stable codes and "did you mean" hints.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { Document, LineCounter } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { didYouMeanHint } from '../rules/did-you-mean.js';
import { packageRoot } from '../util/package-root.js';
import { pointerSegments, positionOf } from './yaml-positions.js';

const Ajv = AjvModule.default ?? AjvModule;
/** The files manoflow validates: pipelines, and projects (manoflow.yaml). */
export type SchemaKind = 'pipeline' | 'project';
/** Compiled once per schema file version (watch mode may see the schema change). */
const validators = new Map<SchemaKind, { fn: ValidateFunction; mtimeMs: number }>();

/**
 * The schema manoflow validates with: the published one without its editor-only parts. Rule
 * names are checked by checkRules against every rules folder the pipeline sees (the published
 * schema lists the built-in ones), and attribute names by checkAttributes, with suggestions.
 */
function validationSchema(): Record<string, unknown> {
  const schema = pipelineSchema();
  const defs = schema.definitions as Record<string, unknown>;
  if (defs['mapping-ruleRefShape']) defs['mapping-ruleRef'] = defs['mapping-ruleRefShape'];
  if (Array.isArray(schema.allOf)) {
    const kept = schema.allOf.filter((e: { 'x-editor'?: boolean }) => !e['x-editor']);
    if (kept.length > 0) schema.allOf = kept;
    else delete schema.allOf;
  }
  return schema;
}

/** The published pipeline schema, parsed once. */
export function pipelineSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(packageRoot(), 'schemas/pipeline.schema.json'), 'utf8'));
}

function getValidator(kind: SchemaKind): ValidateFunction {
  const path = join(packageRoot(), `schemas/${kind}.schema.json`);
  const mtimeMs = statSync(path).mtimeMs;
  let validator = validators.get(kind);
  if (!validator || validator.mtimeMs !== mtimeMs) {
    // Compiled once per process for one validation (a CLI command, a run's start): ajv's code
    // optimisation pass costs more than it saves here (~1/3 of the 400 KB schema's compile time)
    const ajv = new (Ajv as unknown as typeof AjvModule.default)({ allErrors: true, strict: false, verbose: true, code: { optimize: false } });
    validator = { fn: ajv.compile(kind === 'pipeline' ? validationSchema() : JSON.parse(readFileSync(path, 'utf8'))), mtimeMs };
    validators.set(kind, validator);
  }
  return validator.fn;
}

export interface SchemaCheckInput { data: unknown; doc: Document; lines: LineCounter; file: string; kind?: SchemaKind }

export function checkSchema({ data, doc, lines, file, kind = 'pipeline' }: SchemaCheckInput): Diagnostic[] {
  const validate = getValidator(kind);
  if (validate(data)) return [];
  const errors = mergeTypeErrors(relevantErrors(validate.errors ?? [], data));
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const d = toDiagnostic(e, doc, lines, file, kind);
    const key = `${d.pointer}|${d.code}|${d.message}`;
    if (!seen.has(key)) { seen.add(key); out.push(d); }
  }
  return out;
}

/** Drops ajv's umbrella errors (if/oneOf) and the branches of a oneOf that the value clearly did not aim at. */
function relevantErrors(all: ErrorObject[], data: unknown): ErrorObject[] {
  // The `${VAR}` alternative exists for editors only (values are interpolated before this check).
  const errors = all.filter((e) => !(e.parentSchema as { 'x-env'?: boolean } | undefined)?.['x-env']);
  return errors.filter((e) => {
    if (e.keyword === 'if' || e.keyword === 'oneOf' || e.keyword === 'anyOf') {
      return !errors.some((o) => o !== e && o.instancePath.startsWith(e.instancePath) && o.keyword !== e.keyword);
    }
    if (e.schemaPath.includes('/oneOf/')) {
      const value = valueAt(data, e.instancePath);
      const branchWantsString = e.keyword === 'type' && (e.params as { type?: string }).type === 'string';
      if (branchWantsString && value !== null && typeof value === 'object') return false;
      if (e.keyword === 'type' && (e.params as { type?: string }).type === 'object' && typeof value === 'string') return false;
      // `workers: lots` against [integer, "auto"]: the value aimed at the branch of its own type
      if (e.keyword === 'type' && errors.some((o) => o !== e && o.instancePath === e.instancePath && o.schemaPath.includes('/oneOf/') && aimsAt(o, value))) return false;
      // `workers: 100`: the value has the integer branch's type, so "must be auto" is beside the point
      const others = errors.filter((o) => o !== e && o.instancePath === e.instancePath && o.schemaPath.includes('/oneOf/'));
      if ((e.keyword === 'const' || e.keyword === 'enum') && !aimsAt(e, value) && others.some((o) => o.keyword !== 'type' && o.keyword !== e.keyword)) return false;
    }
    return true;
  });
}

/** True when a oneOf branch's const or enum offers values of the same JSON type as `value`. */
function aimsAt(e: ErrorObject, value: unknown): boolean {
  if (e.keyword === 'const') return typeof (e.params as { allowedValue: unknown }).allowedValue === typeof value;
  if (e.keyword === 'enum') return (e.params as { allowedValues: unknown[] }).allowedValues.some((v) => typeof v === typeof value);
  return false;
}

/** Several `type` errors on one value (the branches of a oneOf) become one: "must be boolean or array". */
function mergeTypeErrors(errors: ErrorObject[]): ErrorObject[] {
  const byPath = new Map<string, ErrorObject>();
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword !== 'type') { out.push(e); continue; }
    const first = byPath.get(e.instancePath);
    if (!first) {
      const copy = { ...e, params: { ...e.params } };
      byPath.set(e.instancePath, copy);
      out.push(copy);
    } else {
      const types = `${(first.params as { type: string }).type} or ${(e.params as { type: string }).type}`;
      (first.params as { type: string }).type = types;
      first.parentSchema = undefined;
    }
  }
  return out;
}

function valueAt(data: unknown, pointer: string): unknown {
  let cur: unknown = data;
  for (const seg of pointerSegments(pointer)) cur = (cur as Record<string, unknown> | undefined)?.[seg];
  return cur;
}

function toDiagnostic(e: ErrorObject, doc: Document, lines: LineCounter, file: string, kind: SchemaKind): Diagnostic {
  const base = { file, severity: 'error' as const };
  const at = (pointer: string, key = false) => ({ ...positionOf(doc, lines, pointer, key), pointer });
  const where = e.instancePath || '/';
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      const guess = didYouMeanHint(name, allowed);
      return {
        ...base, ...at(`${e.instancePath}/${escape(name)}`, true), code: 'CFG_UNKNOWN_FIELD',
        message: `unknown field "${name}" in ${where}`,
        hint: guess || `allowed here: ${allowed.join(', ')}`,
      };
    }
    case 'required': {
      const name = (e.params as { missingProperty: string }).missingProperty;
      return {
        ...base, ...at(e.instancePath), code: 'CFG_MISSING_FIELD',
        message: `missing required field "${name}" in ${where}`,
        hint: `add \`${name}:\` here${describe(e, name)}`,
      };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const value = String(e.data);
      const isConnector = /\/(source|destination)\/type$/.test(e.instancePath);
      const guess = didYouMeanHint(value, allowed);
      return {
        ...base, ...at(e.instancePath), code: isConnector ? 'CFG_UNKNOWN_CONNECTOR' : 'CFG_INVALID_VALUE',
        message: isConnector ? `unknown ${e.instancePath.split('/')[1]} type "${value}"` : `"${value}" is not allowed at ${where}`,
        hint: guess || `use one of: ${allowed.join(', ')}`,
      };
    }
    case 'const':
      return {
        ...base, ...at(e.instancePath), code: 'CFG_INVALID_VALUE',
        message: `${where} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}, got ${JSON.stringify(e.data)}`,
        hint: e.instancePath === '/version' ? `this manoflow reads ${kind} format version 1` : (e.parentSchema as { description?: string })?.description,
      };
    case 'type':
      return {
        ...base, ...at(e.instancePath), code: 'CFG_WRONG_TYPE',
        message: `${where} must be ${(e.params as { type: string }).type}, got ${Array.isArray(e.data) ? 'array' : e.data === null ? 'null' : typeof e.data}`,
        hint: (e.parentSchema as { description?: string })?.description,
      };
    default:
      return {
        ...base, ...at(e.instancePath), code: 'CFG_INVALID_VALUE',
        message: `${where} ${e.message ?? 'is invalid'}`,
        hint: (e.parentSchema as { description?: string })?.description,
      };
  }
}

function describe(e: ErrorObject, name: string): string {
  const props = (e.parentSchema as { properties?: Record<string, { description?: string }> })?.properties;
  const d = props?.[name]?.description;
  return d ? ` (${d})` : '';
}

function escape(s: string): string {
  return s.replaceAll('~', '~0').replaceAll('/', '~1');
}
