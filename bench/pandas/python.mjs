// Finding a Python with pandas for the benchmark's pandas peer, and the context it shares with
// manoflow (the named HTML entities $decodeHtmlEntities knows, the hints of the feed's problems).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NAMED_ENTITIES } from '../../dist/engine/rules/entities.js';
import { MM_CODES, problem } from '../../dist/engine/connectors/destinations/manomano-products/problems.js';

/** The way to add the peer, printed when it is skipped. */
export const PANDAS_HINT = 'no python3 with pandas; on Debian: apt-get install python3-pandas';

/**
 * The first of `python3` (on the PATH) and /usr/bin/python3 (Debian's, where python3-pandas
 * installs, when the PATH's python3 is another one) that imports pandas; undefined when none does.
 */
export function pandasPython() {
  for (const python of [process.env.BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean)) {
    try {
      execFileSync(python, ['-c', 'import pandas, numpy'], { stdio: 'ignore' });
      return python;
    } catch {
      // not there, or no pandas: try the next
    }
  }
  return undefined;
}

/** Writes the context file reference_pipeline.py reads; returns its path. */
export function pandasContext(file) {
  const hints = Object.fromEntries(MM_CODES.map((code) => [code, problem(code, undefined, '').hint]));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ entities: NAMED_ENTITIES, hints }));
  return file;
}
