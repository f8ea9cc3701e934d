#!/usr/bin/env node
// The slow half of test/package/pack.test.ts, run before a release (about 20 s of tsc checking
// @types/node, plus better-sqlite3's native install): packs manoflow, installs the tarball into an empty project, and
// type-checks a TypeScript consumer with skipLibCheck off and no types of its own listed.
//   npm run check:package
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'manoflow-check-package-'));
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tmp], root));
  const project = join(tmp, 'consumer');
  mkdirSync(project);
  // better-sqlite3's install script, approved as the README says (it downloads a prebuilt binary, or compiles for about a minute)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', allowScripts: { 'better-sqlite3': true } }));
  run('npm', ['install', join(tmp, info.filename), '--prefer-offline', '--no-audit', '--no-fund'], project);
  writeFileSync(join(project, 'index.ts'), [
    "import { runPipeline, validatePipeline, watchPipeline, startSimulator, type RunSummary } from 'manoflow';",
    "const s: RunSummary = await runPipeline('p.yaml', { limit: 1 });",
    'console.log(s.read, validatePipeline, watchPipeline, startSimulator);',
    '',
  ].join('\n'));
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ['index.ts'] }));
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', '.'], project);
  console.log('check:package: the packed manoflow installs and a TypeScript consumer type-checks (skipLibCheck off, no types listed)');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
