/**
 * Issue 11 item 14 end to end: a US-formatted price "1,234" is no longer read as 1.234. Under
 * `auto` the record is rejected with a message naming both readings and the setting that decides;
 * with the decimal mark given, the feed gets the right number.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../engine/runtime/csv-parse.js';
import { runPipeline } from '../../engine/runtime/run.js';

function run(rules: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mf-numbers-'));
  writeFileSync(join(dir, 'in.csv'), 'ref,price\nA1,"1,234"\nA2,"59.99"\n');
  writeFileSync(join(dir, 'p.yaml'), `version: 1\nname: numbers\nsource: { type: csv, path: in.csv }\nmapping:\n  attributes:\n    sku: ref\n    price: { from: price, rules: ${rules} }\ndestination: { type: csv, output: out.csv }\n`);
  return runPipeline(join(dir, 'p.yaml')).then((s) => ({ s, out: readFileSync(join(dir, 'out.csv'), 'utf8') }));
}

describe('a US price "1,234"', () => {
  it('under auto: rejected, naming both readings and how to choose', async () => {
    const { s, out } = await run('[to_number]');
    expect([s.written, s.rejected]).toEqual([1, 1]);
    expect(out).toBe('sku,price\nA2,59.99\n');
    const [head, row] = parseCsvText(readFileSync(s.rejectReport, 'utf8'), { delimiter: ',' }).map((r) => r.fields);
    const at = (name: string) => row![head!.indexOf(name)];
    expect([at('attribute'), at('code')]).toEqual(['price', 'EXPR_RULE_FAILED']);
    expect(at('message')).toContain('to_number: 1,234 is ambiguous (1.234 or 1234): say which mark is the decimal one with { to_number: { decimal: "," } } or { to_number: { decimal: "." } }');
  });

  it('with decimal ".": 1234, written', async () => {
    const { s, out } = await run('[{ to_number: { decimal: "." } }]');
    expect([s.written, s.rejected]).toEqual([2, 0]);
    expect(out).toBe('sku,price\nA1,1234\nA2,59.99\n');
  });
});
