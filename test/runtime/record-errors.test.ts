/**
 * A runtime error on one record (a JSONata type error, a rule box that refuses a value) rejects
 * that record only, and its report row names everything needed to fix it: the record's id and
 * line, the attribute, the rule box, the position inside the expression, and the pipeline file
 * and line where the attribute is mapped.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../engine/runtime/run.js';
import { parseCsvText } from '../../engine/runtime/csv-parse.js';

const csv = 'ref,name,price\nA1,Perceuse,12.5\nA2,Scie,abc\nA3,Marteau,N/A\nA4,Pince,3\n';
const pipeline = `version: 1
name: record-errors
source: { type: csv, path: in.csv, id_column: ref }
mapping:
  attributes:
    sku: ref
    title: name
    price_vat: $number(price) * 1.2
    price: { from: price, rules: [trim, to_number] }
destination: { type: csv, output: out.csv }
`;

describe('record errors', () => {
  it('reject one record each, named by id, line, attribute, rule and positions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-recerr-'));
    writeFileSync(join(dir, 'in.csv'), csv);
    writeFileSync(join(dir, 'p.yaml'), pipeline);
    const s = await runPipeline(join(dir, 'p.yaml'));
    expect([s.read, s.written, s.rejected]).toEqual([4, 2, 2]);
    const rows = parseCsvText(readFileSync(s.rejectReport, 'utf8'), { delimiter: ',' }).slice(1).map((r) => r.fields);
    expect(rows).toHaveLength(2);
    const [typeError, ruleError] = rows as [string[], string[]];
    // severity, stage, index, line, id, attribute, code, message, hint
    expect(typeError.slice(0, 7)).toEqual(['error', 'mapping', '1', '3', 'A2', 'price_vat', 'EXPR_D3030']);
    expect(typeError[7]).toMatch(/^attribute "price_vat" expression: .+ at character \d+ \(.*p\.yaml:8:5\)$/);
    expect(ruleError.slice(0, 7)).toEqual(['error', 'mapping', '2', '4', 'A3', 'price_vat', 'EXPR_D3030']);
  });

  it('a rule box failure names the rule box, its file position and the pipeline line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-recerr-'));
    writeFileSync(join(dir, 'in.csv'), 'ref,name,price\nA3,Marteau,N/A\nA4,Pince,3\n');
    writeFileSync(join(dir, 'p.yaml'), pipeline.replace('    price_vat: $number(price) * 1.2\n', ''));
    const s = await runPipeline(join(dir, 'p.yaml'));
    const [row] = parseCsvText(readFileSync(s.rejectReport, 'utf8'), { delimiter: ',' }).slice(1).map((r) => r.fields);
    expect(row!.slice(0, 7)).toEqual(['error', 'mapping', '0', '2', 'A3', 'price', 'EXPR_RULE_FAILED']);
    expect(row![7]).toMatch(/^attribute "price" rule 2 \(to_number\): .*N\/A is not a number \(.*rules\/to_number\.jsonata:\d+:\d+\) \(.*p\.yaml:8:5\)$/);
  });
});
