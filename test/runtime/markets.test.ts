/**
 * Several markets in one run: one read of the source, one output, reject report and summary per
 * market, each market's vars, filter, attributes and destination settings; `--market` picks some;
 * price & stock for two contracts in one run, against the simulator over loopback.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../engine/runtime/run.js';
import { parseCsvText } from '../../engine/runtime/csv-parse.js';
import { startSimulator, type Simulator } from '../../engine/manomano/simulator/index.js';
import { runCli } from '../helpers/cli.js';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'manoflow-markets-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function csvRows(path: string, delimiter = ','): Record<string, string>[] {
  const [head, ...rows] = parseCsvText(readFileSync(path, 'utf8'), { delimiter });
  return rows.map((r) => Object.fromEntries(head!.fields.map((h, i) => [h, r.fields[i] ?? ''])));
}

const catalog = [
  'sku,name_fr,name_de,name_es,price_ht,stock',
  'A,Perceuse,Bohrmaschine,Taladro,100,3',
  'B,Scie,Säge,,50,0',
  'C,Marteau,,Martillo,abc,5',
].join('\n') + '\n';

const pipeline = `version: 1
name: multi
source: { type: csv, path: catalog.csv }
vars: { vat: 0.2, lang: fr }
filter: stock != "0"
mapping:
  attributes:
    sku: sku
    title: $lookup($, "name_" & $vars.lang)
    price: $round($number(price_ht) * (1 + $vars.vat), 2)
destination: { type: csv, output: "out/feed-{market}.csv" }
markets:
  fr: {}
  de:
    vars: { vat: 0.19, lang: de }
    filter: stock != "0" and $exists(name_de) and name_de != ""
  es:
    vars: { vat: 0.21, lang: es }
    attributes:
      title: { from: name_es, default: "(sin nombre)" }
    destination: { delimiter: ";" }
`;

describe('markets', () => {
  it('one read, one feed, reject report and summary per market, with its own vars, filter, attributes and settings', async () => {
    const dir = workspace({ 'catalog.csv': catalog, 'p.yaml': pipeline });
    const s = await runPipeline(join(dir, 'p.yaml'), { force: true });
    expect(s.read).toBe(3);
    expect(Object.keys(s.markets!)).toEqual(['fr', 'de', 'es']);
    for (const t of Object.values(s.markets!)) expect(t.written + t.rejected + t.filtered).toBe(s.read);
    expect(s.markets!.fr).toMatchObject({ written: 1, rejected: 1, filtered: 1 });
    expect(s.markets!.de).toMatchObject({ written: 1, rejected: 0, filtered: 2 });
    expect(s.written).toBe(s.markets!.fr!.written + s.markets!.de!.written + s.markets!.es!.written);
    expect(csvRows(join(dir, 'out/feed-fr.csv'))).toEqual([{ sku: 'A', title: 'Perceuse', price: '120' }]);
    expect(csvRows(join(dir, 'out/feed-de.csv'))).toEqual([{ sku: 'A', title: 'Bohrmaschine', price: '119' }]);
    expect(csvRows(join(dir, 'out/feed-es.csv'), ';')).toEqual([{ sku: 'A', title: 'Taladro', price: '121' }]);
    const frRejects = csvRows(s.markets!.fr!.rejectReport);
    expect(s.markets!.fr!.rejectReport).toBe(join(dir, 'out/feed-fr.rejects.csv'));
    expect(frRejects.map((r) => [r.index, r.attribute, r.code])).toEqual([['2', 'price', 'EXPR_D3030']]);
    expect(existsSync(join(dir, 'out/feed-es.rejects.csv'))).toBe(true);
  });

  it('the CLI prints a line per market, and --market runs only those named', async () => {
    const dir = workspace({ 'catalog.csv': catalog, 'p.yaml': pipeline });
    const all = await runCli(['run', join(dir, 'p.yaml'), '--force']);
    expect(all.code).toBe(1);
    expect(all.stdout).toMatch(/^multi: done: read 3, 3 markets in [\d.]+s\n {2}\[fr\] written 1, rejected 1, filtered 1\n/);
    expect(all.stdout).toContain('  [de] written 1, rejected 0, filtered 2\n');
    const one = await runCli(['run', join(dir, 'p.yaml'), '--market', 'de', '--json']);
    expect(one.code).toBe(0);
    expect(Object.keys(JSON.parse(one.stdout).markets)).toEqual(['de']);
    const unknown = await runCli(['run', join(dir, 'p.yaml'), '--market', 'dee']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('the pipeline declares no market "dee"');
    expect(unknown.stderr).toContain('did you mean "de"?');
  });

  it('validate checks every market (an override of an unknown attribute is located)', async () => {
    const broken = pipeline.replace('      title: { from: name_es', '      titel: { from: name_es');
    const dir = workspace({ 'catalog.csv': catalog, 'p.yaml': broken });
    const r = await runCli(['validate', join(dir, 'p.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('p.yaml:20:7 error CFG_MARKET_UNKNOWN_ATTRIBUTE market es overrides attribute "titel", which the mapping does not have');
  });
});

describe('markets with price & stock', () => {
  let sim: Simulator;
  beforeAll(async () => { sim = await startSimulator({ port: 0 }); });
  afterAll(async () => { await sim?.close(); });

  it('one run updates each market\'s contract, with its own prices', async () => {
    const [fr, de] = [sim.state.listOffers(110841)[0]!, sim.state.listOffers(110842)[0]!];
    const csv = `sku_fr,sku_de,stock,price_fr,price_de\n${fr.sku},${de.sku},7,${fr.price},${de.price}\n`;
    const dir = workspace({
      'stock.csv': csv,
      'p.yaml': `version: 1
name: two-contracts
source: { type: csv, path: stock.csv }
mapping:
  attributes:
    sku: $lookup($, "sku_" & $vars.market)
    quantity: stock
    price_vat_included: $lookup($, "price_" & $vars.market)
destination:
  type: manomano-offers
  environment: local
  base_url: ${sim.url}
  api_key: sandbox-key-0001
  seller_contract_id: 110841
markets:
  fr: { vars: { market: fr } }
  de: { vars: { market: de }, destination: { seller_contract_id: 110842 } }
`,
    });
    sim.clearRequests();
    const s = await runPipeline(join(dir, 'p.yaml'));
    expect(s.markets!.fr!.items).toMatchObject({ sent: 1 });
    expect(s.markets!.de!.items).toMatchObject({ sent: 1 });
    const patches = sim.requests.filter((r) => r.method === 'PATCH');
    const sent = patches.flatMap((r) => (r.body as { content: { seller_contract_id: number; items: { sku: string }[] }[] }).content.map((c) => [c.seller_contract_id, c.items.map((i) => i.sku)]));
    expect(sent).toEqual(expect.arrayContaining([[110841, [fr.sku]], [110842, [de.sku]]]));
    expect(sim.state.listOffers(110842).find((o) => o.sku === de.sku)!.stock).toBe(7);
    expect(s.markets!.fr!.itemReport).not.toBe(s.markets!.de!.itemReport);
  });
});

describe('markets of a products feed', () => {
  it('share one taxonomy: without a cached one, the run says once (not once per market) that category checks are skipped', async () => {
    const dir = workspace({
      'catalog.csv': catalog,
      'p.yaml': `version: 1
name: products-markets
source: { type: csv, path: catalog.csv }
mapping:
  attributes:
    sku: sku
    sku_manufacturer: sku
    brand: { value: Bosch }
    title: name_fr
    description: name_fr
    image_1: { value: "https://example.com/a.jpg" }
    product_price_vat_inc: { value: 12.5 }
    quantity: { value: 3 }
    carrier: { value: DPD }
    shipping_time: { value: "2#4" }
    shipping_price_vat_inc: { value: 0 }
    mm_category_id: { value: 70811 }
destination: { type: manomano-products, output: "out/feed-{market}.csv" }
markets:
  fr: {}
  de: { destination: { market: DE } }
  es: { destination: { market: ES } }
`,
    });
    const r = await runCli(['run', join(dir, 'p.yaml'), '--allow-rejects']);
    expect(r.code).toBe(0);
    expect(r.stderr.match(/category checks skipped: no production taxonomy cached/g)).toHaveLength(1);
    for (const m of ['fr', 'de', 'es']) expect(csvRows(join(dir, 'out', `feed-${m}.csv`), ';').map((r) => r.sku)).toEqual(['A', 'B', 'C']);
  }, 60_000);
});
