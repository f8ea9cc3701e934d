/**
 * The rows of a keyed lookup table, kept as compact bytes instead of JS objects: a million rows of
 * twenty columns as objects cost ~1.5 GB of heap that every garbage collection walks again. Each
 * row is encoded once (CSV rows: the UTF-16 length of each cell, then the cells' UTF-8 text; JSON
 * rows: their JSON text) into 4 MiB chunks of shared memory, up to a memory budget; the rows after
 * it go to a temporary spill file (removed as soon as it is opened, so nothing is left behind even
 * on a crash) and are read back with one positioned read per lookup. A row is decoded into a fresh
 * object when a lookup hits it; a few recently decoded rows are kept for repeated hits.
 *
 * The buffers are SharedArrayBuffers and the spill file a descriptor of this process, so mapping
 * workers attach to the same store (`handle` / `attach`) without copying it.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from './types.js';

const CHUNK = 4 * 1024 * 1024;
const SPAN = 2 ** 32; // a memory position is chunk * SPAN + offset
const SPILL_BUFFER = 1024 * 1024;
const CACHE = 64;
/** Row bytes kept in memory before rows go to the spill file. */
export const DEFAULT_MEMORY_BUDGET = 32 * 1024 * 1024;

/** What a worker needs to read the same rows: plain data and shared buffers (structured clone). */
export interface RowStoreHandle {
  kind: 'cells' | 'json';
  columns: string[];
  chunks: SharedArrayBuffer[];
  pos: SharedArrayBuffer;
  len: SharedArrayBuffer;
  line: SharedArrayBuffer;
  count: number;
  fd: number;
}

const shared = <T extends Float64Array | Uint32Array>(Kind: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number, from?: T): T => {
  const a = new Kind(new SharedArrayBuffer(n * Kind.BYTES_PER_ELEMENT));
  if (from) a.set(from);
  return a;
};

/**
 * A spill file whose store was dropped without close() (a run that failed before its end): closed
 * when the store is garbage-collected, so a long-lived process (watch, a library caller) does not
 * keep the descriptor and the file's disk space.
 */
const dropped = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch { /* already closed */ }
});

/** A decoder of one row's cells into an object literal (all keys at creation, one shape). */
function cellsFactory(columns: readonly string[]): (text: string, at: Int32Array) => Row {
  const keys = columns.map((c, i) => `${c === '__proto__' ? '["__proto__"]' : JSON.stringify(c)}: t.slice(o[${i}], o[${i + 1}])`);
  return new Function('t', 'o', `return { ${keys.join(', ')} };`) as (text: string, at: Int32Array) => Row;
}

/** Why: a lookup table of a million rows must stay in a few hundred MB (issue 10); see the file comment. */
export class RowStore {
  private chunks: SharedArrayBuffer[] = [];
  private views: Buffer[] = [];
  private pos: Float64Array;
  private len: Uint32Array;
  private lines: Uint32Array;
  private used = 0; // bytes used in the last chunk
  private inMemory = 0;
  private fd = -1;
  private spillPath: string | undefined;
  private spilled = 0;
  private pending: Buffer | undefined;
  private pendingUsed = 0;
  private readonly owner: boolean;
  private readonly makeRow: ((text: string, at: Int32Array) => Row) | undefined;
  private readonly offsets: Int32Array;
  private scratch = Buffer.alloc(0);
  private readonly cacheIds = new Int32Array(CACHE).fill(-1);
  private readonly cacheRows: (Row | undefined)[] = new Array(CACHE);
  count = 0;

  /** `expected`: rows expected (sized once, so that growing leaves no copies behind). */
  constructor(readonly kind: 'cells' | 'json', readonly columns: string[], private readonly budget = DEFAULT_MEMORY_BUDGET, handle?: RowStoreHandle, expected = 1024) {
    this.makeRow = kind === 'cells' ? cellsFactory(columns) : undefined;
    this.offsets = new Int32Array(columns.length + 1);
    this.owner = handle === undefined;
    if (handle) {
      this.chunks = handle.chunks;
      this.views = handle.chunks.map((c) => Buffer.from(c));
      this.pos = new Float64Array(handle.pos);
      this.len = new Uint32Array(handle.len);
      this.lines = new Uint32Array(handle.line);
      this.count = handle.count;
      this.fd = handle.fd;
    } else {
      const n = Math.max(16, expected);
      this.pos = shared(Float64Array, n);
      this.len = shared(Uint32Array, n);
      this.lines = shared(Uint32Array, n);
    }
  }

  /** Attaches to a store another thread of this process built. */
  static attach(h: RowStoreHandle): RowStore {
    return new RowStore(h.kind, h.columns, 0, h);
  }

  handle(): RowStoreHandle {
    return { kind: this.kind, columns: this.columns, chunks: this.chunks, pos: this.pos.buffer as SharedArrayBuffer, len: this.len.buffer as SharedArrayBuffer, line: this.lines.buffer as SharedArrayBuffer, count: this.count, fd: this.fd };
  }

  /** Row bytes held in memory and in the spill file. */
  get bytes(): { memory: number; disk: number } {
    return { memory: this.inMemory, disk: this.spilled };
  }

