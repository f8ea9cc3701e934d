/**
 * What a pipeline file may cost to load (issue 11 item 9): an alias bomb, an anchor of a megabyte
 * repeated, a file of many megabytes and a structure that contains itself are refused with a
 * CFG_* diagnostic and exit 2 (they used to take seconds and hundreds of megabytes, or crash with
 * exit 3). The YAML error positions are pinned by the golden files in diagnostics/.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipeline } from '../../engine/config/load.js';
import { validatePipeline } from '../../engine/config/validate.js';
import { MAX_ALIAS_EXPANSION, MAX_PIPELINE_BYTES } from '../../engine/config/yaml-limits.js';
import { runCli } from '../helpers/cli.js';
import { loadProject } from '../../engine/project/load.js';
import { validateProject } from '../../engine/project/validate.js';

const tail = 'mapping:\n  attributes:\n    sku: id\ndestination: { type: csv, output: out.csv }\n';

function pipelineFile(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mf-yaml-limits-'));
  writeFileSync(join(dir, 'in.csv'), 'id\nA\n');
  writeFileSync(join(dir, 'p.yaml'), `version: 1\nname: limits\nsource: { type: csv, path: in.csv }\n${body}${tail}`);
  return join(dir, 'p.yaml');
}

const bomb = ['vars:', '  l0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  ...Array.from({ length: 8 }, (_, i) => `  l${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`)].join('\n') + '\n';

describe('YAML cost limits', () => {
  it('an alias bomb: CFG_YAML_ALIAS_LIMIT at the alias that crosses the limit, exit 2 for validate and run', async () => {
    const file = pipelineFile(bomb);
    const d = validatePipeline(loadPipeline(file));
    expect(d.map((x) => [x.code, x.line])).toEqual([['CFG_YAML_ALIAS_LIMIT', 10]]);
    for (const command of ['validate', 'run']) {
      const r = await runCli([command, file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('CFG_YAML_ALIAS_LIMIT');
      expect(r.stderr).not.toContain('unexpected error');
    }
  });

  it('an anchor of 600 KB used twice is refused at the second use; once is fine', () => {
    const big = 'x'.repeat(600 * 1024);
    expect(2 * big.length).toBeGreaterThan(MAX_ALIAS_EXPANSION);
    const twice = loadPipeline(pipelineFile(`vars:\n  a: &big "${big}"\n  b: *big\n  c: *big\n`));
    expect(twice.diagnostics.map((x) => [x.code, x.line])).toEqual([['CFG_YAML_ALIAS_LIMIT', 7]]);
    const once = loadPipeline(pipelineFile(`vars:\n  a: &big "${big}"\n  b: *big\n`));
    expect(once.diagnostics).toEqual([]);
    expect((once.config.vars as { b: string }).b).toHaveLength(big.length);
  });

  it('a pipeline file over the size limit is not parsed: CFG_FILE_TOO_LARGE', async () => {
    const file = pipelineFile(`vars:\n  blob: "${'y'.repeat(MAX_PIPELINE_BYTES)}"\n`);
    const d = validatePipeline(loadPipeline(file));
    expect(d.map((x) => x.code)).toEqual(['CFG_FILE_TOO_LARGE']);
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CFG_FILE_TOO_LARGE the pipeline file holds 1\.0 MiB, more than the 1 MiB/);
  });
});

describe('the same limits for a project file (manoflow.yaml), parsed like a pipeline', () => {
  const projectFile = (body: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-yaml-limits-project-'));
    writeFileSync(join(dir, 'manoflow.yaml'), `version: 1\nname: limits\n${body}pipelines: {}\nsellers: {}\n`);
    return join(dir, 'manoflow.yaml');
  };

  it('an alias bomb is CFG_YAML_ALIAS_LIMIT, not a crash; an oversized file CFG_FILE_TOO_LARGE', async () => {
    const bombed = projectFile(bomb);
    // line 9: the pipeline above has one more line (source:) before the same text
    expect(validateProject(loadProject(bombed)).map((x) => [x.code, x.line])).toEqual([['CFG_YAML_ALIAS_LIMIT', 9]]);
    const r = await runCli(['validate', bombed]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CFG_YAML_ALIAS_LIMIT');
    expect(r.stderr).not.toContain('unexpected error');
    const big = projectFile(`vars:\n  blob: "${'y'.repeat(MAX_PIPELINE_BYTES)}"\n`);
    expect(validateProject(loadProject(big)).map((x) => x.code)).toEqual(['CFG_FILE_TOO_LARGE']);
  });

  it('a syntax error is located from its offset, not the parser\'s line count', () => {
    // an unclosed flow sequence on line 3: the yaml library's own line for the error is further down
    const file = projectFile('vars: [a, b\n\n\n\nx: 1\n');
    const d = loadProject(file).diagnostics.filter((x) => x.code === 'CFG_YAML_SYNTAX');
    expect(d.length).toBeGreaterThan(0);
    const piped = loadPipeline(pipelineFile('vars: [a, b\n\n\n\nx: 1\n')).diagnostics.filter((x) => x.code === 'CFG_YAML_SYNTAX');
    // the same text gives the same lines as in a pipeline, whose header has one more line (source:)
    expect(d.map((x) => x.line + 1)).toEqual(piped.map((x) => x.line));
  });
});
