/**
 * The csv source parses a chunk at a time and hands its items out one by one through
 * flattenBatches (csv/read-text.ts) instead of one async-generator step per record. It must behave
 * as the async generator did: same items in order however `next()` is called, an error reaches
 * the caller once and the iterator is then done, and a consumer's `break` closes the file.
 */
import { existsSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import csvSource from '../../engine/connectors/sources/csv/index.js';
import { flattenBatches } from '../../engine/connectors/sources/csv/read-text.js';
import type { SourceItem } from '../../engine/runtime/types.js';
import { makeContext, readAll, tempDir } from '../connectors/files/context.js';

/** A catalogue of ~230 KiB (several read chunks) with a ragged row and a stray quote among good rows. */
function catalogue(): string {
  const rows = ['sku;name;description'];
  for (let i = 0; i < 3000; i++) {
    if (i === 700) rows.push('BAD-1;only two');
    else if (i === 2100) rows.push('BAD-2;"closed"x;y');
    else rows.push(`SKU-${i};"Name ${i}; é";"line one\nline two ""${i}"" ${'z'.repeat(i % 40)}"`);
  }
  return `${rows.join('\n')}\n`;
}

const openFds = (file: string) => readdirSync('/proc/self/fd').filter((fd) => {
  try { return readlinkSync(`/proc/self/fd/${fd}`) === file; } catch { return false; }
}).length;

describe('csv source items handed out one by one', () => {
  let temp: { dir: string; cleanup: () => Promise<void> } | undefined;
  afterAll(async () => temp?.cleanup());
  const setup = async () => {
    temp ??= await tempDir();
    const file = join(temp.dir, 'cat.csv');
    writeFileSync(file, catalogue());
    return { dir: temp.dir, file, config: { type: 'csv' as const, path: file, delimiter: ';', id_column: 'sku' } };
  };

  it('gives the same items to next() calls not awaited one by one as to for await', async () => {
    const { dir, config } = await setup();
    const all = await readAll(await csvSource.create(config, makeContext(dir)));
    expect(all).toHaveLength(3000);
    expect(all.filter((i) => !i.ok).map((i) => [i.position, !i.ok && i.error.code])).toEqual([
      [{ index: 700, line: 1402, id: 'BAD-1' }, 'CSV_RAGGED_ROW'],
      [{ index: 2100, line: 4201, id: 'BAD-2' }, 'CSV_QUOTE_STRAY'],
    ]);
    const it = (await csvSource.create(config, makeContext(dir))).read()[Symbol.asyncIterator]();
    const got: SourceItem[] = [];
    for (;;) {
      const results = await Promise.all(Array.from({ length: 37 }, () => it.next()));
      for (const r of results) if (!r.done) got.push(r.value);
      const end = results.findIndex((r) => r.done);
      if (end >= 0) {
        expect(results.slice(end).every((r) => r.done)).toBe(true); // done only after the last item
        break;
      }
    }
    expect(got).toEqual(all);
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it.skipIf(!existsSync('/proc/self/fd'))('closes the file when the consumer breaks early', async () => {
    const { dir, file, config } = await setup();
    for (let k = 0; k < 3; k++) {
      let n = 0;
      for await (const item of (await csvSource.create(config, makeContext(dir))).read()) if (item.ok && ++n === 5) break;
      expect(n).toBe(5);
    }
    // destroy() closes the descriptor asynchronously; without the close it stays open for good
    // a bound that only stops a hung test: a loaded machine may take seconds to run the close
    for (let k = 0; k < 3000 && openFds(file) > 0; k++) await new Promise((r) => setTimeout(r, 20));
    expect(openFds(file)).toBe(0);
  });

  it('a fatal error before any record rejects the first next() once, then the iterator is done', async () => {
    const { dir, config } = await setup();
    const it = (await csvSource.create({ ...config, id_column: 'nope' }, makeContext(dir))).read()[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toMatchObject({ code: 'CSV_UNKNOWN_ID_COLUMN' });
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });
});

describe('flattenBatches', () => {
  it('hands out the items before an error, the error once, then done; skips empty batches', async () => {
    const fail = new Error('boom');
    const inner = async function* () {
      yield [1, 2];
      yield [];
      yield [3];
      throw fail;
    };
    const it = flattenBatches(inner());
    const calls = [it.next(), it.next(), it.next(), it.next(), it.next()];
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : s.reason))).toEqual([
      { done: false, value: 1 }, { done: false, value: 2 }, { done: false, value: 3 }, fail, { done: true, value: undefined },
    ]);
  });

  it('return() runs the inner generator\'s cleanup, also while a next() is in flight', async () => {
    let closed = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const inner = async function* () {
      try {
        yield ['a'];
        await gate;
        yield ['b'];
      } finally {
        closed++;
      }
    };
    const it = flattenBatches(inner());
    expect(await it.next()).toEqual({ done: false, value: 'a' });
    const pending = it.next();
    const ret = it.return!();
    release();
    expect(await pending).toEqual({ done: false, value: 'b' });
    expect(await ret).toEqual({ done: true, value: undefined });
    expect(closed).toBe(1);
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });
});
