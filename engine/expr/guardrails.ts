/**
 * The guardrail defaults every compiled expression gets: `options.time_limit_ms` and
 * `options.max_depth` as the pipeline schema documents them. They are read from the schema (its
 * single source of truth) and applied in compileExpression, so every caller (run, preview, watch,
 * pipeline tests, workers, rule boxes) is guarded even when a pipeline has no `options` block.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';

/** The time and depth limits of one evaluation; 0 turns a limit off (the API's escape hatch). */
export interface Guardrails {
  timeLimitMs: number;
  maxDepth: number;
}

/** The `default` of options.time_limit_ms / options.max_depth in schemas/parts/pipeline.schema.json. */
function schemaDefaults(): Guardrails {
  const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas/parts/pipeline.schema.json'), 'utf8')) as {
    properties: { options: { properties: Record<string, { default?: unknown }> } };
  };
  const props = schema.properties.options.properties;
  const read = (name: string): number => {
    const v = props[name]?.default;
    if (typeof v !== 'number' || !(v > 0)) throw new Error(`manoflow: schemas/parts/pipeline.schema.json has no positive default for options.${name}`);
    return v;
  };
  return { timeLimitMs: read('time_limit_ms'), maxDepth: read('max_depth') };
}

/** Why: read once at load; a missing default is a packaging bug, so it fails loudly here. */
export const GUARDRAIL_DEFAULTS: Readonly<Guardrails> = Object.freeze(schemaDefaults());

/** The limits an expression runs with: the given ones, the schema defaults for the others. */
export function guardrailsFor(options: { timeLimitMs?: number; maxDepth?: number }): Guardrails {
  return {
    timeLimitMs: options.timeLimitMs ?? GUARDRAIL_DEFAULTS.timeLimitMs,
    maxDepth: options.maxDepth ?? GUARDRAIL_DEFAULTS.maxDepth,
  };
}

/** What to do about a guardrail stop, naming the setting (the reject report shows it). */
export function guardrailHint(kind: 'time' | 'depth', limit: number): string {
  return kind === 'time'
    ? `the expression ran longer than options.time_limit_ms (${limit} ms) on this record: look for a loop that never ends, or raise options.time_limit_ms`
    : `the expression nested deeper than options.max_depth (${limit}): look for a recursion that never ends, or raise options.max_depth`;
}

/**
 * True for a reject a guardrail caused (an expression's EXPR_U1001, or a rule box failure carrying
 * guardrailHint's text): the run warns once on stderr, since every such record costs the limit.
 */
export function isGuardrailReject(reject: { code: string; hint?: string }): boolean {
  return reject.code === 'EXPR_U1001' || (reject.hint !== undefined && /^the expression (ran longer than options\.time_limit_ms|nested deeper than options\.max_depth) \(/.test(reject.hint));
}
