/**
 * The packed-cell rule boxes in a real pipeline run: Magento's additional_attributes (parse_pairs),
 * its configurable_variations (split on "|", then parse_pairs per item), PrestaShop's attribute
 * columns (parse_list), an item picked with nth. Fast path and stock interpreter give the same file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../engine/runtime/run.js';

const dir = mkdtempSync(join(tmpdir(), 'mf-packed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csv = [
  'sku;additional_attributes;configurable_variations;attributes;values',
  'MH01;color=Black,material=Cotton, Polyester;sku=MH01-XS-Black,size=XS,color=Black|sku=MH01-S-Gray,size=S,color=Gray;Color:color:0,Size:select:1;Black:0,XS:1',
  'MH02;;sku=MH02-M-Red,size=M,color=Red;;',
].join('\n') + '\n';

const pipeline = `version: 1
name: packed-cells
source: { type: csv, path: in.csv, delimiter: ";" }
mapping:
  attributes:
    sku: sku
    attributes: { from: additional_attributes, rules: [parse_pairs] }
    variations: { from: configurable_variations, rules: [{ split: "|" }, parse_pairs] }
    last_variant_sku: { from: configurable_variations, rules: [{ split: "|" }, parse_pairs, { nth: -1 }, { jsonata: "sku" }] }
    options: { from: attributes, rules: [{ parse_list: [name, type, position] }] }
    first_value: { from: values, rules: [{ parse_list: { fields: [value, position] } }, { nth: 1 }, { jsonata: "value" }] }
destination: { type: json, output: out.json }
`;

describe('packed cells: parse_pairs, parse_list and nth in a pipeline', () => {
  it('turns packed Magento and PrestaShop cells into objects and lists, identically on both interpreters', async () => {
    writeFileSync(join(dir, 'in.csv'), csv);
    writeFileSync(join(dir, 'p.yaml'), pipeline);
    const fast = await runPipeline(join(dir, 'p.yaml'));
    expect([fast.read, fast.written, fast.rejected]).toEqual([2, 2, 0]);
    const records = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    expect(records).toEqual([
      {
        sku: 'MH01',
        attributes: { color: 'Black', material: 'Cotton, Polyester' },
        variations: [{ sku: 'MH01-XS-Black', size: 'XS', color: 'Black' }, { sku: 'MH01-S-Gray', size: 'S', color: 'Gray' }],
        last_variant_sku: 'MH01-S-Gray',
        options: [{ name: 'Color', type: 'color', position: '0' }, { name: 'Size', type: 'select', position: '1' }],
        first_value: 'Black',
      },
      // one variation is still a list; empty cells give nothing
      { sku: 'MH02', variations: [{ sku: 'MH02-M-Red', size: 'M', color: 'Red' }], last_variant_sku: 'MH02-M-Red' },
    ]);
    const fastText = readFileSync(join(dir, 'out.json'), 'utf8');
    await runPipeline(join(dir, 'p.yaml'), { fastPath: false });
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe(fastText);
  });
});
