import { describe, expect, it } from 'vitest';
import { builtinRulesDir, ruleSearchDirs } from '../../engine/rules/index.js';
import { repoRoot } from '../helpers/cli.js';

describe('ruleSearchDirs', () => {
  it('lists the built-in folder once for a pipeline at the package root', () => {
    const dirs = ruleSearchDirs(repoRoot);
    expect(dirs).toEqual([builtinRulesDir(), repoRoot]);
  });
});
