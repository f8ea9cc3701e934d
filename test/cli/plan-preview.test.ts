/**
 * `plan` says what a run would write or send and exits with the code the run would give, its JSON
 * counts agreeing with themselves; `preview` shows the destination's verdict on each record, and
 * a `--sku` that matches nothing fails with a suggestion.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planExitCode } from '../../engine/cli/plan.js';
import { exitCodeOf } from '../../engine/cli/run.js';
import { previewPipeline } from '../../engine/runtime/preview.js';
import { runPipeline, type RunSummary } from '../../engine/runtime/run.js';
import { repoRoot, runCli } from '../helpers/cli.js';

const products = 'examples/product-creation/catalog-to-manomano.yaml';
const tmp = mkdtempSync(join(tmpdir(), 'manoflow-plan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('plan', () => {
  it('a file destination: "would write", the file it would write, and the exit code of run', async () => {
    const plan = await runCli(['plan', products]);
    expect(plan.stdout).toMatch(/^fr-product-creation-example: plan: read 300, would write 269, rejected 19, filtered 12 in/);
    expect(plan.stdout).toContain('  would write: examples/out/manomano-fr.csv\n');
    // the exit code `run` gives (engine/cli/run.ts exitCodeOf, the CLI's own function) on the same records
    const run = await runPipeline(join(repoRoot, products), { output: join(tmp, 'feed.csv') });
    expect(exitCodeOf(run, false)).toBe(1);
    expect(plan.code).toBe(exitCodeOf(run, false));
  });

  it('--json: one rejected count, the records of the reject report; nothing contradicts it', async () => {
    const r = await runCli(['plan', products, '--json']);
    const s = JSON.parse(r.stdout) as { rejected: number; written: number; rejectsByCode: Record<string, number>; details: Record<string, unknown>; wouldWrite: string; rejectReport: string };
    expect(s.rejected).toBe(19);
    // rejectsByCode counts problems (a record can have two): the report has 20 rows for 19 records.
    const rows = readFileSync(s.rejectReport, 'utf8').trim().split('\n').slice(1).filter((row) => row.startsWith('error,'));
    expect(rows).toHaveLength(Object.values(s.rejectsByCode).reduce((a, b) => a + b, 0));
    expect(new Set(rows.map((row) => row.split(',')[2])).size).toBe(s.rejected);
    // The destination counts only its own rejects (18 of 19: one failed in the mapping): not repeated here.
    expect(s.details).not.toHaveProperty('rejected');
    expect(s.details).not.toHaveProperty('written');
    expect(s.wouldWrite).toBe(join(repoRoot, 'examples/out/manomano-fr.csv'));
    expect(r.code).toBe(1);
    expect(planExitCode(s as unknown as RunSummary, true)).toBe(0); // --allow-rejects, as for run
  });

  it('a guard the run would stop on: said, and exit 3 as the run', async () => {
    writeFileSync(join(tmp, 'in.csv'), 'a\n1\n2\n');
    writeFileSync(join(tmp, 'all-bad.yaml'), 'version: 1\nname: all-bad\nsource: { type: csv, path: in.csv }\nmapping:\n  attributes:\n    n: $number("x" & a)\ndestination: { type: csv, output: out.csv }\n');
    const plan = await runCli(['plan', join(tmp, 'all-bad.yaml')]);
    expect(plan.stdout).toContain('all-bad: a run would stop: read 2, would write 0, rejected 2');
    expect(plan.stdout).toContain('  a run would stop: RUN_NOTHING_WRITTEN every record was rejected (2 of 2)');
    expect(plan.code).toBe(3);
    // the run stops on that guard: a failed run, exit 3
    await expect(runPipeline(join(tmp, 'all-bad.yaml'))).rejects.toMatchObject({ code: 'RUN_NOTHING_WRITTEN' });
  });

  it('an API destination: "would send", item by item', async () => {
    const r = await runCli(['plan', 'examples/price-stock/price-stock.yaml'], { env: { MANOFLOW_SANDBOX_URL: undefined } });
    // the "before" side depends on what the example's state (or ManoMano) already knows
    expect(r.stdout).toMatch(/^would-send update {3}DRL-10051 {2}price (\S+ )?→ 99\.90; stock (\S+ )?→ 52$/m);
    expect(r.stdout).toMatch(/price-stock-example: plan: read 13, would send 12, rejected 1, filtered 0 in/);
    expect(r.code).toBe(1);
  });
});

describe('preview', () => {
  it("shows ManoMano's verdict: the reject code and message, or accepted", async () => {
    const r = await runCli(['preview', products, '--limit', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('── record RAN-STA-0001 (source line 2)\n   ManoMano: ✓ accepted\n');
    expect(r.stdout).toContain('── record PLO-GRO-P002-01 (source line 3)\n   ManoMano: ✗ rejected MM_EAN_INVALID (ean): ean "3441192914595" has a wrong check digit\n     hint: send 12 (UPC)');
  });

  it('the verdict of an API destination comes from its record checks (nothing is sent)', async () => {
    const [record] = await previewPipeline(join(repoRoot, 'examples/price-stock/price-stock.yaml'), { sku: 'SND-10119' });
    expect(record!.verdict).toEqual({ accepted: false, rejects: [expect.objectContaining({ code: 'OFFER_QUANTITY_INVALID', attribute: 'quantity' })] });
  });

  it('--sku that no record has: exit 2, said, with the nearest skus', async () => {
    const r = await runCli(['preview', products, '--sku', 'RAN-STA-001']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('manoflow preview: CLI_SKU_NOT_FOUND no record has sku (or source id) "RAN-STA-001"\n  hint: did you mean "RAN-STA-0001" or "RAN-STA-0064" or "RAN-STA-0122"?\n');
  });
});
