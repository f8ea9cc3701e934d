/**
 * A normalised record held as slots: one array cell per attribute name, numbered once per feed.
 * A mapped record has ~25 keys added one by one, so V8 keeps it (and a copy built the same way)
 * as a hash-table object; the feed's checks and row building then read fixed array cells instead
 * of looking names up in per-record dictionaries, and no normalised object is built per record.
 */
import type { Row } from '../../../runtime/types.js';
import { NUMERIC_COLUMNS, PRICE_COLUMNS, TEXT_COLUMNS } from './columns.js';
import { normalizeAs } from './normalize.js';
import { isList, SINGLE_VALUE_COLUMNS } from './catalog-checks.js';

/** Why: the feed's fast path loads each record here; values are normalizeRecord's, in the same order. */
export class RecordSlots {
  private readonly index = new Map<string, number>();
  /** Attribute name of each slot. */
  readonly names: string[] = [];
  private readonly numeric: boolean[] = [];
  private readonly text: boolean[] = [];
  /** Columns that hold one value: a list there sends the record to the exact path (MM_MULTIPLE_VALUES). */
  private readonly single: boolean[] = [];
  /** Money columns: written to cents. */
  readonly price: boolean[] = [];
  /** The normalised value of each slot for the loaded record; undefined = absent. */
  readonly vals: unknown[] = [];
  /** Slots the loaded record set, in its key order (what `Object.keys` of normalizeRecord's result gives). */
  readonly present: number[] = [];
  /** Slots whose name is a shipping time (`shipping_time`, `shipping_time_carrier_grid_*`), whatever the record. */
  readonly shippingTimes: number[] = [];
  private readonly listeners: ((slot: number) => void)[] = [];
  /** The previous record's keys and their slots: records of one mapping mostly repeat them. */
  private lastKeys: string[] = [];
  private lastSlots: number[] = [];

  /** The slot of an attribute name, numbered on first sight. */
  slotOf(name: string): number {
    const known = this.index.get(name);
    return known === undefined ? this.register(name) : known;
  }

  /** Called with every new slot (the feed marks the ones outside its columns). */
  onSlot(listener: (slot: number) => void): void {
    this.listeners.push(listener);
    for (let s = 0; s < this.names.length; s++) listener(s);
  }

  private register(name: string): number {
    const slot = this.names.length;
    this.index.set(name, slot);
    this.names.push(name);
    this.numeric.push(NUMERIC_COLUMNS.has(name));
    this.text.push(TEXT_COLUMNS.has(name));
    this.single.push(SINGLE_VALUE_COLUMNS.has(name));
    this.price.push(PRICE_COLUMNS.has(name));
    this.vals.push(undefined);
    if (name === 'shipping_time' || name.startsWith('shipping_time_carrier_grid_')) this.shippingTimes.push(slot);
    for (const l of this.listeners) l(slot);
    return slot;
  }

  /**
   * Normalises `record` into the slots (normalizeRecord's values). False for a record the slots
   * cannot stand for: a `__proto__` key, which an object literal store would not keep as a key;
   * a list in a single-value column (the exact path words the problem).
   */
  load(record: Row): boolean {
    const keys = Object.keys(record);
    // the values in the keys' order in one call: `record[key]` per key is a lookup by name (~40% of this loop)
    const values = Object.values(record);
    const vals = this.vals;
    const present = this.present;
    const lastKeys = this.lastKeys;
    const lastSlots = this.lastSlots;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      let slot: number | undefined;
      // Same name at the same place as in the previous record (compared by identity first): no lookup.
      if (i < lastKeys.length && lastKeys[i] === key) slot = lastSlots[i]!;
      else {
        if (key === '__proto__') return false;
        slot = this.index.get(key);
        if (slot === undefined) slot = this.register(key);
        lastKeys[i] = key;
        lastSlots[i] = slot;
      }
      const raw = values[i];
      if (this.single[slot] && Array.isArray(raw) && isList(key, raw)) return false;
      const v = normalizeAs(this.numeric[slot]!, this.text[slot]!, raw);
      if (v !== undefined) {
        vals[slot] = v;
        present.push(slot);
      }
    }
    return true;
  }

  /** Empties the slots the loaded record set. */
  clear(): void {
    const present = this.present;
    for (let i = 0; i < present.length; i++) this.vals[present[i]!] = undefined;
    present.length = 0;
  }
}
