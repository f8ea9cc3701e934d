/**
 * A source record's scope: the `let` values, computed once per record in the order written (each
 * may use the ones before it as `$<name>`; each is written like an attribute: an expression, or
 * `from` + `rules`), then the `each` list whose items become the output records (`$item`,
 * `$item_index`). A failing `let` or `each` rejects the whole source record.
 */
import { RecordError } from '../../errors.js';
import { compileExpression, isPending, type CompiledExpression, type ExprOptions } from '../../expr/index.js';
import { positionOf } from '../../config/yaml-positions.js';
import { letEntries } from '../../config/walk.js';
import type { PipelineView } from '../../config/markets.js';
import type { Row } from '../types.js';
import { evaluateAttribute } from './evaluate.js';
import { compileEntries } from './plan.js';

export interface Scope {
  /**
   * Sets the `let` values into `bindings` and gives the `each` items (undefined without `each`);
   * no Promise while everything runs on the fast path. Throws a RecordError naming the step.
   */
  open(record: Row, bindings: Record<string, unknown>): readonly unknown[] | undefined | Promise<readonly unknown[] | undefined>;
}

/** `each`'s value as a list: a list as is, nothing as none, any other value as a list of one. */
export function eachItems(v: unknown): readonly unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function eachError(where: string, err: unknown): RecordError {
  if (err instanceof RecordError) return new RecordError(err.code, `each: ${err.message} (${where})`, { cause: err, attribute: 'each', hint: err.hint, details: err.details });
  const e = err as { code?: string; message?: string; position?: number; hint?: string };
  const at = e.position !== undefined ? ` at character ${e.position}` : '';
  return new RecordError(`EXPR_${e.code ?? 'ERROR'}`, `each: ${e.message}${at} (${where})`, {
    cause: err, attribute: 'each', hint: e.hint ?? 'check the expression against this record',
  });
}

/** Compiles a view's `let` and `each`; undefined when it has neither (the hot path stays as it was). */
export function compileScope(view: PipelineView, exprOptions: ExprOptions, vars: Record<string, unknown>): Scope | undefined {
  const mapping = view.config.mapping as { each?: string } | undefined;
  const lets = compileEntries(view, letEntries(view.config), exprOptions, vars);
  if (lets.length === 0 && mapping?.each === undefined) return undefined;
  const pos = positionOf(view.doc, view.lines, '/mapping/each');
  const eachWhere = `${view.displayPath}:${pos.line}:${pos.column}`;
  const each: CompiledExpression | undefined = mapping?.each === undefined ? undefined : compileExpression(mapping.each, exprOptions);

  function evaluateEach(record: Row, bindings: Record<string, unknown>): unknown {
    try {
      const v = each!.evaluate(record, bindings);
      return isPending(v) ? v.then(eachItems, (err: unknown) => { throw eachError(eachWhere, err); }) : eachItems(v);
    } catch (err) {
      throw eachError(eachWhere, err);
    }
  }

  async function finish(record: Row, bindings: Record<string, unknown>, from: number, pending: Promise<unknown>): Promise<readonly unknown[] | undefined> {
    // `bindings` is this record's own object (made per source record): no copy needed to await
    for (let i = from; i < lets.length; i++) {
      bindings[lets[i]!.name] = await (i === from ? pending : evaluateAttribute(lets[i]!, record, bindings, vars, false));
    }
    return each === undefined ? undefined : (await evaluateEach(record, bindings)) as readonly unknown[];
  }

  return {
    open(record, bindings) {
      for (let i = 0; i < lets.length; i++) {
        const v = evaluateAttribute(lets[i]!, record, bindings, vars, false);
        if (isPending(v)) return finish(record, bindings, i, v);
        bindings[lets[i]!.name] = v;
      }
      if (each === undefined) return undefined;
      const items = evaluateEach(record, bindings);
      return isPending(items) ? (items as Promise<readonly unknown[]>) : (items as readonly unknown[]);
    },
  };
}
