/**
 * An exact set of integer-valued numbers (below 2^53), each with an entry number (0, 1, 2... as
 * added), in typed arrays outside the V8 heap: ~24-40 bytes per entry (its slot table, slot-table.ts, half to a quarter full), where a
 * CompactStringSet of the same keys as text takes ~35. The products feed keeps EAN codes here
 * (digitCode), since nearly every EAN is 8 to 14 digits.
 */

import { grow, growable } from './growable.js';
import { SlotTable } from './slot-table.js';

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
  private readonly table: SlotTable;
  private keys: Float64Array;
  private count = 0;

  constructor(initialSlots = 1024) {
    this.table = new SlotTable(initialSlots, MIN_SLOTS);
    this.keys = growable(Float64Array, Math.max(8, Math.ceil(initialSlots / 2)));
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
    const h = hashOf(key);
    const t = this.table;
    for (let slot = t.start(h); ; slot = t.next(slot)) {
      const e = t.entryAt(slot);
      if (e < 0 || (t.hashAt(slot) === h && this.keys[e] === key)) return e;
    }
  }

  /** The entry number of `key`, added when absent. */
  entry(key: number): number {
    const h = hashOf(key);
    const t = this.table;
    let slot = t.start(h);
    for (; ; slot = t.next(slot)) {
      const e = t.entryAt(slot);
      if (e < 0) break;
      if (t.hashAt(slot) === h && this.keys[e] === key) return e;
    }
    const entry = this.count++;
    if (entry === this.keys.length) this.keys = grow(this.keys, 2 * this.keys.length);
    this.keys[entry] = key;
    t.place(slot, entry, h);
    return entry;
  }
}
