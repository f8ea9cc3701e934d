#!/usr/bin/env node
// Compares the CSV parsers we could stand behind engine/runtime/csv-parse.ts: fast-csv (named by
// the style guide), papaparse, csv-parse, and manoflow's own state machine (bare, and as the full
// csv source: header, records, line numbers). Prints rows/s (median of 3), ratios to fast-csv,
// rows with U+FFFD (multi-byte characters broken at chunk boundaries), then a correctness table
// on the edge-case fixtures and the four real catalogues. Never asserted in tests.
//   node bench/csv-parsers.mjs [rows=100000]
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import Papa from 'papaparse';
import { parse as csvParse } from 'csv-parse';
import { parse as csvParseSync } from 'csv-parse/sync';
import { parse as fastCsvParse, parseString as fastCsvParseString } from 'fast-csv';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROWS = Number(process.argv[2] ?? 100_000);
const work = mkdtempSync(join(tmpdir(), 'manoflow-bench-'));

// --- our TypeScript, transpiled to a temp tree (imports keep their .js suffixes) ---
const ours = ['engine/errors.ts', 'engine/runtime/csv-parse.ts', 'engine/runtime/csv-parse-dialect.ts',
  'engine/connectors/sources/csv/index.ts', 'engine/connectors/sources/csv/header.ts', 'engine/connectors/sources/csv/read-text.ts'];
for (const f of ours) {
  const out = ts.transpileModule(readFileSync(join(root, f), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  }).outputText;
  mkdirSync(dirname(join(work, f)), { recursive: true });
  writeFileSync(join(work, f.replace(/\.ts$/, '.js')), out);
}
writeFileSync(join(work, 'package.json'), '{"type":"module"}');
const { CsvParser } = await import(pathToFileURL(join(work, 'engine/runtime/csv-parse.js')).href);
const { default: csvSource } = await import(pathToFileURL(join(work, 'engine/connectors/sources/csv/index.js')).href);

