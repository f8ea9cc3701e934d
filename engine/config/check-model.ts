/**
 * Validation of the catalogue model: `let` (names, order), `$item` without `each`, markets
 * (overrides of attributes the pipeline has, each market's destination settings as merged, one
 * output per market) and output path placeholders. Called by validatePipeline beside the schema.
 */
import { isScalar, type Scalar } from 'yaml';
import jsonata from 'jsonata';
import type { Diagnostic } from '../errors.js';
import { customFunctions } from '../rules/index.js';
import { didYouMeanHint } from '../rules/did-you-mean.js';
import type { LoadedPipeline } from './load.js';
import { effectiveConfig } from './markets.js';
import { checkSchema } from './schema-check.js';
import { attributeEntries, expressionsOf, marketAttributeEntries, marketNames, marketOverride } from './walk.js';
import { nodeAt, pointerSegments, positionInScalar, positionOf, toPointer } from './yaml-positions.js';

/** Names a `let` may not take: bindings every expression has, and manoflow's own functions. */
const RESERVED = new Set(['record', 'vars', 'lookups', 'item', 'item_index', ...Object.keys(customFunctions)]);

/** JSONata's own functions: a `let` of that name would hide `$count`, `$string`... from every expression. */
const JSONATA_FUNCTIONS = new Set(('sum count max min average string substring substringBefore substringAfter lowercase uppercase length trim pad '
  + 'match contains replace split join formatNumber formatBase formatInteger parseInteger number floor ceil round abs sqrt power random boolean not '
  + 'map zip filter single reduce sift keys lookup append exists spread merge reverse each error assert type sort shuffle distinct '
  + 'encodeUrlComponent encodeUrl decodeUrlComponent decodeUrl eval toMillis fromMillis clone now millis').split(' '));

/** Output path placeholders (engine/runtime/output-path.ts expands them). */
const PLACEHOLDERS = ['market', 'date', 'run_started_at', 'run_id'];

interface AstNode { type?: string; value?: unknown; position?: number; [k: string]: unknown }

/** The `$name` variables an expression reads (with the offset of their `$`), minus those it binds itself. */
function variablesRead(source: string): { name: string; offset: number }[] {
  let ast: AstNode;
  try {
    ast = jsonata(source).ast() as unknown as AstNode;
  } catch {
    return []; // a syntax error is reported with the expressions
  }
  const read: { name: string; offset: number }[] = [];
  const bound = new Set<string>();
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(walk); return; }
    const node = n as AstNode;
    if (node.type === 'variable' && typeof node.value === 'string' && node.value !== '') {
      read.push({ name: node.value, offset: Math.max(0, (node.position ?? 0) - node.value.length - 1) });
    }
    if (node.type === 'bind' && (node.lhs as AstNode | undefined)?.type === 'variable') bound.add(String((node.lhs as AstNode).value));
    if (node.type === 'lambda' && Array.isArray(node.arguments)) for (const a of node.arguments as AstNode[]) bound.add(String(a.value));
    for (const v of Object.values(node)) walk(v);
  };
  walk(ast);
  return read.filter((r) => !bound.has(r.name));
}

function at(p: LoadedPipeline, pointer: string, offset?: number, key = false): { file: string; line: number; column: number; pointer: string } {
  const node = nodeAt(p.doc, pointer);
  const pos = offset !== undefined && node && isScalar(node) ? positionInScalar(p.source, p.lines, node as Scalar, offset) : positionOf(p.doc, p.lines, pointer, key);
  return { file: p.displayPath, ...pos, pointer };
}

