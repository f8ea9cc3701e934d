// rules/README.md's table is generated from the rule headers and tests; this keeps it current.
// Regenerate with: MANOFLOW_UPDATE=1 npx vitest run test/rules/readme.test.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRulesDir } from '../../engine/rules/index.js';
import { README_BEGIN, README_END, renderRulesTable, updateReadme, writeRulesReadme } from '../../engine/rules/readme.js';

describe('rules/README.md', () => {
  it('lists every built-in rule box, up to date', () => {
    if (process.env.MANOFLOW_UPDATE === '1') writeRulesReadme();
    const text = readFileSync(join(builtinRulesDir(), 'README.md'), 'utf8');
    expect(text, 'stale: run MANOFLOW_UPDATE=1 npx vitest run test/rules/readme.test.ts').toBe(updateReadme(text, renderRulesTable()));
    expect(text).toContain('| `truncate` | cut text at a word boundary');
  });

  it('replaces only the generated block', () => {
    const text = `# T\nintro\n${README_BEGIN}\nold\n${README_END}\noutro\n`;
    expect(updateReadme(text, 'NEW')).toBe(`# T\nintro\n${README_BEGIN}\nNEW\n${README_END}\noutro\n`);
    expect(updateReadme('# T\n', 'NEW')).toBe(`# T\n\n${README_BEGIN}\nNEW\n${README_END}\n`);
  });
});
