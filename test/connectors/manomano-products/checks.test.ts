// Record checks as data: cases.yaml lists records and the codes they must be rejected with.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../../engine/runtime/types.js';
import { MM_CODES } from '../../../engine/connectors/destinations/manomano-products/index.js';
import { feed, harness, items } from './helpers.js';

interface Case {
  name: string;
  patch?: Row;
  records?: Row[];
  expect: string[] | string[][];
  checks?: Record<string, unknown>;
  market?: 'FR' | 'DE';
  message_contains?: string;
  /** Warning codes per record (the record is written): compared only when given. */
  warnings?: string[] | string[][];
}
const data = parseYaml(readFileSync(join(import.meta.dirname, 'cases.yaml'), 'utf8')) as { base: Row; cases: Case[] };

function apply(patch: Row): Row {
  const out: Row = { ...data.base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

describe('manomano-products record checks (cases.yaml)', () => {
  it.each(data.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const h = await harness();
    const records = c.records ? c.records.map(apply) : [apply(c.patch ?? {})];
    const expected = (c.records ? c.expect : [c.expect]) as string[][];
    const dest = await feed(h, { checks: c.checks, market: c.market });
    const results = [];
    for (const [i, r] of records.entries()) results.push(await dest.write(items([r], i)));
    await dest.close(true);
    for (const [i, codes] of expected.entries()) {
      const got = h.rejects.filter((r) => r.index === i).map((r) => r.code).sort();
      expect(got, JSON.stringify(h.rejects)).toEqual([...codes].sort());
      expect(results[i]).toEqual(codes.length ? { written: 0, rejected: 1 } : { written: 1, rejected: 0 });
    }
    for (const r of h.rejects) {
      expect(r.stage).toBe('destination');
      expect(r.message.length).toBeGreaterThan(5);
      expect(r.hint?.length).toBeGreaterThan(5);
      expect(r.attribute).toBeTruthy();
    }
    if (c.warnings) {
      const warned = (c.records ? c.warnings : [c.warnings]) as string[][];
      for (const [i, codes] of warned.entries()) {
        expect(h.recordWarnings.filter((w) => w.index === i).map((w) => w.code).sort(), JSON.stringify(h.recordWarnings)).toEqual([...codes].sort());
      }
      for (const w of h.recordWarnings) expect(w).toMatchObject({ stage: 'destination', attribute: expect.any(String), hint: expect.any(String) });
    }
    if (c.message_contains) expect([...h.rejects, ...h.recordWarnings].map((r) => r.message).join('\n')).toContain(c.message_contains);
    const text = await readFile(join(h.dir, 'out/feed.csv'), 'utf8');
    const writtenRows = text.trimEnd().split('\n').length - 1;
    expect(writtenRows).toBe(expected.filter((codes) => codes.length === 0).length);
  });

  it('covers every MM_ code', () => {
    const seen = new Set(data.cases.flatMap((c) => [...(c.expect as (string | string[])[]).flat(), ...((c.warnings ?? []) as (string | string[])[]).flat()]));
    expect(MM_CODES.filter((code) => !seen.has(code))).toEqual([]);
  });

  it('names the item: index, line and sku on each reject', async () => {
    const h = await harness();
    const dest = await feed(h);
    await dest.write(items([apply({}), apply({ sku: 'BAD-1', quantity: -3 })], 10));
    await dest.close(true);
    expect(h.rejects).toEqual([
      expect.objectContaining({ stage: 'destination', index: 11, line: 13, id: 'BAD-1', attribute: 'quantity', code: 'MM_QUANTITY_INVALID' }),
    ]);
    expect(h.rejects[0]?.message).toContain('-3');
  });
});
