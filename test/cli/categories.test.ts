/**
 * `manoflow categories` as a user runs it, from a fresh directory with no cache and no network:
 * the simulator's tree is fetched once (environment local, the default), cached with its date,
 * searched in five languages, shown, and used to suggest categories for the example catalogue
 * (the committed examples/product-creation/category-suggestions.csv is that output: a golden).
 * Three runs are child processes (a fresh clone's first search, suggest, a missing production
 * tree); the rest calls the command in-process on the same cache, to keep the suite fast.
 * Wording is pinned by categories-*.expected.txt (UPDATE_GOLDEN=1 rewrites them).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { command } from '../../engine/cli/categories.js';
import { repoRoot, runCli } from '../helpers/cli.js';

let cwd: string;
beforeAll(() => { cwd = mkdtempSync(join(tmpdir(), 'manoflow-categories-')); });
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const env = { MANOFLOW_SANDBOX_URL: undefined, MANOMANO_API_KEY: undefined };
const cli = (args: string[]) => runCli(['categories', ...args], { cwd, env });
const dated = (text: string) => text.replace(/fetched \d{4}-\d\d-\d\d( \(\d+ days? ago\))?/g, 'fetched YYYY-MM-DD');
const catalog = join(repoRoot, 'examples/data/catalog.csv');

/** The command in-process, on the test directory's cache: exit code, stdout, stderr. */
async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
  try {
    const code = await command.run([...args, '--state-dir', join(cwd, '.manoflow')]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function golden(name: string, text: string): void {
  const file = join(__dirname, `categories-${name}.expected.txt`);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

describe('manoflow categories', () => {
  it('--search perceuse works from a fresh directory: fetches the local tree, caches it, prints paths and ids', async () => {
    const r = await cli(['--search', 'perceuse']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('taxonomy: fetched 369 categories and 124 feed fields from local');
    golden('search-perceuse', dated(r.stdout));
    const cache = JSON.parse(readFileSync(join(cwd, '.manoflow/taxonomy/local.json'), 'utf8')) as { environment: string; fetched_at: string };
    expect(cache.environment).toBe('local');
    expect(Date.parse(cache.fetched_at)).toBeGreaterThan(0);
  });

  it('reads the cache afterwards, --refresh fetches again; searches German, English, accents and word order', async () => {
    const cached = await inProcess(['--search', 'Akku Bohrmaschinen']);
    expect([cached.code, cached.stderr]).toEqual([0, '']);
    expect(cached.stdout).toContain('Werkzeug > Elektrowerkzeuge > Bohren & Schrauben > Bohrmaschinen > Akku-Bohrmaschinen');
    const json = await inProcess(['--search', 'drills cordless', '--language', 'en_GB', '--json', '--limit', '2']);
    expect(JSON.parse(json.stdout)).toEqual([
      { id: 282238, final: false, score: 1, language: 'en_GB', path: 'Tools > Power tools > Drilling & screwdriving > Drills > Cordless drills' },
      { id: 183800, final: false, score: 0.9, language: 'en_GB', path: 'Tools > Power tools > Drilling & screwdriving > Hammer drills > Cordless hammer drills' },
    ]);
    const accents = await inProcess(['--search', 'etageres metalliques']);
    expect(accents.stdout).toContain('836225  final  Quincaillerie > Rangement > Étagères > Étagères métalliques');
    // `search WORDS` as a subcommand, beside show and suggest, finds the same
    const subcommand = await inProcess(['search', 'etageres', 'metalliques']);
    expect(subcommand.stdout).toBe(accents.stdout);
    const refreshed = await inProcess(['--search', 'perceuse', '--refresh']);
    expect(refreshed.stderr).toContain('taxonomy: fetched');
  });

  it('show ID: the path in five languages and the attributes a final category needs', async () => {
    const r = await inProcess(['show', '355568']);
    expect(r.code).toBe(0);
    golden('show-355568', r.stdout);
    await expect(inProcess(['show', '1'])).rejects.toMatchObject({ code: 'CLI_UNKNOWN_CATEGORY' });
  });

  it('says so when nothing matches (exit 1), and how to get a production tree without a key (exit 2)', async () => {
    const none = await inProcess(['--search', 'zzzzqqq']);
    expect([none.code, dated(none.stdout)]).toEqual([1, 'no category matches "zzzzqqq" (local taxonomy, fetched YYYY-MM-DD)\n']);
    const prod = await cli(['--search', 'perceuse', '--environment', 'production']);
    expect(prod.code).toBe(2);
    expect(prod.stderr).toContain('CLI_NO_TAXONOMY no production taxonomy is cached');
    expect(prod.stderr).toContain('hint: run `manoflow categories --refresh --environment production` with MANOMANO_API_KEY set');
  });

  it('suggest: one ManoMano category per shop category, with a score and alternatives (the committed example file)', async () => {
    const r = await cli(['suggest', catalog, '--column', 'categorie', '--title-column', 'nom']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(repoRoot, 'examples/product-creation/category-suggestions.csv'), 'utf8'));
    expect(r.stderr).toContain('21 distinct categorie value(s) in 300 row(s); 21 matched at score >= 0.5, 0 left without an id');
  });

  it('suggest leaves the id empty below --min-score (exit 1), and names a misspelt column', async () => {
    const out = join(cwd, 'lookup.csv');
    const strict = await inProcess(['suggest', catalog, '--column', 'categorie', '--min-score', '0.9', '--output', out]);
    expect(strict.code).toBe(1);
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => l.split(';'));
    expect(rows[0]).toEqual(['merchant_category', 'mm_category_id', 'path', 'score', 'products', 'alternatives']);
    expect(rows.filter((c) => c[1] === '').length).toBeGreaterThan(0);
    await expect(inProcess(['suggest', catalog, '--column', 'category'])).rejects.toMatchObject({ code: 'CLI_UNKNOWN_COLUMN', hint: 'did you mean "categorie"?' });
  });
});
