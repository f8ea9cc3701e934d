#!/usr/bin/env node
// Runaway regexes: the options measured in one run, each in its own process (V8 flags are per
// process). For each: the cost on ordinary catalogue patterns (us per replace, and the ratio to
// plain RegExp), the time of `^(a+)+$` on a 35-character value and on a 100k one, and how many
// results differ from JavaScript's RegExp on a corpus of French catalogue text (nbsp, CRLF, emoji,
// case folding): the semantics JSONata users rely on.
//   plain       RegExp as Node runs it (no protection)
//   v8-linear   manoflow's choice: V8's linear engine after excessive backtracking + safeRegExp
//   vm-deadline each match in a vm context with a timeout (a deadline that really stops the work)
//   re2         the re2 npm package (native RE2), when installed: --re2 PATH/TO/node_modules/re2
// Build first (`npm run build`). Usage: node bench/regex.mjs [--iterations 200000] [--re2 PATH]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import vm from 'node:vm';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { iterations: { type: 'string' }, re2: { type: 'string' }, child: { type: 'string' } } });
const ITER = Number(values.iterations ?? 200_000);

// typical rule-box patterns (replace_regex, $replace, $match in feed mappings) on catalogue text
const ORDINARY = [
  ['(\\d+) ?mm', 'g', '$1 mm'], ['\\s+', 'g', ' '], ['<[^>]+>', 'g', ''], ['[^\\w\\s-]', 'g', ''],
  ['^\\s+|\\s+$', 'g', ''], ['perceuse', 'gi', 'Perceuse'], ['(\\d+),(\\d+)', 'g', '$1.$2'], ['\\b(\\w)(\\w*)', 'g', '$1$2'],
];
const TEXTS = ['Perceuse visseuse 18V  <b>sans fil</b> 2 batteries 4,0 Ah', 'Vis inox A2 6x60 mm - boîte de 100', '  Scie circulaire 1400W ø190mm  ', 'PERCEUSE à percussion\u00a0750 W\r\n'];
const CORPUS = ['12\u00a0mm', 'a\r\nb', 'x😀y', 'K\u212Ak', 'sSſ', 'ÉCOLE école', 'STRASSE Straße', 'a\u2028b', 'Perceuse\u202f18V'];
const SEMANTIC = [['\\s+', 'g'], ['.', 'g'], ['[^a]', 'g'], ['k', 'gi'], ['s', 'gi'], ['$', 'gm'], ['^', 'gm'], ['é', 'gi'], ['ss', 'gi']];

function engineFor(kind) {
  if (kind === 'plain') return (p, f) => new RegExp(p, f);
  if (kind === 're2') {
    const RE2 = createRequire(import.meta.url)(values.re2);
    return (p, f) => new RE2(p, f);
  }
  if (kind === 'vm-deadline') {
    const ctx = vm.createContext({ re: null, s: '', r: '', out: null });
    const script = new vm.Script('out = s.replace(re, r)');
    return (p, f) => {
      const re = new RegExp(p, f);
      return { [Symbol.replace]: (s, r) => { ctx.re = re; ctx.s = s; ctx.r = r; script.runInContext(ctx, { timeout: 1000 }); return ctx.out; } };
    };
  }
  return null; // v8-linear: loaded below (the flag is set when manoflow's regex module loads)
}

async function child(kind) {
  let make = engineFor(kind);
  if (!make) make = (await import(resolve(root, 'dist/engine/expr/regex.js'))).safeRegExp;
  const compiled = ORDINARY.map(([p, f, r]) => [make(p, f), r]);
  let sink = 0;
  // best of 3 rounds: the machine is shared, the best round is the least disturbed one
  let ordinaryUs = Infinity;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    for (let i = 0; i < ITER; i++) {
      const [re, r] = compiled[i % compiled.length];
      sink += TEXTS[i % TEXTS.length].replace(re, r).length;
    }
    ordinaryUs = Math.min(ordinaryUs, ((performance.now() - t0) * 1000) / ITER);
  }
  let mismatches = 0;
  for (const [p, f] of SEMANTIC) for (const s of CORPUS) if (s.replace(make(p, f), '#') !== s.replace(new RegExp(p, f), '#')) mismatches++;
  const runaway = (len) => {
    const t = performance.now();
    try { 'a'.repeat(len).concat('!').replace(make('^(a+)+$', 'g'), 'x'); } catch { /* vm timeout */ }
    return performance.now() - t;
  };
  // plain RegExp on 35 characters never ends: its own process (below), stopped after 30 s
  const out = { ordinaryUs, mismatches, checks: SEMANTIC.length * CORPUS.length, runaway27: runaway(27), runaway35: kind === 'plain' ? null : runaway(35), runaway100k: kind === 'plain' ? null : runaway(100_000), sink };
  process.stdout.write(JSON.stringify(out));
}

if (values.child) {
  await child(values.child);
} else {
  const kinds = ['plain', 'v8-linear', 'vm-deadline', ...(values.re2 ? ['re2'] : [])];
  console.log(`regex options, ${ITER} replaces of ordinary patterns each, one run (${new Date().toISOString()})`);
  const results = {};
  for (const kind of kinds) {
    const args = [fileURLToPath(import.meta.url), '--child', kind, '--iterations', String(ITER), ...(values.re2 ? ['--re2', values.re2] : [])];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0 || !r.stdout) throw new Error(`${kind}: ${r.stderr || `exit ${r.status}`}`);
    results[kind] = JSON.parse(r.stdout);
  }
  const t = performance.now();
  const stuck = spawnSync(process.execPath, ['-e', `'a'.repeat(35).concat('!').replace(/^(a+)+$/g, 'x')`], { timeout: 30_000 });
  const plain35 = stuck.signal ? 'still running after 30 s (stopped)' : `${(performance.now() - t).toFixed(0)} ms`;
  const base = results.plain.ordinaryUs;
  const ms = (v) => `${v.toFixed(1)} ms`;
  for (const [kind, r] of Object.entries(results)) {
    const runaway = kind === 'plain' ? `27 chars ${ms(r.runaway27)}, 35 chars ${plain35}` : `27 chars ${ms(r.runaway27)}, 35 chars ${ms(r.runaway35)}, 100k chars ${ms(r.runaway100k)}`;
    console.log(`${kind.padEnd(12)} ordinary ${r.ordinaryUs.toFixed(3)} us/replace (${(r.ordinaryUs / base).toFixed(2)}x plain)  ^(a+)+$: ${runaway}  differs from RegExp on ${r.mismatches}/${r.checks} corpus checks`);
  }
}
