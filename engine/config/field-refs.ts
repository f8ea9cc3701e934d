/**
 * Source field references checked at validate time: `sku: skuu` compiles, runs, and writes an
 * empty sku on every row. For a csv source whose file is readable, the header line is read and
 * every field an expression reads from the record is compared with it. Only references whose
 * meaning is certain are collected (no false positives): when in doubt, a name is skipped.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isScalar, type Scalar } from 'yaml';
import jsonata from 'jsonata';
import type { Diagnostic } from '../errors.js';
import type { ManoflowError } from '../errors.js';
import { readCsvHeaderSync, type CsvHeaderSettings } from '../connectors/sources/csv/header.js';
import { didYouMeanHint } from '../rules/did-you-mean.js';
import type { LoadedPipeline } from './load.js';
import { expressionsOf } from './walk.js';
import { normalizeTableCalls } from '../expr/table-calls.js';
import { nodeAt, positionInScalar, positionOf } from './yaml-positions.js';

/** A source field an expression reads: its name and the 0-based offset of its first character. */
export interface FieldRef { name: string; offset: number }

// The JSONata AST as jsonata(src).ast() gives it (the parts the walk reads).
interface Node {
  type: string;
  value?: unknown;
  position?: number;
  steps?: Node[];
  stages?: Node[];
  predicate?: Node[];
  group?: { lhs: [Node, Node][] };
  expr?: Node;
  expression?: Node;
  expressions?: Node[];
  lhs?: Node | [Node, Node][];
  rhs?: Node;
  arguments?: Node[];
  procedure?: Node;
  body?: Node;
  condition?: Node;
  then?: Node;
  else?: Node;
  terms?: { expression: Node }[];
  pattern?: Node;
  update?: Node;
  delete?: Node;
}

/**
 * The record fields an expression reads, in order of appearance, or undefined when it does not
 * compile (reported elsewhere). Collected: the first step of a path evaluated against the record
 * (`sku`, `price.amount` → `price`, `` `Is featured?` ``), `$.x` where `$` is the record,
 * `$$.x` and `$record.x` anywhere. Skipped: later path steps, predicates, sort terms, group and
 * transform bodies (their context is not the record), and every variable.
 */
export function fieldRefsOf(source: string): FieldRef[] | undefined {
  let ast: Node;
  try {
    ast = jsonata(source).ast() as unknown as Node;
  } catch {
    return undefined;
  }
  // `$lookups.<name>(Product_ID)` reads Product_ID from the record, as the mapping evaluates it
  normalizeTableCalls(ast);
  const out: FieldRef[] = [];
  const recordShadowed = rebindsRecord(ast);
  const collect = (n: Node | undefined): void => {
    if (n?.type !== 'name' || typeof n.value !== 'string') return;
    out.push({ name: n.value, offset: startOf(source, n) });
  };
  const walkAll = (list: readonly (Node | undefined)[] | undefined, inRecord: boolean): void => list?.forEach((n) => walk(n, inRecord));
  const walkStages = (n: Node): void => { walkAll(n.stages, false); walkAll(n.predicate, false); };

  function walkPath(node: Node, inRecord: boolean): void {
    const [first, second, ...rest] = node.steps ?? [];
    if (!first) return;
    const isVar = first.type === 'variable';
    const recordVar = isVar && !first.stages && !first.predicate
      && (first.value === '$' || (first.value === 'record' && !recordShadowed) || (first.value === '' && inRecord));
    if (first.type === 'name') {
      if (inRecord) collect(first);
      walkStages(first);
      walk(second, false);
    } else if (recordVar && second?.type === 'name') {
      collect(second);
      walkStages(second);
    } else {
      walk(first, inRecord);
      walk(second, false);
    }
    walkAll(rest, false);
    node.group?.lhs.forEach(([k, v]) => { walk(k, false); walk(v, false); });
  }

  function walk(node: Node | undefined, inRecord: boolean): void {
    if (!node || typeof node !== 'object') return;
    switch (node.type) {
      case 'path': walkPath(node, inRecord); return;
      case 'name': if (inRecord) collect(node); break;
      case 'binary': case 'apply': walk(node.lhs as Node, inRecord); walk(node.rhs, inRecord); break;
      case 'bind': walk(node.rhs, inRecord); break;
      case 'unary':
        if (node.value === '{') (node.lhs as [Node, Node][] | undefined)?.forEach(([k, v]) => { walk(k, inRecord); walk(v, inRecord); });
        else { walk(node.expression, inRecord); walkAll(node.expressions, inRecord); }
        break;
      case 'function': case 'partial': walk(node.procedure, inRecord); walkAll(node.arguments, inRecord); break;
      case 'lambda': walk(node.body, inRecord); break; // a lambda's body runs on the input where it is defined
      case 'condition': walk(node.condition, inRecord); walk(node.then, inRecord); walk(node.else, inRecord); break;
      case 'block': walkAll(node.expressions, inRecord); break;
      case 'filter': walk(node.expr, false); break;
      case 'sort': node.terms?.forEach((t) => walk(t.expression, false)); break;
      case 'transform': walk(node.pattern, false); walk(node.update, false); walk(node.delete, false); break;
      default: break; // literals, variables, wildcards, parent: no field of the record
    }
    walkStages(node);
  }

  walk(ast, true);
  return out;
}

