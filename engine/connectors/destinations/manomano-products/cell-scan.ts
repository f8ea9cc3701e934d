/**
 * One look at each cell of a feed row for the two questions the fast path asks of it: does it hold
 * a control character the feed refuses (MM_CONTROL_CHARACTER: C0 but tab, LF and CR, and DEL; in
 * the sku tab, LF and CR as well), and does it need CSV quotes (the delimiter, `"`, CR or LF:
 * formatCsvCell's rule). Asked separately they cost two regex calls per cell, on ~20 cells a record.
 */

/** Plain cell: written as it is. */
export const CELL_PLAIN = 0;
/** The cell needs quotes. */
export const CELL_QUOTE = 1;
/** The cell holds a control character the feed refuses. */
export const CELL_CONTROL = 2;

/** Why: one per feed (its delimiter is fixed); used by FastFeed for every cell it writes. */
export class CellScanner {
  private readonly delimiter: number;
  /** Anything scan() must look at closer: every C0 control, DEL, `"` and the delimiter. */
  private readonly notable: RegExp;

  /** For a one-character delimiter; `forDelimiter` says whether one can be made. */
  private constructor(delimiter: string) {
    this.delimiter = delimiter.charCodeAt(0);
    const escaped = delimiter.replace(/[\\^\]-]/g, '\\$&');
    this.notable = new RegExp(`[\\u0000-\\u001f\\u007f"${escaped}]`);
  }

  /** Undefined for a delimiter of several characters (or none): the caller asks the two questions apart. */
  static forDelimiter(delimiter: string): CellScanner | undefined {
    return delimiter.length === 1 ? new CellScanner(delimiter) : undefined;
  }

  /** CELL_PLAIN, CELL_QUOTE or CELL_CONTROL; `sku` also refuses tab, LF and CR. */
  scan(text: string, sku: boolean): number {
    // most cells hold nothing notable: one regex pass settles them (a loop in JS is slower, even on short cells)
    if (!this.notable.test(text)) return CELL_PLAIN;
    const delimiter = this.delimiter;
    let verdict = CELL_PLAIN;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 32 || c === 127 || c === 34 || c === delimiter) {
        const v = charVerdict(c, delimiter, sku);
        if (v === CELL_CONTROL) return CELL_CONTROL;
        if (v === CELL_QUOTE) verdict = CELL_QUOTE;
      }
    }
    return verdict;
  }

  /**
   * Writes the cell UTF-8 encoded into `buf` from `at` (room for 3 bytes a code unit + 2 needed),
   * as formatCsvCell writes it after scan(): as it is, or quoted. Returns where it ended, or -1
   * at a control character (CELL_CONTROL: nothing is to be kept). Why: the feed's rows go to bytes
   * as their cells are checked, without building the row's text and encoding it again
   * (Buffer.write of a row first flattens its ~50 pieces into one string).
   */
  write(buf: Uint8Array, at: number, text: string, sku: boolean): number {
    const delimiter = this.delimiter;
    const start = at;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        if (c > 31 && c !== 127 && c !== 34 && c !== delimiter) {
          buf[at++] = c;
          continue;
        }
        const v = charVerdict(c, delimiter, sku);
        if (v === CELL_CONTROL) return -1;
        if (v === CELL_QUOTE) return this.writeQuoted(buf, start, text, sku);
        buf[at++] = c;
        continue;
      }
      if (c === delimiter) return this.writeQuoted(buf, start, text, sku);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          at = writePair(buf, at, c, d);
          i++;
          continue;
        }
      }
      at = writeUnit(buf, at, c);
    }
    return at;
  }

  /** The cell in quotes, its quotes doubled, from `at` (where the cell starts); -1 at a control character. */
  private writeQuoted(buf: Uint8Array, at: number, text: string, sku: boolean): number {
    const delimiter = this.delimiter;
    const n = text.length;
    buf[at++] = 34;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        if ((c < 32 || c === 127) && charVerdict(c, delimiter, sku) === CELL_CONTROL) return -1;
        buf[at++] = c;
        if (c === 34) buf[at++] = 34;
        continue;
      }
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          at = writePair(buf, at, c, d);
          i++;
          continue;
        }
      }
      at = writeUnit(buf, at, c);
    }
    buf[at++] = 34;
    return at;
  }
}

/** What one character (a C0 control, DEL, `"` or the delimiter) makes of its cell: scan()'s rule. */
function charVerdict(c: number, delimiter: number, sku: boolean): number {
  if (c < 32 || c === 127) {
    if (c === 10 || c === 13) return sku ? CELL_CONTROL : CELL_QUOTE;
    if (c === 9 && !sku) return delimiter === 9 ? CELL_QUOTE : CELL_PLAIN;
    return CELL_CONTROL;
  }
  return c === 34 || c === delimiter ? CELL_QUOTE : CELL_PLAIN;
}

/** A code unit outside ASCII and outside a surrogate pair, as Buffer.write encodes it (a lone surrogate is U+FFFD). */
function writeUnit(buf: Uint8Array, at: number, c: number): number {
  if (c < 0x800) {
    buf[at++] = 0xc0 | (c >> 6);
    buf[at++] = 0x80 | (c & 63);
  } else if (c >= 0xd800 && c <= 0xdfff) {
    buf[at++] = 0xef;
    buf[at++] = 0xbf;
    buf[at++] = 0xbd;
  } else {
    buf[at++] = 0xe0 | (c >> 12);
    buf[at++] = 0x80 | ((c >> 6) & 63);
    buf[at++] = 0x80 | (c & 63);
  }
  return at;
}

/** A surrogate pair: one code point of four bytes. */
function writePair(buf: Uint8Array, at: number, high: number, low: number): number {
  const cp = 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
  buf[at++] = 0xf0 | (cp >> 18);
  buf[at++] = 0x80 | ((cp >> 12) & 63);
  buf[at++] = 0x80 | ((cp >> 6) & 63);
  buf[at++] = 0x80 | (cp & 63);
  return at;
}

/** The cell in quotes, its quotes doubled (formatCsvCell's quoted form). */
export function quotedCell(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
