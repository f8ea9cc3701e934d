/**
 * `manoflow test [PATH...]`: runs pipeline tests (`<pipeline>.test.yaml`) and rule-box tests
 * (`rules/<name>.test.yaml`). One line per case, a diff under each failure, then `N passed, M failed`.
 * Exit 0: all passed; 1: a case failed; 2: usage error, no test found, or a malformed test file.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ManoflowError } from '../errors.js';
import { runRuleTestFile } from '../rules/run-tests.js';
import { findTestFiles, formatCaseResult, formatTotals, runPipelineTestFile, testFileKind, type CaseResult } from '../testing/index.js';
import { printJson } from './output.js';
import { terminalSafe } from '../terminal.js';
import { EXIT, parseCommandArgs, type CliCommand, type Flags } from './command.js';

const usage = 'manoflow test [PATH...] [--json]   (default PATHs: pipelines/ examples/ rules/)';
const DEFAULT_DIRS = ['pipelines', 'examples', 'rules'];
const flags = { json: { type: 'boolean', description: 'print every case and its result as JSON' } } satisfies Flags;

const display = (file: string) => {
  const r = relative(process.cwd(), file);
  return r && !r.startsWith('..') ? r : file;
};

/** Rule-box results in the same shape as pipeline cases, so one printer and one JSON serve both. */
async function ruleCases(file: string): Promise<CaseResult[]> {
  const results = await runRuleTestFile(file);
  return results.map((r) => ({
    file: display(file), line: r.line, name: r.name, ok: r.ok, outputs: [], rejects: [], filtered: 0, diagnostics: [],
    failures: r.ok ? [] : [
      ...(r.error ? [{ kind: 'error' as const, message: r.error }] : []),
      { kind: 'value' as const, record: 0, attribute: 'result', expected: r.expected, actual: r.actual },
    ],
  }));
}

export const command: CliCommand = {
  name: 'test',
  summary: 'Run pipeline tests (<pipeline>.test.yaml) and rule-box tests (rules/*.test.yaml).',
  usage,
  flags,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, flags, usage);
    const roots = positionals.length ? positionals : DEFAULT_DIRS.filter((d) => existsSync(resolve(d)));
    const files = findTestFiles(roots);
    if (files.length === 0) {
      throw new ManoflowError('CLI_USAGE', `no *.test.yaml found in ${roots.length ? roots.join(', ') : 'pipelines/, examples/ or rules/ (none exists here)'}`, { hint: `usage: ${usage}` });
    }
    const all: CaseResult[] = [];
    const errors: { file: string; code: string; message: string; hint?: string }[] = [];
    for (const file of files) {
      let results: CaseResult[];
      try {
        const kind = testFileKind(file);
        if (kind === 'unknown') throw new ManoflowError('CFG_PIPELINE_TEST', `${display(file)}: neither a pipeline test (cases:) nor a rule-box test (rule:)`);
        results = kind === 'rule' ? await ruleCases(file) : await runPipelineTestFile(file);
      } catch (err) {
        if (!(err instanceof ManoflowError)) throw err;
        errors.push({ file: display(file), code: err.code, message: err.message, hint: err.hint });
        if (!values.json) process.stderr.write(terminalSafe(`${err.code} ${err.message}\n${err.hint ? `  hint: ${err.hint.replaceAll('\n', '\n        ')}\n` : ''}`));
        continue;
      }
      all.push(...results);
      if (!values.json) for (const r of results) process.stdout.write(`${formatCaseResult(r)}\n`);
    }
    const failed = all.filter((r) => !r.ok).length;
    if (values.json) printJson({ passed: all.length - failed, failed, errors, cases: all });
    else process.stdout.write(`${formatTotals(all.length - failed, failed)}\n`);
    return errors.length ? EXIT.config : failed ? EXIT.rejected : EXIT.ok;
  },
};
