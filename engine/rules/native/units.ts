/**
 * A reusable buffer of UTF-16 code units that becomes one flat string. The one-pass text rule
 * boxes (fold.ts) write their output here instead of joining slices with `+=`: a description of
 * ~350 characters joined that way is a rope of ~40 pieces, which V8 flattens (copies again) at its
 * first read, in the feed or in the CSV writer. Written unit by unit during the walk that reads the
 * input anyway, then copied once into a string.
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
// a buffer above this size is dropped after use, so that one huge text does not pin its memory
const KEPT_UNITS = 1 << 16;
const INITIAL_UNITS = 1024;

/** Why a class: each folder owns one, so a native never shares a buffer it is still writing. */
export class CodeUnits {
  /** The units, written by the caller (`units[n++] = c` after `reserve`). */
  units: Uint16Array = new Uint16Array(INITIAL_UNITS);
  /** A Latin-1 text's units narrowed to bytes at the end (text()), for a one-byte string like V8's own. */
  private bytes: Buffer = Buffer.alloc(INITIAL_UNITS);
  private asBuffer: Buffer = Buffer.from(this.units.buffer, 0, this.units.byteLength);

  /** Room for `n` units in all (the contents up to `used` are kept). */
  reserve(n: number, used: number): Uint16Array {
    if (n <= this.units.length) return this.units;
    const size = Math.max(n, this.units.length * 2);
    const grown = new Uint16Array(size);
    grown.set(this.units.subarray(0, used));
    const bytes = Buffer.alloc(size);
    this.bytes.copy(bytes, 0, 0, used);
    this.setUnits(grown, bytes);
    return grown;
  }

  /**
   * `units[0..n)` as a string. `wide`: the OR of every unit written (0xff or less: every unit is
   * Latin-1, and the string is made one byte a character as V8 makes such text; a rope of one-byte
   * pieces flattens to that too).
   */
  text(n: number, wide: number): string {
    if (n === 0) return '';
    let s: string;
    if (wide <= 0xff) {
      this.bytes.set(this.units.subarray(0, n));
      s = this.bytes.toString('latin1', 0, n);
    }
    else if (LITTLE_ENDIAN) s = this.asBuffer.toString('utf16le', 0, 2 * n);
    else s = fromUnits(this.units, n);
    if (this.units.length > KEPT_UNITS) this.setUnits(new Uint16Array(INITIAL_UNITS), Buffer.alloc(INITIAL_UNITS));
    return s;
  }

  private setUnits(units: Uint16Array, bytes: Buffer): void {
    this.units = units;
    this.bytes = bytes;
    this.asBuffer = Buffer.from(units.buffer, 0, units.byteLength);
  }
}

/** The string of `units[0..n)` on a big-endian machine (Buffer's utf16le reads little-endian bytes). */
function fromUnits(units: Uint16Array, n: number): string {
  let s = '';
  for (let k = 0; k < n; k += 4096) s += String.fromCharCode.apply(null, Array.from(units.subarray(k, Math.min(n, k + 4096))));
  return s;
}

// Below this length a text is read into the array by charCodeAt: the native copy's call costs more.
const NATIVE_COPY_FROM = 16;

/**
 * A text's UTF-16 code units, copied into a reusable typed array to be read there. Why: the parser
 * hands the rule boxes slices of its chunk, and charCodeAt on a slice costs ~2.5 ns a character
 * (each call resolves the slice again), where one native copy (Buffer#write in utf16le, ~70 ns a
 * call) then typed-array reads cost ~40% of that on a 300-character description, parsed chunk by
 * chunk as in a run (bench/README.md, *Cheaper natives, fourth round*).
 * The unit after the text is 0, so that a read one past the end stops a scan as charCodeAt's NaN
 * does (no reader here looks further).
 */
export class UnitReader {
  units: Uint16Array = new Uint16Array(INITIAL_UNITS);
  /** The text the units hold. */
  text: string | undefined = undefined;
  private asBuffer: Buffer = Buffer.from(this.units.buffer, 0, this.units.byteLength);

  /** The units of `t`, then 0; a no-op when `t` is the text already held. */
  load(t: string): Uint16Array {
    if (t === this.text) return this.units;
    const n = t.length;
    if (n + 1 > this.units.length || this.units.length > KEPT_UNITS) {
      this.units = new Uint16Array(Math.max(INITIAL_UNITS, n + 1));
      this.asBuffer = Buffer.from(this.units.buffer, 0, this.units.byteLength);
    }
    const units = this.units;
    // utf16le copies the units as they are (lone surrogates too), little-endian
    if (n >= NATIVE_COPY_FROM && LITTLE_ENDIAN) this.asBuffer.write(t, 0, 'utf16le');
    else for (let i = 0; i < n; i++) units[i] = t.charCodeAt(i);
    units[n] = 0;
    this.text = t;
    return units;
  }
}
