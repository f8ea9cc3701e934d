// Search order, caching, syntax-error positions, header parsing and unknown-rule hints, on real temp dirs.
import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  RuleFileError, applyRule, bindRuleArgs, builtinRulesDir, listRuleBoxes, loadRuleBox, ruleSearchDirs,
} from '../../engine/rules/index.js';
import { ManoflowError } from '../../engine/errors.js';

const root = mkdtempSync(join(tmpdir(), 'manoflow-rules-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function pipelineDir(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function thrown(fn: () => unknown): ManoflowError {
  try {
    fn();
  } catch (err) {
    return err as ManoflowError;
  }
  throw new Error('expected an error');
}

const shout = '/**\n * truncate: a user rule that shadows the built-in.\n * @param length number  ignored\n */\n$uppercase($)\n';

describe('rule search order', () => {
  it('looks in <pipelineDir>/rules, then <pipelineDir>, then the built-ins', () => {
    const dir = join(root, 'p0');
    expect(ruleSearchDirs(dir)).toEqual([join(dir, 'rules'), dir, builtinRulesDir()]);
    expect(builtinRulesDir()).toMatch(/rules$/);
  });

  it('a user rule in <pipelineDir>/rules shadows the built-in', async () => {
    const dir = pipelineDir('p1', { 'rules/truncate.jsonata': shout, 'truncate.jsonata': shout.replace('$uppercase', '$lowercase') });
    const rule = loadRuleBox('truncate', ruleSearchDirs(dir));
    expect(rule.file).toBe(join(dir, 'rules', 'truncate.jsonata'));
    expect(await applyRule(rule, 'Scie', bindRuleArgs(rule, 3), { record: {}, vars: {} })).toBe('SCIE');
  });

  it('a rule beside the pipeline comes before the built-in', () => {
    const dir = pipelineDir('p2', { 'truncate.jsonata': shout });
    expect(loadRuleBox('truncate', ruleSearchDirs(dir)).file).toBe(join(dir, 'truncate.jsonata'));
    expect(loadRuleBox('strip_html', ruleSearchDirs(dir)).file).toBe(join(builtinRulesDir(), 'strip_html.jsonata'));
  });

  it('lists user and built-in rule boxes once each, the user one winning', () => {
    const dir = pipelineDir('p3', { 'rules/truncate.jsonata': shout });
    const list = listRuleBoxes(ruleSearchDirs(dir));
    const truncate = list.filter((r) => r.name === 'truncate');
    expect(truncate).toEqual([{ name: 'truncate', file: join(dir, 'rules', 'truncate.jsonata'), summary: 'a user rule that shadows the built-in.', params: [expect.objectContaining({ name: 'length', type: 'number' })] }]);
    expect(list.map((r) => r.name)).toContain('strip_html');
  });
});

describe('loading', () => {
  it('reads the header: summary, parameters, types, defaults', () => {
    const rule = loadRuleBox('truncate', [builtinRulesDir()]);
    expect(rule.summary).toBe('cut text at a word boundary so it fits a maximum length.');
    expect(rule.params[0]).toEqual({ name: 'length', type: 'number', optional: false, description: 'maximum length in characters' });
    expect(rule.params[1]).toMatchObject({ name: 'ellipsis', type: 'string', optional: true, default: '…' });
  });

  it('compiles once per file version and again after the file changes', () => {
    const dir = pipelineDir('p4', { 'rules/tag.jsonata': '/**\n * tag: v1.\n */\n"v1"\n' });
    const dirs = ruleSearchDirs(dir);
    const a = loadRuleBox('tag', dirs);
    expect(loadRuleBox('tag', dirs)).toBe(a);
    const file = join(dir, 'rules', 'tag.jsonata');
    writeFileSync(file, '/**\n * tag: v2, longer.\n */\n"v2"\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const b = loadRuleBox('tag', dirs);
    expect(b).not.toBe(a);
    expect(b.summary).toBe('v2, longer.');
  });

  it('unknown rule: CFG_UNKNOWN_RULE with a did-you-mean hint', () => {
    const err = thrown(() => loadRuleBox('trunacte', ruleSearchDirs(join(root, 'none'))));
    expect(err.code).toBe('CFG_UNKNOWN_RULE');
    expect(err.hint).toBe('did you mean "truncate"?');
    const far = thrown(() => loadRuleBox('zzzzzzzz', [builtinRulesDir()]));
    expect(far.hint).toMatch(/^known rule boxes: .*strip_html/);
  });

  it('refuses names that are not snake_case (no path tricks)', () => {
    expect(thrown(() => loadRuleBox('../package', [builtinRulesDir()])).code).toBe('CFG_UNKNOWN_RULE');
  });
});

describe('syntax errors are located in the rule file', () => {
  const cases = [
    { name: 'bad_operator', body: '(\n  $a := 1;\n  $b := $a +* 2\n)\n', line: 6, column: 15, jsonata: 'S0202' },
    { name: 'missing_paren', body: '(\n  $s := $;\n  $uppercase($s)\n', line: 7, column: 1, jsonata: 'S0203' },
    { name: 'two_values', body: '(\n  $x := "a"\n  $y\n)\n', line: 6, column: 4, jsonata: 'S0202' },
  ];
  it.each(cases)('$name → line $line, column $column', ({ name, body, line, column, jsonata }) => {
    const header = `/**\n * ${name}: broken on purpose.\n */\n`;
    const dir = pipelineDir(`syntax-${name}`, { [`${name}.jsonata`]: header + body });
    const err = thrown(() => loadRuleBox(name, [dir]));
    expect(err).toBeInstanceOf(RuleFileError);
    const e = err as RuleFileError;
    expect(e.code).toBe('CFG_RULE_SYNTAX');
    expect({ line: e.line, column: e.column }).toEqual({ line, column });
    expect(e.message).toContain(`${join(dir, `${name}.jsonata`)}:${line}:${column}`);
    expect(e.message).toContain(jsonata);
  });

  const headers = [
    { what: 'no header', text: '$uppercase($)', line: 1, message: 'has no header comment' },
    { what: 'header naming another rule', text: '/**\n * other: x.\n */\n$', line: 2, message: 'header names "other"' },
    { what: 'unknown type', text: '/**\n * h: x.\n * @param n integer  count\n */\n$', line: 3, message: 'unknown parameter type "integer"' },
    { what: 'bad default', text: '/**\n * h: x.\n * @param s string = nope  text\n */\n$', line: 3, message: 'not valid JSON' },
    { what: 'default of the wrong type', text: '/**\n * h: x.\n * @param n number = "2"  count\n */\n$', line: 3, message: 'is not a number' },
    { what: 'reserved name', text: '/**\n * h: x.\n * @param record object  r\n */\n$', line: 3, message: 'reserved' },
    { what: 'malformed interval', text: '/**\n * h: x.\n * @param r number in (1, 0) rate\n */\n$', line: 3, message: 'malformed constraint of "r"' },
    { what: 'interval on a string', text: '/**\n * h: x.\n * @param s string in (0, 1) text\n */\n$', line: 3, message: 'applies to number parameters' },
    { what: 'default outside its constraint', text: '/**\n * h: x.\n * @param m string = "x" one of ["a", "b"] mode\n */\n$', line: 3, message: 'outside its own constraint' },
  ];
  it.each(headers)('header error: $what', ({ text, line, message }) => {
    const dir = pipelineDir(`header-${line}-${message.length}`, { 'h.jsonata': text });
    const e = thrown(() => loadRuleBox('h', [dir])) as RuleFileError;
    expect(e.code).toBe('CFG_RULE_SYNTAX');
    expect(e.line).toBe(line);
    expect(e.message).toContain(message);
  });
});

describe('evaluation errors', () => {
  it('name the rule box, its file position and the JSONata code', async () => {
    const dir = pipelineDir('eval', { 'boom.jsonata': '/**\n * boom: fails.\n */\n(\n  $x := 1;\n  $x & $nofunc(2)\n)\n' });
    const rule = loadRuleBox('boom', [dir]);
    const err = (await applyRule(rule, 'a', {}, { record: {}, vars: {} }).catch((e: unknown) => e)) as ManoflowError & { details: Record<string, unknown> };
    expect(err).toBeInstanceOf(ManoflowError);
    expect(err!.code).toBe('EXPR_RULE_FAILED');
    expect(err!.details).toMatchObject({ rule: 'boom', line: 6, jsonataCode: 'T1006' });
    expect(err!.message).toContain('boom.jsonata:6:');
  });

  it('$error() in a rule body is the message', async () => {
    const rule = loadRuleBox('to_number', [builtinRulesDir()]);
    const err = await applyRule(rule, 'abc', bindRuleArgs(rule, undefined), { record: {}, vars: {} }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(/^rule box "to_number" failed: to_number: abc is not a number \(.*to_number\.jsonata:\d+:\d+\)$/);
  });

  it('binds $record and $vars', async () => {
    const dir = pipelineDir('ctx', { 'ctx.jsonata': '/**\n * ctx: reads the record and vars.\n */\n$ & "/" & $record.brand & "/" & $vars.country\n' });
    const rule = loadRuleBox('ctx', [dir]);
    expect(await applyRule(rule, 'x', {}, { record: { brand: 'Bosch' }, vars: { country: 'FR' } })).toBe('x/Bosch/FR');
  });
});
