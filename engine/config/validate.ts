/**
 * Validation, in stages, all problems collected: YAML syntax and env variables (from load),
 * the JSON Schema, then what a schema cannot see: every JSONata expression compiles, every rule
 * box exists and takes the given arguments, connectors and files exist, attributes are known.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isScalar, type Scalar } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { ManoflowError } from '../errors.js';
import { compileExpression, ExpressionError } from '../expr/index.js';
import { findDestination } from '../connectors/registry.js';
import { contractIdOf } from '../connectors/manomano-api.js';
import { API_KEY_HINT, apiKeyProblem } from '../manomano/client/index.js';
import { bindRuleArgs, loadRuleBox, ruleSearchDirs } from '../rules/index.js';
import { didYouMeanHint } from '../rules/did-you-mean.js';
import { sortDiagnostics } from '../errors.js';
import { displayPathOf, loadPipeline, type LoadedPipeline, type LoadOptions } from './load.js';
import { checkSchema } from './schema-check.js';
import { loadLookupTable } from '../runtime/lookups.js';
import { attributeEntries, columnsOf, expressionsOf, ruleRefsOf, spreadOf } from './walk.js';
import { checkFieldRefs } from './field-refs.js';
import { checkRegexes } from './regex-check.js';
import { overlapDiagnostics } from './pipeline-files.js';
import { checkModel, schemaDiagnosticsWithMarkets } from './check-model.js';
import { checkRequiredAttributes, suggestAttribute } from './required-attributes.js';
import { checkLookupCalls, checkLookupTables } from './lookup-checks.js';
import { nodeAt, positionInScalar, positionOf } from './yaml-positions.js';

/** Load failures after which the pipeline has no content worth checking further. */
const UNLOADED = new Set(['CFG_FILE_NOT_FOUND', 'CFG_NOT_A_MAPPING', 'CFG_FILE_TOO_LARGE', 'CFG_YAML_ALIAS_LIMIT']);

/** Validates a pipeline file (a path, or one already loaded); returns every diagnostic, sorted. */
export function validatePipeline(file: LoadedPipeline | string, options: LoadOptions = {}): Diagnostic[] {
  const p = typeof file === 'string' ? loadPipeline(file, options) : file;
  const out: Diagnostic[] = [...p.diagnostics];
  // Without a sound YAML document, schema errors would only be noise.
  if (p.doc.errors.length > 0 || out.some((d) => UNLOADED.has(d.code))) {
    return sortDiagnostics(out);
  }
  out.push(...schemaDiagnosticsWithMarkets(p, checkSchema({ data: p.config, doc: p.doc, lines: p.lines, file: p.displayPath })));
  out.push(...checkModel(p), ...checkExpressions(p), ...checkRules(p), ...checkFiles(p), ...checkLookups(p), ...checkConnections(p), ...checkFlow(p), ...checkAttributes(p), ...checkRequiredAttributes(p), ...checkFieldRefs(p), ...checkRegexes(p));
  out.push(...checkLookupTables(p), ...checkLookupCalls(p));
  return sortDiagnostics(out);
}

/** Error position inside an expression → file position (handles `|` blocks). */
export function expressionDiagnostic(p: LoadedPipeline, pointer: string, err: ExpressionError, what: string): Diagnostic {
  const node = nodeAt(p.doc, pointer);
  const token = err.token && err.token !== '(end)' ? err.token.length : 0;
  const offset = Math.max(0, (err.position ?? 1) - token);
  const pos = node && isScalar(node) ? positionInScalar(p.source, p.lines, node as Scalar, offset) : positionOf(p.doc, p.lines, pointer);
  return {
    file: p.displayPath, ...pos, pointer, code: 'CFG_JSONATA_SYNTAX', severity: 'error',
    message: `${what}: JSONata ${err.code}: ${err.message} (at character ${err.position ?? '?'} of the expression)`,
    hint: 'fix the expression; https://docs.jsonata.org/overview has the syntax',
  };
}

