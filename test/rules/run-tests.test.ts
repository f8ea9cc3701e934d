// runRuleTestFile on a user's own rule box in a temp dir: passing, failing and malformed cases, with their lines.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRuleTestFile } from '../../engine/rules/index.js';

const dir = mkdtempSync(join(tmpdir(), 'manoflow-ruletests-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(join(dir, 'eco_tax.jsonata'), `/**
 * eco_tax: add the eco-participation (DEEE) to a price.
 * @param amount number  the tax in euros
 */
$ = "" ? $ : $number($formatDecimal($parseNumber($) + $amount, 2, ".", ""))
`);

writeFileSync(join(dir, 'eco_tax.test.yaml'), `# a user's rule, tested like the built-ins
cases:
  - name: adds the tax
    input: "99,90"
    args: 0.5
    expect: 100.4
  - name: wrong expectation
    input: 10
    args: 1
    expect: 12
  - name: missing args
    input: 10
    expect_error: CFG_RULE_ARGS
  - name: expected an error, got a value
    input: 10
    args: 1
    expect_error: CFG_RULE_ARGS
  - name: no expectation
    input: 10
  - name: typo in a key
    input: 10
    expcet: 11
`);

describe('runRuleTestFile', () => {
  it('reports every case with its line, expected and actual values', async () => {
    const results = await runRuleTestFile(join(dir, 'eco_tax.test.yaml'));
    expect(results.map((r) => ({ name: r.name, line: r.line, ok: r.ok }))).toEqual([
      { name: 'adds the tax', line: 3, ok: true },
      { name: 'wrong expectation', line: 7, ok: false },
      { name: 'missing args', line: 11, ok: true },
      { name: 'expected an error, got a value', line: 14, ok: false },
      { name: 'no expectation', line: 18, ok: false },
      { name: 'typo in a key', line: 20, ok: false },
    ]);
    expect(results[1]).toMatchObject({ expected: 12, actual: 11 });
    expect(results[2]).toMatchObject({ expected: { error: 'CFG_RULE_ARGS' }, actual: { error: 'CFG_RULE_ARGS' } });
    expect(results[3]!.error).toBe('expected error CFG_RULE_ARGS, got a value');
    expect(results[4]!.error).toMatch(/no expect/);
    expect(results[5]!.error).toMatch(/unknown case key "expcet"/);
  });

  it('fails clearly on a file without cases', async () => {
    writeFileSync(join(dir, 'empty.test.yaml'), 'rule: trim\n');
    await expect(runRuleTestFile(join(dir, 'empty.test.yaml'))).rejects.toMatchObject({ code: 'CFG_RULE_TEST' });
  });

  it('fails clearly on a rule that does not exist', async () => {
    writeFileSync(join(dir, 'strip_htlm.test.yaml'), 'cases:\n  - input: x\n    expect: x\n');
    await expect(runRuleTestFile(join(dir, 'strip_htlm.test.yaml'))).rejects.toMatchObject({ code: 'CFG_UNKNOWN_RULE', hint: 'did you mean "strip_html"?' });
  });
});
