/**
 * The products feed's duplicate index (key-set.ts) must answer exactly as a JS Set of the same
 * strings: no false duplicate on a full-hash collision, in a table forced to probe and grow, on
 * keys of one-byte, wide, astral and lone-surrogate code units, and for pair keys `a\0b`.
 */
import { describe, expect, it } from 'vitest';
import { EanCodes, EanIndex } from '../../engine/connectors/destinations/manomano-products/catalog-checks.js';
import { CompactStringSet } from '../../engine/connectors/destinations/manomano-products/key-set.js';
import { CompactNumberSet, digitCode } from '../../engine/util/compact-number-set.js';
import { grow, growable } from '../../engine/util/growable.js';
import { KeyText, WrittenKeys } from '../../engine/connectors/destinations/manomano-products/written-keys.js';

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

describe('CompactNumberSet and the EAN index', () => {
  it('numbers entries as a Map of digit codes would, while a small table probes and grows; "0123" and "123" stay apart', () => {
    const set = new CompactNumberSet(2);
    const ref = new Map<string, number>();
    let a = 11;
    const rnd = (m: number): number => {
      a = (Math.imul(a, 1103515245) + 12345) >>> 0;
      return (a >>> 8) % m;
    };
    const codes: string[] = [];
    for (let i = 0; i < 8000; i++) {
      let s = '';
      const len = 1 + rnd(14);
      for (let j = 0; j < len; j++) s += String(rnd(i % 3 === 0 ? 2 : 10));
      codes.push(s);
    }
    codes.push('0123', '123', '00000000000000', '99999999999999');
    for (const code of codes) {
      const key = digitCode(code);
      expect(key).toBeGreaterThan(0);
      const had = ref.get(code);
      expect(set.indexOf(key)).toBe(had ?? -1);
      expect(set.entry(key)).toBe(had ?? ref.size);
      if (had === undefined) ref.set(code, ref.size);
    }
    expect(set.size).toBe(ref.size);
    for (const [code, entry] of ref) expect(set.indexOf(digitCode(code))).toBe(entry);
  });

  it('digitCode takes 1 to 14 digits only', () => {
    for (const text of ['', '12a', '١٢', ' 12', '123456789012345', '-1', '1.5']) expect(digitCode(text)).toBe(-1);
    expect(digitCode('0')).not.toBe(digitCode('00'));
    expect(Number.isSafeInteger(digitCode('9'.repeat(14)))).toBe(true);
  });

  it('EanIndex: digit codes and other texts, several codes per record, the owner named', () => {
    const skus = new CompactStringSet();
    const index = new EanIndex(skus, new EanCodes());
    const a = skus.entry('SKU-A');
    const b = skus.entry('SKU-B');
    expect(index.claim('3760000000012#X-1', a)).toBeUndefined();
    expect(index.claim('3760000000012', a)).toBeUndefined(); // its own EAN again
    expect(index.ownerOf('X-1', 'SKU-B')).toBe('SKU-A');
    expect(index.ownerOf('03760000000012', 'SKU-B')).toBeUndefined(); // a leading zero is another code
    expect(index.claim('4006381333931#3760000000012', b)).toBe('SKU-A');
    expect(index.ownerOf('4006381333931', 'SKU-A')).toBe('SKU-B');
    expect(index.ownerOf('3760000000012', 'SKU-A')).toBeUndefined();
  });
});

describe('growable typed arrays', () => {
  it('grow in place, keeping values and zero-filling the rest; a plain array grows by copy', () => {
    const a = growable(Uint32Array, 4);
    a.set([1, 2, 3, 4]);
    const b = grow(a, 1 << 20);
    expect(b).toBe(a); // the same view: nothing left for the GC
    expect(b.length).toBe(1 << 20);
    expect([...b.subarray(0, 6)]).toEqual([1, 2, 3, 4, 0, 0]);
    const plain = new Float64Array([0.5, 1.5]);
    const c = grow(plain, 3);
    expect(c).not.toBe(plain);
    expect([...c]).toEqual([0.5, 1.5, 0]);
    expect(grow(c, 2)).toBe(c);
  });
});

describe('WrittenKeys over a run\'s shared key text', () => {
  it('two markets\' feeds share the text, each knows only what it wrote', () => {
    const text = new KeyText();
    const fr = new WrittenKeys(text);
    const de = new WrittenKeys(text);
    for (let i = 0; i < 5000; i++) fr.addSku(`SKU-${i}`);
    expect(fr.hasSku('SKU-42')).toBe(true);
    expect(de.hasSku('SKU-42')).toBe(false); // in the shared text, not written by de
    expect(de.addSku('SKU-42')).toBe(text.skus.indexOf('SKU-42')); // the same entry: text kept once
    expect(de.hasSku('SKU-42')).toBe(true);
    expect(de.hasSku('SKU-43')).toBe(false);
    expect(text.skus.size).toBe(5000);
    fr.addRef('Bosch', 'GSR-18V');
    expect(fr.hasRef('BOSCH', 'gsr-18v')).toBe(true); // compared lower-cased
    expect(de.hasRef('Bosch', 'GSR-18V')).toBe(false);
  });
});

describe('EanIndex over a run\'s shared codes', () => {
  it('each market\'s feed knows the owners of what it wrote; the codes are kept once', () => {
    const text = new KeyText();
    const fr = new EanIndex(text.skus, text.eans);
    const de = new EanIndex(text.skus, text.eans);
    const a = text.skus.entry('SKU-A');
    const b = text.skus.entry('SKU-B');
    expect(fr.claim('3760000000012#X-1', a)).toBeUndefined();
    expect(de.ownerOf('3760000000012', 'SKU-B')).toBeUndefined(); // de wrote nothing yet
    expect(de.claim('3760000000012', b)).toBeUndefined(); // its own first use in de's feed
    expect(fr.ownerOf('3760000000012', 'SKU-B')).toBe('SKU-A');
    expect(de.ownerOf('3760000000012', 'SKU-A')).toBe('SKU-B');
    expect(fr.ownerOf('X-1', 'SKU-B')).toBe('SKU-A');
    expect(de.ownerOf('X-1', 'SKU-A')).toBeUndefined();
    expect([text.eans.numbers.size, text.eans.texts.size]).toEqual([1, 1]);
  });
});
