/**
 * A source record's scope: the `let` values, computed once per record in the order written (each
 * may use the ones before it as `$<name>`), then the `each` list whose items become the output
 * records (`$item`, `$item_index`). A failing `let` or `each` rejects the whole source record.
 */
import { RecordError } from '../../errors.js';
import { compileExpression, isPending, type CompiledExpression, type ExprOptions } from '../../expr/index.js';
import { positionOf, toPointer } from '../../config/yaml-positions.js';
import type { PipelineView } from '../../config/markets.js';
import type { Row } from '../types.js';

interface Step { name: string; label: string; where: string; expr: CompiledExpression }

export interface Scope {
  /**
   * Sets the `let` values into `bindings` and gives the `each` items (undefined without `each`);
   * no Promise while everything runs on the fast path. Throws a RecordError naming the step.
   */
  open(record: Row, bindings: Record<string, unknown>): readonly unknown[] | undefined | Promise<readonly unknown[] | undefined>;
}

/** The names a `let` may not take: the bindings every expression already has. */
export const RESERVED_LET_NAMES = new Set(['record', 'vars', 'lookups', 'item', 'item_index']);

/** `each`'s value as a list: a list as is, nothing as none, any other value as a list of one. */
export function eachItems(v: unknown): readonly unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function stepError(step: Step, err: unknown): RecordError {
  if (err instanceof RecordError) {
    return new RecordError(err.code, `${step.label}: ${err.message} (${step.where})`, { cause: err, attribute: step.label, hint: err.hint, details: err.details });
  }
  const e = err as { code?: string; message?: string; position?: number };
  const at = e.position !== undefined ? ` at character ${e.position}` : '';
  return new RecordError(`EXPR_${e.code ?? 'ERROR'}`, `${step.label}: ${e.message}${at} (${step.where})`, {
    cause: err, attribute: step.label, hint: 'check the expression against this record',
  });
}

/** Compiles a view's `let` and `each`; undefined when it has neither (the hot path stays as it was). */
export function compileScope(view: PipelineView, exprOptions: ExprOptions): Scope | undefined {
  const mapping = view.config.mapping as { let?: Record<string, string>; each?: string } | undefined;
  const lets = Object.entries(mapping?.let ?? {});
  if (lets.length === 0 && mapping?.each === undefined) return undefined;
  const where = (pointer: string) => {
    const pos = positionOf(view.doc, view.lines, pointer);
    return `${view.displayPath}:${pos.line}:${pos.column}`;
  };
  const steps: Step[] = lets.map(([name, source]) => ({
    name, label: `let "${name}"`, where: where(toPointer(['mapping', 'let', name])), expr: compileExpression(source, exprOptions),
  }));
  const each: Step | undefined = mapping?.each === undefined ? undefined
    : { name: 'each', label: 'each', where: where('/mapping/each'), expr: compileExpression(mapping.each, exprOptions) };

  async function finish(record: Row, bindings: Record<string, unknown>, from: number, pending: Promise<unknown>): Promise<readonly unknown[] | undefined> {
    for (let i = from; i < steps.length; i++) {
      const step = steps[i]!;
      try {
        bindings[step.name] = await (i === from ? pending : step.expr.evaluate(record, bindings));
      } catch (err) {
        throw stepError(step, err);
      }
    }
    if (each === undefined) return undefined;
    try {
      return eachItems(await (from === steps.length ? pending : each.expr.evaluate(record, bindings)));
    } catch (err) {
      throw stepError(each, err);
    }
  }

  return {
    open(record, bindings) {
      for (let i = 0; i < steps.length; i++) {
        const step = steps[i]!;
        let v: unknown;
        try {
          v = step.expr.evaluate(record, bindings);
        } catch (err) {
          throw stepError(step, err);
        }
        if (isPending(v)) return finish(record, bindings, i, v);
        bindings[step.name] = v;
      }
      if (each === undefined) return undefined;
      let v: unknown;
      try {
        v = each.expr.evaluate(record, bindings);
      } catch (err) {
        throw stepError(each, err);
      }
      return isPending(v) ? finish(record, bindings, steps.length, v) : eachItems(v);
    },
  };
}
