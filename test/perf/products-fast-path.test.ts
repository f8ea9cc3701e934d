/**
 * The products feed writes records that pass every check from slots (fast-path.ts), with a compiled
 * schema verdict (schema-verdict.ts) and a rule verdict instead of ajv + recordRules. Its feed,
 * reject report and warnings must be the exact path's: normalizeRecord, FeedChecker.check, one row
 * per record as formatCsvRow of formatValue. Checked on fuzzed records (odd types, padding, decimal
 * commas, duplicates, unicode, attributes outside the columns) under several configurations, and on
 * a generated bench catalogue; the verdict alone is compared with ajv on the same records.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPipeline } from '../../engine/config/load.js';
import { runPipeline } from '../../engine/runtime/run.js';
import { formatCsvRow } from '../../engine/runtime/csv-format.js';
import type { Reject, Row } from '../../engine/runtime/types.js';
import { defaultColumnOrder } from '../../engine/connectors/destinations/manomano-products/columns.js';
import { resolveConfig } from '../../engine/connectors/destinations/manomano-products/index.js';
import { formatValue, normalizeRecord } from '../../engine/connectors/destinations/manomano-products/normalize.js';
import { FastFeed } from '../../engine/connectors/destinations/manomano-products/fast-path.js';
import { FeedChecker } from '../../engine/connectors/destinations/manomano-products/record-checks.js';
import { PRODUCT_AJV_OPTIONS } from '../../engine/connectors/destinations/manomano-products/schema-check.js';
import { compileVerdict } from '../../engine/connectors/destinations/manomano-products/schema-verdict.js';
import type { ManomanoProductsDestinationConfig } from '../../engine/types/generated/pipeline.js';
import { repoRoot } from '../helpers/cli.js';
import { feed, harness, items } from '../connectors/manomano-products/helpers.js';
import { generateCatalog } from '../../bench/generate-catalog.mjs';

const dir = mkdtempSync(join(tmpdir(), 'manoflow-fast-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas/manomano-product.schema.json'), 'utf8')) as Record<string, unknown>;

/** Seeded fuzzed records around a valid product. */
function fuzz(n: number, seed: number): Row[] {
  let a = seed;
  const rnd = (m: number): number => { a = (Math.imul(a, 1103515245) + 12345) >>> 0; return (a >>> 8) % m; };
  const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
  const values: unknown[] = [
    '', ' ', ' x ', 'abc', '12', '12,5', ' 59,99 ', '-3', '0', '1', '1.50', '0.110', '1 234,50', 'N/A', '2#4', '4#2', '10#2', '3', '007#7',
    'https://x.test/a.jpg', 'ftp://x.test/a', 'http://a b', 'http://ok/é', '4006381333931', '4006381333932', '4006381333931#036000291452',
    '4006381333931#12', '12345', '💡', '\ud83d', 'é;"q"\nline', 'a;b', '\u00a0pad\u00a0', '\tTab', 'Bosch', 'BOSCH',
    // control characters and quoting in short cells and in long ones (cell-scan.ts reads those with one regex first)
    'a\u0001b', 'del\u007f', '\u001b[31m', 'cr\r', 'Long text without anything notable in it, well over 32 units',
    'Long text with a ; delimiter and "quotes" in it, over 32 units', 'Long text with an escape \u001b in it, well over 32 units',
    'Long text with a\ttab and a\nline feed, well over thirty-two', 'Long text, commas, and a comma delimiter maybe, over 32',
    // rows go to bytes cell by cell (cell-scan.ts write()): quoting decided after multi-byte characters,
    // a control character after a quote, surrogates alone or in pairs, a non-ASCII delimiter
    'Métabo "pro"', '€;x', '💡,💡', 'é"q"\u0001', '"x"\u007f', 'x\ud800y', '\udc00', 'ab\ud83d', '💡\u0002', 'a§b', 'é§"',
    0, 1, -1, 1.5, 0.1 + 0.2, 59.99, 1e21, 1e-7, 123456789.125, 2.675, Infinity, -Infinity, NaN, 2 ** 53, -0,
    true, false, null, undefined, [], ['4006381333931', '036000291452'], [' ', null], [1, 2.5], { a: 1 }, ['x', ['y']],
  ];
  const attrs = Object.keys(schema.properties as object).concat(['colour', 'feature1', 'zz_extra', 'shipping_time_carrier_grid_7', 'eco_participation', '1']);
  const out: Row[] = [];
  for (let i = 0; i < n; i++) {
    const unique = `S-${i}`;
    const r: Row = {
      sku: rnd(40) === 0 ? pick(['T\tab', 'C\u0007', 'L\nF']) : pick(['A1', ' A1 ', 'B1', unique, unique, unique, unique, unique, unique, unique, unique, unique]),
      ean: pick(['4006381333931', '036000291452', undefined, '10012345678902']),
      brand: pick(['Bosch', 'bosch', 'Makita', 'Métabo']),
      sku_manufacturer: pick(['GSR-18', 'gsr-18', `M-${i}`, `M-${i}`, `M-${i}`, `M-${i}`, `M-${i}`, `M-${i}`, `M-${i}`, `M-${i}`]),
      title: pick(['Scie', 'Perceuse', 'Scie 💡', ' Visseuse ']), description: pick(['<p>Perceuse; "18V"</p>', 'Court', 'Très court é']),
      merchant_category: pick(['Outillage > Perceuses', undefined]),
      image_1: 'https://cdn.example.com/1.jpg', image_2: pick(['https://cdn.example.com/2.jpg', undefined]),
      mm_category_id: pick([1234, '1234', 1234, 0]), product_price_vat_inc: pick([59.99, '59,99', 10]),
      retail_price_vat_inc: pick([undefined, undefined, 79.9, '5', 59.99, '59,99', 10]), quantity: pick([5, '5', 0]),
      carrier: 'DPD', shipping_time: pick(['2#4', '2#4', '2#4', '2-4', '4#2']), shipping_price_vat_inc: pick([0, '4,90', 4.9]),
    };
    for (let k = rnd(3); k > 0; k--) r[pick(attrs)] = pick(values);
    if (rnd(40) === 0) delete r[pick(['sku', 'brand', 'title', 'ean', 'quantity', 'carrier'])];
    if (rnd(25) === 0) { r.use_grid = pick([1, '1', 0, 2]); r.carrier_grid_1 = pick(['G1', undefined]); r.shipping_time_carrier_grid_1 = pick(['3', '3#5', '5#3']); r.DisplayWeight = pick([2, 0, undefined]); }
    if (rnd(300) === 0) Object.defineProperty(r, '__proto__', { value: pick([{ sku: 'P' }, 'x']), enumerable: true, configurable: true, writable: true });
    out.push(r);
  }
  return out;
}

