// Runs every rules/*.test.yaml case as its own vitest test, and insists every built-in rule box has one.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRulesDir } from '../../engine/rules/index.js';
import { runRuleTestFile } from '../../engine/rules/run-tests.js';

const dir = builtinRulesDir();
const rules = readdirSync(dir).filter((f) => f.endsWith('.jsonata')).map((f) => f.slice(0, -'.jsonata'.length)).sort();
const testFiles = readdirSync(dir).filter((f) => f.endsWith('.test.yaml')).sort();

describe('built-in rule boxes', () => {
  it('has at least the documented rule boxes', () => {
    for (const name of ['set', 'append', 'prepend', 'append_if_fits', 'trim', 'strip_html', 'remove_brackets', 'dedupe_words',
      'lowercase', 'uppercase', 'capitalize', 'replace', 'replace_regex', 'truncate', 'number_format', 'to_number', 'add_vat',
      'discount', 'if_then_else', 'lookup', 'split', 'join', 'remove_emojis', 'default', 'first', 'limit_items']) {
      expect(rules).toContain(name);
    }
  });

  it.each(rules)('%s has a test file', (name) => {
    expect(existsSync(join(dir, `${name}.test.yaml`)), `rules/${name}.test.yaml is missing`).toBe(true);
  });

  it.each(testFiles)('%s belongs to a rule box', (file) => {
    expect(rules).toContain(file.replace(/\.test\.yaml$/, ''));
  });
});

for (const file of testFiles) {
  describe(`rules/${file}`, async () => {
    const results = await runRuleTestFile(join(dir, file));
    it('has cases', () => {
      expect(results.length).toBeGreaterThanOrEqual(3);
    });
    for (const r of results) {
      it(`${r.name} (line ${r.line})`, () => {
        expect(r.error ?? '', `${file}:${r.line}`).toBe('');
        expect({ actual: r.actual, ok: r.ok }).toEqual({ actual: r.expected, ok: true });
      });
    }
  });
}
