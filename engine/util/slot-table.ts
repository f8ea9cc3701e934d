/**
 * The open-addressing table under the compact sets (compact-string-set.ts, compact-number-set.ts):
 * entry numbers found by hash, with linear probing, in one typed array outside the V8 heap. The
 * sets keep their keys themselves and confirm a hash hit against them; the table never reads a key.
 */

/**
 * Why: two cells per slot, the entry number + 1 (0 when empty) and the key's hash side by side, so
 * that a probe reads one cache line (a million keys make the table 16 MB: a hash kept apart cost a
 * second cache miss per key). Slots are a power of two, kept at most half full.
 */
export class SlotTable {
  private cells: Uint32Array;
  private slots: number;
  private mask: number;
  private placed = 0;

  constructor(initialSlots: number, minSlots: number) {
    let slots = minSlots;
    while (slots < initialSlots) slots *= 2;
    this.cells = new Uint32Array(2 * slots);
    this.slots = slots;
    this.mask = slots - 1;
  }

  get byteLength(): number {
    return this.cells.byteLength;
  }

  /** The first slot to look at for hash `h`. */
  start(h: number): number {
    return h & this.mask;
  }

  /** The slot after `slot`, wrapping around. */
  next(slot: number): number {
    return (slot + 1) & this.mask;
  }

  /** The entry number in `slot`, or -1 when the slot is empty (the probe for a missing key ends there). */
  entryAt(slot: number): number {
    return this.cells[2 * slot]! - 1;
  }

  /** The hash of the key in `slot`. */
  hashAt(slot: number): number {
    return this.cells[2 * slot + 1]!;
  }

  /** Puts `entry` (hash `h`) in `slot`, the empty slot its probe ended on; doubles the table first when it would be over half full. */
  place(slot: number, entry: number, h: number): void {
    if ((this.placed + 1) * 2 > this.slots) {
      this.grow();
      slot = this.free(h);
    }
    this.cells[2 * slot] = entry + 1;
    this.cells[2 * slot + 1] = h;
    this.placed++;
  }

  private free(h: number): number {
    let slot = h & this.mask;
    while (this.cells[2 * slot] !== 0) slot = (slot + 1) & this.mask;
    return slot;
  }

  /** Twice the slots, every entry re-slotted by its stored hash (no key is read again). */
  private grow(): void {
    const old = this.cells;
    this.slots *= 2;
    this.mask = this.slots - 1;
    this.cells = new Uint32Array(2 * this.slots);
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] === 0) continue;
      const slot = this.free(old[i + 1]!);
      this.cells[2 * slot] = old[i]!;
      this.cells[2 * slot + 1] = old[i + 1]!;
    }
  }
}