function checkExpressions(p: LoadedPipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of expressionsOf(p.config)) {
    if (p.unresolved.has(e.pointer)) continue;
    try {
      compileExpression(e.source, { fastPath: false });
    } catch (err) {
      if (err instanceof ExpressionError) out.push(expressionDiagnostic(p, e.pointer, err, e.label));
      else throw err;
    }
  }
  return out;
}

function checkRules(p: LoadedPipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  const dirs = ruleSearchDirs(p.dir);
  for (const ref of ruleRefsOf(p.config)) {
    if (ref.inline !== undefined) continue; // compiled with the expressions
    try {
      const rule = loadRuleBox(ref.name, dirs);
      bindRuleArgs(rule, ref.args);
    } catch (err) {
      if (!(err instanceof ManoflowError)) throw err;
      out.push({
        file: p.displayPath, ...positionOf(p.doc, p.lines, ref.pointer), pointer: ref.pointer, code: err.code,
        severity: 'error', message: `${ref.owner}: ${err.message}`, hint: err.hint,
      });
    }
  }
  return out;
}

function checkFiles(p: LoadedPipeline): Diagnostic[] {
  const source = p.config.source as { type?: string; path?: unknown } | undefined;
  // `-` reads the standard input: nothing to find now.
  if (!source || typeof source.path !== 'string' || source.path === '-') return [];
  const abs = resolveFrom(p.dir, source.path);
  if (existsSync(abs)) return [];
  return [{
    file: p.displayPath, ...positionOf(p.doc, p.lines, '/source/path'), pointer: '/source/path', code: 'CFG_SOURCE_NOT_FOUND',
    // A warning: the file may be produced later (an export cron, another pipeline's feedback);
    // a run without it fails with the source's own error.
    severity: 'warning', message: `source file not found: ${source.path} (looked at ${displayPathOf(abs)})`,
    hint: 'paths in a pipeline are relative to the pipeline file; the file must exist when the pipeline runs',
  }];
}

/** Mistakes in the shape of the flow: writing over an input, an attribute JS objects cannot hold, nothing mapped. */
function checkFlow(p: LoadedPipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (pointer: string, key = false) => ({ file: p.displayPath, ...positionOf(p.doc, p.lines, pointer, key), pointer });
  // an output over the source, a lookup, a rule box or the pipeline (by file identity), or outside its folder
  out.push(...overlapDiagnostics(p));
  for (const { name, pointer } of attributeEntries(p.config)) {
    if (name === '__proto__') {
      out.push({ ...at(pointer, true), code: 'CFG_RESERVED_ATTRIBUTE', severity: 'error',
        message: 'an attribute cannot be named "__proto__"', hint: 'rename the attribute' });
    }
  }
  const mapping = p.config.mapping as { automap?: boolean; attributes?: object } | undefined;
  if (mapping && mapping.automap !== true && (!mapping.attributes || Object.keys(mapping.attributes).length === 0)) {
    out.push({ ...at('/mapping'), code: 'CFG_EMPTY_MAPPING', severity: 'warning',
      message: 'no attribute is mapped and automap is off: every output record will be empty', hint: 'add attributes under mapping.attributes, or set automap: true' });
  }
  return out;
}

/** The simulator's public key must never reach a real ManoMano: the templates default to it for `local`. */
const SIMULATOR_KEYS = new Set(['sandbox-key-0001']);

function checkConnections(p: LoadedPipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const part of ['source', 'destination'] as const) {
    const c = p.config[part] as { environment?: unknown; api_key?: unknown; seller_contract_id?: unknown } | undefined;
    out.push(...checkCredentials(p, part, c));
    if (!c || (c.environment !== 'production' && c.environment !== 'sandbox') || typeof c.api_key !== 'string') continue;
    if (!SIMULATOR_KEYS.has(c.api_key)) continue;
    const pointer = `/${part}/api_key`;
    out.push({
      file: p.displayPath, ...positionOf(p.doc, p.lines, pointer), pointer, code: 'CFG_SIMULATOR_KEY', severity: 'error',
      message: `${part}: environment ${c.environment} with the local simulator's public API key`,
      hint: 'set MANOMANO_API_KEY to your key (Toolbox › Settings › API keys), or use environment: local',
    });
  }
  return out;
}

