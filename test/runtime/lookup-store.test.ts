/**
 * The storage behind keyed lookup tables: rows kept as bytes in memory up to a budget, then in a
 * spill file that is gone from the file system as soon as it is opened; rows read back equal to
 * the rows read from the file, whichever side of the budget they are on; a row larger than a
 * chunk; keys as text (numbers as JSONata writes them, several parts joined without ambiguity).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPipeline } from '../../engine/config/load.js';
import { loadLookups } from '../../engine/runtime/lookups.js';
import { joinKey, keyPart, NOT_A_KEY } from '../../engine/runtime/lookup-load.js';
import { RowStore } from '../../engine/runtime/lookup-store.js';

const dir = mkdtempSync(join(tmpdir(), 'mf-lookup-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spillDirs = () => readdirSync(tmpdir()).filter((f) => f.startsWith('manoflow-lookup-')).sort();

/** A pipeline whose only job here is to declare `lookups` (loaded directly, no run). */
function pipeline(lookups: string): ReturnType<typeof loadPipeline> {
  const file = join(dir, 'p.yaml');
  writeFileSync(file, `version: 1\nname: store\nsource: { type: csv, path: in.csv }\nlookups:\n${lookups}\ndestination: { type: json, output: out.json }\n`);
  return loadPipeline(file);
}

const call = (bindings: Record<string, unknown>, name: string, ...args: unknown[]) => (bindings[`lookups.${name}`] as (...a: unknown[]) => unknown)(...args);

describe('lookup store', () => {
  const rows = Array.from({ length: 3000 }, (_, i) => ({ sku: `S${i}`, name: `Produit n°${i} — ${'é'.repeat(i % 7)}🔨`, empty: '', price: String(i * 1.5) }));
  writeFileSync(join(dir, 't.csv'), `sku;name;empty;price\n${rows.map((r) => `${r.sku};${r.name};;${r.price}`).join('\n')}\n`);
  writeFileSync(join(dir, 't.ndjson'), rows.map((r, i) => JSON.stringify({ ...r, n: i, list: [i, { a: null }] })).join('\n'));

  it.each([['in memory', undefined], ['all spilled', 1]])('gives back every row as read (%s)', async (_label, budget) => {
    const before = spillDirs();
    const loaded = await loadLookups(pipeline('  c: { path: t.csv, delimiter: ";", key: sku }\n  j: { path: t.ndjson, key: n }'), { memoryBudget: budget });
    try {
      // the spill file is unlinked as soon as it is open: nothing to find in the temp dir
      expect(spillDirs()).toEqual(before);
      for (let i = 0; i < rows.length; i += 7) {
        expect(call(loaded.bindings, 'c', `S${i}`)).toEqual(rows[i]);
        expect(call(loaded.bindings, 'j', i)).toEqual({ ...rows[i], n: i, list: [i, { a: null }] });
      }
      expect(call(loaded.bindings, 'c', 'S3000')).toBeUndefined();
    } finally {
      loaded.close();
    }
  });

  it('spills past the memory budget, and reads both sides the same', () => {
    const store = new RowStore('cells', ['k', 'v'], 4 * 1024 * 1024);
    const big = 'x'.repeat(3000);
    const ids = Array.from({ length: 3000 }, (_, i) => store.add({ k: String(i), v: `${i}${big}` }, i + 2));
    store.finish();
    expect(store.bytes.memory).toBe(4 * 1024 * 1024);
    expect(store.bytes.disk).toBeGreaterThan(4 * 1024 * 1024);
    for (const i of [0, 1000, 1397, 1398, 2999]) expect(store.read(ids[i]!)).toEqual({ k: String(i), v: `${i}${big}` });
    expect(store.line(ids[2999]!)).toBe(3001);
    store.close();
  });

  it('keeps a row larger than a chunk in a chunk of its own', () => {
    const store = new RowStore('json', []);
    const huge = { text: 'a'.repeat(5 * 1024 * 1024) };
    const a = store.add({ small: 1 }, 1);
    const b = store.add(huge, 2);
    const c = store.add({ small: 3 }, 3);
    store.finish();
    expect(store.bytes.disk).toBe(0);
    expect([store.read(a), store.read(b), store.read(c)]).toEqual([{ small: 1 }, huge, { small: 3 }]);
  });
});

describe('lookup keys as text', () => {
  it.each([
    ['a text', 'A1', 'A1'],
    ['an integer', 12, '12'],
    ['a decimal, 15 significant digits as $string', 0.1 + 0.2, '0.3'],
    ['a boolean', true, 'true'],
    ['null', null, undefined],
    ['nothing', undefined, undefined],
  ])('%s', (_label, value, text) => {
    expect(keyPart(value)).toBe(text);
  });

  it('lists, objects and non-finite numbers are not keys', () => {
    for (const v of [['a'], { a: 1 }, Number.NaN, Infinity]) expect(keyPart(v)).toBe(NOT_A_KEY);
  });

  it('joins several parts without ambiguity; all parts empty is no key', () => {
    expect(joinKey(['a', 'b'])).not.toBe(joinKey(['a\u0000', 'b']));
    expect(joinKey(['a\u0000\u0000b', 'c'])).not.toBe(joinKey(['a', 'b\u0000\u0000c']));
    expect(joinKey(['', 'b'])).toBe('\u0000\u0000b');
    expect(joinKey(['', undefined])).toBeUndefined();
    expect(joinKey([''])).toBeUndefined();
  });
});
