/**
 * A run never writes over a file it reads (issue 11 item 5). It used to replace the pipeline YAML
 * itself, a lookup file, and a source reached through a symlink (the old check compared path
 * text), with `validate` saying ok. Outputs (the output, --output, the reject report, the feedback
 * file) are compared by file identity with the inputs (pipeline, source, lookups, rule boxes):
 * validate reports an error at the output's line, and the run refuses before writing anything.
 */
import { linkSync, mkdirSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOverlaps } from '../../engine/config/file-overlap.js';
import { outputRoot } from '../../engine/config/pipeline-files.js';
import { loadPipeline } from '../../engine/config/load.js';
import { validatePipeline } from '../../engine/config/validate.js';
import { runPipeline } from '../../engine/runtime/run.js';
import { runCli } from '../helpers/cli.js';

const CATALOG = 'ref,cat\nA1,drill\nA2,saw\n';
const LOOKUP = '{"drill": "Perceuses", "saw": "Scies"}\n';
const RULE = '/**\n * shout: upper case.\n */\n$uppercase($)\n';

/** A project: data/catalog.csv, data/categories.json, rules/shout.jsonata and p.yaml with the given destination lines. */
function project(destination: string, extra = ''): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mf-overwrite-'));
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'data/catalog.csv'), CATALOG);
  writeFileSync(join(dir, 'data/categories.json'), LOOKUP);
  writeFileSync(join(dir, 'rules/shout.jsonata'), RULE);
  const file = join(dir, 'p.yaml');
  writeFileSync(file, `version: 1
name: overwrite
source: { type: csv, path: data/catalog.csv }
lookups: { categories: data/categories.json }
mapping:
  attributes:
    sku: { from: ref, rules: [shout] }
    category: $lookup($lookups.categories, cat)
destination: { type: csv, ${destination} }
${extra}`);
  return { dir, file };
}

const errors = (file: string) => validatePipeline(loadPipeline(file)).filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);

/** Everything a run reads, to prove it was not touched. */
const inputsOf = (dir: string, file: string) => [file, 'data/catalog.csv', 'data/categories.json', 'rules/shout.jsonata'].map((f) => readFileSync(f.startsWith('/') ? f : join(dir, f), 'utf8'));

async function refused(dir: string, file: string, code: string): Promise<void> {
  const before = inputsOf(dir, file);
  const err = (await runPipeline(file).catch((e: unknown) => e)) as { code?: string; diagnostics?: { code: string }[] };
  expect(err.code).toBe('CFG_INVALID');
  expect(err.diagnostics!.map((d) => d.code)).toContain(code);
  expect(inputsOf(dir, file)).toEqual(before);
}

describe('an output over an input', () => {
  it('the pipeline file itself', async () => {
    const { dir, file } = project('output: p.yaml');
    expect(errors(file)).toEqual([`9:35 CFG_OUTPUT_IS_INPUT the output p.yaml is the pipeline file itself: the run would replace the pipeline`]);
    await refused(dir, file, 'CFG_OUTPUT_IS_INPUT');
  });

  it('a lookup file', async () => {
    const { dir, file } = project('output: data/categories.json');
    expect(errors(file)).toEqual(['9:35 CFG_OUTPUT_IS_INPUT the output data/categories.json is lookup "categories" file (' + displayOf(dir, 'data/categories.json') + '): the run would replace its own input']);
    await refused(dir, file, 'CFG_OUTPUT_IS_INPUT');
  });

  it('a rule box beside the pipeline', async () => {
    const { dir, file } = project('output: rules/shout.jsonata');
    expect(errors(file)).toEqual([expect.stringMatching(/^9:35 CFG_OUTPUT_IS_INPUT the output rules\/shout\.jsonata is rule box "shout" file/)]);
    await refused(dir, file, 'CFG_OUTPUT_IS_INPUT');
  });

  it('the source reached through a symlink, a folder symlink, another spelling or a hard link', async () => {
    for (const [setup, output] of [
      [(d: string) => symlinkSync(join(d, 'data/catalog.csv'), join(d, 'link.csv')), 'link.csv'],
      [(d: string) => symlinkSync(join(d, 'data'), join(d, 'datalink')), 'datalink/catalog.csv'],
      [(d: string) => mkdirSync(join(d, 'x')), 'x/../data/./catalog.csv'],
      [(d: string) => linkSync(join(d, 'data/catalog.csv'), join(d, 'hard.csv')), 'hard.csv'],
    ] as const) {
      const { dir, file } = project(`output: ${output}`);
      setup(dir);
      expect(errors(file), output).toEqual([expect.stringMatching(new RegExp(`^9:35 CFG_OUTPUT_IS_SOURCE the output ${output.replace(/\./g, '\\.')} is the source file`))]);
      await refused(dir, file, 'CFG_OUTPUT_IS_SOURCE');
    }
  });

  it('the reject report (report.rejects) over the source, or over the output', async () => {
    const over = project('output: out/feed.csv', 'report: { rejects: data/catalog.csv }\n');
    expect(errors(over.file)).toEqual([expect.stringMatching(/^10:20 CFG_OUTPUT_IS_SOURCE the reject report data\/catalog\.csv is the source file/)]);
    const collide = project('output: out/feed.csv', 'report: { rejects: out/feed.csv }\n');
    expect(errors(collide.file)).toEqual([expect.stringMatching(/^10:20 CFG_OUTPUTS_COLLIDE the reject report out\/feed\.csv is also the output/)]);
  });

  it('--output naming the source: exit 2, CFG_OUTPUT_IS_INPUT, nothing written', async () => {
    const { dir, file } = project('output: out/feed.csv');
    expect(errors(file)).toEqual([]);
    const before = inputsOf(dir, file);
    const r = await runCli(['run', file, '--output', join(dir, 'data/catalog.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CFG_OUTPUT_IS_INPUT the --output file .*catalog\.csv is the source file/);
    expect(r.stderr).toContain('hint: --output names the file to write');
    expect(inputsOf(dir, file)).toEqual(before);
  });

  it('an API destination\'s feedback file over its source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-overwrite-'));
    writeFileSync(join(dir, 'feedback.ndjson'), '{"sku":"A1","quantity":1}\n');
    const file = join(dir, 'p.yaml');
    writeFileSync(file, `version: 1
name: loop
source: { type: ndjson, path: feedback.ndjson }
mapping:
  attributes: { sku: sku, quantity: quantity }
destination:
  type: manomano-offers
  environment: local
  api_key: sandbox-key-0001
  seller_contract_id: 110841
  feedback_output: ./feedback.ndjson
`);
    expect(errors(file)).toEqual([expect.stringMatching(/^11:20 CFG_OUTPUT_IS_SOURCE the feedback file \.\/feedback\.ndjson is the source file/)]);
  });
});

