/**
 * The order-action journal on real files: keys per order (accept/refuse) or per order and
 * fingerprint (ship/refund), old lines without a fingerprint read as whole-order entries, reload()
 * sees what another writer appended, a torn last line is ignored.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { OrderJournal } from '../../engine/state/journal.js';

const stateDir = () => mkdtempSync(join(tmpdir(), 'mf-journal-'));

describe('OrderJournal', () => {
  test('keys: accept/refuse per order, ship/refund per order and fingerprint', () => {
    expect(OrderJournal.key('accept', 1, 'M1')).toBe('1:M1:accept');
    expect(OrderJournal.key('ship', 1, 'M1', 'abc')).toBe('1:M1:ship:abc');
  });

  test('two fingerprints of one order are two actions; the same one is found again', () => {
    const dir = stateDir();
    const j = new OrderJournal(dir, 'run-1');
    j.record([{ action: 'refund', contract: 1, order_reference: 'M1', fingerprint: 'aaa', state: 'done' }]);
    expect(j.get('refund', 1, 'M1', 'aaa')).toMatchObject({ state: 'done', fingerprint: 'aaa', run: 'run-1' });
    expect(j.get('refund', 1, 'M1', 'bbb')).toBeUndefined();
    expect(j.get('refund', 1, 'M1')).toBeUndefined();
    const line = JSON.parse(readFileSync(j.path, 'utf8').trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ key: '1:M1:refund:aaa', fingerprint: 'aaa', state: 'done' });
  });

  test('an old line without fingerprint stands for the whole order: every ship of that order finds it', () => {
    const dir = stateDir();
    const path = join(dir, 'journal', 'order-actions.jsonl');
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, JSON.stringify({ key: '1:M1:ship', action: 'ship', contract: 1, order_reference: 'M1', state: 'done', at: '2026-08-01T00:00:00Z', run: 'old' }) + '\n');
    const j = new OrderJournal(dir, 'run-2');
    expect(j.get('ship', 1, 'M1', 'any')).toMatchObject({ run: 'old', state: 'done' });
    expect(j.get('ship', 1, 'M1')).toMatchObject({ run: 'old' });
    expect(j.get('ship', 1, 'M2', 'any')).toBeUndefined();
    expect(j.get('refund', 1, 'M1', 'any')).toBeUndefined();
    // A newer exact entry wins over the old whole-order one.
    j.record([{ action: 'ship', contract: 1, order_reference: 'M1', fingerprint: 'any', state: 'failed' }]);
    expect(j.get('ship', 1, 'M1', 'any')).toMatchObject({ state: 'failed', run: 'run-2' });
  });

  test('reload() sees what another writer appended; a torn last line is ignored', () => {
    const dir = stateDir();
    const mine = new OrderJournal(dir, 'a');
    const other = new OrderJournal(dir, 'b');
    other.record([{ action: 'accept', contract: 1, order_reference: 'M1', state: 'done' }]);
    expect(mine.get('accept', 1, 'M1')).toBeUndefined();
    appendFileSync(mine.path, '{"key":"1:M2:acc');
    mine.reload();
    expect(mine.get('accept', 1, 'M1')).toMatchObject({ state: 'done', run: 'b' });
    expect(mine.get('accept', 1, 'M2')).toBeUndefined();
  });
});

describe('appendLinesDurable after a crash mid-write', () => {
  test('the next line starts on its own line, so it is read back', () => {
    const dir = stateDir();
    const j = new OrderJournal(dir, 'a');
    j.record([{ action: 'accept', contract: 1, order_reference: 'M1', state: 'pending' }]);
    appendFileSync(j.path, '{"key":"1:M1:accept","sta');
    j.record([{ action: 'accept', contract: 1, order_reference: 'M1', state: 'done' }]);
    expect(new OrderJournal(dir, 'b').get('accept', 1, 'M1')).toMatchObject({ state: 'done' });
  });
});
