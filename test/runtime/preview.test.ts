/**
 * `manoflow preview`: before/after for a few records and an attribute's lineage through its rule
 * boxes; `manoflow schema` prints the published schema.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { previewPipeline } from '../../engine/runtime/preview.js';
import { repoRoot, runCli } from '../helpers/cli.js';

const example = 'examples/product-creation/catalog-to-manomano.yaml';

describe('preview', () => {
  it('traces an attribute through each rule box, in order', async () => {
    const [record] = await previewPipeline(join(repoRoot, example), { sku: 'PLO-GRO-P002-01', attribute: 'description' });
    expect(record!.position.id).toBe('PLO-GRO-P002-01');
    const steps = record!.lineage!.description!;
    expect(steps.map((s) => s.step)).toEqual(['expression', 'rule 1 (strip_html)', 'rule 2 (truncate)']);
    expect(steps[0]!.value).toContain('&eacute;');
    expect(steps[1]!.value).toContain('évier');
    expect(steps[1]!.value).not.toMatch(/<|&[a-z]+;/);
    expect(record!.after!.description).toBe(steps[2]!.value);
  });

  it('shows a record that fails, with the reason, instead of hiding it', async () => {
    const [record] = await previewPipeline(join(repoRoot, example), { sku: 'JAR-GAR-0135' });
    expect(record!.error).toMatchObject({ code: 'EXPR_RULE_FAILED', attribute: 'product_price_vat_inc' });
    expect(record!.before.prix_ht).toBe('N/A');
  });

  it('CLI: text by default, JSON with --json', async () => {
    const text = await runCli(['preview', example, '--limit', '2']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/── record RAN-STA-0001 \(source line 2\)/);
    expect(text.stdout).toContain('lineage of title:');
    const json = await runCli(['preview', example, '--sku', 'RAN-STA-0001', '--attribute', 'quantity', '--json']);
    const [r] = JSON.parse(json.stdout) as { lineage: Record<string, { step: string; value: unknown }[]> }[];
    expect(r!.lineage.quantity).toEqual([{ step: 'expression', value: '10' }, { step: 'rule 1 (to_number)', value: 10 }]);
  });
});

describe('schema', () => {
  it('prints the published pipeline schema', async () => {
    const r = await runCli(['schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(join(repoRoot, 'schemas/pipeline.schema.json'), 'utf8')));
  });
});