/** True when the expression binds `$record` itself (`$record := ...`, a lambda parameter). */
function rebindsRecord(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  const n = node as Node;
  if (n.type === 'bind' && (n.lhs as Node | undefined)?.value === 'record') return true;
  if (n.type === 'lambda' && n.arguments?.some((a) => a.value === 'record')) return true;
  return Object.values(n).some((v) => (Array.isArray(v) ? v.some(rebindsRecord) : rebindsRecord(v)));
}

/** The offset where a name starts (its `position` is where it ends; a backquoted name has 2 more). */
function startOf(source: string, n: Node): number {
  const name = String(n.value);
  const end = n.position ?? 0;
  if (source[end - 1] === '`') return Math.max(0, end - name.length - 2);
  return source.slice(end - name.length, end) === name ? end - name.length : 0;
}

const isRuleBody = (pointer: string): boolean => /\/rules\/\d+\/jsonata$/.test(pointer);

/**
 * CFG_UNKNOWN_SOURCE_FIELD warnings for a csv source: each field an attribute, `from` or the
 * filter reads that is not a column. A warning, not an error: an expression may read an optional
 * field on purpose; `validate --deny-warnings` makes it fail.
 */
export function checkFieldRefs(p: LoadedPipeline): Diagnostic[] {
  const source = p.config.source as ({ type?: unknown; path?: unknown } & CsvHeaderSettings) | undefined;
  if (!source || source.type !== 'csv' || typeof source.path !== 'string') return [];
  if ([...p.unresolved].some((ptr) => ptr === '/source' || ptr.startsWith('/source/'))) return [];
  const file = resolve(p.dir, source.path);
  if (!readable(file)) return [];
  let mismatch: ManoflowError | undefined;
  const columns = readCsvHeaderSync(file, source, (err) => { mismatch = err; });
  if (mismatch) {
    // The run would stop on it: say so at validate time, where the delimiter is written.
    const pointer = source.delimiter === undefined ? '/source' : '/source/delimiter';
    return [{
      file: p.displayPath, ...positionOf(p.doc, p.lines, pointer), pointer, code: mismatch.code, severity: 'warning',
      message: mismatch.message.replace(`${file}: `, ''), hint: mismatch.hint,
    }];
  }
  if (!columns) return [];
  const known = new Set(columns);
  const out: Diagnostic[] = [];
  const groupBy = (source as { group_by?: unknown }).group_by;
  if (groupBy !== undefined) {
    // a grouped record holds its rows as `rows`; the grouping columns must be columns
    known.add('rows');
    const named = typeof groupBy === 'string' ? [groupBy] : Array.isArray(groupBy) ? groupBy as string[] : [];
    named.forEach((name, i) => {
      if (known.has(name)) return;
      const pointer = typeof groupBy === 'string' ? '/source/group_by' : `/source/group_by/${i}`;
      out.push({
        file: p.displayPath, ...positionOf(p.doc, p.lines, pointer), pointer, code: 'CFG_UNKNOWN_SOURCE_FIELD', severity: 'warning',
        message: `source group_by: the source has no column "${name}"`,
        hint: didYouMeanHint(name, columns) || `the columns are: ${listColumns(columns)}`,
      });
    });
  }
  for (const e of expressionsOf(p.config)) {
    const node = nodeAt(p.doc, e.pointer);
    if (isRuleBody(e.pointer) || p.unresolved.has(e.pointer) || fromEnv(p, node)) continue;
    const seen = new Set<string>();
    for (const ref of fieldRefsOf(e.source) ?? []) {
      if (known.has(ref.name) || seen.has(ref.name)) continue;
      seen.add(ref.name);
      const pos = node && isScalar(node) ? positionInScalar(p.source, p.lines, node as Scalar, ref.offset) : positionOf(p.doc, p.lines, e.pointer);
      out.push({
        file: p.displayPath, ...pos, pointer: e.pointer, code: 'CFG_UNKNOWN_SOURCE_FIELD', severity: 'warning',
        message: `${e.attribute !== undefined ? `attribute "${e.attribute}"` : e.label}: the source has no column "${ref.name}"`,
        hint: didYouMeanHint(ref.name, columns) || `the columns are: ${listColumns(columns)}`,
      });
    }
  }
  return out;
}

/** An expression written with `${VAR}`: its text depends on the environment validate runs in, so it is not judged. */
function fromEnv(p: LoadedPipeline, node: ReturnType<typeof nodeAt>): boolean {
  const range = node?.range;
  return range ? p.source.slice(range[0], range[1]).includes('${') : false;
}

function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    // A pipe (/dev/stdin) or a FIFO would be consumed by reading its header here.
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function listColumns(columns: readonly string[], max = 20): string {
  const shown = columns.slice(0, max).map((c) => JSON.stringify(c)).join(', ');
  return columns.length > max ? `${shown} … (${columns.length - max} more)` : shown;
}
