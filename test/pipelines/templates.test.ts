/**
 * Every template (pipelines/) and example (examples/) pipeline: validates with manoflow, validates
 * against the published JSON Schema with a plain standard validator (what an editor's YAML
 * language server does), and points its `yaml-language-server` line at that schema. A pipeline of
 * a project (a manoflow.yaml in its folder or above) reads its sellers' ${...}: it validates through
 * the project, per seller, as `manoflow validate` does.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { loadPipeline } from '../../engine/config/load.js';
import { validatePipeline } from '../../engine/config/validate.js';
import { formatDiagnostic } from '../../engine/errors.js';
import { loadProject, looksLikeProject } from '../../engine/project/load.js';
import { validateProject } from '../../engine/project/validate.js';
import { repoRoot } from '../helpers/cli.js';

function pipelineFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) { if (name !== 'out' && !name.startsWith('.')) out.push(...pipelineFiles(path)); continue; }
    if (!/\.ya?ml$/.test(name) || /\.test\.ya?ml$/.test(name)) continue;
    const text = readFileSync(path, 'utf8');
    if (/^version:\s*1\s*$/m.test(text) && !looksLikeProject(path)) out.push(path);
  }
  return out;
}

/** The project file at or above `file`'s folder (within the repository), if any. */
function projectOf(file: string): string | undefined {
  for (let dir = dirname(file); dir.startsWith(repoRoot) && dir !== repoRoot; dir = dirname(dir)) {
    if (existsSync(join(dir, 'manoflow.yaml'))) return join(dir, 'manoflow.yaml');
  }
  return undefined;
}

const files = [...pipelineFiles(join(repoRoot, 'pipelines')), ...pipelineFiles(join(repoRoot, 'examples'))];
const schemaPath = join(repoRoot, 'schemas/pipeline.schema.json');
const ajv = new Ajv.default({ allErrors: true, strict: false });
const standard = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

describe('templates and examples', () => {
  it('there are templates and examples to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  for (const file of files) {
    const name = relative(repoRoot, file);
    describe(name, () => {
      it('validates with manoflow (no errors)', () => {
        const project = projectOf(file);
        // the example project's secrets, as its README line sets them
        if (project) vi.stubEnv('DUPONT_API_KEY', 'set').stubEnv('MARTIN_API_KEY', 'set');
        const diagnostics = project ? validateProject(loadProject(project), { pipelines: true, secrets: true }) : validatePipeline(loadPipeline(file));
        vi.unstubAllEnvs();
        const errors = diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
        expect(errors).toEqual([]);
      });

      it('validates against the published schema with a standard validator', () => {
        const ok = standard(parse(readFileSync(file, 'utf8')));
        expect(standard.errors ?? []).toEqual([]);
        expect(ok).toBe(true);
      });

      it('names the schema for editors on its first line', () => {
        const first = readFileSync(file, 'utf8').split('\n', 1)[0]!;
        const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
        expect(m, `first line of ${name}`).not.toBeNull();
        const target = resolve(dirname(file), m![1]!);
        expect(existsSync(target)).toBe(true);
        expect(target).toBe(schemaPath);
      });
    });
  }
});
