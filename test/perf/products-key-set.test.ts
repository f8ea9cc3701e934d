/**
 * The products feed's duplicate index (key-set.ts) must answer exactly as a JS Set of the same
 * strings: no false duplicate on a full-hash collision, in a table forced to probe and grow, on
 * keys of one-byte, wide, astral and lone-surrogate code units, and for pair keys `a\0b`.
 */
import { describe, expect, it } from 'vitest';
import { CompactStringSet } from '../../engine/connectors/destinations/manomano-products/key-set.js';

/** Deterministic keys mixing every storage kind. */
function keys(n: number, seed = 7): string[] {
  let a = seed;
  const rnd = (m: number): number => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return (a >>> 8) % m;
  };
  const alphabet = ['a', 'B', '0', '-', ' ', 'é', 'ß', 'ÿ', '€', 'Ж', '中', '💡', '\ud83d', '\udca1', '\u0000', '#'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let s = '';
    const len = rnd(12);
    for (let j = 0; j < len; j++) s += alphabet[rnd(alphabet.length)];
    out.push(s);
  }
  return out;
}

describe('CompactStringSet', () => {
  it('answers as a Set while a two-slot table probes and grows', () => {
    const set = new CompactStringSet(2);
    const ref = new Set<string>();
    const all = keys(6000);
    for (const [i, k] of all.entries()) {
      if (i % 2 === 0) {
        expect(set.add(k)).toBe(!ref.has(k));
        ref.add(k);
      }
      // probe with every key, added or not, after each step of a few
      if (i % 331 === 0) for (const q of all.slice(0, i + 50)) expect(set.has(q)).toBe(ref.has(q));
    }
    expect(set.size).toBe(ref.size);
    for (const q of [...all, ...keys(3000, 99)]) expect(set.has(q)).toBe(ref.has(q));
    expect(set.bytes).toBeGreaterThan(0);
  });

  it('never confuses two keys whose full 32-bit hashes are equal', () => {
    // Birthday search: among ~200k short keys some pairs share a hash.
    const byHash = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; pair === undefined && i < 2_000_000; i++) {
      const k = `sku-${i.toString(36)}`;
      const h = CompactStringSet.hash(k);
      const other = byHash.get(h);
      if (other !== undefined) pair = [other, k];
      else byHash.set(h, k);
    }
    expect(pair).toBeDefined();
    const [a, b] = pair!;
    expect(a).not.toBe(b);
    expect(CompactStringSet.hash(a)).toBe(CompactStringSet.hash(b));
    for (const slots of [2, 1024]) {
      const set = new CompactStringSet(slots);
      expect(set.add(a)).toBe(true);
      expect(set.has(b)).toBe(false);
      expect(set.add(b)).toBe(true);
      expect(set.has(a) && set.has(b)).toBe(true);
      expect(set.add(a)).toBe(false);
      expect(set.size).toBe(2);
    }
  });

  it('stores a pair (a, b) as the string a + "\\0" + b', () => {
    const set = new CompactStringSet(2);
    const pairs: [string, string][] = [['bosch', 'gsr-18'], ['Bosch', 'gsr-18'], ['bos', 'ch\u0000gsr-18'], ['', ''], ['é', '💡'], ['a\u0000', 'b'], ['\ud83d', '\udca1']];
    for (const [a, b] of pairs) {
      expect(set.has(a, b)).toBe(set.has(`${a}\u0000${b}`));
      set.add(a, b);
      expect(set.has(a, b)).toBe(true);
      expect(set.has(`${a}\u0000${b}`)).toBe(true);
      expect(CompactStringSet.hash(a, b)).toBe(CompactStringSet.hash(`${a}\u0000${b}`));
    }
    expect(set.has('bosch')).toBe(false);
    expect(set.has('bosch', 'gsr-1')).toBe(false);
    expect(set.has('bosch', 'gsr-18 ')).toBe(false);
    expect(set.has('a', '\u0000b')).toBe(true); // the same string as ('a\0', 'b')
    expect(set.size).toBe(pairs.length); // seven distinct strings; ('a', '\0b') was never added
  });

  it('keeps one-byte and wide keys apart when their units only differ above 0xFF', () => {
    const set = new CompactStringSet(2);
    set.add('\u00e9t\u00e9');
    expect(set.has('\u01e9t\u00e9')).toBe(false);
    expect(set.has('\u00e9t\u00e9\u0000')).toBe(false);
    set.add('\u0100');
    expect(set.has('\u0000\u0001')).toBe(false);
    expect(set.has('\u0000')).toBe(false);
    expect(set.has('\u0100')).toBe(true);
    expect(set.has('')).toBe(false);
    set.add('');
    expect(set.has('')).toBe(true);
  });
});
