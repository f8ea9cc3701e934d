/**
 * What a watched pipeline depends on: the pipeline file, the rule files its rule refs resolve to,
 * the rule search dirs (a new file there can shadow a built-in or fix an unknown rule), its lookup
 * files, the bundled JSON Schema and, optionally, its source file. Plus a content hash over all of
 * it, so that a save that changes nothing (editors often save twice) never causes a second run.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LoadedPipeline } from '../config/load.js';
import { ruleRefsOf } from '../config/walk.js';
import { loadRuleBox, ruleSearchDirs } from '../rules/index.js';
import { packageRoot } from '../util/package-root.js';

/** Why a file is watched, for the start banner and `--verbose`. */
export type TargetKind = 'pipeline' | 'rule' | 'lookup' | 'schema' | 'source';

/** The files and folders one watch cycle depends on (absolute paths). */
export interface WatchTargets {
  files: Map<string, TargetKind>;
  /** Rule search dirs, first match wins; only their `*.jsonata` entries matter. */
  ruleDirs: string[];
}

/** The bundled pipeline schema validation reads (schemas/pipeline.schema.json in the package). */
export function schemaFile(): string {
  return join(packageRoot(), 'schemas', 'pipeline.schema.json');
}

/** The file a rule ref resolves to, or undefined when no search dir has it yet (the dirs are watched). */
function ruleFileOf(name: string, dirs: string[]): string | undefined {
  try {
    return loadRuleBox(name, dirs).file;
  } catch (err) {
    // A broken rule file (syntax, header) is still the file to watch: the fix is an edit there.
    const file = (err as { file?: unknown }).file;
    if (typeof file === 'string') return file;
    return dirs.map((d) => join(d, `${name}.jsonata`)).find((f) => existsSync(f));
  }
}

/**
 * Computes the targets of a loaded pipeline. Works on an invalid pipeline too (as far as its YAML
 * parsed), so a reference added in a broken edit is already watched when the user fixes it.
 */
export function watchTargets(p: LoadedPipeline, options: { watchSource?: boolean } = {}): WatchTargets {
  const files = new Map<string, TargetKind>([[p.path, 'pipeline']]);
  const ruleDirs = ruleSearchDirs(p.dir);
  const config = (p.config ?? {}) as unknown as Record<string, unknown>;
  for (const ref of safe(() => ruleRefsOf(p.config), [])) {
    if (ref.inline !== undefined) continue;
    const file = ruleFileOf(ref.name, ruleDirs);
    if (file && !files.has(file)) files.set(file, 'rule');
  }
  const lookups = config.lookups;
  if (lookups && typeof lookups === 'object') {
    for (const entry of Object.values(lookups)) {
      // a key → value map is its path; a keyed table has a path setting
      const path = typeof entry === 'string' ? entry : (entry as { path?: unknown } | null)?.path;
      if (typeof path === 'string') files.set(resolve(p.dir, path), 'lookup');
    }
  }
  files.set(schemaFile(), 'schema');
  const source = config.source as { path?: unknown } | undefined;
  if (options.watchSource && source && typeof source.path === 'string') files.set(resolve(p.dir, source.path), 'source');
  return { files, ruleDirs };
}

/** Merges two target sets (an invalid edit adds what it references, drops nothing). */
export function mergeTargets(a: WatchTargets, b: WatchTargets): WatchTargets {
  const files = new Map(a.files);
  for (const [f, k] of b.files) if (!files.has(f)) files.set(f, k);
  return { files, ruleDirs: [...new Set([...a.ruleDirs, ...b.ruleDirs])] };
}

/** The `*.jsonata` names in a folder (empty when it does not exist). */
export function ruleNamesIn(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.jsonata')).sort();
  } catch {
    return [];
  }
}

/**
 * A hash of every target's content (missing files included as missing) and of the rule dirs'
 * listings. Equal hashes mean nothing the pipeline depends on changed: no re-run, no re-print.
 */
export function contentHash(t: WatchTargets): string {
  const h = createHash('sha256');
  for (const file of [...t.files.keys()].sort()) {
    h.update(`file\0${file}\0`);
    try {
      h.update(readFileSync(file));
    } catch (err) {
      h.update(`<${(err as NodeJS.ErrnoException).code ?? 'unreadable'}>`);
    }
    h.update('\0');
  }
  for (const dir of t.ruleDirs) h.update(`dir\0${dir}\0${ruleNamesIn(dir).join('\0')}\0`);
  return h.digest('hex');
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
