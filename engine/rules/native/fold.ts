/**
 * One pass over a text doing what the text rule bodies do in three to five: `$decodeHtmlEntities`
 * (optional), `$replace(s, /[\s\u00a0\u202f]+/, " ")` and `$trim`; with lines, `$split(s, /\r?\n/)`,
 * the same per line, then `$filter` of the blank lines and `$join(lines, "\n")`. The text is read
 * once and written once, unit by unit, into a buffer that becomes one flat string (TextFolder).
 */
import { entityAt } from '../entities.js';
import { CodeUnits, UnitReader } from './units.js';

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
const DASH = 45;

/** Whitespace other than single spaces: a text it does not match only loses a space at each end. */
const IRREGULAR_SPACE = /[^\S ]| {2}/;

/**
 * The fold fed piece by piece (strip_html feeds the text between tags and what replaces each tag,
 * without joining them first). Whitespace and lines carry over from one piece to the next; an
 * entity must lie within one piece (native/markup.ts joins pieces an entity could span).
 *
 * The output is written unit by unit into a reusable buffer (units.ts) during the walk, and made
 * one flat string at the end, not joined from slices with `+=` (a rope that V8 copies again at its
 * first read). When the output is a stretch of one piece as it was (a plain title), that slice of
 * the input is returned instead, without making a string. The input is read from a typed array
 * too (UnitReader): a copy of the text made once, cheaper to read than the string itself.
 */
export class TextFolder {
  private readonly buffer = new CodeUnits();
  // the text being folded (load()), and any other piece (add() of a text not loaded)
  private readonly input = new UnitReader();
  private readonly piece = new UnitReader();
  // units written: kept lines (each after a "\n") then the current line, from lineStart
  private length = 0;
  private lineStart = 0;
  // by line: a line was kept, so the current one starts after a "\n" (at lineStart - 1)
  private kept = false;
  // whitespace seen since the last text of the line: one space before the next text, none at the end
  private pending = false;
  // the OR of the units written: one byte a character when at most 0xff
  private wide = 0;
  // the output is source[sliceFrom..sliceFrom + length), written by one add as it was in the piece
  private source: string | undefined = undefined;
  private sliceFrom = 0;

  /**
   * `decode`: entities first; `byLine`: "\n" ends a line (else it is whitespace); `dropDash`: a
   * line that is only "-" is left out too (strip_html's empty list items).
   */
  constructor(private readonly decode: boolean, private readonly byLine: boolean, private readonly dropDash: boolean) {}

  /** Forgets the previous text. */
  start(): void {
    this.length = 0;
    this.lineStart = 0;
    this.kept = false;
    this.pending = false;
    this.wide = 0;
    this.source = undefined;
  }

  /**
   * The code units of `t`, read by add() when it folds a piece of `t`: the caller that feeds the
   * pieces of one text (native/markup.ts) loads it once and reads its tags there too.
   */
  load(t: string): Uint16Array {
    return this.input.load(t);
  }

  /** Folds `t[from..to)` after what came before. */
  add(t: string, from: number, to: number): void {
    const src = t === this.input.text ? this.input.units : this.piece.load(t);
    const decode = this.decode;
    // a piece gives at most one unit per unit read, and one space for whitespace before it
    const units = this.buffer.reserve(this.length + (to - from) + 1, this.length);
    const before = this.length;
    let n = before;
    let pending = this.pending;
    let wide = this.wide;
    // what is written is the input as it was, from `first`: no entity, no whitespace but single spaces
    let verbatim = before === 0 && !this.byLine;
    let first = -1;
    let i = from;
    while (i < to) {
      const c = src[i]!;
      if (c === AMP && decode) {
        const hit = entityAt(src, t, i);
        if (hit !== undefined) {
          verbatim = false;
          i = hit.end;
          const d = hit.text;
          // &shy; decodes to nothing and changes nothing
          if (d.length === 0) continue;
          const code = d.charCodeAt(0);
          if (d.length === 1 && isJsSpace(code)) {
            if (code === LF && this.byLine) {
              this.length = n;
              n = this.newLine();
              pending = false;
            } else pending = true;
            continue;
          }
          if (pending && n > this.lineStart) {
            units[n++] = SPACE;
          }
          pending = false;
          // a character, a surrogate pair, or an entity left as written
          for (let k = 0; k < d.length; k++) {
            const u = d.charCodeAt(k);
            units[n++] = u;
            wide |= u;
          }
          continue;
        }
        // an "&" that starts no entity is text
      } else if (isJsSpace(c)) {
        if (c === LF && this.byLine) {
          this.length = n;
          n = this.newLine();
          pending = false;
        } else {
          // a second whitespace, or one other than " ", is not written as it was
          if (pending || c !== SPACE) verbatim = false;
          pending = true;
        }
        i++;
        continue;
      }
      if (pending && n > this.lineStart) {
        units[n++] = SPACE;
      }
      pending = false;
      if (n === before) first = i;
      units[n++] = c;
      wide |= c;
      // the rest of the run of text, unit by unit; one space between two characters of text (the
      // usual case, most of them printable ASCII) is written without leaving the loop
      for (i++; i < to; i++) {
        let d = src[i]!;
        if (d === SPACE && i + 1 < to) {
          const e = src[i + 1]!;
          if (!(e > SPACE && e < 0x7f && (e !== AMP || !decode))) break;
          units[n++] = SPACE;
          d = e;
          i++;
        } else if (d > SPACE && d < 0x7f) {
          if (d === AMP && decode) break;
        } else if (isJsSpace(d)) break;
        else wide |= d;
        units[n++] = d;
      }
    }
    if (n !== before) {
      this.source = verbatim && first >= 0 ? t : undefined;
      this.sliceFrom = first;
    }
    this.length = n;
    this.pending = pending;
    this.wide = wide;
  }

  /** Ends the line at `length` and starts the next; the new length. */
  private newLine(): number {
    this.endLine();
    if (this.kept) {
      this.buffer.units[this.length++] = LF;
    }
    this.lineStart = this.length;
    return this.length;
  }

  /** Keeps the current line, or takes it back with its "\n" when it is empty (or "-" with dropDash). */
  private endLine(): void {
    const size = this.length - this.lineStart;
    if (size === 0 || (this.dropDash && size === 1 && this.buffer.units[this.lineStart] === DASH)) {
      this.length = this.kept ? this.lineStart - 1 : this.lineStart;
    } else this.kept = true;
  }

  /** Folds one space after what came before: `add(" ", 0, 1)` without the walk. */
  space(): void {
    this.pending = true;
  }

  /** The folded text: without lines, a text ("" for nothing); by line, undefined when no line is left ($join of an empty $filter). */
  end(): string | undefined {
    if (this.byLine) {
      this.endLine();
      if (!this.kept) return undefined;
    }
    const t = this.source;
    if (t !== undefined) {
      this.source = undefined;
      return this.sliceFrom === 0 && this.length === t.length ? t : t.slice(this.sliceFrom, this.sliceFrom + this.length);
    }
    return this.buffer.text(this.length, this.wide);
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
  spaces.load(t);
  spaces.add(t, 0, t.length);
  return spaces.end()!;
}

/** rules/trim's keep_newlines: each line folded, empty lines left out; undefined when none is left. */
export function foldLines(t: string): string | undefined {
  lines.start();
  lines.load(t);
  lines.add(t, 0, t.length);
  return lines.end();
}