  /** Stores a row (CSV: its cells in column order); returns its id. `line` is where it is in the file. */
  add(row: Row, line: number): number {
    let text: string;
    let header: number[] | undefined;
    if (this.kind === 'cells') {
      header = [];
      text = '';
      for (const c of this.columns) {
        const v = String(row[c] ?? '');
        header.push(v.length);
        text += v;
      }
    } else text = JSON.stringify(row);
    const max = (header ? header.length * 5 : 0) + text.length * 3;
    const id = this.count++;
    if (id === this.pos.length) this.grow();
    this.lines[id] = line;
    // in memory while the budget allows; once a row has gone to the spill file, every later one does
    const last = this.views.length - 1;
    const fits = last >= 0 && this.used + max <= this.views[last]!.length;
    if (this.fd < 0 && (fits || this.inMemory + Math.max(CHUNK, max) <= this.budget)) {
      if (!fits) this.openChunk(Math.max(CHUNK, max));
      const k = this.views.length - 1;
      const n = this.encode(this.views[k]!, this.used, header, text);
      this.pos[id] = k * SPAN + this.used;
      this.len[id] = n;
      this.used += n;
      return id;
    }
    this.spill(id, header, text, max);
    return id;
  }

  private openChunk(size: number): void {
    const sab = new SharedArrayBuffer(size);
    this.chunks.push(sab);
    this.views.push(Buffer.from(sab));
    this.inMemory += size;
    this.used = 0;
  }

  private encode(buf: Buffer, at: number, header: number[] | undefined, text: string): number {
    let p = at;
    if (header) {
      for (let v of header) {
        while (v >= 0x80) { buf[p++] = (v & 0x7f) | 0x80; v >>>= 7; }
        buf[p++] = v;
      }
    }
    return p - at + buf.write(text, p, 'utf8');
  }

  private spill(id: number, header: number[] | undefined, text: string, max: number): void {
    if (this.fd < 0) {
      const dir = mkdtempSync(join(tmpdir(), 'manoflow-lookup-'));
      this.spillPath = join(dir, 'rows.bin');
      this.fd = openSync(this.spillPath, 'w+', 0o600);
      dropped.register(this, this.fd, this);
      try {
        // gone from the directory at once: the descriptor keeps it until the store is closed
        unlinkSync(this.spillPath);
        rmSync(dir, { recursive: true, force: true });
        this.spillPath = undefined;
      } catch { /* a system that cannot remove an open file: removed at close */ }
    }
    if (this.pending === undefined || this.pendingUsed + max > this.pending.length) {
      this.flush();
      if (this.pending === undefined || max > this.pending.length) this.pending = Buffer.alloc(Math.max(SPILL_BUFFER, max));
    }
    const n = this.encode(this.pending, this.pendingUsed, header, text);
    this.pos[id] = -(this.spilled + this.pendingUsed + 1);
    this.len[id] = n;
    this.pendingUsed += n;
  }

  private flush(): void {
    if (this.pending === undefined || this.pendingUsed === 0) return;
    let done = 0;
    while (done < this.pendingUsed) done += writeSync(this.fd, this.pending, done, this.pendingUsed - done, this.spilled + done);
    this.spilled += this.pendingUsed;
    this.pendingUsed = 0;
  }

  /** Ends the loading: the rows in the spill buffer are written. */
  finish(): void {
    this.flush();
    this.pending = undefined;
  }

  private grow(): void {
    const n = this.pos.length * 2;
    this.pos = shared(Float64Array, n, this.pos);
    this.len = shared(Uint32Array, n, this.len);
    this.lines = shared(Uint32Array, n, this.lines);
  }

  /** The line (CSV, NDJSON) or 1-based item number (JSON) a row came from. */
  line(id: number): number {
    return this.lines[id]!;
  }

  /** The row, decoded (a recently decoded row is given again, as the same object). */
  read(id: number): Row {
    const slot = id & (CACHE - 1);
    if (this.cacheIds[slot] === id) return this.cacheRows[slot]!;
    const row = this.decode(id);
    this.cacheIds[slot] = id;
    this.cacheRows[slot] = row;
    return row;
  }

  private decode(id: number): Row {
    const p = this.pos[id]!;
    const n = this.len[id]!;
    let buf: Buffer;
    let at: number;
    if (p >= 0) {
      buf = this.views[Math.floor(p / SPAN)]!;
      at = p % SPAN;
    } else {
      if (this.scratch.length < n) this.scratch = Buffer.alloc(Math.max(n, 4096));
      let got = 0;
      while (got < n) {
        const r = readSync(this.fd, this.scratch, got, n - got, -p - 1 + got);
        if (r === 0) throw new Error(`lookup table spill file ended early (row ${id})`);
        got += r;
      }
      buf = this.scratch;
      at = 0;
    }
    if (this.makeRow === undefined) return JSON.parse(buf.toString('utf8', at, at + n)) as Row;
    const o = this.offsets;
    let q = at;
    o[0] = 0;
    for (let i = 0; i < this.columns.length; i++) {
      let v = 0;
      let shift = 0;
      for (;;) {
        const b = buf[q++]!;
        v += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) break;
        shift += 7;
      }
      o[i + 1] = o[i]! + v;
    }
    return this.makeRow(buf.toString('utf8', q, at + n), o);
  }

  /** Releases the spill file (the thread that built the store only). */
  close(): void {
    if (!this.owner || this.fd < 0) return;
    dropped.unregister(this);
    closeSync(this.fd);
    this.fd = -1;
    if (this.spillPath) rmSync(join(this.spillPath, '..'), { recursive: true, force: true });
  }
}
