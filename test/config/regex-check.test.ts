/**
 * validate's CFG_REGEX_BACKTRACKING warning in a rule box beside the pipeline (located in the rule
 * file), never for safe patterns, and never for the built-in rule boxes. The wording and the
 * positions in expressions, inline rules and rule arguments are pinned by the golden file
 * test/config/diagnostics/regex-backtracking.yaml.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { validatePipeline } from '../../engine/config/validate.js';
import { regexRisk } from '../../engine/expr/index.js';
import { builtinRulesDir } from '../../engine/rules/index.js';

describe('CFG_REGEX_BACKTRACKING', () => {
  it('points into a rule box file of the pipeline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-rxcheck-'));
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', 'squash.jsonata'), '/**\n * squash: collapse words\n */\n$replace(\n  $, /(\\w+\\s*)*$/, "")\n');
    writeFileSync(join(dir, 'in.csv'), 'ref,name\nA,a\n');
    writeFileSync(join(dir, 'p.yaml'), 'version: 1\nname: rx\nsource: { type: csv, path: in.csv }\nmapping:\n  attributes:\n    sku: ref\n    title: { from: name, rules: [squash, trim] }\n    other: { from: name, rules: [squash, { replace_regex: { pattern: "\\\\s+", with: " " } }] }\ndestination: { type: csv, output: out.csv }\n');
    const found = validatePipeline(join(dir, 'p.yaml')).filter((d) => d.code === 'CFG_REGEX_BACKTRACKING');
    // once for the file, though two attributes use it
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', line: 5, column: 6 });
    expect(found[0]!.file).toMatch(/rules\/squash\.jsonata$/);
    expect(found[0]!.message).toBe('rule box "squash": the regex /(\\w+\\s*)*$/ repeats a repetition ((\\w+\\s*)*), which can take exponential time on some values');
  });

  it('finds nothing risky in the built-in rule boxes', () => {
    const risky: string[] = [];
    for (const f of readdirSync(builtinRulesDir()).filter((n) => n.endsWith('.jsonata'))) {
      const stack: unknown[] = [jsonata(readFileSync(join(builtinRulesDir(), f), 'utf8')).ast()];
      while (stack.length > 0) {
        const n = stack.pop();
        if (n === null || typeof n !== 'object') continue;
        if (n instanceof RegExp) {
          if (regexRisk(n.source, n.flags)) risky.push(`${f}: ${n.source}`);
          continue;
        }
        stack.push(...Object.values(n));
      }
    }
    expect(risky).toEqual([]);
  });
});
