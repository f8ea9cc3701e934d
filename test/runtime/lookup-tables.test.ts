/**
 * Keyed lookup tables on real files, through real runs: `$lookups.<name>(key)` gives the whole
 * row (csv, json, ndjson; one column, several columns or an expression as the key), a miss gives
 * nothing or, with `required`, rejects the record naming the table and the key; duplicate keys
 * follow `duplicates`; a table the run cannot read whole stops it with a config error naming the
 * file and line. Fast path and stock interpreter write the same files.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../engine/runtime/run.js';
import { parseCsvText } from '../../engine/runtime/csv-parse.js';

const root = mkdtempSync(join(tmpdir(), 'mf-lookup-tables-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** Writes `files` and a pipeline (csv source `in.csv`, json output) into a fresh dir. */
function setup(files: Record<string, string | Buffer>, lookups: string, attributes: string, extra = ''): string {
  const dir = join(root, `case-${++n}`);
  rmSync(dir, { recursive: true, force: true });
  for (const [name, body] of Object.entries({ ...files })) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, body);
  }
  writeFileSync(join(dir, 'p.yaml'), `version: 1
name: lookup-tables
source: { type: csv, path: in.csv, delimiter: ";", id_column: ref }
lookups:
${lookups}
${extra}mapping:
  attributes:
${attributes}
destination: { type: json, output: out.json }
`);
  return join(dir, 'p.yaml');
}

/** Runs with the fast path and with the stock interpreter; both must write the same files. */
async function run(pipeline: string) {
  const fast = await runPipeline(pipeline);
  const dir = join(pipeline, '..');
  const out = readFileSync(join(dir, 'out.json'), 'utf8');
  const rejects = readFileSync(fast.rejectReport, 'utf8');
  const stock = await runPipeline(pipeline, { fastPath: false });
  expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe(out);
  expect(readFileSync(stock.rejectReport, 'utf8')).toBe(rejects);
  const rows = parseCsvText(rejects, { delimiter: ',' }).slice(1).map((r) => r.fields);
  return { summary: fast, records: JSON.parse(out) as Record<string, unknown>[], rejects: rows };
}

const combinations = 'ref;Product ID;Attribute\nC1;1;Red\nC2;2;Blue\nC3;9;Green\nC4;;Pink\n';
const products = 'Product ID;Name *;Manufacturer;Price tax excluded\n1;iPod Nano;Apple;100\n2;iPod shuffle;Apple;60\n3;MacBook;Apple;1000\n';

