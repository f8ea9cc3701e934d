/**
 * Limits on what a pipeline file may cost to load, and exact positions for the YAML errors the
 * parser places badly. A pipeline holds settings and expressions: a multi-megabyte file or an
 * alias that expands a large anchor many times ("billion laughs") is refused with a diagnostic
 * (exit 2) before it can take seconds and hundreds of megabytes.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, Parser, visit, type Document, type LineCounter, type Node } from 'yaml';
import type { Diagnostic } from '../errors.js';

/** Largest pipeline file read (bytes): the largest template is a few kilobytes. */
export const MAX_PIPELINE_BYTES = 1024 * 1024;
/** Largest total text that aliases may add to a pipeline once expanded (characters of YAML source). */
export const MAX_ALIAS_EXPANSION = 1024 * 1024;
/** Passed to yaml's toJS as a second guard (it counts alias uses per anchor, weighted by nesting). */
export const MAX_ALIAS_COUNT = 100;

/**
 * Why: an alias costs the size of what it names each time it is used, and aliases nest, so ten
 * lines can stand for gigabytes. Sums, in document order, the source size each alias adds once
 * expanded, and reports the first alias that takes the total over MAX_ALIAS_EXPANSION (or that
 * names the node holding it: a structure that contains itself).
 */
export function checkAliasExpansion(doc: Document, lines: LineCounter, file: string): Diagnostic | undefined {
  const anchors = new Map<string, Node>();
  const uses: { alias: Node; target: Node }[] = [];
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target) uses.push({ alias: node, target });
      } else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  if (uses.length === 0) return undefined;
  const targetOf = new Map(uses.map((u) => [u.alias, u.target]));
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  /** Source characters a node stands for once every alias in it is expanded (Infinity: it contains itself). */
  const size = (node: unknown): number => {
    if (!node || typeof node !== 'object') return 0;
    const n = node as Node;
    const known = sizes.get(n);
    if (known !== undefined) return known;
    if (open.has(n)) return Infinity;
    open.add(n);
    let total = 0;
    if (isAlias(n)) total = size(targetOf.get(n));
    else if (isScalar(n)) total = n.range ? n.range[1] - n.range[0] : String(n.value).length;
    else if (isMap(n)) for (const pair of n.items) total += isPair(pair) ? size(pair.key) + size(pair.value) + 2 : 0;
    else if (isSeq(n)) for (const item of n.items) total += size(item) + 2;
    open.delete(n);
    sizes.set(n, total);
    return total;
  };
  let added = 0;
  for (const { alias } of uses) {
    added += size(alias);
    if (added <= MAX_ALIAS_EXPANSION) continue;
    const at = lines.linePos(alias.range?.[0] ?? 0);
    const recursive = !Number.isFinite(added);
    return {
      file, line: at.line, column: at.col, pointer: '', code: 'CFG_YAML_ALIAS_LIMIT', severity: 'error',
      message: recursive
        ? `the alias *${(alias as { source?: string }).source} names a node that contains it: the pipeline would be infinitely deep`
        : `aliases expand this pipeline by more than ${MAX_ALIAS_EXPANSION / 1024 / 1024} MiB (the limit), at the alias *${(alias as { source?: string }).source}`,
      hint: 'a pipeline holds settings and expressions: write the value once, or move large data to a lookup file (lookups:)',
    };
  }
  return undefined;
}

/**
 * Where an unclosed quoted scalar opens. The parser reports a missing closing quote at the end of
 * what it consumed (often the end of the file); the CST token of the scalar starts at the quote.
 * Returns the offset of the last quoted scalar starting before `offset` that does not close.
 */
export function unclosedQuoteOffset(source: string, offset: number): number | undefined {
  let found: number | undefined;
  const walk = (token: unknown): void => {
    if (!token || typeof token !== 'object') return;
    if (Array.isArray(token)) {
      for (const t of token) walk(t);
      return;
    }
    const t = token as { type?: string; offset?: number; source?: string; [k: string]: unknown };
    if ((t.type === 'single-quoted-scalar' || t.type === 'double-quoted-scalar') && typeof t.offset === 'number' && typeof t.source === 'string') {
      if (t.offset <= offset && !closes(t.source) && (found === undefined || t.offset > found)) found = t.offset;
    }
    for (const key of ['start', 'key', 'sep', 'value', 'items', 'end', 'props']) walk(t[key]);
  };
  for (const token of new Parser().parse(source)) walk(token);
  return found;
}

/** True when a quoted scalar's source text ends with its closing quote. */
function closes(text: string): boolean {
  if (text.startsWith("'")) return /^'(?:[^']|'')*'$/s.test(text);
  return /^"(?:[^"\\]|\\.)*"$/s.test(text);
}
