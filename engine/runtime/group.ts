/**
 * `source.group_by`: consecutive rows with the same key become one record, the first row's fields
 * plus `rows` (every row of the group, the first included): a Shopify product and its image rows.
 *
 * Rows of one key must be consecutive. Shop exports write them so, and regrouping scattered rows
 * would mean holding or spilling the whole file; so a key seen again after its group ended stops
 * the run (GROUP_NOT_CONSECUTIVE, naming the key and the line) rather than sending a product
 * split in two. The keys seen are kept in a compact exact set (about 30 bytes a key).
 */
import { ManoflowError, RecordError } from '../errors.js';
import { compileExpression, isPending, type ExprOptions } from '../expr/index.js';
import { customFunctions } from '../rules/index.js';
import { CompactStringSet } from '../util/compact-string-set.js';
import type { Row, SourceItem } from './types.js';

export type GroupBy = string | string[] | { expr: string };

/** Rows read before grouping: the summary says how many rows the records came from. */
export interface GroupCounts { rows: number }

type KeyOf = (row: Row) => string | Promise<string>;

const keyText = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** How a row's key is read: one column, several (joined by NUL), or an expression. */
export function groupKeyOf(groupBy: GroupBy, exprOptions: ExprOptions): KeyOf {
  if (typeof groupBy === 'string') return (row) => keyText(row[groupBy]);
  if (Array.isArray(groupBy)) {
    return (row) => (groupBy.every((c) => keyText(row[c]) === '') ? '' : groupBy.map((c) => keyText(row[c])).join('\u0000'));
  }
  const expr = compileExpression(groupBy.expr, exprOptions);
  const bindings: Record<string, unknown> = { ...customFunctions, record: undefined };
  return (row) => {
    bindings.record = row;
    const v = expr.evaluate(row, bindings);
    return isPending(v) ? v.then(keyText) : keyText(v);
  };
}

function describe(groupBy: GroupBy): string {
  return typeof groupBy === 'string' ? groupBy : Array.isArray(groupBy) ? groupBy.join(', ') : groupBy.expr;
}

/** Groups consecutive rows of `items` by key; source problems pass through where they stand. */
export async function* groupRows(items: AsyncIterable<SourceItem>, groupBy: GroupBy, exprOptions: ExprOptions, counts: GroupCounts): AsyncGenerator<SourceItem> {
  const keyOf = groupKeyOf(groupBy, exprOptions);
  const ended = new CompactStringSet();
  let key: string | undefined;
  let rows: Row[] = [];
  let first: Extract<SourceItem, { ok: true }> | undefined;
  let index = 0;
  const close = (): SourceItem => {
    const record: Row = { ...first!.record, rows };
    const item: SourceItem = { ok: true, record, position: { ...first!.position, index: index++ } };
    if (key !== '') ended.add(key!);
    first = undefined;
    rows = [];
    return item;
  };
  for await (const item of items) {
    if (!item.ok) {
      yield item;
      continue;
    }
    counts.rows++;
    let k: string;
    try {
      const v = keyOf(item.record);
      k = isPending(v) ? await v : v;
    } catch (err) {
      const e = err as { code?: string; message?: string };
      yield { ok: false, position: item.position, error: new RecordError(`EXPR_${e.code ?? 'ERROR'}`, `source group_by: ${e.message}`, { cause: err, hint: 'fix the group_by expression for this row' }) };
      continue;
    }
    // a row without a key belongs to the group before it (continuation rows of some exports)
    if (first !== undefined && (k === key || k === '')) {
      rows.push(item.record);
      continue;
    }
    if (first !== undefined) yield close();
    if (k !== '' && ended.has(k)) {
      throw new ManoflowError('GROUP_NOT_CONSECUTIVE', `source group_by ${describe(groupBy)}: the rows of "${k}" are not consecutive (line ${item.position.line ?? item.position.index + 1} comes after its group ended)`, {
        hint: `sort the export by ${describe(groupBy)} so that each product's rows follow each other (e.g. sort -t';' -k1,1 --stable), or group by another key`,
      });
    }
    key = k;
    first = item;
    rows.push(item.record);
  }
  if (first !== undefined) yield close();
}
