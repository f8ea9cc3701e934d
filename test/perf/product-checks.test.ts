/**
 * The products feed's schema check skips ajv's code-point count when the schema's only length rule
 * is "non-empty" (schema-check.ts onlyNonEmptyLengths): the validator must answer exactly as ajv
 * with its default unicode counting, same verdict and same errors, on every mapped record of the
 * example catalogue and of a generated bench catalogue, and on texts made of surrogate pairs.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPipeline } from '../../engine/config/load.js';
import { runPipeline } from '../../engine/runtime/run.js';
import type { Row } from '../../engine/runtime/types.js';
import { normalizeRecord } from '../../engine/connectors/destinations/manomano-products/normalize.js';
import { onlyNonEmptyLengths, PRODUCT_AJV_OPTIONS, productValidator } from '../../engine/connectors/destinations/manomano-products/schema-check.js';
import { repoRoot } from '../helpers/cli.js';
import { generateCatalog } from '../../bench/generate-catalog.mjs';

const dir = mkdtempSync(join(tmpdir(), 'manoflow-checks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** ajv as configured before: code points counted for every length keyword. */
function reference(): ValidateFunction {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas/manomano-product.schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ ...PRODUCT_AJV_OPTIONS }); // ajv's default: unicode counting
  ajv.addKeyword({ keyword: 'x-mm-code', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'x-mm-attribute', schemaType: 'string' });
  return ajv.compile(schema);
}

/** Every mapped record of a pipeline run, normalised as the destination does. */
async function mappedRecords(pipeline: string, source?: string): Promise<Row[]> {
  const p = loadPipeline(pipeline);
  if (source) (p.config.source as { path: string }).path = source;
  const records: Row[] = [];
  await runPipeline(p, { output: join(dir, `out-${records.length}-${Date.now()}.csv`), force: true, onRecord: (i) => records.push(normalizeRecord(i.record)) });
  return records;
}

function compare(records: Row[]): { invalid: number } {
  const ref = reference();
  const { validate } = productValidator();
  let invalid = 0;
  for (const r of records) {
    const ok = ref(r);
    expect(validate(r)).toBe(ok);
    expect(validate.errors ?? null).toStrictEqual(ref.errors ?? null);
    if (!ok) invalid++;
  }
  return { invalid };
}

describe('products schema check without code-point counting', () => {
  it('the shipped schema has only non-empty length rules; other bounds keep the count', () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas/manomano-product.schema.json'), 'utf8')) as object;
    expect(onlyNonEmptyLengths(schema)).toBe(true);
    for (const [node, expected] of [
      [{ properties: { a: { minLength: 1 } } }, true], [{ properties: { a: { minLength: 0 } } }, true],
      [{ properties: { a: { minLength: 2 } } }, false], [{ properties: { a: { maxLength: 150 } } }, false],
      [{ allOf: [{ properties: { a: { maxLength: 5 } } }] }, false], [{ enum: [{ maxLength: 3 }] }, true],
    ] as const) expect({ node, r: onlyNonEmptyLengths(node) }).toStrictEqual({ node, r: expected });
  });

  it('answers as ajv with code points counted on the example catalogue', async () => {
    const records = await mappedRecords(join(repoRoot, 'examples/product-creation/catalog-to-manomano.yaml'));
    expect(records.length).toBeGreaterThan(250);
    expect(compare(records).invalid).toBeGreaterThan(0);
  }, 120_000);

  it('answers as ajv with code points counted on a generated bench catalogue', async () => {
    cpSync(join(repoRoot, 'bench/reference-pipeline.yaml'), join(dir, 'reference-pipeline.yaml'));
    cpSync(join(repoRoot, 'bench/lookups'), join(dir, 'lookups'), { recursive: true });
    await generateCatalog(2000, join(dir, 'catalog.csv'));
    const records = await mappedRecords(join(dir, 'reference-pipeline.yaml'), join(dir, 'catalog.csv'));
    expect(records).toHaveLength(2000);
    compare(records);
  }, 120_000);

  it('answers as ajv on empty, emoji-only and lone-surrogate texts', () => {
    const base: Row = { sku: 'A1', brand: 'B', title: 'T', description: 'D', image_1: 'https://x.test/a.jpg', product_price_vat_inc: 10, quantity: 1, ean: '3666666666666' };
    const records: Row[] = [];
    for (const key of ['sku', 'brand', 'title', 'description', 'sku_manufacturer']) {
      for (const text of ['', '💡', '\ud83d', 'é', ' ']) records.push({ ...base, [key]: text });
    }
    expect(compare(records).invalid).toBeGreaterThan(0);
  });
});
