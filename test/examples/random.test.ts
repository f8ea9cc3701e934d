/**
 * examples/data/random.mjs (plain JavaScript, for the scripts that run without a build) and
 * engine/util/prng.ts are one PRNG written twice: generated example data, bench catalogues and
 * fuzz cases depend on both giving the same sequence for a seed.
 */
import { expect, it } from 'vitest';
import { prng } from '../../engine/util/prng.js';
// @ts-expect-error plain JavaScript without type declarations
import { prng as plainPrng } from '../../examples/data/random.mjs';

it('the TypeScript and plain-JavaScript mulberry32 give the same numbers', () => {
  for (const seed of [0, 1, 15, 20261127, 4294967295]) {
    const a = prng(seed);
    const b = (plainPrng as (seed: number) => () => number)(seed);
    for (let i = 0; i < 1000; i++) expect(b()).toBe(a());
  }
});
