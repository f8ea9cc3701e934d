/**
 * `manoflow validate PIPELINE...`: lints pipelines without running them. Every problem of every
 * file is printed as `file:line:col severity CODE message`; exit 2 when any file has an error.
 * A project file (manoflow.yaml) is validated as a project: its own checks, then each of its
 * pipelines for each seller (engine/project/validate.ts).
 */
import { loadPipeline } from '../config/load.js';
import { loadProject, looksLikeProject } from '../project/load.js';
import { validateProject } from '../project/validate.js';
import { validatePipeline } from '../config/validate.js';
import { ManoflowError, sortDiagnostics } from '../errors.js';
import { findDestination } from '../connectors/registry.js';
import { EXIT, parseCommandArgs, type CliCommand } from './command.js';
import { printDiagnostics, printJson } from './output.js';

const usage = 'manoflow validate PIPELINE|PROJECT... [--json] [--deny-warnings]';

export const command: CliCommand = {
  name: 'validate',
  summary: 'Check pipelines (YAML, schema, expressions, rule boxes, files, variables) without running them.',
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' }, 'deny-warnings': { type: 'boolean' } }, usage);
    if (positionals.length === 0) throw new ManoflowError('CLI_USAGE', 'expected at least one pipeline file', { hint: `usage: ${usage}` });
    let failed = false;
    const all = [];
    for (const file of positionals) {
      if (/\.test\.ya?ml$/.test(file)) {
        // A shell glob (pipelines/*.yaml) picks up test files: say what they are instead of failing them.
        if (!values.json) process.stdout.write(`${file}: a test file, skipped (run it with \`manoflow test ${file}\`)\n`);
        continue;
      }
      const project = looksLikeProject(file) ? loadProject(file) : undefined;
      const pipeline = project ? undefined : loadPipeline(file);
      const p = { displayPath: project?.displayPath ?? pipeline!.displayPath };
      let diagnostics = project ? validateProject(project, { pipelines: true, secrets: true }) : validatePipeline(pipeline!);
      // Checks that read the data or a cache (the destination's lint), once the file itself is sound.
      if (pipeline && !diagnostics.some((d) => d.severity === 'error')) diagnostics = sortDiagnostics([...diagnostics, ...await lintDestination(pipeline)]);
      const errors = diagnostics.filter((d) => d.severity === 'error' || values['deny-warnings']);
      if (errors.length) failed = true;
      all.push(...diagnostics);
      if (!values.json) {
        printDiagnostics(diagnostics);
        const warnings = diagnostics.length - errors.length;
        if (!errors.length) process.stdout.write(`${p.displayPath}: ok${warnings ? ` (${plural(warnings, 'warning')})` : ''}\n`);
        else process.stderr.write(`${p.displayPath}: ${plural(errors.length, 'error')}${warnings ? `, ${plural(warnings, 'warning')}` : ''}\n`);
      }
    }
    if (values.json) printJson(all);
    return failed ? EXIT.config : EXIT.ok;
  },
};

/** The destination's own lint (DestinationDefinition.lint), sorted in with the rest. */
async function lintDestination(p: ReturnType<typeof loadPipeline>) {
  const type = (p.config.destination as { type?: string } | undefined)?.type;
  const def = type ? findDestination(type) : undefined;
  return def?.lint ? def.lint(p) : [];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
