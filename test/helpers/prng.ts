/** A seeded PRNG (mulberry32) for tests that generate inputs: the same seed, the same values everywhere. */
export { prng } from '../../engine/util/prng.js';
