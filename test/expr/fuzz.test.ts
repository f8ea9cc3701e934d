/**
 * The seeded differential fuzzer (engine/expr/differential.ts) on a fixed seed range: random
 * expressions with lambdas, tail calls, blocks, conditions, higher-order functions, paths,
 * predicates and operators over random data, fast path vs stock, equal on values, sequence flags
 * and error codes. Long campaigns: `npm run fuzz:expr -- --seconds N`; one case: `--replay SEED`.
 */
import { describe, expect, it } from 'vitest';
import { describeMismatch, generateCase, runCase } from '../../engine/expr/differential.js';

const SEEDS = 2000;

describe('differential fuzzer: fast path equals stock', () => {
  it(`on seeds 1..${SEEDS}`, { timeout: 120_000 }, async () => {
    const mismatches: string[] = [];
    let sync = 0;
    let tailCalls = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const c = generateCase(seed);
      const r = await runCase(c);
      if (!r.same) mismatches.push(describeMismatch(r));
      if (r.sync) sync++;
      if (r.sync && /function\(\$\w+(, \$\w+)?\)\{ \$(map|filter|reduce|match|keys)\(/.test(c.expr)) tailCalls++;
    }
    expect(mismatches).toEqual([]);
    // the fast path answered a real share itself, tail calls in lambdas included
    expect(sync).toBeGreaterThan(SEEDS / 5);
    expect(tailCalls).toBeGreaterThan(50);
  });

  it('gives the same case for the same seed (a printed seed replays)', () => {
    expect(generateCase(1179)).toEqual(generateCase(1179));
    expect(generateCase(1179).expr).not.toBe(generateCase(1180).expr);
  });
});