/** What the feed wrote before the fast path: every record through normalizeRecord and FeedChecker.check. */
function reference(records: Row[], config: Partial<ManomanoProductsDestinationConfig>, batch: number) {
  const cfg = resolveConfig({ type: 'manomano-products', output: 'x.csv', ...config }, { resolvePath: (p: string) => p, options: {} } as never);
  const columns = cfg.columns ?? defaultColumnOrder(records.slice(0, batch).flatMap((r) => Object.keys(r)));
  const checker = new FeedChecker(cfg.checks);
  const rejects: Reject[] = [];
  const recordWarnings: Reject[] = [];
  const warnings: string[] = [];
  const dropped = new Set<string>();
  if (cfg.delimiter === cfg.decimalSeparator) warnings.push(`manomano-products: delimiter and decimal_separator are both "${cfg.delimiter}"; numbers will be quoted`);
  let text = formatCsvRow(columns, cfg.delimiter);
  records.forEach((record, i) => {
    const r = normalizeRecord(record);
    const problems = checker.check(r, record);
    const id = typeof r.sku === 'string' ? r.sku : undefined;
    for (const p of problems) rejects.push({ stage: 'destination', index: i, line: i + 2, id, ...p });
    if (problems.length) return;
    const owner = checker.remember(r);
    for (const p of checker.warnings(r.title, r.description, r.ean, owner)) recordWarnings.push({ stage: 'destination', index: i, line: i + 2, id, ...p });
    if (!cfg.columns) {
      for (const key of Object.keys(r)) {
        if (columns.includes(key) || dropped.has(key)) continue;
        dropped.add(key);
        warnings.push(`manomano-products: attribute "${key}" first appeared after the header was written; it is not in the feed (list it in \`columns\`)`);
      }
    }
    text += formatCsvRow(columns.map((c) => formatValue(c, r[c], cfg.decimalSeparator)), cfg.delimiter);
  });
  // the file holds the text's UTF-8 bytes (a lone surrogate becomes U+FFFD)
  const bytes = Buffer.from(text, 'utf8');
  return { text: bytes.toString('utf8'), bytes, rejects, warnings, recordWarnings };
}

