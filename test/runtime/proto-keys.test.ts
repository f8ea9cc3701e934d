/**
 * A `__proto__` column or key is data (issue 11 item 10). Under automap it used to vanish without
 * a word (`out.__proto__ = v` sets the prototype, or does nothing for a string); it must reach the
 * output like any other column, from a json, an ndjson or a csv source, and an object under it
 * must never become a prototype.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../engine/runtime/csv-parse.js';
import { runPipeline } from '../../engine/runtime/run.js';

const sources = {
  json: ['in.json', '[{"ref":"A1","__proto__":"kept","b":"x"},{"ref":"A2","__proto__":{"polluted":true},"b":"y"}]'],
  ndjson: ['in.ndjson', '{"ref":"A1","__proto__":"kept","b":"x"}\n{"ref":"A2","__proto__":{"polluted":true},"b":"y"}\n'],
  csv: ['in.csv', 'ref,__proto__,b\nA1,kept,x\nA2,"{""polluted"":true}",y\n'],
} as const;

describe('a __proto__ column under automap', () => {
  for (const [type, [file, text]] of Object.entries(sources)) {
    it(`${type} source → json and csv destinations: kept as data, never a prototype`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mf-proto-'));
      writeFileSync(join(dir, file), text);
      for (const dest of ['json', 'csv'] as const) {
        writeFileSync(join(dir, 'p.yaml'), `version: 1\nname: proto\nsource: { type: ${type}, path: ${file} }\nmapping:\n  automap: true\n  attributes:\n    sku: ref\ndestination: { type: ${dest}, output: out.${dest} }\n`);
        const seen: Record<string, unknown>[] = [];
        const s = await runPipeline(join(dir, 'p.yaml'), { onRecord: (item) => seen.push(item.record) });
        expect([s.written, s.rejected]).toEqual([2, 0]);
        for (const record of seen) {
          expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
          expect(Object.keys(record)).toContain('__proto__');
        }
        const out = readFileSync(join(dir, `out.${dest}`), 'utf8');
        if (dest === 'json') {
          const rows = JSON.parse(out) as Record<string, unknown>[];
          expect(rows.map((r) => Object.getOwnPropertyDescriptor(r, '__proto__')?.value)).toEqual(type === 'csv' ? ['kept', '{"polluted":true}'] : ['kept', { polluted: true }]);
        } else {
          const rows = parseCsvText(out, { delimiter: ',' }).map((r) => r.fields);
          expect(rows[0]).toEqual(['sku', 'ref', '__proto__', 'b']);
          expect(rows[1]).toEqual(['A1', 'A1', 'kept', 'x']);
        }
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }
});
