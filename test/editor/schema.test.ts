/**
 * The published schemas as editors see them: generated from the rule boxes and connectors, they
 * accept every pipeline and test file the project ships, and manoflow's own validation still
 * accepts a rule box of the user's (which the published schema cannot know).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validatePipeline } from '../../engine/config/validate.js';
import { builtinRulesDir, listRuleBoxes } from '../../engine/rules/loader.js';
import { RULE_CASE_KEYS } from '../../engine/rules/run-tests.js';
import { TEST_FILE_KEYS } from '../../engine/testing/test-file.js';
import { CASE_KEYS } from '../../engine/testing/types.js';
import { repoRoot } from '../helpers/cli.js';

const readJson = (p: string) => JSON.parse(readFileSync(join(repoRoot, p), 'utf8'));
const pipelineSchema = readJson('schemas/pipeline.schema.json');
const testSchema = readJson('schemas/pipeline-test.schema.json');
let compiled: ValidateFunction | undefined;
/** Compiled once: the bundle is large. */
const pipelineValidator = () => (compiled ??= new Ajv({ allErrors: true, strict: false }).compile(pipelineSchema));
const tracked = (pattern: string) => execFileSync('git', ['ls-files', pattern], { cwd: repoRoot, encoding: 'utf8' }).trim().split('\n').filter(Boolean);

describe('pipeline schema for editors', () => {
  it('names every built-in rule box, with its parameters', () => {
    const builtins = listRuleBoxes([builtinRulesDir()]);
    expect(pipelineSchema.definitions['rule-name'].enum).toEqual(builtins.map((r) => r.name));
    const calls = pipelineSchema.definitions['rule-call'].properties;
    for (const r of builtins) {
      expect(calls[r.name].markdownDescription).toContain(r.summary);
      for (const p of r.params) expect(calls[r.name].markdownDescription).toContain(`\`${p.name}\``);
    }
  });

  it('accepts every pipeline the project ships, as written (before ${VAR} interpolation)', () => {
    const validate = pipelineValidator();
    const files = tracked('*.yaml').filter((f) => /^(pipelines|examples|bench)\//.test(f) && !f.endsWith('.test.yaml'));
    // project files (manoflow.yaml) have their own schema
    const projects = files.filter((f) => f.endsWith('/manoflow.yaml'));
    expect(files.length - projects.length).toBeGreaterThan(10);
    for (const f of files.filter((x) => !projects.includes(x))) {
      const ok = validate(parse(readFileSync(join(repoRoot, f), 'utf8')));
      expect({ f, errors: ok ? [] : validate.errors }).toEqual({ f, errors: [] });
    }
    expect(projects).toEqual(['examples/fleet/manoflow.yaml']);
    const validateProject = new Ajv({ allErrors: true, strict: false }).compile(readJson('schemas/project.schema.json'));
    for (const f of projects) {
      const ok = validateProject(parse(readFileSync(join(repoRoot, f), 'utf8')));
      expect({ f, errors: ok ? [] : validateProject.errors }).toEqual({ f, errors: [] });
    }
  });

  it('rejects a misspelt rule box and a misspelt parameter, and allows free attributes on plain files', () => {
    const validate = pipelineValidator();
    const pipeline = (rules: unknown[], type = 'csv') => ({
      version: 1, name: 'x', source: { type: 'csv', path: 'a.csv' }, destination: { type, output: 'o.csv' },
      mapping: { attributes: { my_column: { from: 'a', rules } } },
    });
    expect(validate(pipeline(['strip_html', { truncate: 150 }, { truncate: { length: 20, ellipsis: '' } }, { jsonata: '$' }]))).toBe(true);
    expect(validate(pipeline(['strip_htm']))).toBe(false);
    expect(validate(pipeline([{ trunacte: 150 }]))).toBe(false);
    expect(validate(pipeline([{ truncate: { lenght: 20 } }]))).toBe(false);
    expect(validate(pipeline([{ truncate: 'abc' }]))).toBe(false);
  });
});

describe('test-file schema', () => {
  it('accepts every *.test.yaml the project ships', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(testSchema);
    const files = tracked('*.test.yaml');
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const ok = validate(parse(readFileSync(join(repoRoot, f), 'utf8'), { merge: true }));
      expect({ f, errors: ok ? [] : validate.errors }).toEqual({ f, errors: [] });
    }
  });

  it('lists the keys the test runners accept, no more, no less', () => {
    const d = testSchema.definitions;
    expect(Object.keys(d.pipelineTestFile.properties).sort()).toEqual([...TEST_FILE_KEYS].sort());
    expect(Object.keys(d.pipelineCase.properties).sort()).toEqual([...CASE_KEYS].sort());
    expect(Object.keys(d.ruleCase.properties).sort()).toEqual([...RULE_CASE_KEYS].sort());
  });
});

describe("manoflow's own validation", () => {
  it('accepts a rule box of the project that the published schema does not list', () => {
    const dir = mkdtempSync(join(tmpdir(), 'manoflow-schema-'));
    try {
      mkdirSync(join(dir, 'rules'));
      writeFileSync(join(dir, 'rules', 'shout.jsonata'), '/**\n * shout: upper case.\n */\n$uppercase($)\n');
      writeFileSync(join(dir, 'p.yaml'), 'version: 1\nname: p\nsource: { type: json, path: in.json }\ndestination: { type: json, output: out.json }\nmapping:\n  attributes:\n    a: { from: a, rules: [shout] }\n    b: { from: b, rules: [shuot] }\n');
      writeFileSync(join(dir, 'in.json'), '[]');
      const diagnostics = validatePipeline(join(dir, 'p.yaml'));
      expect(diagnostics.map((d) => [d.code, d.pointer, d.hint])).toEqual([['CFG_UNKNOWN_RULE', '/mapping/attributes/b/rules/0', 'did you mean "shout"?']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
