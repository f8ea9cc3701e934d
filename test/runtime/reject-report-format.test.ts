/**
 * The reject report's format settings: `report.rejects: { delimiter: ";", bom: true }` for Excel
 * with French settings, the path form still accepted, and the columns as documented in docs/reports.md.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../engine/runtime/run.js';
import { REJECT_COLUMNS } from '../../engine/runtime/reject-report.js';
import { repoRoot } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'manoflow-rejects-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'in.csv'), 'ref,prix\nA1,10\nA2,dix; euros\nA3,12\n');

const pipeline = (name: string, report: string) => {
  writeFileSync(join(dir, `${name}.yaml`), `version: 1\nname: ${name}\nsource: { type: csv, path: in.csv }\nmapping:\n  attributes:\n    sku: ref\n    price: { from: prix, rules: [to_number] }\ndestination: { type: csv, output: out/${name}.csv }\n${report}`);
  return join(dir, `${name}.yaml`);
};

describe('reject report format', () => {
  it('delimiter ";" and a BOM, as asked', async () => {
    const s = await runPipeline(pipeline('excel-fr', 'report: { rejects: { delimiter: ";", bom: true } }\n'));
    expect(s.rejected).toBe(1);
    expect(s.rejectReport).toBe(join(dir, 'out/excel-fr.rejects.csv'));
    const text = readFileSync(s.rejectReport, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, row] = text.slice(1).trim().split('\n');
    expect(header).toBe('severity;stage;index;line;id;attribute;code;message;hint');
    // A value holding the delimiter is quoted.
    expect(row).toMatch(/^error;mapping;1;3;;price;EXPR_RULE_FAILED;"(?:[^"]|"")*dix; euros(?:[^"]|"")*";check the value/);
  });

  it('a path and a format together; the string form is a path, written with "," and no BOM', async () => {
    const a = await runPipeline(pipeline('both', 'report: { rejects: { path: reports/problems.csv, delimiter: "\\t" } }\n'));
    expect(a.rejectReport).toBe(join(dir, 'reports/problems.csv'));
    expect(readFileSync(a.rejectReport, 'utf8').split('\n')[0]).toBe(REJECT_COLUMNS.join('\t'));
    const b = await runPipeline(pipeline('plain', 'report: { rejects: reports/plain.csv }\n'));
    const text = readFileSync(b.rejectReport, 'utf8');
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text.split('\n')[0]).toBe(REJECT_COLUMNS.join(','));
  });

  it('docs/reports.md documents the columns the file has', () => {
    const docs = readFileSync(join(repoRoot, 'docs/reports.md'), 'utf8');
    const documented = [...docs.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    for (const c of REJECT_COLUMNS) expect(documented).toContain(c);
  });
});
