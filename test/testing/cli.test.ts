// `manoflow test` as a child process (run `npx tsc -p tsconfig.json` first: the CLI runs from dist/).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'manoflow-test-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The example, copied with its data so the copy can be edited. */
function copyExample(): string {
  const root = mkdtempSync(join(tmp, 'example-'));
  mkdirSync(join(root, 'examples'));
  cpSync(join(repoRoot, 'examples/product-creation'), join(root, 'examples/product-creation'), { recursive: true });
  mkdirSync(join(root, 'examples/data'));
  for (const f of ['catalog.csv', 'category-map.json']) cpSync(join(repoRoot, 'examples/data', f), join(root, 'examples/data', f));
  return root;
}

const totals = (stdout: string) => stdout.trimEnd().split('\n').at(-1);

describe('manoflow test (CLI)', () => {
  it('passes on the product-creation example', async () => {
    const r = await runCli(['test', 'examples/product-creation/catalog-to-manomano.test.yaml']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^✓ examples\/product-creation\/catalog-to-manomano\.test\.yaml:\d+ the HTML and emojis of the name are cleaned into the title$/m);
    expect(r.stdout).not.toContain('✗');
    expect(totals(r.stdout)).toMatch(/^\d+ passed, 0 failed$/);
    expect(r.code).toBe(0);
  });

  it('fails with exit 1 and a readable diff when an expected value is changed', async () => {
    const root = copyExample();
    const file = join(root, 'examples/product-creation/catalog-to-manomano.test.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('product_price_vat_inc: 41.09');
    writeFileSync(file, text.replace('product_price_vat_inc: 41.09', 'product_price_vat_inc: 41.1'));
    const line = text.split('\n').findIndex((l) => l.includes('decimal comma) becomes 41.09')) + 1;
    const r = await runCli(['test', 'examples'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain([
      `✗ examples/product-creation/catalog-to-manomano.test.yaml:${line} the price excluding VAT "34,24" (decimal comma) becomes 41.09 with 20 % VAT`,
      '    record 0 (RAN-STA-0001), attribute product_price_vat_inc:',
      '      - expected 41.1',
      '      + actual   41.09',
    ].join('\n'));
    expect(totals(r.stdout)).toMatch(/^\d+ passed, 1 failed$/);
  });

  it('finds test files under the default folders and gives JSON with --json', async () => {
    const root = copyExample();
    const r = await runCli(['test', '--json'], { cwd: root });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { passed: number; failed: number; cases: { file: string; ok: boolean }[] };
    expect(out.failed).toBe(0);
    expect(out.passed).toBe(out.cases.length);
    expect(new Set(out.cases.map((c) => c.file))).toEqual(new Set(['examples/product-creation/catalog-to-manomano.test.yaml', 'examples/product-creation/catalog-with-categories.test.yaml']));
  });

  it('runs rule-box tests too', async () => {
    const r = await runCli(['test', 'rules/trim.test.yaml']);
    expect(r.stdout).toMatch(/^✓ rules\/trim\.test\.yaml:3 trims and collapses spaces, tabs and line breaks$/m);
    expect(r.code).toBe(0);
  });

  it('exits 2 on a missing path, an empty folder, or a malformed test file', async () => {
    const missing = await runCli(['test', 'nope/']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder: nope/');
    const empty = mkdtempSync(join(tmp, 'empty-'));
    const none = await runCli(['test'], { cwd: empty });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no *.test.yaml found');
    writeFileSync(join(empty, 'x.test.yaml'), 'pipeline: x.yaml\ncases: nope\n');
    const bad = await runCli(['test', 'x.test.yaml'], { cwd: empty });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('CFG_PIPELINE_TEST x.test.yaml:1: expected "cases:" with a list of test cases');
    expect(totals(bad.stdout)).toBe('0 passed, 0 failed');
  });
});
