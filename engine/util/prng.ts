/**
 * mulberry32: a small seeded PRNG, the same sequence on every machine, for generated inputs (the
 * differential fuzzers, tests). examples/data/random.mjs is its plain-JavaScript twin for the
 * scripts that run without a build (example data, the bench's catalogues, the rules fuzzer's
 * markup); test/examples/random.test.ts checks that both give the same numbers.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
