/**
 * The key index of a lookup table: key text → entry number, outside the JS object graph. The
 * keys' characters live in one byte arena (one byte per UTF-16 unit when every unit is <= 0xFF,
 * else two), found through an open-addressing table; a hash hit is confirmed unit by unit, so two
 * keys are never confused. A million keys cost ~40 bytes each (a Map of strings: ~100, all of it
 * walked by every garbage collection). Shared buffers: mapping workers read the same index.
 */

const WIDE = 0x80000000;

/** What a worker needs to read the same index (shared buffers, structured clone). */
export interface KeyIndexHandle {
  arena: SharedArrayBuffer;
  offsets: SharedArrayBuffer;
  lengths: SharedArrayBuffer;
  hashes: SharedArrayBuffer;
  table: SharedArrayBuffer;
  count: number;
}

/** FNV-1a over UTF-16 code units, then a finaliser (the same as the products feed's key set). */
export function hashKey(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const u32 = (n: number, from?: Uint32Array): Uint32Array => {
  const a = new Uint32Array(new SharedArrayBuffer(n * 4));
  if (from) a.set(from);
  return a;
};

/** Why: keyed lookups of big tables need a compact, shareable exact index (see the file comment). */
export class KeyIndex {
  private arena: Uint8Array;
  private used = 0;
  private offsets: Uint32Array;
  private lengths: Uint32Array;
  private hashes: Uint32Array;
  /** Entry + 1 per slot, 0 when empty; a power of two, kept at most half full. */
  private table: Uint32Array;
  private mask: number;
  count = 0;

  /** `expected`: keys expected (sized once, so that growing leaves no copies behind). */
  constructor(handle?: KeyIndexHandle, expected = 1024) {
    if (handle) {
      this.arena = new Uint8Array(handle.arena);
      this.offsets = new Uint32Array(handle.offsets);
      this.lengths = new Uint32Array(handle.lengths);
      this.hashes = new Uint32Array(handle.hashes);
      this.table = new Uint32Array(handle.table);
      this.count = handle.count;
    } else {
      const n = Math.max(16, expected);
      let slots = 32;
      while (slots < n * 2) slots *= 2;
      this.arena = new Uint8Array(new SharedArrayBuffer(Math.max(64 * 1024, n * 8)));
      this.offsets = u32(n);
      this.lengths = u32(n);
      this.hashes = u32(n);
      this.table = u32(slots);
    }
    this.mask = this.table.length - 1;
  }

  handle(): KeyIndexHandle {
    const buf = (a: Uint8Array | Uint32Array) => a.buffer as SharedArrayBuffer;
    return { arena: buf(this.arena), offsets: buf(this.offsets), lengths: buf(this.lengths), hashes: buf(this.hashes), table: buf(this.table), count: this.count };
  }

  /** Bytes held by the arena and the tables (capacity). */
  get bytes(): number {
    return this.arena.byteLength + this.table.byteLength + this.offsets.byteLength * 3;
  }

  /** The entry of `key`, or -1. */
  find(key: string): number {
    const h = hashKey(key);
    const table = this.table;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const e = table[i]!;
      if (e === 0) return -1;
      if (this.hashes[e - 1] === h && this.equals(e - 1, key)) return e - 1;
    }
  }

  /** Adds a key that `find` did not find; returns its entry (entries are numbered 0, 1, 2...). */
  insert(key: string): number {
    const h = hashKey(key);
    if ((this.count + 1) * 2 > this.table.length) this.growTable();
    const e = this.count++;
    if (e === this.offsets.length) {
      this.offsets = u32(e * 2, this.offsets);
      this.lengths = u32(e * 2, this.lengths);
      this.hashes = u32(e * 2, this.hashes);
    }
    this.store(e, key);
    this.hashes[e] = h;
    this.table[this.free(h)] = e + 1;
    return e;
  }

  private free(h: number): number {
    let i = h & this.mask;
    while (this.table[i] !== 0) i = (i + 1) & this.mask;
    return i;
  }

  private equals(e: number, key: string): boolean {
    const meta = this.lengths[e]!;
    if ((meta & ~WIDE) !== key.length) return false;
    const arena = this.arena;
    const off = this.offsets[e]!;
    if ((meta & WIDE) === 0) {
      for (let i = 0; i < key.length; i++) if (arena[off + i] !== key.charCodeAt(i)) return false;
      return true;
    }
    for (let i = 0; i < key.length; i++) if ((arena[off + 2 * i]! | (arena[off + 2 * i + 1]! << 8)) !== key.charCodeAt(i)) return false;
    return true;
  }

  private store(e: number, key: string): void {
    let wide = false;
    for (let i = 0; i < key.length && !wide; i++) wide = key.charCodeAt(i) > 0xff;
    const need = wide ? 2 * key.length : key.length;
    if (key.length >= WIDE || this.used + need > 0xffffffff) throw new RangeError('lookup table: more than 4 GB of keys');
    if (this.used + need > this.arena.length) {
      const next = new Uint8Array(new SharedArrayBuffer(Math.min(0xffffffff, Math.max(this.arena.length * 2, this.used + need))));
      next.set(this.arena.subarray(0, this.used));
      this.arena = next;
    }
    const arena = this.arena;
    let at = this.used;
    if (wide) for (let i = 0; i < key.length; i++, at += 2) { const c = key.charCodeAt(i); arena[at] = c & 0xff; arena[at + 1] = c >>> 8; }
    else for (let i = 0; i < key.length; i++) arena[at++] = key.charCodeAt(i);
    this.offsets[e] = this.used;
    this.lengths[e] = wide ? (key.length | WIDE) >>> 0 : key.length;
    this.used += need;
  }

  /** Doubles the slot table, re-slotting by the stored hashes (no key is read again). */
  private growTable(): void {
    this.table = u32(this.table.length * 2);
    this.mask = this.table.length - 1;
    for (let e = 0; e < this.count; e++) this.table[this.free(this.hashes[e]!)] = e + 1;
  }
}
