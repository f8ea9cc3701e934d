/**
 * Finds, compiles and caches rule boxes. A rule name resolves to the first
 * `<dir>/<name>.jsonata` in the search dirs, so rules beside a pipeline shadow the built-ins.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManoflowError } from '../errors.js';
import { compileExpression, toExpressionError, type ExprOptions } from '../expr/index.js';
import { didYouMeanHint } from './did-you-mean.js';
import { parseRuleHeader } from './header.js';
import { RuleFileError, lineColumn, type RuleBox, type RuleParam } from './types.js';

const RULE_NAME = /^[a-z][a-z0-9_]*$/;

let packageRoot: string | undefined;

/** The package root (the folder holding package.json), found from this file in src or dist. */
export function findPackageRoot(): string {
  if (packageRoot) return packageRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return (packageRoot = dir);
    const up = dirname(dir);
    if (up === dir) throw new ManoflowError('CFG_NO_PACKAGE_ROOT', `cannot find manoflow's package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** The folder of built-in rule boxes shipped with the package. */
export function builtinRulesDir(): string {
  return join(findPackageRoot(), 'rules');
}

/** Where a pipeline's rule names are looked up, first match wins: its rules/, its folder, the built-ins. */
export function ruleSearchDirs(pipelineDir: string): string[] {
  const dir = resolve(pipelineDir);
  // A pipeline at the package root would list the built-in folder twice.
  return [...new Set([join(dir, 'rules'), dir, builtinRulesDir()])];
}

const cache = new Map<string, { key: string; rule: RuleBox }>();

/** Empties the compile cache (tests, watch mode after a rules folder is replaced). */
export function clearRuleCache(): void {
  cache.clear();
}

function findRuleFile(name: string, searchDirs: string[]): string | undefined {
  for (const dir of searchDirs) {
    const file = join(resolve(dir), `${name}.jsonata`);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** A rule box found on disk, with its header (params empty when the header is unreadable). */
export interface ListedRuleBox { name: string; file: string; summary: string; params: RuleParam[] }

/** Lists every rule box visible from the search dirs (shadowed ones once), sorted by name. */
export function listRuleBoxes(searchDirs: string[]): ListedRuleBox[] {
  const seen = new Map<string, ListedRuleBox>();
  for (const dir of searchDirs) {
    let entries: string[];
    try {
      entries = readdirSync(resolve(dir));
    } catch {
      continue;
    }
    for (const entry of entries.sort()) {
      const name = entry.replace(/\.jsonata$/, '');
      if (name === entry || !RULE_NAME.test(name) || seen.has(name)) continue;
      const file = join(resolve(dir), entry);
      let summary = '';
      let params: RuleParam[] = [];
      try {
        ({ summary, params } = parseRuleHeader(readFileSync(file, 'utf8'), name, file));
      } catch {
        summary = '(header unreadable: run `manoflow test` on it)';
      }
      seen.set(name, { name, file, summary, params });
    }
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function unknownRule(name: string, searchDirs: string[]): ManoflowError {
  const known = listRuleBoxes(searchDirs).map((r) => r.name);
  const suggestion = didYouMeanHint(name, known);
  const hint = suggestion || `known rule boxes: ${known.join(', ')}`;
  return new ManoflowError('CFG_UNKNOWN_RULE', `unknown rule box "${name}" (looked for ${name}.jsonata in ${searchDirs.join(', ')})`, { hint });
}

/**
 * Loads a rule box by name, compiled once per (file, mtime, size, options).
 * Throws CFG_UNKNOWN_RULE, or RuleFileError CFG_RULE_SYNTAX located at the file's line:column.
 */
export function loadRuleBox(name: string, searchDirs: string[], options: ExprOptions = {}): RuleBox {
  if (!RULE_NAME.test(name)) {
    throw new ManoflowError('CFG_UNKNOWN_RULE', `"${name}" is not a rule box name`, {
      hint: 'rule box names are snake_case: lowercase letters, digits and "_" (e.g. strip_html)',
    });
  }
  const file = findRuleFile(name, searchDirs);
  if (!file) throw unknownRule(name, searchDirs);
  const stat = statSync(file);
  const key = `${stat.mtimeMs}:${stat.size}:${JSON.stringify(options)}`;
  const cacheKey = `${file}\0${JSON.stringify(options)}`;
  const hit = cache.get(cacheKey);
  if (hit && hit.key === key) return hit.rule;

  const source = readFileSync(file, 'utf8');
  const header = parseRuleHeader(source, name, file);
  let compiled;
  try {
    compiled = compileExpression(source, options);
  } catch (err) {
    const e = toExpressionError(err);
    // jsonata reports the offset just past the offending token; point at its start.
    const tokenLength = e.token !== undefined && e.token !== null && e.token !== '(end)' ? String(e.token).length : 0;
    const offset = e.position === undefined ? 0 : Math.max(0, e.position - tokenLength);
    const { line, column } = lineColumn(source, offset);
    throw new RuleFileError('CFG_RULE_SYNTAX', file, line, column, `rule box "${name}": JSONata ${e.code}: ${e.message}`, {
      cause: e,
      hint: 'fix the expression, then run `manoflow test` on the rule box',
    });
  }
  const rule: RuleBox = { name, summary: header.summary, params: header.params, file, source, compiled };
  cache.set(cacheKey, { key, rule });
  return rule;
}
