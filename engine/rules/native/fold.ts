/**
 * One pass over a text doing what the text rule bodies do in three to five: `$decodeHtmlEntities`
 * (optional), `$replace(s, /[\s\u00a0\u202f]+/, " ")` and `$trim`; with lines, `$split(s, /\r?\n/)`,
 * the same per line, then `$filter` of the blank lines and `$join(lines, "\n")`. The text is read
 * once, and copied in runs: a run of text goes on across single spaces between two characters of
 * text, so a well-formed text is sliced a few times, not once per word.
 */
import { entityAt } from '../entities.js';

/** JavaScript's `\s` by code unit (what `[\s\u00a0\u202f]` matches in the bodies: both extras are in `\s`). */
export function isJsSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029
    || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const AMP = 38;
const SPACE = 32;
const LF = 10;

/** Whitespace other than single spaces: a text it does not match only loses a space at each end. */
const IRREGULAR_SPACE = /[^\S ]| {2}/;

/**
 * The end of the run of text starting at `i` (a character of text), before `to`: it stops before
 * an "&" (when decoding) and before whitespace, unless that whitespace is one space followed by
 * text within the same piece.
 */
function runEnd(t: string, i: number, to: number, decode: boolean): number {
  let j = i + 1;
  while (j < to) {
    const d = t.charCodeAt(j);
    // most characters of a description: printable ASCII other than "&"
    if (d > SPACE && d < 0x7f && d !== AMP) {
      j++;
      continue;
    }
    if (d === AMP) {
      if (decode) return j;
      j++;
      continue;
    }
    if (d === SPACE) {
      // one space between two characters of text is written as it is
      if (j + 1 < to) {
        const e = t.charCodeAt(j + 1);
        if (!isJsSpace(e) && !(decode && e === AMP)) {
          j += 2;
          continue;
        }
      }
      return j;
    }
    if (isJsSpace(d)) return j;
    j++;
  }
  return j;
}

/**
 * The fold fed piece by piece (strip_html feeds the text between tags and what replaces each tag,
 * without joining them first). Whitespace and lines carry over from one piece to the next; an
 * entity must lie within one piece (native/markup.ts joins pieces an entity could span).
 */
export class TextFolder {
  private out: string | undefined = undefined;
  private line = '';
  // whitespace seen since the last text of the line: one space before the next text, none at the end
  private pending = false;

  /**
   * `decode`: entities first; `byLine`: "\n" ends a line (else it is whitespace); `dropDash`: a
   * line that is only "-" is left out too (strip_html's empty list items).
   */
  constructor(private readonly decode: boolean, private readonly byLine: boolean, private readonly dropDash: boolean) {}

  /** Forgets the previous text. */
  start(): void {
    this.out = undefined;
    this.line = '';
    this.pending = false;
  }

  /** Folds `t[from..to)` after what came before. */
  add(t: string, from: number, to: number): void {
    const decode = this.decode;
    let line = this.line;
    let pending = this.pending;
    let i = from;
    while (i < to) {
      const c = t.charCodeAt(i);
      if (c === LF && this.byLine) {
        this.endLine(line);
        line = '';
        pending = false;
        i++;
        continue;
      }
      if (isJsSpace(c)) {
        pending = true;
        i++;
        continue;
      }
      if (c === AMP && decode) {
        const hit = entityAt(t, i);
        if (hit !== undefined) {
          const d = hit.text;
          i = hit.end;
          const code = d.length === 1 ? d.charCodeAt(0) : -1;
          if (code === LF && this.byLine) {
            this.endLine(line);
            line = '';
            pending = false;
          } else if (code >= 0 && isJsSpace(code)) pending = true;
          // &shy; decodes to nothing and changes nothing
          else if (d.length > 0) {
            if (pending && line.length > 0) line += ' ';
            pending = false;
            line += d;
          }
          continue;
        }
      }
      const j = runEnd(t, i, to, decode);
      if (pending && line.length > 0) line += ' ';
      pending = false;
      line += i === 0 && j === t.length ? t : t.slice(i, j);
      i = j;
    }
    this.line = line;
    this.pending = pending;
  }

  /** Folds one space after what came before: `add(" ", 0, 1)` without the walk. */
  space(): void {
    this.pending = true;
  }

  private endLine(line: string): void {
    if (line !== '' && !(this.dropDash && line === '-')) this.out = this.out === undefined ? line : `${this.out}\n${line}`;
  }

  /** The folded text: without lines, a text ("" for nothing); by line, undefined when no line is left ($join of an empty $filter). */
  end(): string | undefined {
    if (!this.byLine) return this.line;
    this.endLine(this.line);
    return this.out;
  }
}

const spaces = new TextFolder(false, false, false);
const lines = new TextFolder(false, true, false);

/** `$trim($replace(t, /[\s\u00a0\u202f]+/, " "))`: every whitespace run becomes one space, none at either end. */
export function foldSpaces(t: string): string {
  if (!IRREGULAR_SPACE.test(t)) {
    // single spaces only: at most one at each end to drop
    let r = t;
    if (r.charCodeAt(0) === SPACE) r = r.substring(1);
    if (r.charCodeAt(r.length - 1) === SPACE) r = r.substring(0, r.length - 1);
    return r;
  }
  spaces.start();
  spaces.add(t, 0, t.length);
  return spaces.end()!;
}

/** rules/trim's keep_newlines: each line folded, empty lines left out; undefined when none is left. */
export function foldLines(t: string): string | undefined {
  lines.start();
  lines.add(t, 0, t.length);
  return lines.end();
}
