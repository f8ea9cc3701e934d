/**
 * Finds the package root (the folder with manoflow's package.json) from compiled or source code,
 * so built-in schemas and rules are found whether we run from dist/ or from a test on engine/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'schemas'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('manoflow: cannot locate the package root (package.json + schemas/)');
    dir = parent;
  }
  cached = dir;
  return dir;
}