describe('lookup tables: the whole row by key', () => {
  it('a csv table keyed on one column gives the row; a miss (or an empty key) gives nothing', async () => {
    const p = setup({ 'in.csv': combinations, 'data/products.csv': products },
      '  parents: { path: data/products.csv, delimiter: ";", key: Product ID }',
      '    sku: ref\n    title: $lookups.parents(`Product ID`).`Name *` & " " & Attribute\n    brand: $lookups.parents(`Product ID`).Manufacturer\n    parent: $lookups.parents(`Product ID`)');
    const { summary, records } = await run(p);
    expect([summary.read, summary.written, summary.rejected]).toEqual([4, 4, 0]);
    expect(records[0]).toEqual({
      sku: 'C1', title: 'iPod Nano Red', brand: 'Apple',
      parent: { 'Product ID': '1', 'Name *': 'iPod Nano', Manufacturer: 'Apple', 'Price tax excluded': '100' },
    });
    expect(records[1]).toMatchObject({ sku: 'C2', title: 'iPod shuffle Blue' });
    // no row 9, and an empty key never matches: the attributes are left out
    expect(records[2]).toEqual({ sku: 'C3', title: ' Green' });
    expect(records[3]).toEqual({ sku: 'C4', title: ' Pink' });
  });

  it('required: a miss rejects the record with LOOKUP_MISSING, naming the table and the key', async () => {
    const p = setup({ 'in.csv': combinations, 'data/products.csv': products },
      '  parents: { path: data/products.csv, delimiter: ";", key: Product ID, required: true }',
      '    sku: ref\n    title: $lookups.parents(`Product ID`).`Name *`');
    const { summary, records, rejects } = await run(p);
    expect([summary.read, summary.written, summary.rejected]).toEqual([4, 2, 2]);
    expect(records.map((r) => r.sku)).toEqual(['C1', 'C2']);
    expect(summary.rejectsByCode).toEqual({ LOOKUP_MISSING: 2 });
    // severity, stage, index, line, id, attribute, code, message, hint
    expect(rejects[0]!.slice(0, 7)).toEqual(['error', 'mapping', '2', '4', 'C3', 'title', 'LOOKUP_MISSING']);
    expect(rejects[0]![7]).toMatch(/^attribute "title" expression: lookup table "parents" \(.*data\/products\.csv\) has no row with the key "9" \(.*p\.yaml:\d+:\d+\)$/);
    expect(rejects[0]![8]).toContain('required: true on lookups.parents');
    expect(rejects[1]![7]).toContain('lookup table "parents" (');
    expect(rejects[1]![7]).toContain('): the key is empty');
  });

  it('a miss in the filter keeps its code too', async () => {
    const p = setup({ 'in.csv': combinations, 'data/products.csv': products },
      '  parents: { path: data/products.csv, delimiter: ";", key: Product ID, required: true }',
      '    sku: ref', 'filter: $lookups.parents(`Product ID`).Manufacturer = "Apple"\n');
    const { summary, rejects } = await run(p);
    expect([summary.written, summary.rejected]).toEqual([2, 2]);
    expect(rejects.map((r) => [r[5], r[6]])).toEqual([['filter', 'LOOKUP_MISSING'], ['filter', 'LOOKUP_MISSING']]);
  });

  it('several key columns: the call passes one value per column, in order', async () => {
    const p = setup({
      'in.csv': 'ref;sku;market\nA;S1;FR\nB;S1;DE\nC;S2;FR\n',
      'prices.csv': 'sku,market,price\nS1,FR,10\nS1,DE,12\nS2,DE,7\n',
    }, '  prices: { path: prices.csv, key: [sku, market] }', '    sku: ref\n    price: $lookups.prices(sku, market).price');
    const { records } = await run(p);
    expect(records).toEqual([{ sku: 'A', price: '10' }, { sku: 'B', price: '12' }, { sku: 'C' }]);
  });

  it('an expression as the key (the lookup passes the same form of the value)', async () => {
    const p = setup({ 'in.csv': 'ref;code\nA;ab-1\nB;CD-2\n', 'refs.csv': 'Ref;Label\nAB-1;first\ncd-2;second\n' },
      '  refs: { path: refs.csv, delimiter: ";", key: { expr: "$lowercase(Ref)" } }', '    sku: ref\n    label: $lookups.refs($lowercase(code)).Label');
    expect((await run(p)).records).toEqual([{ sku: 'A', label: 'first' }, { sku: 'B', label: 'second' }]);
  });

  it('json (items) and ndjson tables: numbers are keys as their text, 12 and "12" alike', async () => {
    const p = setup({
      'in.csv': 'ref;id\nA;12\nB;7\nC;1.5\n',
      'data.json': JSON.stringify({ data: { products: [{ id: 12, name: 'twelve', tags: ['x'] }, { id: 1.5, name: 'one and a half' }] } }),
      'more.ndjson': '{"code":"7","name":"seven"}\n\n{"code":12,"name":"douze"}\n',
    }, '  byid: { path: data.json, items: data.products, key: id }\n  more: { path: more.ndjson, key: code }',
    '    sku: ref\n    name: $lookups.byid(id).name\n    tags: $lookups.byid($number(id)).tags\n    other: $lookups.more(id).name');
    expect((await run(p)).records).toEqual([
      { sku: 'A', name: 'twelve', tags: ['x'], other: 'douze' },
      { sku: 'B', other: 'seven' },
      { sku: 'C', name: 'one and a half' },
    ]);
  });

  it('a latin-1 table is read with encoding, as a source', async () => {
    const p = setup({ 'in.csv': 'ref;code\nA;ü1\n', 'latin.csv': Buffer.concat([Buffer.from('code;label\nü1;Größe ', 'latin1'), Buffer.from([0x80, 0x0a])]) },
      '  latin: { path: latin.csv, delimiter: ";", encoding: windows-1252, key: code }', '    sku: ref\n    label: $lookups.latin(code).label');
    expect((await run(p)).records).toEqual([{ sku: 'A', label: 'Größe €' }]);
  });
});

