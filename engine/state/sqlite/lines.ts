/**
 * Reads a JSON-lines file of any size, line by line, synchronously (so a whole import fits in one
 * SQLite transaction). The old journal could pass 512 MB, the most V8 can hold as one string,
 * so it is never read whole. Lines that do not parse (a torn last line after a crash) are counted.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 4 * 1024 * 1024;

/** Why: calls `onValue` with each parsed line in file order; returns how many lines did not parse. `chunkBytes` is for tests. */
export function forEachJsonLine(path: string, onValue: (value: unknown) => void, chunkBytes = CHUNK): { lines: number; unreadable: number } {
  const fd = openSync(path, 'r');
  let carry: Buffer = Buffer.alloc(0);
  let lines = 0;
  let unreadable = 0;
  const take = (buf: Buffer, start: number, end: number) => {
    const text = buf.toString('utf8', start, end).trim();
    if (!text) return;
    lines++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      unreadable++;
      return;
    }
    onValue(value);
  };
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunkBytes, null);
      if (n === 0) break;
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
        take(buf, start, nl);
        start = nl + 1;
      }
      carry = Buffer.from(buf.subarray(start));
    }
    if (carry.length) take(carry, 0, carry.length);
  } finally {
    closeSync(fd);
  }
  return { lines, unreadable };
}
