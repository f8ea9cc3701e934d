#!/usr/bin/env node
// Thin launcher for the CLI compiled to dist/ (shipped built in the npm package; in a clone,
// `npm run build` makes it, and `npm test` and `npm run example` build first).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/engine/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('manoflow: dist/ is missing: run `npm run build` first (a clone of the repository is compiled by `npm run build`, `npm test` or `npm run example`)');
  process.exit(70);
}
const { main } = await import(entry.href);
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err?.stack ?? String(err)); process.exitCode = 70; },
);