describe('an output outside the pipeline\'s folder', () => {
  it('is a warning at the output\'s line; inside the folder, nothing', () => {
    const outside = project('output: ../elsewhere/feed.csv');
    expect(validatePipeline(loadPipeline(outside.file)).map((d) => [d.line, d.severity, d.code])).toEqual([[9, 'warning', 'CFG_OUTPUT_OUTSIDE_PIPELINE_DIR']]);
    const inside = project('output: out/feed.csv');
    expect(validatePipeline(loadPipeline(inside.file))).toEqual([]);
  });

  it('for a pipeline of a project, the tree is the project file\'s folder: a sibling out/ is inside it', () => {
    const root = mkdtempSync(join(tmpdir(), 'mf-project-'));
    const { dir, file } = project('output: ../../out/feed.csv');
    // the pipeline moves into <root>/pipelines/p/, its data and rules with it
    mkdirSync(join(root, 'pipelines'));
    renameSync(dir, join(root, 'pipelines', 'p'));
    const moved = join(root, 'pipelines', 'p', basename(file));
    const alone = validatePipeline(loadPipeline(moved));
    expect(alone.map((d) => d.code)).toEqual(['CFG_OUTPUT_OUTSIDE_PIPELINE_DIR']);
    expect(alone[0]!.message).toContain("is outside the pipeline's folder");
    // a package.json or a git checkout does not widen it: only a manoflow project does
    writeFileSync(join(root, 'package.json'), '{}');
    expect(validatePipeline(loadPipeline(moved)).map((d) => d.code)).toEqual(['CFG_OUTPUT_OUTSIDE_PIPELINE_DIR']);
    writeFileSync(join(root, 'manoflow.yaml'), 'version: 1\nname: x\npipelines: {}\nsellers: {}\n');
    expect(validatePipeline(loadPipeline(moved))).toEqual([]);
    expect(outputRoot(join(root, 'pipelines', 'p'))).toEqual({ dir: root, project: true });
    const far = project('output: ../../../feed.csv');
    renameSync(far.dir, join(root, 'pipelines', 'q'));
    const outside = validatePipeline(loadPipeline(join(root, 'pipelines', 'q', basename(far.file))));
    expect(outside.map((d) => d.message)).toEqual([expect.stringContaining("is outside the project's folder")]);
  });
});

describe('findOverlaps', () => {
  it('takes resolved paths from any caller (templates, lookup objects) and compares identities', () => {
    const { dir } = project('output: out/feed.csv');
    const overlaps = findOverlaps(
      [{ path: join(dir, 'data/catalog.csv'), what: 'the source' }],
      [{ path: join(dir, 'out/feed-2024.csv'), what: 'the output' }, { path: join(dir, 'data', '..', 'data', 'catalog.csv'), what: 'the reject report' }],
    );
    expect(overlaps.map((o) => [o.output.what, o.other.what, o.how])).toEqual([['the reject report', 'the source', 'the same path']]);
  });
});

function displayOf(dir: string, rel: string): string {
  const abs = join(dir, rel);
  const fromCwd = relative(process.cwd(), abs);
  return fromCwd && !fromCwd.startsWith('..') ? fromCwd : abs;
}