/** `let` names, a `let` reading one written after it (or itself), `$item` before or without `each`. */
function checkLets(p: LoadedPipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  const mapping = p.config.mapping as { let?: Record<string, unknown>; each?: unknown } | undefined;
  const names = Object.keys(mapping?.let ?? {});
  names.forEach((name) => {
    if (!RESERVED.has(name) && !JSONATA_FUNCTIONS.has(name)) return;
    const what = JSONATA_FUNCTIONS.has(name) ? `it would hide JSONata's function $${name} from every expression` : `$${name} is already bound in every expression`;
    out.push({ ...at(p, toPointer(['mapping', 'let', name]), undefined, true), code: 'CFG_LET_RESERVED', severity: 'error',
      message: `let "${name}": the name is taken (${what})`, hint: `rename it, e.g. "${name}_value"` });
  });
  const taken = new Set(names.filter((n) => RESERVED.has(n) || JSONATA_FUNCTIONS.has(n)));
  const hasEach = typeof mapping?.each === 'string';
  for (const e of expressionsOf(p.config)) {
    if (p.unresolved.has(e.pointer)) continue;
    const order = e.letName !== undefined ? names.indexOf(e.letName) : -1;
    for (const v of variablesRead(e.source)) {
      if (taken.has(v.name)) continue; // reported once, at the let
      const later = names.indexOf(v.name);
      if (e.letName !== undefined && later >= order) {
        out.push({ ...at(p, e.pointer, v.offset), code: 'CFG_LET_ORDER', severity: 'error',
          message: `${e.label} reads $${v.name}, which ${later === order ? 'is itself' : 'is computed after it'}`,
          hint: later === order ? 'a let cannot read its own value' : `move let "${v.name}" above let "${names[order]}": lets are computed in the order written` });
      } else if ((v.name === 'item' || v.name === 'item_index') && (e.letName !== undefined || e.kind === 'each' || e.kind === 'filter' || e.kind === 'group_by')) {
        out.push({ ...at(p, e.pointer, v.offset), code: 'CFG_ITEM_OUT_OF_SCOPE', severity: 'error',
          message: `${e.label} reads $${v.name}, which only attributes and rule arguments have`,
          hint: `$${v.name} is the current item of mapping.each; the ${e.letName !== undefined ? 'let' : e.kind} is computed before the items` });
      } else if ((v.name === 'item' || v.name === 'item_index') && !hasEach) {
        out.push({ ...at(p, e.pointer, v.offset), code: 'CFG_ITEM_WITHOUT_EACH', severity: 'warning',
          message: `${e.label} reads $${v.name}, but the mapping has no each: it is always empty`, hint: 'add mapping.each (the list whose items become records), or read the record instead' });
      }
    }
  }
  return out;
}

/** A placeholder in an output path that will not be replaced. */
function checkPath(p: LoadedPipeline, pointer: string, path: unknown, hasMarkets: boolean): Diagnostic[] {
  if (typeof path !== 'string' || p.unresolved.has(pointer)) return [];
  const out: Diagnostic[] = [];
  for (const m of path.matchAll(/\{([^{}]*)\}/g)) {
    const name = m[1]!;
    if (name === 'market' && !hasMarkets) {
      out.push({ ...at(p, pointer, m.index), code: 'CFG_PATH_PLACEHOLDER', severity: 'error',
        message: `${path}: {market} needs markets, and this pipeline declares none`, hint: 'declare markets, or write the market in the path' });
    } else if (!PLACEHOLDERS.includes(name)) {
      out.push({ ...at(p, pointer, m.index), code: 'CFG_PATH_PLACEHOLDER', severity: 'error',
        message: `${path}: unknown placeholder {${name}}`, hint: didYouMeanHint(name, PLACEHOLDERS) || `placeholders: ${PLACEHOLDERS.map((x) => `{${x}}`).join(', ')}` });
    }
  }
  return out;
}

function checkPaths(p: LoadedPipeline): Diagnostic[] {
  const markets = marketNames(p.config);
  const out = [
    ...checkPath(p, '/destination/output', (p.config.destination as { output?: unknown } | undefined)?.output, markets.length > 0),
    ...checkPath(p, '/report/rejects', (p.config.report as { rejects?: unknown } | undefined)?.rejects, markets.length > 0),
  ];
  for (const m of markets) out.push(...checkPath(p, toPointer(['markets', m, 'destination', 'output']), marketOverride(p.config, m).destination?.output, true));
  return out;
}

