/**
 * An exact set of integer-valued numbers (below 2^53), each with an entry number (0, 1, 2... as
 * added), in typed arrays outside the V8 heap: ~24-40 bytes per entry (the table half to a quarter full), where a
 * CompactStringSet of the same keys as text takes ~35. The products feed keeps EAN codes here
 * (digitCode), since nearly every EAN is 8 to 14 digits.
 */

import { grow, growable } from './growable.js';

const MIN_SLOTS = 16;

/** `code` read as digits (at most 14): its length × 10^14 + its value, so "0123" and "123" stay apart; -1 otherwise. */
export function digitCode(code: string): number {
  const n = code.length;
  if (n === 0 || n > 14) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = code.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  // at most 14 × 10^14 + 10^14 - 1 < 2^53: exact
  return n * 1e14 + v;
}

/** A 32-bit hash of an integer below 2^53 (both halves mixed). */
function hashOf(key: number): number {
  const lo = key >>> 0;
  const hi = Math.floor(key / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class CompactNumberSet {
  /**
   * Two cells per slot: the entry index + 1 (0 when empty) and the key's hash, side by side so
   * that a probe past another key reads no entry (a cache miss per probe at a million keys).
   * Slots are a power of two, kept at most half full.
   */
  private table: Uint32Array;
  private slots: number;
  private mask: number;
  private keys: Float64Array;
  private count = 0;

  constructor(initialSlots = 1024) {
    let slots = MIN_SLOTS;
    while (slots < initialSlots) slots *= 2;
    this.table = new Uint32Array(2 * slots);
    this.slots = slots;
    this.mask = slots - 1;
    this.keys = growable(Float64Array, slots / 2);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table and the entries (capacity). */
  get bytes(): number {
    return this.table.byteLength + this.keys.byteLength;
  }

  /** The entry number of `key`, or -1. */
  indexOf(key: number): number {
    return this.table[2 * this.slotOf(key, hashOf(key))]! - 1;
  }

  /** The entry number of `key`, added when absent. */
  entry(key: number): number {
    const h = hashOf(key);
    let slot = this.slotOf(key, h);
    const e = this.table[2 * slot]!;
    if (e !== 0) return e - 1;
    if ((this.count + 1) * 2 > this.slots) {
      this.grow();
      slot = this.slotOf(key, h);
    }
    const entry = this.count++;
    this.keys[entry] = key;
    this.table[2 * slot] = entry + 1;
    this.table[2 * slot + 1] = h;
    return entry;
  }

  /** The slot holding `key` (hash `h`), or the empty slot where it would go (linear probing). */
  private slotOf(key: number, h: number): number {
    const table = this.table;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const e = table[2 * slot]!;
      if (e === 0 || (table[2 * slot + 1] === h && this.keys[e - 1] === key)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  /** Doubles the table and the entries (in place: growable.ts); entries are re-slotted by their stored hashes. */
  private grow(): void {
    const old = this.table;
    const slots = this.slots * 2;
    this.table = new Uint32Array(2 * slots);
    this.slots = slots;
    this.mask = slots - 1;
    this.keys = grow(this.keys, slots / 2);
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] === 0) continue;
      let slot = old[i + 1]! & this.mask;
      while (this.table[2 * slot] !== 0) slot = (slot + 1) & this.mask;
      this.table[2 * slot] = old[i]!;
      this.table[2 * slot + 1] = old[i + 1]!;
    }
  }
}