describe('lookup tables: duplicate keys', () => {
  const table = 'sku;size\nA;S\nB;M\nA;L\n';
  const attributes = '    sku: ref\n    size: $lookups.sizes(ref)';
  const dup = (setting: string) => setup({ 'in.csv': 'ref\nA\nB\n', 'sizes.csv': table }, `  sizes: { path: sizes.csv, delimiter: ";", key: sku${setting} }`, attributes);

  it('by default a key on two rows stops the run, naming the key and both lines (exit code 2)', async () => {
    await expect(runPipeline(dup(''))).rejects.toMatchObject({
      code: 'CFG_LOOKUP_DUPLICATE',
      message: expect.stringMatching(/^lookup "sizes" \(.*sizes\.csv:4\): the key "A" is on lines 2 and 4$/),
      hint: expect.stringContaining('duplicates: first, last or all'),
    });
  });

  it.each([
    ['first', [{ sku: 'A', size: { sku: 'A', size: 'S' } }, { sku: 'B', size: { sku: 'B', size: 'M' } }]],
    ['last', [{ sku: 'A', size: { sku: 'A', size: 'L' } }, { sku: 'B', size: { sku: 'B', size: 'M' } }]],
    ['all', [{ sku: 'A', size: [{ sku: 'A', size: 'S' }, { sku: 'A', size: 'L' }] }, { sku: 'B', size: [{ sku: 'B', size: 'M' }] }]],
  ])('duplicates: %s', async (setting, expected) => {
    expect((await run(dup(`, duplicates: ${setting}`))).records).toEqual(expected);
  });
});

describe('lookup tables: a table the run cannot read whole is a config error', () => {
  const attributes = '    sku: ref\n    name: $lookups.t(ref).name';
  const fails = (table: string, settings = 'delimiter: ";"', file = 't.csv') =>
    runPipeline(setup({ 'in.csv': 'ref\nA\n', [file]: table }, `  t: { path: ${file}, ${settings}, key: sku }`, attributes));

  it('a ragged row names the file and line', async () => {
    await expect(fails('sku;name\nA;x\nB;y;z\n')).rejects.toMatchObject({
      code: 'CFG_LOOKUP_ROW', message: expect.stringMatching(/^lookup "t" \(.*t\.csv:3\): a row cannot be read: CSV_RAGGED_ROW line 3 has 3 fields, the header has 2$/),
    });
  });

  it('an unclosed quote names its line', async () => {
    await expect(fails('sku;name\nA;"x\nB;y\n')).rejects.toMatchObject({ code: 'CFG_LOOKUP_ROW', message: expect.stringContaining('t.csv:2): a row cannot be read: CSV_UNTERMINATED_QUOTE') });
  });

  it('bytes that are not UTF-8 name the line and the encoding setting', async () => {
    await expect(fails(Buffer.from('sku;name\nA;Größe\n', 'latin1') as unknown as string)).rejects.toMatchObject({
      code: 'CFG_LOOKUP_FILE', message: expect.stringContaining('CSV_ENCODING'), hint: expect.stringContaining('encoding: windows-1252'),
    });
  });

  it('a key column that is not in the header: validate stops the run first (did you mean)', async () => {
    await expect(fails('SKU;name\nA;x\n')).rejects.toMatchObject({
      code: 'CFG_INVALID', diagnostics: [expect.objectContaining({ code: 'CFG_LOOKUP_KEY', hint: 'did you mean "SKU"?' })],
    });
  });

  it('a key that is a list', async () => {
    await expect(fails('[{"sku":["A"],"name":"x"}]', 'type: json', 't.json')).rejects.toMatchObject({
      code: 'CFG_LOOKUP_KEY', message: expect.stringContaining('the key of item 0 is a list'),
    });
  });

  it('a missing file: validate stops the run first', async () => {
    await expect(runPipeline(setup({ 'in.csv': 'ref\nA\n' }, '  t: { path: nope.csv, key: sku }', attributes))).rejects.toMatchObject({
      code: 'CFG_INVALID', diagnostics: [expect.objectContaining({ code: 'CFG_LOOKUP_FILE', hint: 'lookup paths are relative to the pipeline file' })],
    });
  });
});