/**
 * Markets: an override must replace an attribute the pipeline maps, keep the destination type, and
 * give each market its own output; each market's merged destination is checked against its schema
 * (errors placed at the market's setting when the market wrote it).
 */
function checkMarkets(p: LoadedPipeline): Diagnostic[] {
  const markets = marketNames(p.config);
  if (markets.length === 0) return [];
  const out: Diagnostic[] = [];
  const mapped = attributeEntries(p.config).map((e) => e.name);
  const outputs = new Map<string, string>();
  const seen = new Set<string>();
  for (const m of markets) {
    for (const e of marketAttributeEntries(p.config, m)) {
      if (mapped.includes(e.name)) continue;
      out.push({ ...at(p, e.pointer, undefined, true), code: 'CFG_MARKET_UNKNOWN_ATTRIBUTE', severity: 'error',
        message: `market ${m} overrides attribute "${e.name}", which the mapping does not have`,
        hint: didYouMeanHint(e.name, mapped) || 'map it under mapping.attributes first (a market replaces attributes, it does not add them)' });
    }
    const override = marketOverride(p.config, m).destination ?? {};
    if ('type' in override) {
      out.push({ ...at(p, toPointer(['markets', m, 'destination', 'type']), undefined, true), code: 'CFG_MARKET_DESTINATION_TYPE', severity: 'error',
        message: `market ${m} changes the destination type`, hint: 'every market writes the same kind of destination; use another pipeline for another kind' });
    }
    const effective = effectiveConfig(p.config, m);
    for (const d of checkSchema({ data: effective, doc: p.doc, lines: p.lines, file: p.displayPath })) {
      if (!d.pointer.startsWith('/destination') || d.pointer === '/destination/type') continue;
      const key = pointerSegments(d.pointer)[1];
      const mine = key !== undefined && Object.prototype.hasOwnProperty.call(override, key);
      const pointer = mine ? `/markets/${toPointer([m]).slice(1)}${d.pointer}` : d.pointer === '/destination' ? toPointer(['markets', m]) : d.pointer;
      const diag = { ...d, ...at(p, pointer, undefined, d.code === 'CFG_UNKNOWN_FIELD'), message: mine || pointer !== d.pointer ? `market ${m}: ${d.message}` : d.message };
      const id = `${diag.pointer}|${diag.code}|${diag.message}`;
      if (!seen.has(id)) { seen.add(id); out.push(diag); }
    }
    const output = (effective.destination as { output?: unknown }).output;
    if (typeof output === 'string') {
      const file = output.replaceAll('{market}', m);
      const other = outputs.get(file);
      if (other !== undefined) {
        const pointer = 'output' in override ? toPointer(['markets', m, 'destination', 'output']) : '/destination/output';
        out.push({ ...at(p, pointer), code: 'CFG_MARKET_OUTPUT_CLASH', severity: 'error',
          message: `markets ${other} and ${m} would write the same file ${file}`, hint: 'put {market} in the output path, e.g. ../out/manomano-{market}.csv, or give each market its own output' });
      } else outputs.set(file, m);
    }
  }
  return out;
}

/** Every check of the catalogue model; the schema diagnostics of a pipeline with markets leave the destination to checkMarkets. */
export function checkModel(p: LoadedPipeline): Diagnostic[] {
  return [...checkLets(p), ...checkPaths(p), ...checkMarkets(p)];
}

/** With markets, the pipeline's own destination may leave settings to the markets: its schema errors come per market. */
export function schemaDiagnosticsWithMarkets(p: LoadedPipeline, diagnostics: Diagnostic[]): Diagnostic[] {
  if (marketNames(p.config).length === 0) return diagnostics;
  return diagnostics.filter((d) => !d.pointer.startsWith('/destination') || d.pointer === '/destination/type');
}
