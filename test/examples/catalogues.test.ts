/**
 * The catalogue examples (examples/catalogues): each is ONE pipeline that validates, runs, and
 * gives the feed and reject report pinned by golden files (test/examples/golden; UPDATE_GOLDEN=1
 * rewrites them after a deliberate change), byte-identical with the fast path on and off.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline, type RunSummary } from '../../engine/runtime/run.js';
import { validatePipeline } from '../../engine/config/validate.js';
import { repoRoot } from '../helpers/cli.js';

const examples = readdirSync(join(repoRoot, 'examples/catalogues')).filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml')).sort();
const goldenDir = join(repoRoot, 'test/examples/golden');

/** A copy of examples/catalogues in a temp dir, so that its ../out stays inside the temp dir. */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'manoflow-catalogues-'));
  cpSync(join(repoRoot, 'examples/catalogues'), join(dir, 'catalogues'), { recursive: true });
  return join(dir, 'catalogues');
}

async function run(file: string, fastPath: boolean): Promise<{ summary: RunSummary; files: Record<string, string> }> {
  const summary = await runPipeline(file, { fastPath }).catch((err) => (err as { summary?: RunSummary }).summary ?? Promise.reject(err));
  const out = join(file, '../../out/catalogues');
  const files: Record<string, string> = {};
  for (const f of readdirSync(out).sort()) files[f] = readFileSync(join(out, f), 'utf8');
  return { summary, files };
}

describe('catalogue examples', () => {
  it('there are the four layouts', () => {
    expect(examples).toEqual(['four-markets.yaml', 'magento-to-manomano.yaml', 'prestashop-to-manomano.yaml', 'shopify-to-manomano.yaml']);
  });

  for (const example of examples) {
    it(`${example}: valid, runs, feed and rejects as pinned, fast path = stock interpreter`, async () => {
      const dir = copy();
      expect(validatePipeline(join(dir, example)).filter((d) => d.severity === 'error')).toEqual([]);
      const fast = await run(join(dir, example), true);
      const summary = fast.summary;
      for (const t of Object.values(summary.markets ?? { all: summary })) {
        expect(t.written + t.rejected + t.filtered).toBe(t.records ?? summary.read);
      }
      const golden = join(goldenDir, basename(example, '.yaml'));
      if (process.env.UPDATE_GOLDEN || !existsSync(golden)) {
        mkdirSync(golden, { recursive: true });
        for (const [f, text] of Object.entries(fast.files)) writeFileSync(join(golden, f), text);
      }
      const pinned = Object.fromEntries(readdirSync(golden).sort().map((f) => [f, readFileSync(join(golden, f), 'utf8')]));
      expect(fast.files).toEqual(pinned);
      const stock = await run(join(copy(), example), false);
      expect(stock.files).toEqual(fast.files);
    });
  }

  it('mapping workers write what the main thread writes (group_by, let, each, spread)', async () => {
    const dir = copy();
    const file = join(dir, 'shopify-to-manomano.yaml');
    const main = await runPipeline(file, { workers: 0, output: join(dir, 'main.csv') });
    const workers = await runPipeline(file, { workers: 2, output: join(dir, 'workers.csv') });
    expect({ ...workers, durationMs: 0, outputs: [], rejectReport: '' }).toEqual({ ...main, durationMs: 0, outputs: [], rejectReport: '' });
    expect(readFileSync(join(dir, 'workers.csv'), 'utf8')).toBe(readFileSync(join(dir, 'main.csv'), 'utf8'));
    expect(readFileSync(workers.rejectReport, 'utf8')).toBe(readFileSync(main.rejectReport, 'utf8'));
  });
});
