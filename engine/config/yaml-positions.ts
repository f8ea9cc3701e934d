/**
 * Maps JSON pointers and offsets inside YAML scalars back to file line:column, so every
 * diagnostic points where the user has to look (including inside multi-line JSONata blocks).
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node, type Scalar } from 'yaml';

export interface Position { line: number; column: number }

/** Splits `/a/b~1c/0` into ['a', 'b/c', '0']. */
export function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** The YAML node at a pointer (or the deepest existing ancestor), and the key node when `key` is set. */
export function nodeAt(doc: Document, pointer: string, key = false): Node | undefined {
  let node: unknown = doc.contents;
  const segs = pointerSegments(pointer);
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) return node as Node;
      if (key && i === segs.length - 1) return pair.key as Node;
      node = pair.value ?? pair.key;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) return node as Node;
      node = item;
    } else break;
  }
  return node as Node | undefined;
}

/** 1-based line and column of a pointer's node (its key when `key` is set). */
export function positionOf(doc: Document, lines: LineCounter, pointer: string, key = false): Position {
  const node = nodeAt(doc, pointer, key);
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/**
 * Position of character `offset` of a scalar's VALUE in the file. Handles plain and quoted
 * scalars on one line and literal/folded blocks (`|`, `>`), where the value's lines are the
 * file's lines minus the block indentation.
 */
export function positionInScalar(source: string, lines: LineCounter, node: Scalar, offset: number): Position {
  const start = node.range?.[0] ?? 0;
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    const value = String(node.value).replace(/\n+$/, '');
    // An error "at the end" points after the last character, not at the block's final newline.
    offset = Math.min(offset, value.length);
    const before = value.slice(0, offset);
    const lineInBlock = before.split('\n').length - 1;
    const colInLine = offset - (before.lastIndexOf('\n') + 1);
    const header = lines.linePos(start);
    // Block content begins on the line after the `|` header; find its indentation in the source.
    const firstContentOffset = source.indexOf('\n', start) + 1;
    const indentMatch = /^[ \t]*/.exec(source.slice(firstContentOffset));
    const indent = indentMatch ? indentMatch[0].length : 0;
    if (node.type === 'BLOCK_FOLDED') {
      // Folding joins lines with spaces; walk the source lines to find the right one.
      return foldedPosition(source, firstContentOffset, indent, offset, lines);
    }
    return { line: header.line + 1 + lineInBlock, column: indent + colInLine + 1 };
  }
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
  const { line, col } = lines.linePos(start + quoted + offset);
  return { line, column: col };
}

function foldedPosition(source: string, contentStart: number, indent: number, offset: number, lines: LineCounter): Position {
  let remaining = offset;
  let pos = contentStart;
  while (pos < source.length) {
    const end = source.indexOf('\n', pos);
    const lineEnd = end === -1 ? source.length : end;
    const text = source.slice(pos + indent, lineEnd);
    const nextEnd = source.indexOf('\n', lineEnd + 1);
    const next = source.slice(lineEnd + 1, nextEnd === -1 ? source.length : nextEnd);
    const nextInBlock = next.trim() === '' || (/^[ \t]*/.exec(next)?.[0].length ?? 0) >= indent;
    const lastLine = end === -1 || !nextInBlock;
    if (remaining <= text.length || lastLine) return toPos(lines, pos + indent + Math.min(remaining, text.length));
    remaining -= text.length + 1; // the fold became one space (or newline)
    pos = lineEnd + 1;
  }
  return toPos(lines, contentStart);
}

function toPos(lines: LineCounter, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}
