/**
 * Record diffs between two preview runs, as data: ids (sku, order reference, position), added,
 * removed, changed values per attribute with capped examples, and the printed form.
 */
import { describe, expect, test } from 'vitest';
import { diffRecords, recordCollector, type RecordSet } from '../../engine/watch/diff.js';
import { formatDiff } from '../../engine/watch/format.js';
import type { Row } from '../../engine/runtime/types.js';

function collect(records: Row[]): RecordSet {
  const c = recordCollector();
  records.forEach((record, index) => c.onRecord({ record, position: { index } }));
  return c.set;
}

const cases: { name: string; before: Row[]; after: Row[]; printed: string }[] = [
  {
    name: 'same records: no change',
    before: [{ sku: 'A', title: 'x' }],
    after: [{ sku: 'A', title: 'x' }],
    printed: '  no change since the previous run\n',
  },
  {
    name: 'added, removed and changed by sku, examples capped at 3 per attribute',
    before: [{ sku: 'A', p: 1 }, { sku: 'B', p: 2 }, { sku: 'C', p: 3 }, { sku: 'D', p: 4 }, { sku: 'E', p: 5 }],
    after: [{ sku: 'A', p: 10 }, { sku: 'B', p: 20 }, { sku: 'C', p: 30 }, { sku: 'D', p: 40, t: 'new' }, { sku: 'F', p: 6 }],
    printed: [
      '  changes: 1 added, 1 removed, 4 records changed',
      '    added: sku F',
      '    removed: sku E',
      '    p: 4 values changed (sku A: p 1 → 10; sku B: p 2 → 20; sku C: p 3 → 30; ...)',
      '    t: 1 value changed (sku D: t (empty) → "new")',
      '',
    ].join('\n'),
  },
  {
    name: 'order references, then positions when a record has neither; duplicate ids stay apart',
    before: [{ order_reference: 'M1', d: 'accept' }, { x: 1 }, { order_reference: 'M1', d: 'accept' }],
    after: [{ order_reference: 'M1', d: 'refuse' }, { x: 2 }, { order_reference: 'M1', d: 'accept' }],
    printed: [
      '  changes: 0 added, 0 removed, 2 records changed',
      '    d: 1 value changed (order M1: d "accept" → "refuse")',
      '    x: 1 value changed (#1: x 1 → 2)',
      '',
    ].join('\n'),
  },
  {
    name: 'nested values compare by content, long values are shortened',
    before: [{ sku: 'A', tags: ['a', 'b'], text: 'short' }],
    after: [{ sku: 'A', tags: ['a', 'b'], text: 'y'.repeat(100) }],
    printed: `  changes: 0 added, 0 removed, 1 record changed\n    text: 1 value changed (sku A: text "short" → "${'y'.repeat(56)}...)\n`,
  },
];

describe('diffRecords', () => {
  test.each(cases)('$name', ({ before, after, printed }) => {
    expect(formatDiff(diffRecords(collect(before), collect(after)))).toBe(printed);
  });

  test('the first run has nothing to compare with', () => {
    expect(formatDiff(undefined)).toBe('');
  });
});