/**
 * The API key and contract id as they will be used, after `${VAR}` interpolation (the schema saw
 * only their type): a key HTTP cannot carry, a contract id that is not a positive whole number.
 */
function checkCredentials(p: LoadedPipeline, part: string, c: { api_key?: unknown; seller_contract_id?: unknown } | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (pointer: string) => ({ file: p.displayPath, ...positionOf(p.doc, p.lines, pointer), pointer });
  const keyPointer = `/${part}/api_key`;
  if (typeof c?.api_key === 'string' && c.api_key !== '' && !p.unresolved.has(keyPointer)) {
    const problem = apiKeyProblem(c.api_key);
    if (problem) out.push({ ...at(keyPointer), code: 'CFG_API_KEY_MALFORMED', severity: 'error', message: `${part}: the API key ${problem}`, hint: API_KEY_HINT });
  }
  const idPointer = `/${part}/seller_contract_id`;
  const id = c?.seller_contract_id;
  if ((typeof id === 'string' || typeof id === 'number') && !p.unresolved.has(idPointer)) {
    try {
      contractIdOf(id);
    } catch (err) {
      if (!(err instanceof ManoflowError)) throw err;
      out.push({ ...at(idPointer), code: err.code, severity: 'error', message: `${part}: ${err.message}`, hint: err.hint });
    }
  }
  return out;
}

function checkLookups(p: LoadedPipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, path] of Object.entries((p.config.lookups ?? {}) as Record<string, unknown>)) {
    if (typeof path !== 'string') continue;
    try {
      loadLookupTable(resolve(p.dir, path));
    } catch (err) {
      if (!(err instanceof ManoflowError)) throw err;
      const pointer = `/lookups/${name}`;
      out.push({ file: p.displayPath, ...positionOf(p.doc, p.lines, pointer), pointer, code: err.code, severity: 'error', message: err.message.replace(resolve(p.dir, path), path), hint: err.hint });
    }
  }
  return out;
}

function checkAttributes(p: LoadedPipeline): Diagnostic[] {
  const type = (p.config.destination as { type?: string } | undefined)?.type;
  const def = type ? findDestination(type) : undefined;
  if (!def?.attributes) return [];
  const more = def.moreAttributes?.(p);
  const known = more?.length ? [...def.attributes, ...more] : def.attributes;
  const out: Diagnostic[] = [];
  for (const { name, pointer, value } of attributeEntries(p.config)) {
    // a spread fills numbered columns: those are what must be known, its own name is a label
    const spread = spreadOf(value);
    const columns = columnsOf(name, value);
    const unknown = columns.find((c) => !known.includes(c));
    if (unknown === undefined) continue;
    const near = suggestAttribute(unknown, known, def.attributeSynonyms);
    const guess = near.length ? `did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : '';
    out.push({
      file: p.displayPath, ...positionOf(p.doc, p.lines, spread ? `${pointer}/spread` : pointer, !spread), pointer, code: 'CFG_UNKNOWN_ATTRIBUTE',
      severity: def.strictAttributes ? 'error' : 'warning',
      message: spread ? `attribute "${name}" spreads into "${unknown}", which is not a known ${type} attribute` : `"${name}" is not a known ${type} attribute`,
      hint: guess ? guess : def.strictAttributes ? `known attributes: ${known.join(', ')}` : 'it will be written as an extra column (category-specific attributes are allowed)',
    });
  }
  return out;
}

function resolveFrom(dir: string, path: string): string {
  return resolve(dir, path);
}

