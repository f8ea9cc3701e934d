/**
 * Per-record warnings end to end: a product feed run from the CLI where records are written with
 * a problem worth reading (HTML left in a title, an EAN already on another sku). They are rows of
 * severity `warning` in the reject report, `warnings` / `warningsByCode` in the summary (not
 * rejects: the exit code stays 0), and one line of the printed summary. And the other end: a
 * lookup table the run cannot use is a config error (exit 2) before anything is written.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsvText } from '../../engine/runtime/csv-parse.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mf-warnings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csv = [
  'ref;ean;name;price',
  'A1;4006381333931;"Perceuse &amp; visseuse";59,99',
  'A2;4006381333931;Scie sauteuse;39,90',
  'A3;036000291452;<b>Marteau</b>;12,50',
  'A4;036000291452;Pince;-1',
].join('\n') + '\n';

const pipeline = `version: 1
name: warnings
source: { type: csv, path: in.csv, delimiter: ";", id_column: ref }
mapping:
  attributes:
    sku: ref
    ean: ean
    brand: { value: Bosch }
    title: name
    description: { value: Outil }
    image_1: { value: "https://cdn.example.com/1.jpg" }
    mm_category_id: { value: 1234 }
    product_price_vat_inc: price
    quantity: { value: 3 }
    carrier: { value: DPD }
    shipping_time: { value: "2#4" }
    shipping_price_vat_inc: { value: 0 }
destination: { type: manomano-products, output: out/feed.csv }
`;

describe('per-record warnings', () => {
  it('are written to the reject report with severity warning, counted apart from rejects, and printed', async () => {
    writeFileSync(join(dir, 'in.csv'), csv);
    writeFileSync(join(dir, 'p.yaml'), pipeline);
    const r = await runCli(['run', 'p.yaml', '--allow-rejects'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^warnings: done: read 4, written 3, rejected 1, filtered 0 in /);
    expect(r.stdout).toContain('  warnings: 3 (MM_HTML_LEFT 2, MM_DUPLICATE_EAN 1), written anyway\n');
    const rows = parseCsvText(readFileSync(join(dir, 'out/feed.rejects.csv'), 'utf8'), { delimiter: ',' }).map((x) => x.fields);
    expect(rows[0]).toEqual(['severity', 'stage', 'index', 'line', 'id', 'attribute', 'code', 'message', 'hint']);
    expect(rows.slice(1).map((x) => [x[0], x[4], x[5], x[6]])).toEqual([
      ['warning', 'A1', 'title', 'MM_HTML_LEFT'],
      ['warning', 'A2', 'ean', 'MM_DUPLICATE_EAN'],
      ['warning', 'A3', 'title', 'MM_HTML_LEFT'],
      ['error', 'A4', 'product_price_vat_inc', 'MM_PRICE_NOT_POSITIVE'],
    ]);
    // written anyway: three rows in the feed
    expect(readFileSync(join(dir, 'out/feed.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(4);
    const json = await runCli(['run', 'p.yaml', '--allow-rejects', '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject({ written: 3, rejected: 1, warnings: 3, warningsByCode: { MM_HTML_LEFT: 2, MM_DUPLICATE_EAN: 1 }, rejectsByCode: { MM_PRICE_NOT_POSITIVE: 1 } });
  }, 60_000);
});

describe('a lookup table the run cannot use', () => {
  it('stops the run before anything is written, with its code, file:line and hint (exit 2)', async () => {
    writeFileSync(join(dir, 'in.csv'), csv);
    writeFileSync(join(dir, 'parents.csv'), 'ean;family\n4006381333931;drills\n036000291452;hammers\n4006381333931;saws\n');
    writeFileSync(join(dir, 't.yaml'), pipeline.replace('name: warnings', 'name: table')
      .replace('mapping:\n', 'lookups:\n  families: { path: parents.csv, delimiter: ";", key: ean }\nmapping:\n')
      .replace('    title: name\n', '    title: name & " " & $lookups.families(ean).family\n')
      .replace('out/feed.csv', 'out/table.csv'));
    const r = await runCli(['run', 't.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('manoflow run: CFG_LOOKUP_DUPLICATE lookup "families" (parents.csv:4): the key "4006381333931" is on lines 2 and 4');
    expect(r.stderr).toContain('hint: set duplicates: first, last or all on the lookup');
    expect(existsSync(join(dir, 'out/table.csv'))).toBe(false);
  }, 60_000);
});
