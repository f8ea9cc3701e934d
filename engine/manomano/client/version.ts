/** The package version, for the default `x-thirdparty-name` (`manoflow_<version>`). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** Why: works from the sources and from dist/ alike by walking up to manoflow's package.json. */
export function packageVersion(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'manoflow' && pkg.version) return (cached = pkg.version);
    } catch { /* not here: go up */ }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return (cached = '0.0.0');
}