describe('lookup tables in mapping workers', () => {
  it('workers attach to the table main loaded and write what the main thread writes', async () => {
    const refs = Array.from({ length: 2500 }, (_, i) => `R${i}`);
    const p = setup({
      'in.csv': `ref;parent\n${refs.map((r, i) => `${r};P${i % 700}`).join('\n')}\n`,
      'parents.csv': `id;name\n${Array.from({ length: 600 }, (_, i) => `P${i};Parent ${i} é`).join('\n')}\n`,
    }, '  parents: { path: parents.csv, delimiter: ";", key: id, required: true }', '    sku: ref\n    name: $lookups.parents(parent).name');
    const dir = join(p, '..');
    const main = await runPipeline(p, { workers: 0, output: join(dir, 'main.json') });
    const workers = await runPipeline(p, { workers: 2, output: join(dir, 'workers.json') });
    // parents P600..P699 are missing: 100 of every 700 records
    expect([main.written, main.rejected]).toEqual([2200, 300]);
    expect(main.rejectsByCode).toEqual({ LOOKUP_MISSING: 300 });
    expect({ written: workers.written, rejected: workers.rejected }).toEqual({ written: main.written, rejected: main.rejected });
    expect(readFileSync(join(dir, 'workers.json'), 'utf8')).toBe(readFileSync(join(dir, 'main.json'), 'utf8'));
    expect(readFileSync(workers.rejectReport, 'utf8')).toBe(readFileSync(main.rejectReport, 'utf8'));
  }, 60_000);
});

describe('lookup tables with let and each', () => {
  it('a let holds the parent row once per record; a required miss there rejects the record with its code', async () => {
    const dir = join(root, `case-${++n}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'in.csv'), combinations);
    writeFileSync(join(dir, 'products.csv'), products);
    writeFileSync(join(dir, 'p.yaml'), `version: 1
name: lookup-let
source: { type: csv, path: in.csv, delimiter: ";", id_column: ref }
lookups:
  parents: { path: products.csv, delimiter: ";", key: Product ID, required: true }
mapping:
  let:
    parent: $lookups.parents(\`Product ID\`)
  each: "[1, 2]"
  attributes:
    sku: ref & "-" & $item
    parent_title: $parent.\`Name *\`
    brand: $parent.Manufacturer
destination: { type: json, output: out.json }
`);
    const { summary, records, rejects } = await run(join(dir, 'p.yaml'));
    expect(summary).toMatchObject({ read: 4, records: 6, written: 4, rejected: 2 });
    expect(records.map((r) => [r.sku, r.parent_title])).toEqual([['C1-1', 'iPod Nano'], ['C1-2', 'iPod Nano'], ['C2-1', 'iPod shuffle'], ['C2-2', 'iPod shuffle']]);
    expect(rejects.map((r) => [r[4], r[6]])).toEqual([['C3', 'LOOKUP_MISSING'], ['C4', 'LOOKUP_MISSING']]);
  });
});