async function actual(records: Row[], config: Partial<ManomanoProductsDestinationConfig>, batch: number) {
  const h = await harness();
  const dest = await feed(h, config);
  const all = items(records);
  for (let i = 0; i < all.length; i += batch) await dest.write(all.slice(i, i + batch));
  await dest.close(true);
  const rejects = h.rejects.map((r) => (r.id === undefined ? (({ id: _, ...rest }) => rest)(r) : r));
  const recordWarnings = h.recordWarnings.map((r) => (r.id === undefined ? (({ id: _, ...rest }) => rest)(r) : r));
  const bytes = readFileSync(join(h.dir, 'out/feed.csv'));
  return { text: bytes.toString('utf8'), bytes, rejects, warnings: h.warnings, recordWarnings };
}

async function compare(records: Row[], config: Partial<ManomanoProductsDestinationConfig>, batch = 50) {
  const want = reference(records, config, batch);
  const got = await actual(records, config, batch);
  expect(got.text.split('\n')).toStrictEqual(want.text.split('\n'));
  // byte for byte: an encoding that decodes to the same text (a lone surrogate as other bytes) fails here
  expect(got.bytes.equals(want.bytes)).toBe(true);
  expect(got.rejects).toStrictEqual(want.rejects.map((r) => (r.id === undefined ? (({ id: _, ...rest }) => rest)(r) : r)));
  expect(got.warnings).toStrictEqual(want.warnings);
  expect(got.recordWarnings).toStrictEqual(want.recordWarnings.map((r) => (r.id === undefined ? (({ id: _, ...rest }) => rest)(r) : r)));
  return want;
}

