/**
 * The guardrails are on by default: an expression compiled without options gets the time and
 * depth limits the pipeline schema documents, on the fast path and on stock, and a pipeline
 * without an `options` block rejects a looping or runaway-recursive record with a code, the
 * attribute and a hint naming the setting, instead of hanging or eating memory.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileExpression, GUARDRAIL_CODE, GUARDRAIL_DEFAULTS, guardrailsFor } from '../../engine/expr/index.js';
import { pipelineSchema } from '../../engine/config/schema-check.js';
import { runPipeline } from '../../engine/runtime/run.js';
import { parseCsvText } from '../../engine/runtime/csv-parse.js';

// tail-recursive: the depth stays flat, only the clock stops it
const LOOP = '($loop := function($n){ $n > 0 ? $loop($n - 1) : 0 }; $loop(1e12))';
// 100k levels deep: only the depth limit stops it before it takes the memory of the machine
const DEEP = '($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))';

describe('guardrail defaults', () => {
  it('are the defaults the pipeline schema documents', () => {
    const props = (pipelineSchema() as { properties: { options: { properties: Record<string, { default: unknown }> } } }).properties.options.properties;
    expect(GUARDRAIL_DEFAULTS).toEqual({ timeLimitMs: props.time_limit_ms!.default, maxDepth: props.max_depth!.default });
    expect(guardrailsFor({})).toEqual(GUARDRAIL_DEFAULTS);
    expect(guardrailsFor({ timeLimitMs: 5, maxDepth: 0 })).toEqual({ timeLimitMs: 5, maxDepth: 0 });
  });

  for (const fastPath of [true, false]) {
    it(`stop a loop on time without any option (fast path ${fastPath ? 'on' : 'off'})`, async () => {
      const expr = compileExpression(LOOP, { fastPath });
      expect(expr.fast).toBe(fastPath);
      const err = await Promise.resolve().then(() => expr.evaluate({})).then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ code: GUARDRAIL_CODE, name: 'ExpressionError' });
      expect((err as { hint?: string }).hint).toContain(`options.time_limit_ms (${GUARDRAIL_DEFAULTS.timeLimitMs} ms)`);
    });

    it(`stop a 100k-deep recursion by depth without any option (fast path ${fastPath ? 'on' : 'off'})`, async () => {
      const before = process.memoryUsage().rss;
      const err = await Promise.resolve().then(() => compileExpression(DEEP, { fastPath }).evaluate({})).then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ code: GUARDRAIL_CODE });
      expect((err as { hint?: string }).hint).toContain(`options.max_depth (${GUARDRAIL_DEFAULTS.maxDepth})`);
      // stopped at 500 levels, not after 100k: far from the 1.2 GB the unguarded recursion took
      expect(process.memoryUsage().rss - before).toBeLessThan(300 * 1024 * 1024);
    });
  }

  it('0 turns a limit off (the API escape hatch the conformance runner uses)', async () => {
    const expr = compileExpression('($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(800))', { maxDepth: 0 });
    expect(await expr.evaluate({})).toBe(800);
    await expect(Promise.resolve().then(() => compileExpression('($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(800))').evaluate({}))).rejects.toMatchObject({ code: GUARDRAIL_CODE });
  });
});

describe('a pipeline without options', () => {
  const setup = (attrs: string, rules: Record<string, string> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-guard-'));
    writeFileSync(join(dir, 'in.csv'), 'ref,name\nA1,Perceuse\nA2,Scie\n');
    mkdirSync(join(dir, 'rules'));
    for (const [name, body] of Object.entries(rules)) writeFileSync(join(dir, 'rules', `${name}.jsonata`), `/**\n * ${name}: loops\n */\n${body}\n`);
    writeFileSync(join(dir, 'p.yaml'), `version: 1\nname: guard\nsource: { type: csv, path: in.csv, id_column: ref }\nmapping:\n  attributes:\n    sku: ref\n${attrs}destination: { type: csv, output: out.csv }\n`);
    return dir;
  };
  // rows of the reject report as objects by column name (the report's columns may grow)
  const rejects = (file: string): Record<string, string>[] => {
    const [head, ...rows] = parseCsvText(readFileSync(file, 'utf8'), { delimiter: ',' }).map((r) => r.fields);
    return rows.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i]!])));
  };

  it('rejects a looping expression and a runaway recursion per record, with the setting in the hint', async () => {
    const dir = setup(`    title: |-\n      name = "Scie" ? ${LOOP} : name\n    depth: |-\n      name = "Perceuse" ? ${DEEP} : name\n`);
    const s = await runPipeline(join(dir, 'p.yaml'), { workers: 0 }).catch((e: { summary?: unknown }) => e.summary as Awaited<ReturnType<typeof runPipeline>>);
    expect([s.read, s.rejected]).toEqual([2, 2]);
    const rows = rejects(s.rejectReport);
    const depth = rows.find((r) => r.id === 'A1')!;
    expect([depth.attribute, depth.code]).toEqual(['depth', `EXPR_${GUARDRAIL_CODE}`]);
    expect(depth.hint).toContain('options.max_depth (500)');
    const time = rows.find((r) => r.id === 'A2')!;
    expect([time.attribute, time.code]).toEqual(['title', `EXPR_${GUARDRAIL_CODE}`]);
    expect(time.message).toContain('ran longer than 1000 ms');
    expect(time.hint).toContain('options.time_limit_ms (1000 ms)');
  });

  it('rejects a looping rule box with the setting in the hint', async () => {
    const dir = setup('    title: { from: name, rules: [spin] }\n', { spin: `$ = "Scie" ? ${LOOP} : $` });
    const s = await runPipeline(join(dir, 'p.yaml'), { workers: 0 });
    expect([s.read, s.written, s.rejected]).toEqual([2, 1, 1]);
    const [row] = rejects(s.rejectReport);
    expect([row!.id, row!.attribute, row!.code]).toEqual(['A2', 'title', 'EXPR_RULE_FAILED']);
    expect(row!.message).toContain(`rule box "spin" failed: ${GUARDRAIL_CODE}`);
    expect(row!.hint).toContain('options.time_limit_ms');
  });
});
