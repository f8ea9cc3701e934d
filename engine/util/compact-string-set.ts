/**
 * An exact set of strings kept outside the JS heap's object graph: the characters live in one byte
 * arena (one byte per code unit when every unit is <= 0xFF, else two), found through an
 * open-addressing table of typed arrays (slot-table.ts). A million skus cost ~34 bytes each instead of a Set
 * entry plus a string object (~55), and the GC marks four typed arrays instead of a million objects.
 * A hash hit is confirmed by comparing every code unit, so two different keys are never confused.
 */
import { grow, growable } from './growable.js';
import { SlotTable } from './slot-table.js';

const WIDE = 0x80000000;
const MIN_SLOTS = 2;

/** FNV-1a over UTF-16 code units, then a finaliser: one pass, no encoding, no allocation. */
function mix(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Writes the code units of `s` into `arena` from `at` (two bytes each when `wide`); returns where it ended. */
function put(arena: Uint8Array, at: number, s: string, wide: boolean): number {
  if (wide) for (let i = 0; i < s.length; i++, at += 2) { const c = s.charCodeAt(i); arena[at] = c & 0xff; arena[at + 1] = c >>> 8; }
  else for (let i = 0; i < s.length; i++) arena[at++] = s.charCodeAt(i);
  return at;
}

function oneByte(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

/**
 * Why: the products feed's duplicate checks remember every sku and (brand, manufacturer reference)
 * of a feed; at a million rows JS Sets held ~110 MB of live heap that every GC cycle marks again.
 * A key is `a`, or `a + "\u0000" + b` when `b` is given (a pair, without building the string).
 */
export class CompactStringSet {
  private arena: Uint8Array;
  private used = 0;
  private offsets: Uint32Array;
  /** Code units of each key; the top bit marks two bytes per unit. */
  private lengths: Uint32Array;
  private count = 0;
  private readonly table: SlotTable;

  constructor(initialSlots = 1024) {
    this.table = new SlotTable(initialSlots, MIN_SLOTS);
    const entries = Math.max(8, Math.ceil(initialSlots / 2));
    this.offsets = growable(Uint32Array, entries);
    this.lengths = growable(Uint32Array, entries);
    this.arena = growable(Uint8Array, Math.max(64, initialSlots * 8));
  }

  /** Why: tests force full-hash collisions with it; the table uses the same function. */
  static hash(a: string, b?: string): number {
    return finish(b === undefined ? mix(0x811c9dc5, a) : mix(Math.imul(mix(0x811c9dc5, a), 0x01000193), b));
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the arena and the tables (capacity, not only what is used). */
  get bytes(): number {
    return this.arena.byteLength + this.table.byteLength + this.offsets.byteLength * 2;
  }

  has(a: string, b?: string): boolean {
    return this.indexOf(a, b) >= 0;
  }

  /** Adds the key; false when it was already there. */
  add(a: string, b?: string): boolean {
    const before = this.count;
    this.entry(a, b);
    return this.count > before;
  }

  /** The entry number of a key (entries are numbered 0, 1, 2... as added), or -1. */
  indexOf(a: string, b?: string): number {
    const h = CompactStringSet.hash(a, b);
    const t = this.table;
    for (let slot = t.start(h); ; slot = t.next(slot)) {
      const e = t.entryAt(slot);
      if (e < 0 || (t.hashAt(slot) === h && this.equals(e, a, b))) return e;
    }
  }

  /** The entry number of a key, added when it is not there. */
  entry(a: string, b?: string): number {
    const h = CompactStringSet.hash(a, b);
    const t = this.table;
    let slot = t.start(h);
    for (; ; slot = t.next(slot)) {
      const e = t.entryAt(slot);
      if (e < 0) break;
      if (t.hashAt(slot) === h && this.equals(e, a, b)) return e;
    }
    const e = this.store(a, b);
    t.place(slot, e, h);
    return e;
  }

  /** The key of an entry, as added (a pair joined by "\u0000"). */
  keyAt(e: number): string {
    const meta = this.lengths[e]!;
    const len = meta & ~WIDE;
    const off = this.offsets[e]!;
    let s = '';
    if ((meta & WIDE) === 0) for (let i = 0; i < len; i++) s += String.fromCharCode(this.arena[off + i]!);
    else for (let i = 0; i < len; i++) s += String.fromCharCode(this.arena[off + 2 * i]! | (this.arena[off + 2 * i + 1]! << 8));
    return s;
  }

  private equals(e: number, a: string, b: string | undefined): boolean {
    const meta = this.lengths[e]!;
    const len = meta & ~WIDE;
    if (len !== (b === undefined ? a.length : a.length + 1 + b.length)) return false;
    const arena = this.arena;
    const off = this.offsets[e]!;
    if ((meta & WIDE) === 0) {
      for (let i = 0; i < a.length; i++) if (arena[off + i] !== a.charCodeAt(i)) return false;
      if (b === undefined) return true;
      if (arena[off + a.length] !== 0) return false;
      const base = off + a.length + 1;
      for (let i = 0; i < b.length; i++) if (arena[base + i] !== b.charCodeAt(i)) return false;
      return true;
    }
    for (let i = 0; i < a.length; i++) if ((arena[off + 2 * i]! | (arena[off + 2 * i + 1]! << 8)) !== a.charCodeAt(i)) return false;
    if (b === undefined) return true;
    const sep = off + 2 * a.length;
    if (arena[sep] !== 0 || arena[sep + 1] !== 0) return false;
    const base = sep + 2;
    for (let i = 0; i < b.length; i++) if ((arena[base + 2 * i]! | (arena[base + 2 * i + 1]! << 8)) !== b.charCodeAt(i)) return false;
    return true;
  }

  /** Copies the key's code units into the arena; returns its entry index. */
  private store(a: string, b: string | undefined): number {
    const len = b === undefined ? a.length : a.length + 1 + b.length;
    const wide = !oneByte(a) || (b !== undefined && !oneByte(b));
    const need = wide ? 2 * len : len;
    if (len >= WIDE || this.used + need > 0xffffffff) throw new RangeError('CompactStringSet: more than 4 GB of keys');
    if (this.used + need > this.arena.length) {
      this.arena = grow(this.arena, Math.min(0xffffffff, Math.max(this.arena.length * 2, this.used + need)));
    }
    const arena = this.arena;
    // (no closure per key: this runs once for every sku a feed writes)
    let at = put(arena, this.used, a, wide);
    if (b !== undefined) {
      arena[at++] = 0;
      if (wide) arena[at++] = 0;
      put(arena, at, b, wide);
    }
    const e = this.count++;
    if (e === this.offsets.length) {
      this.offsets = grow(this.offsets, 2 * e);
      this.lengths = grow(this.lengths, 2 * e);
    }
    this.offsets[e] = this.used;
    this.lengths[e] = wide ? (len | WIDE) >>> 0 : len;
    this.used += need;
    return e;
  }
}
