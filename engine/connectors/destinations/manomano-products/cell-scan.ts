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
      if (c < 32 || c === 127) {
        if (c === 10 || c === 13) {
          if (sku) return CELL_CONTROL;
          verdict = CELL_QUOTE;
        } else if (c === 9 && !sku) {
          if (delimiter === 9) verdict = CELL_QUOTE;
        } else return CELL_CONTROL;
      } else if (c === 34 || c === delimiter) verdict = CELL_QUOTE;
    }
    return verdict;
  }
}

/** The cell in quotes, its quotes doubled (formatCsvCell's quoted form). */
export function quotedCell(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
