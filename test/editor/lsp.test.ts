/**
 * The editor experience, checked with the real yaml-language-server over stdio: what an editor
 * offers and flags in a pipeline and a test file, given schemas/pipeline.schema.json and
 * schemas/pipeline-test.schema.json.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { docOf, YamlLanguageServer } from '../helpers/lsp.js';

const pipelineSchema = join(repoRoot, 'schemas/pipeline.schema.json');
const testSchema = pathToFileURL(join(repoRoot, 'schemas/pipeline-test.schema.json')).href;

let server: YamlLanguageServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'manoflow-lsp-'));
  // As a user's editor settings would: test files get their schema by file name.
  server = new YamlLanguageServer({ yaml: { validate: true, completion: true, hover: true, schemaStore: { enable: false }, schemas: { [testSchema]: '*.test.yaml' } } });
  await server.initialize();
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes and opens a pipeline whose first line points at the generated schema. */
function openPipeline(name: string, body: string): { uri: string; lines: string[] } {
  const text = `# yaml-language-server: $schema=${pipelineSchema}\n${body}`;
  const file = join(dir, name);
  writeFileSync(file, text);
  return { uri: server.open(file, text), lines: text.split('\n') };
}

/** The 0-based line and the end of the line holding `marker` (where the cursor is). */
function cursorAt(lines: string[], marker: string): { line: number; character: number } {
  const exact = lines.indexOf(marker);
  const line = exact >= 0 ? exact : lines.findIndex((l) => l.includes(marker));
  if (line < 0) throw new Error(`no line with ${marker}`);
  return { line, character: lines[line]!.length };
}

const products = (attributes: string, extra = '') => `version: 1
name: lsp-products
source: { type: csv, path: catalog.csv }
destination:
  type: manomano-products
  output: out.csv
mapping:
  attributes:
${attributes}${extra}`;

describe('rule boxes', () => {
  it('completes rule-box names at a rule position, with their summary and parameters', async () => {
    const { uri, lines } = openPipeline('complete-rule.yaml', products(`    title:
      from: nom
      rules:
        - tru
`));
    const at = cursorAt(lines, '- tru');
    const items = await server.completion(uri, at.line, at.character);
    const labels = items.map((i) => i.label);
    for (const name of ['strip_html', 'truncate', 'number_format', 'to_number', 'trim']) expect(labels).toContain(name);
    expect(labels.filter((l) => l.includes('[object Object]'))).toEqual([]);
    const truncate = items.find((i) => i.label === 'truncate')!;
    expect(docOf(truncate)).toContain('cut text at a word boundary');
    expect(docOf(truncate)).toContain('`length` number');
    // A snippet writes the rule with its required arguments.
    const snippet = items.find((i) => i.label === 'truncate: ...')!;
    expect(snippet.textEdit?.newText ?? snippet.insertText).toMatch(/^truncate: \$\{1:/);
  });

  it('flags an unknown rule box and a misspelt one with arguments as they are typed', async () => {
    const { uri, lines } = openPipeline('misspelt-rule.yaml', products(`    title:
      from: nom
      rules:
        - strip_htm
        - { trunacte: 150 }
        - { truncate: { lenght: 20 } }
        - { truncate: 150 }
        - trim
`));
    const diagnostics = await server.diagnosticsOf(uri);
    const on = (marker: string) => diagnostics.filter((d) => d.range.start.line === cursorAt(lines, marker).line).map((d) => d.message);
    expect(on('strip_htm').join(' ')).toContain('Unknown rule box');
    expect(on('trunacte').join(' ')).toContain('Property trunacte is not allowed');
    expect(on('lenght').join(' ')).toContain('Property lenght is not allowed');
    expect(on('{ truncate: 150 }')).toEqual([]);
    expect(on('- trim')).toEqual([]);
  });
});

describe('no "[object Object]"', () => {
  it('object examples and defaults are offered as snippets, with readable labels', async () => {
    const body = `version: 1
name: lsp-objects
vars: 
lookups: 
report:
  rejects: 
options: 
source: { type: csv, path: catalog.csv }
destination: { type: csv, output: out.csv }
mapping:
  attributes:
    title: 
`;
    const { uri, lines } = openPipeline('objects.yaml', body);
    const seen: string[] = [];
    for (const marker of ['vars: ', 'lookups: ', '  rejects: ', 'options: ', '    title: ']) {
      const at = cursorAt(lines, marker);
      seen.push(...(await server.completion(uri, at.line, at.character)).map((i) => i.label));
    }
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.filter((l) => l.includes('[object Object]'))).toEqual([]);
    expect(seen).toContain('{"delimiter":";","bom":true}');
  });
});

describe('attributes', () => {
  it('completes ManoMano column names under mapping.attributes for manomano-products', async () => {
    const { uri, lines } = openPipeline('complete-attribute.yaml', products('    sku: reference\n    prod\n'));
    const at = cursorAt(lines, '    prod');
    const items = await server.completion(uri, at.line, at.character);
    const price = items.find((i) => i.label === 'product_price_vat_inc');
    expect(price).toBeDefined();
    expect(docOf(price!)).toContain('Required by ManoMano');
    expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(['quantity', 'shipping_time', 'mm_category_id']));
  });

  it('offers nothing and allows any name under attributes for a plain csv file', async () => {
    const body = `version: 1
name: lsp-plain
source: { type: csv, path: catalog.csv }
destination: { type: csv, output: out.csv }
mapping:
  attributes:
    my_free_column: reference
    prod
`;
    const { uri, lines } = openPipeline('plain.yaml', body);
    const at = cursorAt(lines, '    prod');
    const items = await server.completion(uri, at.line, at.character);
    expect(items.map((i) => i.label)).not.toContain('product_price_vat_inc');
    const diagnostics = await server.diagnosticsOf(uri);
    expect(diagnostics.filter((d) => d.range.start.line === cursorAt(lines, 'my_free_column').line)).toEqual([]);
  });

  it('finds nothing to flag in the bundled product template', async () => {
    const file = join(repoRoot, 'pipelines/fr-product-creation.yaml');
    const uri = server.open(file, readFileSync(file, 'utf8'));
    expect((await server.diagnosticsOf(uri)).map((d) => d.message)).toEqual([]);
  });
});

describe('test files', () => {
  it('validates and completes *.test.yaml with the test-file schema', async () => {
    const text = `cases:
  - name: a reject
    input: [ { reference: A1 } ]
    expect_rejetcs: [ { code: MM_REQUIRED } ]
  - name: second
    expe
`;
    const file = join(dir, 'products.test.yaml');
    writeFileSync(file, text);
    const uri = server.open(file, text);
    const lines = text.split('\n');
    const diagnostics = await server.diagnosticsOf(uri);
    expect(diagnostics.map((d) => d.message).join(' ')).toContain('Property expect_rejetcs is not allowed');
    const at = cursorAt(lines, '    expe');
    const labels = (await server.completion(uri, at.line, at.character)).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['expect', 'expect_rejects', 'expect_filtered', 'expect_diagnostics']));
  });
});
