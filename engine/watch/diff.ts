/**
 * What changed between two preview runs: records added and removed (by sku, order reference or
 * position), and, per attribute, how many values changed with a few examples. Previews are
 * sample-sized, so both runs' records are simply kept in memory.
 */
import type { OutputItem, Row } from '../runtime/types.js';
import { jsonText } from '../json-text.js';

/** One run's mapped records by id, in run order. */
export type RecordSet = Map<string, Row>;

/** One changed value, for people: `sku X: title "a" → "b"`. */
export interface ValueChange { id: string; before: unknown; after: unknown }

export interface AttributeChange { attribute: string; count: number; examples: ValueChange[] }

export interface RecordDiff {
  added: string[];
  removed: string[];
  /** Records present in both runs with at least one different value. */
  changed: number;
  /** Attributes with changed values, most changes first. */
  attributes: AttributeChange[];
}

/** The id a record is compared by: `sku X`, `order X`, or `#index` (0-based source position). */
export function recordId(item: OutputItem): string {
  const r = item.record;
  if (r.sku !== undefined && r.sku !== null && r.sku !== '') return `sku ${String(r.sku)}`;
  if (r.order_reference !== undefined && r.order_reference !== null && r.order_reference !== '') return `order ${String(r.order_reference)}`;
  return `#${item.position.index}`;
}

/** Collects records as a run maps them (the runPipeline `onRecord` hook); duplicate ids stay apart. */
export function recordCollector(): { set: RecordSet; onRecord: (item: OutputItem) => void } {
  const set: RecordSet = new Map();
  return {
    set,
    onRecord(item) {
      let id = recordId(item);
      if (set.has(id)) id = `${id} (#${item.position.index})`;
      set.set(id, { ...item.record });
    },
  };
}

const same = (a: unknown, b: unknown) => a === b || jsonText(a) === jsonText(b);

/** Compares two runs; `examples` caps the examples kept per attribute. */
export function diffRecords(before: RecordSet, after: RecordSet, examples = 3): RecordDiff {
  const added = [...after.keys()].filter((k) => !before.has(k));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  const byAttribute = new Map<string, AttributeChange>();
  let changed = 0;
  for (const [id, next] of after) {
    const prev = before.get(id);
    if (!prev) continue;
    let differs = false;
    for (const attribute of new Set([...Object.keys(prev), ...Object.keys(next)])) {
      if (same(prev[attribute], next[attribute])) continue;
      differs = true;
      let entry = byAttribute.get(attribute);
      if (!entry) byAttribute.set(attribute, (entry = { attribute, count: 0, examples: [] }));
      entry.count++;
      if (entry.examples.length < examples) entry.examples.push({ id, before: prev[attribute], after: next[attribute] });
    }
    if (differs) changed++;
  }
  const attributes = [...byAttribute.values()].sort((a, b) => b.count - a.count || a.attribute.localeCompare(b.attribute));
  return { added, removed, changed, attributes };
}

/** True when the two runs produced the same records. */
export function isEmptyDiff(d: RecordDiff): boolean {
  return d.added.length === 0 && d.removed.length === 0 && d.changed === 0;
}