describe('products feed fast path', () => {
  const records = fuzz(3000, 11);

  it.each([
    ['defaults', {}, 200],
    ['comma delimiter and decimal comma', { delimiter: ',', decimal_separator: ',' } as const, 200],
    ['explicit columns', { columns: ['sku', 'title', 'product_price_vat_inc', 'zz_extra', 'description', 'weight'] }, 200],
    // 'Scie 💡' has 7 UTF-16 units but 6 characters: within title_max_length 6
    ['every check toggled', { market: 'DE', checks: { title_max_length: 6, description_max_length: 20, min_images: 2, require_merchant_category: true, require_category: false, eco_participation_fr_only: true } } as const, 20],
    ['duplicate EANs rejected', { checks: { duplicate_ean: 'reject' } } as const, 10],
    ['tab delimiter', { delimiter: '\t' } as const, 200],
    ['non-ASCII delimiter', { delimiter: '§' } as const, 200],
    // the schema allows one character; the library takes any (the fast path then quotes as formatCsvCell does)
    ['two-character delimiter', { delimiter: '||' } as const, 200],
  ])('writes what the exact path writes: %s', async (name, config, minLines) => {
    const want = await compare(records, config as Partial<ManomanoProductsDestinationConfig>);
    if (name === 'every check toggled') expect(want.text).toContain(';Scie 💡;');
    // lists in single-value columns, HTML left, duplicate EANs (a warning, or a reject)
    const rejected = new Set(want.rejects.map((r) => r.code));
    const warned = new Set(want.recordWarnings.map((r) => r.code));
    expect(rejected.has('MM_MULTIPLE_VALUES')).toBe(true);
    // (with description_max_length 20, the descriptions holding HTML are all too long: rejected)
    expect(warned.has('MM_HTML_LEFT')).toBe(name !== 'every check toggled');
    expect(name === 'duplicate EANs rejected' ? rejected.has('MM_DUPLICATE_EAN') && !warned.has('MM_DUPLICATE_EAN') : warned.has('MM_DUPLICATE_EAN')).toBe(true);
    // the fuzz exercises both outcomes and several codes
    expect(want.rejects.length).toBeGreaterThan(100);
    expect(want.text.split('\n').length).toBeGreaterThan(minLines);
  }, 60_000);

  it('accepts exactly the records the exact path writes (so it is not a detour for every record)', () => {
    const cfg = resolveConfig({ type: 'manomano-products', output: 'x.csv' }, { resolvePath: (p: string) => p, options: {} } as never);
    const exact = new FeedChecker(cfg.checks);
    const fast = FastFeed.create(new FeedChecker(cfg.checks))!;
    expect(fast).toBeDefined();
    let accepted = 0;
    for (const record of records) {
      const ok = fast.accept(record);
      fast.clear();
      const r = normalizeRecord(record);
      const writes = exact.check(r, record).length === 0;
      if (writes) exact.remember(r);
      // a record with a `__proto__` key always takes the exact path
      expect({ record, ok }).toStrictEqual({ record, ok: writes && !Object.keys(record).includes('__proto__') });
      if (ok) accepted++;
    }
    expect(accepted).toBeGreaterThan(200);
  });

  it('schema verdict equals ajv on every fuzzed record, normalised or not', () => {
    const ajv = new Ajv({ ...PRODUCT_AJV_OPTIONS });
    ajv.addKeyword({ keyword: 'x-mm-code', schemaType: 'string' });
    ajv.addKeyword({ keyword: 'x-mm-attribute', schemaType: 'string' });
    const validate = ajv.compile(schema);
    const slots = new Map<string, number>();
    const verdict = compileVerdict(schema, (name) => slots.get(name) ?? slots.set(name, slots.size).get(name)!)!;
    expect(verdict).toBeDefined();
    let valid = 0;
    for (const raw of fuzz(3000, 5).filter((r) => !Object.keys(r).includes('__proto__'))) {
      for (const r of [raw, normalizeRecord(raw)]) {
        const vals: unknown[] = [];
        for (const [name, slot] of slots) vals[slot] = r[name];
        const ok = validate(r);
        expect(verdict(vals)).toBe(ok);
        if (ok) valid++;
      }
    }
    expect(valid).toBeGreaterThan(500);
  });

  it('gives up on keywords it does not compile', () => {
    for (const s of [{ properties: { t: { maxLength: 5 } } }, { properties: { t: { minLength: 2 } } }, { additionalProperties: false }, { $ref: '#' },
      { required: ['constructor'] }, { properties: { a: { enum: [{ x: 1 }] } } }, { oneOf: [{}] }, { properties: { a: false } }]) {
      expect(compileVerdict(s, () => 0)).toBeUndefined();
    }
    expect(compileVerdict({ properties: { a: { type: 'integer', minimum: 2 } } }, () => 0)!([3])).toBe(true);
  });

  it('writes what the exact path writes on a generated bench catalogue', async () => {
    cpSync(join(repoRoot, 'bench/reference-pipeline.yaml'), join(dir, 'reference-pipeline.yaml'));
    cpSync(join(repoRoot, 'bench/lookups'), join(dir, 'lookups'), { recursive: true });
    await generateCatalog(2000, join(dir, 'catalog.csv'));
    const p = loadPipeline(join(dir, 'reference-pipeline.yaml'));
    (p.config.source as { path: string }).path = join(dir, 'catalog.csv');
    const mapped: Row[] = [];
    await runPipeline(p, { output: join(dir, 'bench-out.csv'), force: true, onRecord: (i) => mapped.push(i.record) });
    expect(mapped).toHaveLength(2000);
    const want = await compare(mapped, { delimiter: ';' }, 500);
    expect(want.rejects.length).toBeGreaterThan(0);
  }, 120_000);
});
