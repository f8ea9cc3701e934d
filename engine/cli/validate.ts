/**
 * `manoflow validate PIPELINE|DIR...`: lints pipelines without running them. A folder stands for
 * every pipeline under it. Every problem of every file is printed as
 * `file:line:col severity CODE message`; exit 2 when any file has an error. A project file
 * (manoflow.yaml) is validated as a project: its own checks, then each of its pipelines for each
 * seller (engine/project/validate.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { loadPipeline } from '../config/load.js';
import { validatePipeline } from '../config/validate.js';
import { ManoflowError, sortDiagnostics, type Diagnostic } from '../errors.js';
import { loadProject, looksLikeProject } from '../project/load.js';
import { validateProject } from '../project/validate.js';
import { findDestination } from '../connectors/registry.js';
import { palette } from './colour.js';
import { EXIT, parseCommandArgs, type CliCommand, type Flags } from './command.js';
import { printDiagnostics, printJson } from './output.js';

const usage = 'manoflow validate PIPELINE|PROJECT|DIR... [--json] [--deny-warnings]';

const flags = {
  json: { type: 'boolean', description: 'print every diagnostic as JSON (file, line, column, pointer, code, severity, message, hint)' },
  'deny-warnings': { type: 'boolean', description: 'fail (exit 2) on warnings too' },
} satisfies Flags;

const SKIP_DIRS = new Set(['node_modules', 'dist', 'schemas']);
const TEST_FILE = /\.test\.ya?ml$/;

/** A YAML file that is a pipeline, or one that tried to be (a parse error is a broken pipeline, not a skip). */
function looksLikePipeline(file: string): boolean {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  if (doc.errors.length > 0) return true;
  const data = doc.toJS() as unknown;
  if (!data || typeof data !== 'object' || Array.isArray(data)) return false;
  return ['version', 'source', 'destination', 'mapping'].some((k) => k in data);
}

/** Why: `validate pipelines/` must mean every pipeline there (and below), not EISDIR. */
export function pipelinesIn(dir: string): { pipelines: string[]; skipped: string[] } {
  const out = { pipelines: [] as string[], skipped: [] as string[] };
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !SKIP_DIRS.has(entry.name)) walk(path);
      } else if (/\.ya?ml$/.test(entry.name) && !TEST_FILE.test(entry.name)) {
        (looksLikePipeline(path) ? out.pipelines : out.skipped).push(path);
      }
    }
  };
  walk(dir);
  return out;
}

/** Pipeline file → the project file (among `files`) that lists it. */
function projectPipelines(files: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of files) {
    if (!looksLikeProject(file)) continue;
    const project = loadProject(file);
    for (const entry of Object.values(project.config.pipelines ?? {})) {
      if (typeof entry?.file === 'string') out.set(resolve(project.dir, entry.file), file);
    }
  }
  return out;
}

const shown = (p: string) => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};

export const command: CliCommand = {
  name: 'validate',
  summary: 'Check pipelines (YAML, schema, expressions, rule boxes, mandatory ManoMano columns, files, variables) without running them. A folder: every pipeline in it.',
  usage,
  flags,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, flags, usage);
    if (positionals.length === 0) throw new ManoflowError('CLI_USAGE', 'expected at least one pipeline file or folder', { hint: `usage: ${usage}` });
    const c = palette(process.stdout);
    const e = palette(process.stderr);
    const files: string[] = [];
    for (const arg of positionals) {
      if (existsSync(arg) && statSync(arg).isDirectory()) {
        const found = pipelinesIn(resolve(arg));
        if (found.pipelines.length === 0) throw new ManoflowError('CLI_USAGE', `no pipeline in ${arg}`, { hint: 'a pipeline is a .yaml file with version, source, destination and mapping' });
        if (!values.json) for (const s of found.skipped) process.stdout.write(`${shown(s)}: not a pipeline, skipped\n`);
        // A project's pipelines read its sellers' ${...}: alone they would fail; the project validates each per seller.
        const viaProject = projectPipelines(found.pipelines);
        for (const file of found.pipelines) {
          const project = viaProject.get(resolve(file));
          if (project === undefined) files.push(file);
          else if (!values.json) process.stdout.write(`${shown(file)}: a pipeline of ${shown(project)}, validated there for each seller\n`);
        }
      } else files.push(arg);
    }
    let failed = false;
    const all: Diagnostic[] = [];
    for (const file of files) {
      if (TEST_FILE.test(file)) {
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
        if (!errors.length) process.stdout.write(`${p.displayPath}: ${c.ok('ok')}${warnings ? ` (${plural(warnings, 'warning')})` : ''}\n`);
        else process.stderr.write(`${p.displayPath}: ${e.error(plural(errors.length, 'error'))}${warnings ? `, ${plural(warnings, 'warning')}` : ''}\n`);
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
