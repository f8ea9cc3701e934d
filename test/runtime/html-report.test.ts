/**
 * The HTML run report: written by `run --report html` (or `report.html`), self-contained, and
 * rendered by a real browser (Debian's chromium, headless, no network): a screenshot that is not
 * blank and has the size asked for, and the DOM with the expected headings.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { maskSettings, renderHtmlReport } from '../../engine/runtime/html-report.js';
import { RunStats } from '../../engine/runtime/run-stats.js';
import { runCli } from '../helpers/cli.js';
import { runPipeline } from '../../engine/runtime/run.js';
import { decodePng, inkShare } from '../helpers/png.js';

const run = promisify(execFile);
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const tmp = mkdtempSync(join(tmpdir(), 'manoflow-html-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const HEADINGS = ['Summary', 'Rejects by code', 'Fill rate per attribute', 'Prices', 'Settings'];

/** Chromium with nothing that reaches out: no network services, no sync, a fresh profile. */
async function chromium(args: string[]): Promise<string> {
  const profile = mkdtempSync(join(tmp, 'profile-'));
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`];
  const { stdout } = await run(CHROMIUM!, [...flags, ...args], { timeout: 120_000, maxBuffer: 32 * 1024 * 1024 });
  return stdout;
}

describe('run --report html', () => {
  it('writes one self-contained page beside the reject report, named in the summary', async () => {
    const r = await runCli(['run', 'examples/product-creation/catalog-to-manomano.yaml', '--report', 'html', '--output', join(tmp, 'feed.csv'), '--allow-rejects']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const page = join(tmp, 'feed.report.html');
    expect(r.stdout).toContain(`report:  ${page}`);
    const html = readFileSync(page, 'utf8');
    for (const h of HEADINGS) expect(html).toContain(`>${h}</h2>`);
    // Nothing to fetch: no script, no external stylesheet, image or font (the SVG namespace is a name, not a request).
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|src=/i);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:\/\//);
    expect(html).toContain('MM_EAN_INVALID');
    expect(html).toContain('has a wrong check digit');
    expect(html).toContain('What to do:');
    expect(html).toContain('product_price_vat_inc</code> of 283 records');
  });

  it.skipIf(!CHROMIUM)(`renders in headless Chromium: headings in the DOM, a screenshot that is not blank${CHROMIUM ? '' : ' (skipped: Debian chromium is not installed; .ci/run installs it)'}`, async () => {
    const page = pathToFileURL(join(tmp, 'feed.report.html')).href;
    const dom = await chromium(['--dump-dom', page]);
    const headings = [...dom.matchAll(/<h2[^>]*>([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(headings).toEqual(HEADINGS);
    expect(dom).toMatch(/<h1>fr-product-creation-example: run report<\/h1>/);
    const shot = join(tmp, 'shot.png');
    await chromium(['--window-size=1200,1600', '--hide-scrollbars', `--screenshot=${shot}`, page]);
    const png = decodePng(readFileSync(shot));
    expect([png.width, png.height]).toEqual([1200, 1600]);
    // Text, cards and tables: a blank page (or an error page) has next to no ink.
    expect(inkShare(png)).toBeGreaterThan(0.05);
  });

  it('an API run lists the item results; settings never show a key', async () => {
    const stats = new RunStats();
    stats.item({ id: 'DRL-10051', action: 'update', outcome: 'sent', change: 'price 99.90 → 89.90' });
    stats.item({ id: 'GRD-10004', action: 'update', outcome: 'refused', code: 'NO_CONTENT_APPROVED', message: 'the product is not approved yet' });
    stats.add({ sku: 'DRL-10051', price_vat_included: '89,90', quantity: 3 });
    const html = renderHtmlReport({
      pipeline: 'price-stock', pipelineFile: 'p.yaml', startedAt: new Date(0), durationMs: 1200, ok: true, plan: false,
      counts: { read: 2, written: 2, rejected: 0, filtered: 0 }, rejectsByCode: {}, items: { sent: 1, refused: 1 },
      outputs: [], rejectReport: 'r.csv', settings: { destination: { type: 'manomano-offers', api_key: 'mm-live-SECRET-123', environment: 'production' } }, stats,
    });
    expect(html).toContain('>Items sent to ManoMano</h2>');
    expect(html).toContain('NO_CONTENT_APPROVED');
    expect(html).toContain('price_vat_included</code> of 1 records');
    expect(html).not.toContain('SECRET');
    expect(maskSettings({ a: { password: 'x', token: '', list: [{ api_key: 'k' }] } })).toEqual({ a: { password: '***', token: '', list: [{ api_key: '***' }] } });
  });

  it('report.html in the pipeline writes it too, at the path given', async () => {
    const dir = mkdtempSync(join(tmp, 'setting-'));
    writeFileSync(join(dir, 'in.csv'), 'sku,price\nA1,10\nA2,\n');
    writeFileSync(join(dir, 'p.yaml'), 'version: 1\nname: plain\nsource: { type: csv, path: in.csv }\nmapping: { automap: true }\ndestination: { type: csv, output: out.csv }\nreport: { html: reports/run.html }\n');
    const r = await runCli(['run', join(dir, 'p.yaml')]);
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, 'reports/run.html'), 'utf8');
    expect(html).toContain('Share of the 2 mapped records');
    expect(html).toMatch(/>price<\/text>.*>50\.0%<\/text>/s);
  });

  it('with markets: one page per market, beside its reject report; plan names the file each would write', async () => {
    const dir = mkdtempSync(join(tmp, 'markets-'));
    writeFileSync(join(dir, 'in.csv'), 'sku,price\nA1,10\nA2,12\n');
    writeFileSync(join(dir, 'p.yaml'), 'version: 1\nname: multi\nsource: { type: csv, path: in.csv }\nmapping: { automap: true }\ndestination: { type: csv, output: "out/feed-{market}.csv" }\nreport: { html: true }\nmarkets:\n  fr: {}\n  de: {}\n');
    const s = await runPipeline(join(dir, 'p.yaml'));
    expect(s.markets!.fr!.htmlReport).toBe(join(dir, 'out/feed-fr.report.html'));
    expect(readFileSync(s.markets!.de!.htmlReport!, 'utf8')).toContain('<h1>multi.de: run report</h1>');
    const plan = await runPipeline(join(dir, 'p.yaml'), { plan: true });
    expect(plan.markets!.de!.wouldWrite).toBe(join(dir, 'out/feed-de.csv'));
    await expect(runPipeline(join(dir, 'p.yaml'), { output: '-' })).rejects.toMatchObject({ code: 'CLI_USAGE' });
  });
});
