// Unit tests of the pipeline test runner: real pipeline files and test files in a temp dir.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCaseResult, runPipelineTestFile, type CaseResult } from '../../engine/testing/index.js';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';

const dir = mkdtempSync(join(tmpdir(), 'manoflow-pipeline-tests-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

// A file destination (ndjson) with a filter, a rule box, vars and a static value.
write('shop.yaml', `version: 1
name: shop
source: { type: csv, path: shop.csv }
vars: { vat_rate: 0.2 }
filter: stock != "0"
mapping:
  automap: false
  attributes:
    sku: ref
    title: { from: name, rules: [strip_html, trim] }
    price: { from: price_ht, rules: [to_number, add_vat] }
    quantity: { from: stock, rules: [to_number] }
    origin: { value: shop }
destination: { type: ndjson, output: out/shop.ndjson }
`);
write('shop.csv', 'ref,name,price_ht,stock\nA1,Drill,10,1\n');

async function run(name: string, text: string): Promise<CaseResult[]> {
  return runPipelineTestFile(write(name, text));
}

describe('runPipelineTestFile', () => {
  it('passes when each expected record is a subset of the output, in order', async () => {
    const [r] = await run('shop.test.yaml', `cases:
  - name: maps two rows
    input:
      - { ref: A1, name: "<b>Drill</b> ", price_ht: "10,00", stock: "3" }
      - { ref: A2, name: Saw, price_ht: "20", stock: "1" }
    expect:
      - { sku: A1, title: Drill, price: 12 }
      - { sku: A2, quantity: 1, origin: shop }
`);
    expect(r).toMatchObject({ ok: true, failures: [], filtered: 0, line: 2, name: 'maps two rows' });
    expect(r!.outputs).toHaveLength(2);
    expect(r!.file).toMatch(/shop\.test\.yaml$/);
  });

  it('reports a changed value as a diff naming the record, the attribute and the case line', async () => {
    const [r] = await run('diff.test.yaml', `pipeline: shop.yaml
cases:
  - name: wrong price
    input: [ { ref: A1, name: Drill, price_ht: "10", stock: "3" } ]
    expect: [ { sku: A1, price: 13, title: Drill } ]
`);
    expect(r!.ok).toBe(false);
    expect(r!.failures).toEqual([{ kind: 'value', record: 0, id: 'A1', attribute: 'price', expected: 13, actual: 12 }]);
    expect(formatCaseResult(r!)).toBe([
      `✗ ${r!.file}:3 wrong price`,
      '    record 0 (A1), attribute price:',
      '      - expected 13',
      '      + actual   12',
    ].join('\n'));
  });

  it('distinguishes a string from a number, and null from a present value', async () => {
    const [r] = await run('types.test.yaml', `pipeline: shop.yaml
cases:
  - name: types
    input: [ { ref: A1, name: Drill, price_ht: "10", stock: "3" } ]
    expect: [ { quantity: "3", missing: null, origin: null } ]
`);
    expect(r!.failures.map((f) => f.kind === 'value' && f.attribute)).toEqual(['quantity', 'origin']);
  });

  it('counts filtered records and reports a record-count mismatch with the extra record', async () => {
    const [ok, bad] = await run('filter.test.yaml', `pipeline: shop.yaml
cases:
  - name: zero stock filtered
    input: [ { ref: A1, name: Drill, price_ht: "10", stock: "0" } ]
    expect: []
    expect_filtered: 1
  - name: wrong count
    input: [ { ref: A1, name: Drill, price_ht: "10", stock: "2" } ]
    expect: []
    expect_filtered: 1
`);
    expect(ok!.ok).toBe(true);
    expect(bad!.failures.map((f) => f.kind)).toEqual(['count', 'filtered']);
    const text = formatCaseResult(bad!);
    expect(text).toContain('output records: expected 0, got 1');
    expect(text).toContain('+ record 0: {"sku":"A1"');
    expect(text).toContain('filtered records:\n      - expected 1\n      + actual   0');
  });

  it('matches rejects by code and attribute, and fails on a reject nobody expected', async () => {
    const [ok, unexpected, missing] = await run('rejects.test.yaml', `pipeline: shop.yaml
cases:
  - name: bad price rejected
    input: [ { ref: A1, name: Drill, price_ht: N/A, stock: "2" } ]
    expect: []
    expect_rejects: [ { code: EXPR_RULE_FAILED, attribute: price, stage: mapping, message: not a number } ]
  - name: reject not expected
    input: [ { ref: A1, name: Drill, price_ht: N/A, stock: "2" } ]
    expect: []
  - name: reject expected but absent
    input: [ { ref: A1, name: Drill, price_ht: "1", stock: "2" } ]
    expect_rejects: [ { code: EXPR_RULE_FAILED } ]
`);
    expect(ok!.ok).toBe(true);
    expect(ok!.rejects[0]).toMatchObject({ index: 0, code: 'EXPR_RULE_FAILED', attribute: 'price' });
    expect(formatCaseResult(unexpected!)).toMatch(/unexpected reject: EXPR_RULE_FAILED \(mapping, record 0, price\): attribute "price" rule 1 \(to_number\)/);
    expect(formatCaseResult(missing!)).toContain('expected reject not found: { code: EXPR_RULE_FAILED }');
  });

  it('runs the destination\'s own record checks for file destinations (manomano-products MM_ codes)', async () => {
    write('feed.yaml', `version: 1
name: feed
source: { type: csv, path: shop.csv }
mapping:
  attributes: { sku: ref, ean: ean, brand: brand, title: name, description: name, image_1: img, mm_category_id: cat, product_price_vat_inc: price, quantity: stock, carrier: { value: DPD }, shipping_time: { value: "2#3" }, shipping_price_vat_inc: { value: 0 } }
destination: { type: manomano-products, output: out/feed.csv }
`);
    const [r] = await run('feed.test.yaml', `cases:
  - name: bad EAN
    input:
      - { ref: A1, ean: "3760123456784", brand: Outix, name: Drill, img: "https://x.example/1.jpg", cat: "10402", price: "12", stock: "1" }
      - { ref: A2, ean: "3760123456785", brand: Outix, name: Saw, img: "https://x.example/2.jpg", cat: "10402", price: "12", stock: "1" }
    expect: [ { sku: A1 } ]
    expect_rejects: [ { code: MM_EAN_INVALID, attribute: ean, stage: destination, id: A2, index: 1 } ]
`);
    expect(formatCaseResult(r!)).toBe(`✓ ${r!.file}:2 bad EAN`);
  });

  it('applies vars and pipeline_patch to a copy of the pipeline, one case at a time', async () => {
    const results = await run('patch.test.yaml', `pipeline: shop.yaml
cases:
  - name: vars override
    vars: { vat_rate: 0.1 }
    input: [ { ref: A1, name: Drill, price_ht: "10", stock: "3" } ]
    expect: [ { price: 11 } ]
  - name: patched attribute and deleted filter
    pipeline_patch: { filter: null, mapping: { attributes: { title: "$uppercase(name)" } } }
    input: [ { ref: A1, name: Drill, price_ht: "10", stock: "0" } ]
    expect: [ { title: DRILL, price: 12 } ]
  - name: the next case sees the file unpatched
    input: [ { ref: A1, name: Drill, price_ht: "10", stock: "0" } ]
    expect_filtered: 1
`);
    expect(results.map((r) => [r.name, r.ok, r.failures])).toEqual(results.map((r) => [r.name, true, []]));
  });

  it('checks expected diagnostics of a broken variant, and fails a case on an invalid pipeline it did not expect', async () => {
    const [ok, bad] = await run('diag.test.yaml', `pipeline: shop.yaml
cases:
  - name: syntax error diagnosed
    pipeline_patch: { mapping: { attributes: { title: "$substring(name" } } }
    expect_diagnostics: [ { code: CFG_JSONATA_SYNTAX, pointer: /mapping/attributes/title } ]
  - name: unexpected
    pipeline_patch: { destination: { type: ndjsn } }
    input: [ { ref: A1 } ]
    expect: []
`);
    expect(ok!.ok).toBe(true);
    expect(ok!.diagnostics[0]).toMatchObject({ code: 'CFG_JSONATA_SYNTAX', severity: 'error' });
    expect(bad!.ok).toBe(false);
    expect(formatCaseResult(bad!)).toMatch(/the pipeline is invalid:\n {6}\S*shop\.yaml:\d+:\d+ error /);
  });

  it('fails a case that checks nothing or has an unknown key, and throws on a malformed file', async () => {
    const [none, typo] = await run('bad-case.test.yaml', `pipeline: shop.yaml
cases:
  - name: nothing
    input: [ { ref: A1 } ]
  - name: typo
    input: [ { ref: A1 } ]
    expected: []
`);
    expect(formatCaseResult(none!)).toContain('the case checks nothing');
    expect(formatCaseResult(typo!)).toContain('unknown case key "expected"');
    await expect(run('broken.test.yaml', 'pipeline: shop.yaml\ncases:\n  - name: [unclosed\n')).rejects.toMatchObject({ code: 'CFG_PIPELINE_TEST', message: expect.stringMatching(/broken\.test\.yaml:\d+: YAML/) });
    await expect(run('nocases.test.yaml', 'pipeline: shop.yaml\n')).rejects.toMatchObject({ code: 'CFG_PIPELINE_TEST' });
  });
});

describe('API destinations in pipeline tests', () => {
  let sim: Simulator;
  beforeAll(async () => { sim = await startSimulator({ port: 0 }); });
  afterAll(async () => { await sim.close(); });

  it('compares the records that would be sent and never calls the API', async () => {
    write('ship.yaml', `version: 1
name: ship
source: { type: csv, path: shop.csv }
mapping:
  automap: false
  attributes:
    order_reference: ref
    seller_sku: sku
    quantity: { from: qty, rules: [to_number] }
    carrier: { value: DPD }
    tracking_number: t
    tracking_url: "'https://t.example/' & t"
destination:
  type: manomano-shipments
  environment: local
  base_url: ${sim.url}
  api_key: ${sim.apiKey}
  seller_contract_id: 110841
`);
    const [r] = await run('ship.test.yaml', `cases:
  - name: shipment mapped, bad quantity rejected
    input:
      - { ref: M1, sku: S1, qty: "2", t: "42" }
      - { ref: M2, sku: S2, qty: two, t: "43" }
    expect: [ { order_reference: M1, quantity: 2, tracking_url: "https://t.example/42" } ]
    expect_rejects: [ { code: EXPR_RULE_FAILED, attribute: quantity, index: 1 } ]
`);
    expect(r!.failures).toEqual([]);
    expect(sim.requests).toEqual([]);
  });
});
