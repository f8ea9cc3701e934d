/**
 * A keyed lookup table: rows (lookup-store.ts) reachable by key text (lookup-index.ts), with the
 * table's rule for keys found on several rows. Built once per run by lookup-load.ts; read by the
 * `$lookups.<name>(...)` function on every record, in the main thread and in mapping workers.
 */
import { KeyIndex, type KeyIndexHandle } from './lookup-index.js';
import { RowStore, type RowStoreHandle } from './lookup-store.js';
import type { Row } from './types.js';

/** What to do with a key found on several rows (the `duplicates` setting). */
export type Duplicates = 'error' | 'first' | 'last' | 'all';

/** A table as a worker attaches to it: shared buffers and plain data. */
export interface LookupTableHandle {
  duplicates: Duplicates;
  rows: RowStoreHandle;
  index: KeyIndexHandle;
  head: SharedArrayBuffer;
  next?: SharedArrayBuffer;
}

const i32 = (n: number, from?: Int32Array): Int32Array => {
  const a = new Int32Array(new SharedArrayBuffer(n * 4));
  if (from) a.set(from);
  return a;
};

/** Why: one object per table holds the rows, the index and the duplicates rule; see the file comment. */
export class LookupTable {
  private readonly rows: RowStore;
  private readonly index: KeyIndex;
  /** Per key entry: its row (first, last) or its first row (all). */
  private head: Int32Array;
  /** Under `all`: per row, the next row of the same key, -1 at the end. */
  private next: Int32Array | undefined;
  private tail: Int32Array | undefined;

  /** `expected`: keys expected (see estimateRows in lookup-load.ts). */
  constructor(readonly duplicates: Duplicates, rows: RowStore, handle?: LookupTableHandle, expected = 1024) {
    this.rows = rows;
    if (handle) {
      this.index = new KeyIndex(handle.index);
      this.head = new Int32Array(handle.head);
      this.next = handle.next ? new Int32Array(handle.next) : undefined;
    } else {
      const n = Math.max(16, expected);
      this.index = new KeyIndex(undefined, n);
      this.head = i32(n);
      if (duplicates === 'all') {
        this.next = i32(n);
        this.tail = i32(n);
      }
    }
  }

  static attach(h: LookupTableHandle): LookupTable {
    return new LookupTable(h.duplicates, RowStore.attach(h.rows), h);
  }

  handle(): LookupTableHandle {
    return {
      duplicates: this.duplicates, rows: this.rows.handle(), index: this.index.handle(), head: this.head.buffer as SharedArrayBuffer,
      ...(this.next ? { next: this.next.buffer as SharedArrayBuffer } : {}),
    };
  }

  /** Distinct keys, rows stored, and their bytes in memory and on disk. */
  get stats(): { keys: number; rows: number; memory: number; disk: number } {
    const b = this.rows.bytes;
    return { keys: this.index.count, rows: this.rows.count, memory: b.memory + this.index.bytes + this.head.byteLength * 2, disk: b.disk };
  }

  /**
   * Adds a row under `key`. Under `duplicates: error`, a key already there is not added: the line
   * of its first row is returned so that the loader can name both lines.
   */
  add(key: string, row: Row, line: number): number | undefined {
    const e = this.index.find(key);
    if (e < 0) {
      const id = this.rows.add(row, line);
      const entry = this.index.insert(key);
      if (entry === this.head.length) this.head = i32(entry * 2, this.head);
      this.head[entry] = id;
      if (this.next) {
        if (id >= this.next.length) this.next = i32(Math.max(id + 1, this.next.length * 2), this.next);
        if (entry >= this.tail!.length) this.tail = i32(this.tail!.length * 2, this.tail);
        this.next[id] = -1;
        this.tail![entry] = id;
      }
      return undefined;
    }
    switch (this.duplicates) {
      case 'error': return this.rows.line(this.head[e]!);
      case 'first': return undefined;
      case 'last': this.head[e] = this.rows.add(row, line); return undefined;
      case 'all': {
        const id = this.rows.add(row, line);
        if (id >= this.next!.length) this.next = i32(Math.max(id + 1, this.next!.length * 2), this.next);
        this.next![id] = -1;
        this.next![this.tail![e]!] = id;
        this.tail![e] = id;
        return undefined;
      }
    }
  }

  /** Ends the loading (rows waiting for the spill file are written). */
  finish(): void {
    this.rows.finish();
    this.tail = undefined;
  }

  /** The row of `key` (under `all`: its rows, in file order), or undefined. */
  get(key: string): Row | Row[] | undefined {
    const e = this.index.find(key);
    if (e < 0) return undefined;
    const first = this.head[e]!;
    if (this.next === undefined) return this.rows.read(first);
    const out: Row[] = [];
    for (let id = first; id >= 0; id = this.next[id]!) out.push(this.rows.read(id));
    return out;
  }

  close(): void {
    this.rows.close();
  }
}
