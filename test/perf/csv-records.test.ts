/**
 * The csv source builds each record from an object literal compiled once per header
 * (csv/index.ts recordFactory): the records must be what the property-by-property build gave,
 * same own keys in the same order, same values, ordinary data properties, Object.prototype, for
 * header names that are special in JavaScript (`__proto__`, `constructor`, integer-like, quotes,
 * backslashes, line separators), with and without `trim`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import csvSource from '../../engine/connectors/sources/csv/index.js';
import type { Row } from '../../engine/runtime/types.js';
import { makeContext, readAll, tempDir } from '../connectors/files/context.js';

const NAMES = ['id', '__proto__', 'constructor', '10', '2', 'a""b', 'x y', 'toString', 'é', 'back\\slash', 'sep\u2028line', 'hasOwnProperty', '${x}', "it's"];
const ROWS = [
  ['1', ' {"a":1} ', 'c', ' 10 ', '2', 'q', ' ', '', 'é ', '\\', '\u2028', 'h', '$', "'"],
  ['2', '', '', '', '', '', '', '', '', '', '', '', '', ''],
];

/** The record as the property-by-property build made it (the reference). */
function reference(fields: string[], trim: boolean): Row {
  const rec: Row = {};
  NAMES.forEach((raw, i) => {
    const name = raw.replaceAll('""', '"');
    const value = trim ? fields[i]!.trim() : fields[i]!;
    if (name === '__proto__') Object.defineProperty(rec, name, { value, enumerable: true, writable: true, configurable: true });
    else rec[name] = value;
  });
  return rec;
}

const shape = (r: object) => ({
  proto: Object.getPrototypeOf(r) === Object.prototype,
  keys: Object.getOwnPropertyNames(r),
  descriptors: Object.getOwnPropertyDescriptors(r),
});

describe('csv source records built from a compiled object literal', () => {
  let temp: { dir: string; cleanup: () => Promise<void> } | undefined;
  afterAll(async () => temp?.cleanup());

  for (const trim of [false, true]) {
    it(`equal the property-by-property build (trim: ${trim})`, async () => {
      temp ??= await tempDir();
      const dir = temp.dir;
      const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
      const text = [NAMES.map((n) => (n.includes('"') ? `"${n}"` : n)).join(';'), ...ROWS.map((r) => r.map(quote).join(';'))].join('\n') + '\n';
      const file = join(dir, `special-${trim}.csv`);
      writeFileSync(file, text);
      const items = await readAll(await csvSource.create({ type: 'csv', path: file, delimiter: ';', trim }, makeContext(dir)));
      expect(items).toHaveLength(ROWS.length);
      items.forEach((item, k) => {
        expect(item.ok).toBe(true);
        const got = (item as { record: Row }).record;
        const [a, b] = [shape(got), shape(reference(ROWS[k]!, trim))];
        // not toStrictEqual: it compares `.constructor`, an own key of these records
        expect(a.proto && b.proto).toBe(true);
        expect(a.keys).toEqual(b.keys);
        expect(JSON.stringify(a.descriptors)).toBe(JSON.stringify(b.descriptors));
        expect(isDeepStrictEqual(a, b)).toBe(true);
      });
    });
  }
});
