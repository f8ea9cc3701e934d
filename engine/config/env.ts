/**
 * `${VAR}` and `${VAR:-default}` interpolation in every string value of a pipeline, done on the
 * YAML nodes (not the text) so positions stay exact. `$${` escapes a literal `${`.
 */
import { visit, isScalar, type Document, type LineCounter, type Scalar } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { registerSecret } from '../secrets.js';
import { positionInScalar } from './yaml-positions.js';

const PATTERN = /\$?\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const SECRET_NAME = /KEY|SECRET|TOKEN|PASS/i;

/** Replaces variables in place on the document; returns diagnostics for unset variables. */
export function interpolateEnv(
  doc: Document,
  source: string,
  lines: LineCounter,
  file: string,
  env: Record<string, string | undefined>,
  /** Values left as written (a project's secret references, resolved only where a job runs). */
  skip?: (pointer: string) => boolean,
): { diagnostics: Diagnostic[]; unresolved: Set<string> } {
  const diagnostics: Diagnostic[] = [];
  /** Pointers of values still holding a `${VAR}`: later checks skip them (one error, not two). */
  const unresolved = new Set<string>();
  visit(doc, {
    Scalar(_key, node: Scalar, path) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      if (skip?.(pointerOf(path, node))) return;
      const original = node.value;
      node.value = original.replace(PATTERN, (match, name: string, fallback: string | undefined, offset: number) => {
        if (match.startsWith('$$')) return match.slice(1);
        const value = env[name];
        if (value !== undefined && value !== '') {
          if (SECRET_NAME.test(name)) registerSecret(value);
          return value;
        }
        if (fallback !== undefined) return fallback;
        const pos = positionInScalar(source, lines, node, offset);
        const pointer = pointerOf(path, node);
        unresolved.add(pointer);
        diagnostics.push({
          file,
          line: pos.line,
          column: pos.column,
          pointer,
          code: 'CFG_ENV_UNSET',
          severity: 'error',
          message: `environment variable ${name} is not set`,
          hint: `export ${name}=... before running, or give a default: \${${name}:-value}`,
        });
        return match;
      });
    },
  });
  return { diagnostics, unresolved };
}

/** JSON pointer of a scalar from yaml's visitor path (pairs carry the keys). */
function pointerOf(path: readonly unknown[], node: Scalar): string {
  const segs: string[] = [];
  let prev: unknown;
  for (const step of [...path, node]) {
    const p = step as { items?: unknown[]; key?: unknown };
    if (prev && (prev as { items?: unknown[] }).items && !('key' in (step as object))) {
      segs.push(String((prev as { items: unknown[] }).items.indexOf(step)));
    }
    if (p && 'key' in (p as object) && 'value' in (p as object)) {
      const k = (p as { key: unknown }).key;
      segs.push(String(isScalar(k) ? k.value : k));
    }
    prev = step;
  }
  return segs.map((s) => `/${s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