// --- a 100k-row catalogue: ';' delimiter, quoted cells with ';' ',' '""', multi-line cells, umlauts, € ---
const file = join(work, 'catalog.csv');
{
  const out = createWriteStream(file, { encoding: 'utf8' });
  out.write('sku;name;description;price;stock;category;image;ean\n');
  for (let i = 0; i < ROWS; i++) {
    const desc = i % 3 === 0
      ? `"<p>Schraube M${i % 12}; verzinkt, 3"" lang</p>\nZeile zwei: Größe ${'ü'.repeat(i % 5)}\n— Ende"`
      : `"Bohrer ${i}, Ø ${i % 9} mm; Stahl"`;
    const line = `SKU-${i};Münsterländer Werkzeug ${i} €;${desc};${(i % 1000) / 10},99;${i % 50};Werkzeug > Bohrer;https://img.example/${i}.jpg;${4000000000000 + i}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}
const megabytes = (readFileSync(file).length / 1048576).toFixed(1);

const fffd = (fields) => fields.some((f) => typeof f === 'string' && f.includes('\uFFFD'));

const parsers = {
  'fast-csv': () => new Promise((res, rej) => {
    let rows = 0, bad = 0;
    createReadStream(file).pipe(fastCsvParse({ delimiter: ';' }))
      .on('data', (r) => { rows++; if (fffd(r)) bad++; }).on('error', rej).on('end', () => res({ rows, bad }));
  }),
  'csv-parse': async () => {
    let rows = 0, bad = 0;
    for await (const r of createReadStream(file).pipe(csvParse({ delimiter: ';' }))) { rows++; if (fffd(r)) bad++; }
    return { rows, bad };
  },
  'papaparse (utf8 stream)': () => new Promise((res, rej) => {
    let rows = 0, bad = 0;
    Papa.parse(createReadStream(file, { encoding: 'utf8' }), {
      delimiter: ';', step: (r) => { rows++; if (fffd(r.data)) bad++; }, complete: () => res({ rows, bad }), error: rej,
    });
  }),
  'papaparse (Buffer stream, the trap)': () => new Promise((res, rej) => {
    let rows = 0, bad = 0;
    Papa.parse(createReadStream(file), {
      delimiter: ';', step: (r) => { rows++; if (fffd(r.data)) bad++; }, complete: () => res({ rows, bad }), error: rej,
    });
  }),
  'manoflow CsvParser (bare)': async () => {
    let rows = 0, bad = 0;
    const p = new CsvParser({ delimiter: ';' });
    const dec = new TextDecoder('utf-8');
    const out = [];
    for await (const b of createReadStream(file)) {
      p.push(dec.decode(b, { stream: true }), out);
      for (const r of out) { rows++; if (fffd(r.fields)) bad++; }
      out.length = 0;
    }
    p.end(out);
    for (const r of out) { rows++; if (fffd(r.fields)) bad++; }
    return { rows, bad };
  },
  'manoflow csv source (records + lines)': async () => {
    let rows = 1, bad = 0; // + the header, to count rows like the others
    const ctx = { resolvePath: (p) => p, reject() {}, log: { info() {}, warn() {}, debug() {} }, options: {} };
    for await (const item of csvSource.create({ type: 'csv', path: file, delimiter: ';' }, ctx).read()) {
      rows++;
      if (!item.ok || fffd(Object.values(item.record))) bad++;
    }
    return { rows, bad };
  },
};

console.log(`# CSV parsers: ${ROWS} rows (${megabytes} MB, ';', quotes, multi-line cells), node ${process.version}, median of 3`);
const results = {};
for (const [name, run] of Object.entries(parsers)) {
  const times = [];
  let last;
  for (let k = 0; k < 3; k++) {
    const t = process.hrtime.bigint();
    last = await run();
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  times.sort((a, b) => a - b);
  results[name] = { rate: last.rows / times[1], ...last };
}
const base = results['fast-csv'].rate;
console.log('| parser | rows | rows/s | vs fast-csv | rows with U+FFFD |\n|---|---:|---:|---:|---:|');
for (const [name, r] of Object.entries(results)) {
  console.log(`| ${name} | ${r.rows} | ${Math.round(r.rate).toLocaleString('en')} | ${(r.rate / base).toFixed(2)}x | ${r.bad} |`);
}

// --- correctness: every parser against ours, on every fixture ---
const fixtures = join(root, 'test/fixtures/catalogs');
const files = [
  ...readdirSync(join(fixtures, 'edge')).filter((f) => f !== 'latin1.csv').map((f) => join(fixtures, 'edge', f)),
  ...readdirSync(fixtures).filter((f) => f.endsWith('.csv')).map((f) => join(fixtures, f)),
];
const sniff = (text) => { const h = text.split('\n')[0] ?? ''; return [';', '\t', '|', ','].find((d) => h.includes(d)) ?? ','; };
const dropEmpty = (rows) => rows.filter((r) => !(r.length === 1 && r[0] === ''));
const others = {
  papaparse: (text, d) => Papa.parse(text, { delimiter: d }).data,
  'csv-parse': (text, d) => csvParseSync(text, { delimiter: d, relax_column_count: true, bom: true, relax_quotes: true }),
  'fast-csv': (text, d) => new Promise((res, rej) => {
    const rows = [];
    fastCsvParseString(text, { delimiter: d }).on('data', (r) => rows.push(r)).on('error', rej).on('end', () => res(rows));
  }),
};
console.log('\n# Correctness against manoflow CsvParser (= same records; else first difference)');
console.log(`| fixture | manoflow rows | ${Object.keys(others).join(' | ')} |\n|---|---:|${Object.keys(others).map(() => '---').join('|')}|`);
for (const f of files) {
  const text = readFileSync(f, 'utf8').replace(/^\uFEFF/, '');
  const d = sniff(text);
  const p = new CsvParser({ delimiter: d });
  const mine = p.end(p.push(text)).map((r) => r.fields);
  const cells = [];
  for (const [, parse] of Object.entries(others)) {
    let theirs;
    try { theirs = dropEmpty(await parse(text, d)); } catch (err) { cells.push(`throws: ${String(err.message).slice(0, 50)}`); continue; }
    if (JSON.stringify(theirs) === JSON.stringify(mine)) { cells.push('='); continue; }
    const k = theirs.findIndex((r, i) => JSON.stringify(r) !== JSON.stringify(mine[i]));
    const at = k < 0 ? theirs.length : k;
    cells.push(`${theirs.length} rows; row ${at + 1}: ${JSON.stringify(theirs[at] ?? null).slice(0, 40)}`);
  }
  console.log(`| ${f.slice(fixtures.length + 1)} | ${mine.length} | ${cells.join(' | ')} |`);
}
rmSync(work, { recursive: true, force: true });
