#!/usr/bin/env node
// `node bench/pandas/agreement.mjs [--rows 3000] [--seed 15]` (after `npm run build`): the pandas
// peer against manoflow on a dirty catalogue, where the benchmark's clean one meets only three of
// the feed's checks. The generated catalogue's rows get seeded defects (numbers that are not
// numbers, missing and empty attributes, bad EANs and URLs, duplicate skus, references and EANs,
// reversed delivery times, HTML left after strip_html, line breaks in cells), then both write
// their feed and reject report and the bytes are compared; differences are printed line by line.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCatalog } from '../generate-catalog.mjs';
import { pandasContext, pandasPython } from './python.mjs';
import { prng } from '../../examples/data/random.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const argv = process.argv.slice(2);
const arg = (name, fallback) => { const k = argv.indexOf(name); return k >= 0 ? Number(argv[k + 1]) : fallback; };
const rows = arg('--rows', 3000);
const seed = arg('--seed', 15);

const python = pandasPython();
if (!python) {
  console.log('pandas agreement: skipped (no python3 with pandas; on Debian: apt-get install python3-pandas)');
  process.exit(0);
}


// [column, value]: one defect; `$prev:col` copies the column from an earlier row (a duplicate)
const DEFECTS = [
  ['prix_ht', 'abc'], ['prix_ht', ''], ['prix_ht', '0'], ['prix_ht', '-5'], ['prix_ht', '1.234,50 €'], ['prix_ht', ' 12.5 '],
  ['prix_barre_ttc', 'n/a'], ['prix_barre_ttc', '0'], ['prix_barre_ttc', '1 999,99'],
  ['stock', 'x'], ['stock', '12,5'], ['stock', '-3'], ['stock', ''],
  ['poids_kg', '0'], ['poids_kg', 'lourd'], ['poids_kg', '0,0004'],
  ['frais_port_ttc', '-1'], ['frais_port_ttc', 'gratuit'], ['frais_port_ttc', ''],
  ['taux_tva', '150'], ['taux_tva', '-1'], ['taux_tva', 'vingt'], ['taux_tva', ''], ['taux_tva', '5,5'],
  ['nom', ''], ['nom', '<b></b>'], ['nom', 'Tom &amp;lt;b&amp;gt; Jerry'], ['nom', 'Caf&amp;eacute; <br / > noir'], ['nom', ' <p>Scie\u00a0 &nbsp;sauteuse</p> '],
  ['description_html', ''], ['description_html', '<p>ligne 1\nligne 2</p>'], ['description_html', '<!-- x --><script>y</script>&lt;p&gt;'],
  ['image_1', ''], ['image_1', 'ftp://x.jpg'], ['image_2', 'http://a b.jpg'], ['image_3', ' https://x/a.jpg '],
  ['ean13', '123'], ['ean13', '3000000079195#3400000158386'], ['ean13', '$prev:ean13'], ['ean13', '30000000791950'],
  ['ean13+reference_fabricant', ''], ['reference', '$prev:reference'], ['reference', ''], ['reference', ' SPACED-REF '],
  ['marque+reference_fabricant', '$prev'], ['marque', ''],
  ['delai_livraison', '5-2'], ['delai_livraison', 'x'], ['delai_livraison', ''], ['transporteur', ''],
  ['categorie', 'Divers > Inconnu'], ['retour_gratuit', ' OUI '], ['couleur', 'Rouge'], ['couleur', ' bleu'],
  // numbers that read two ways, skus a spreadsheet would run, control characters
  ['prix_ht', '1,234'], ['stock', '1.234'], ['poids_kg', '2,500'], ['frais_port_ttc', '4.990'], ['prix_barre_ttc', '1,999'], ['stock', '-0'],
  ['reference', '-REF-1'], ['reference', '=SUM(A1)'], ['reference', '@home'], ['reference', '+33 1'], ['reference', 'R'.repeat(101)], ['reference', 'A\tB'],
  ['nom', 'Perceuse\u0001 18V'], ['transporteur', 'DPD\u001b[2J'], ['description_html', '<p>bad\u007f char</p>'], ['taux_tva', '2\u00010'],
  ['marque', 'Bo\u202esch'], ['couleur', '=rouge'], ['reference_fabricant', '@REF'],
];

function parseLine(line) {
  const cells = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') { cells.push(cell); cell = ''; } else cell += c;
  }
  cells.push(cell);
  return cells;
}

const cellText = (s) => (/[;"\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

const dir = mkdtempSync(join(tmpdir(), 'manoflow-pandas-'));
try {
  const clean = join(dir, 'clean.csv');
  await generateCatalog(rows, clean);
  const [header, ...lines] = readFileSync(clean, 'utf8').trimEnd().split('\n');
  const columns = header.split(';');
  const table = lines.map(parseLine);
  const random = prng(seed);
  for (let i = 0; i < table.length; i++) {
    if (random() > 0.3) continue;
    const [target, value] = DEFECTS[Math.floor(random() * DEFECTS.length)];
    const earlier = table[Math.floor(random() * Math.max(1, i))];
    for (const column of target.split('+')) {
      const k = columns.indexOf(column);
      table[i][k] = value === '$prev' || value === `$prev:${column}` ? earlier[k] : value;
    }
  }
  const dirty = join(dir, 'dirty.csv');
  writeFileSync(dirty, [header, ...table.map((r) => r.map(cellText).join(';'))].join('\n') + '\n');
  const out = (name) => join(dir, name);
  execFileSync(process.execPath, [join(here, '..', 'contenders.mjs'), 'manoflow', dirty, out('m')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const context = await pandasContext(out('context.json'));
  // small chunks, so that duplicates, EAN owners and manoflow's batches cross the seams between them
  execFileSync(python, [join(here, 'reference_pipeline.py'), dirty, out('p/pandas.csv'), out('p/pandas.rejects.csv'), context], {
    cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, BENCH_PANDAS_CHUNK_ROWS: '700' },
  });
  let same = true;
  for (const [a, b, what] of [[out('m/manoflow.csv'), out('p/pandas.csv'), 'feed'], [out('m/manoflow.rejects.csv'), out('p/pandas.rejects.csv'), 'reject report']]) {
    const [x, y] = [readFileSync(a, 'utf8').split('\n'), readFileSync(b, 'utf8').split('\n')];
    const diffs = [];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) diffs.push(`  line ${i + 1}\n    manoflow: ${x[i]}\n    pandas:   ${y[i]}`);
    console.log(`${what}: ${x.length - 1} lines, ${diffs.length === 0 ? 'byte-identical' : `${diffs.length} lines differ`}`);
    for (const d of diffs.slice(0, 20)) console.log(d);
    same &&= diffs.length === 0;
  }
  const codes = {};
  for (const line of readFileSync(out('m/manoflow.rejects.csv'), 'utf8').split('\n').slice(1)) {
    const m = /^(?:error|warning),\w+,\d+,\d+,[^,]*,[^,]*,([A-Z_]+),/.exec(line);
    if (m) codes[m[1]] = (codes[m[1]] ?? 0) + 1;
  }
  console.log(`codes met: ${Object.entries(codes).map(([c, n]) => `${c} ${n}`).join(', ')}`);
  process.exitCode = same ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
