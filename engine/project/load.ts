/**
 * Loads a project file (`manoflow.yaml`) the way pipelines are loaded: YAML with positions,
 * `${VAR}` interpolation on the nodes (so diagnostics keep their line:column), and the data as
 * plain JS. Sellers' secret references (`/sellers/<id>/secrets/<NAME>`) are NOT interpolated here:
 * only the machine that runs a job reads them (secrets.ts), so the scheduler and `manoflow jobs`
 * never need them and they never travel through Redis. Loading never throws on a bad file.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { interpolateEnv } from '../config/env.js';
import { displayPathOf, parseYamlSource, yamlData } from '../config/load.js';
import { MAX_PIPELINE_BYTES } from '../config/yaml-limits.js';
import type { Diagnostic } from '../errors.js';
import { registerSecretsFromEnv } from '../secrets.js';
import type { ProjectConfig } from '../types/generated/project.js';

/** Why: `run --project`, `schedule` and `worker` look for this name when given no file. */
export const DEFAULT_PROJECT_FILE = 'manoflow.yaml';

/** A project file as loaded; `config` is trustworthy only when `diagnostics` holds no error. */
export interface LoadedProject {
  path: string;
  displayPath: string;
  dir: string;
  source: string;
  doc: Document;
  lines: LineCounter;
  config: ProjectConfig;
  diagnostics: Diagnostic[];
}

const SECRET_POINTER = /^\/sellers\/[^/]+\/secrets\/[^/]+$/;

/** Why: one loader for every command that reads a project; `env` defaults to the process's. */
export function loadProject(file: string, o: { env?: Record<string, string | undefined>; source?: string } = {}): LoadedProject {
  const path = resolve(file);
  const displayPath = displayPathOf(path);
  const lines = new LineCounter();
  const unread = (d: Diagnostic): LoadedProject => ({
    path, displayPath, dir: dirname(path), source: '', doc: parseDocument('', { lineCounter: lines }), lines, config: {} as ProjectConfig, diagnostics: [d],
  });
  let source: string;
  try {
    // checked before reading, as for a pipeline: a project file is settings, never megabytes
    const size = o.source === undefined ? statSync(path).size : Buffer.byteLength(o.source);
    if (size > MAX_PIPELINE_BYTES) {
      return unread({
        file: displayPath, line: 1, column: 1, pointer: '', code: 'CFG_FILE_TOO_LARGE', severity: 'error',
        message: `the project file holds ${(size / 1024 / 1024).toFixed(1)} MiB, more than the ${MAX_PIPELINE_BYTES / 1024 / 1024} MiB it may hold`,
        hint: 'a project file lists pipelines, schedules and sellers: data belongs in sources and lookup files',
      });
    }
    source = o.source ?? readFileSync(path, 'utf8');
  } catch (err) {
    return unread({
      file: displayPath, line: 1, column: 1, pointer: '', code: 'CFG_FILE_NOT_FOUND', severity: 'error',
      message: `cannot read project file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      hint: `check the path; without one, commands look for ${DEFAULT_PROJECT_FILE} in the current directory`,
    });
  }
  const { doc, diagnostics, sound } = parseYamlSource(source, lines, displayPath);
  if (sound) {
    const env = o.env ?? process.env;
    registerSecretsFromEnv(env);
    diagnostics.push(...interpolateEnv(doc, source, lines, displayPath, env, (pointer) => SECRET_POINTER.test(pointer)).diagnostics);
  }
  const data = sound ? yamlData(doc, displayPath, diagnostics, 'project') : {};
  const config = (data && typeof data === 'object' && !Array.isArray(data) ? data : {}) as ProjectConfig;
  if (sound && !diagnostics.some((d) => d.code === 'CFG_YAML_ALIAS_LIMIT') && (!data || typeof data !== 'object' || Array.isArray(data))) {
    diagnostics.push({
      file: displayPath, line: 1, column: 1, pointer: '', code: 'CFG_NOT_A_MAPPING', severity: 'error',
      message: 'a project file must be a YAML mapping (version, name, pipelines, sellers)',
      hint: 'see docs/scale-out.md for an example manoflow.yaml',
    });
  }
  return { path, displayPath, dir: dirname(path), source, doc, lines, config, diagnostics };
}

/** Why: `validate` and `run` accept both kinds of file: a project has `pipelines:` and `sellers:` where a pipeline has `source:` and `destination:`. */
export function looksLikeProject(file: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  return /^pipelines\s*:/m.test(text) && !/^(source|destination|mapping)\s*:/m.test(text);
}
