// Finding a Python with pandas for the benchmark's pandas peer, and the context it shares with
// manoflow rather than copies: the named HTML entities $decodeHtmlEntities knows, the hint of each
// problem of the feed, and where each number rule box raises its errors (line:column in its file,
// which moves whenever the rule is edited).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NAMED_ENTITIES } from '../../dist/engine/rules/entities.js';
import { applyRule, bindRuleArgs, builtinRulesDir, loadRuleBox } from '../../dist/engine/rules/index.js';
import { MM_CODES, problem } from '../../dist/engine/connectors/destinations/manomano-products/problems.js';

/** The way to add the peer, printed when it is skipped. */
export const PANDAS_HINT = 'no python3 with pandas; on Debian: apt-get install python3-pandas';

/**
 * `BENCH_PYTHON`, else the PATH's `python3`, else /usr/bin/python3 (Debian's, where python3-pandas
 * installs, when the PATH's python3 is another one): the first that imports pandas; undefined when none does.
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

/** `line:column` where `rule` (with `args`) fails on `value`, as manoflow's messages give it. */
async function failurePosition(name, args, value) {
  const rule = loadRuleBox(name, [builtinRulesDir()], { fastPath: false });
  try {
    await applyRule(rule, value, bindRuleArgs(rule, args), { record: {}, vars: { vat_rate: 0.2 } });
  } catch (err) {
    return `${err.details.line}:${err.details.column}`;
  }
  throw new Error(`${name} did not fail on ${JSON.stringify(value)}`);
}

/** Writes the context file reference_pipeline.py reads; returns its path. */
export async function pandasContext(file) {
  const hints = Object.fromEntries(MM_CODES.map((code) => [code, problem(code, undefined, '').hint]));
  const positions = {};
  for (const [name, args] of [['to_number', {}], ['add_vat', { rate: 0.2 }], ['number_format', { decimals: 2 }]]) {
    positions[name] = { not_a_number: await failurePosition(name, args, 'zz'), ambiguous: await failurePosition(name, args, '1,234') };
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ entities: NAMED_ENTITIES, hints, positions }));
  return file;
}
