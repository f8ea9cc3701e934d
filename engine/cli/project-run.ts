/**
 * `manoflow run --project [FILE]`: the project's pipelines for every seller, once, on this machine,
 * in dependency order (engine/project/run.ts). Prints each run's summary under its
 * `<seller>/<pipeline>` name as it ends, then one line for the project. Exit 3 when a run failed
 * or was skipped for a failed dependency, 2 when the project is invalid, 1 when runs rejected
 * records (0 with --allow-rejects), 0 otherwise.
 */
import { DEFAULT_PROJECT_FILE, loadProject } from '../project/load.js';
import { runProject, type ProjectStep } from '../project/run.js';
import { validateProject } from '../project/validate.js';
import { redact } from '../secrets.js';
import { EXIT } from './command.js';
import { formatSummary, printDiagnostics, printJson } from './output.js';
import { exitCodeOf } from './run.js';

/** The flags of `run` that apply to a project run. */
export interface ProjectRunFlags {
  json?: boolean;
  quiet?: boolean;
  full?: boolean;
  force?: boolean;
  retryRefused?: boolean;
  allowRejects?: boolean;
}

/** Why: `run --project` in one function; returns the exit code. */
export async function runProjectCommand(file: string | undefined, flags: ProjectRunFlags, signal: AbortSignal): Promise<number> {
  const project = loadProject(file ?? DEFAULT_PROJECT_FILE);
  const diagnostics = validateProject(project, { pipelines: true, secrets: true });
  if (diagnostics.some((d) => d.severity === 'error')) {
    if (flags.json) printJson({ ok: false, diagnostics });
    else printDiagnostics(diagnostics);
    return EXIT.config;
  }
  if (!flags.json) printDiagnostics(diagnostics); // warnings
  const log = {
    info: (m: string) => { if (!flags.quiet && !flags.json) process.stderr.write(`${m}\n`); },
    warn: (m: string) => process.stderr.write(`warning: ${m}\n`),
    debug: () => {},
  };
  const steps = await runProject(project, {
    log, signal, full: flags.full, force: flags.force, retryRefused: flags.retryRefused,
    onStep: (step) => { if (!flags.json && (!flags.quiet || stepCode(step, flags) !== EXIT.ok)) process.stdout.write(formatStep(step)); },
  });
  const code = signal.aborted ? EXIT.interrupted : steps.reduce((c, s) => Math.max(c, stepCode(s, flags)), EXIT.ok as number);
  const count = (st: ProjectStep['status']) => steps.filter((s) => s.status === st).length;
  if (flags.json) printJson({ project: project.config.name, ok: code === EXIT.ok || code === EXIT.rejected, steps });
  else if (!flags.quiet || code !== EXIT.ok) {
    process.stdout.write(`project ${project.config.name}: ${steps.length} run${steps.length === 1 ? '' : 's'}: ${count('done')} done, ${count('failed')} failed, ${count('skipped')} skipped${signal.aborted ? ' (stopped: the rest did not run)' : ''}\n`);
  }
  return code;
}

function stepCode(s: ProjectStep, flags: ProjectRunFlags): number {
  if (s.status !== 'done') return EXIT.failed;
  return s.summary ? exitCodeOf(s.summary, flags.allowRejects === true) : EXIT.ok;
}

/** One step as printed: the run's summary with `<seller>/<pipeline>` first, or why it did not run. */
export function formatStep(s: ProjectStep): string {
  const name = `${s.seller}/${s.pipeline}`;
  if (s.summary) return `[${name}] ${formatSummary(s.summary)}`;
  const e = s.error;
  return redact(`[${name}] ${s.status === 'skipped' ? 'skipped' : 'FAILED'}: ${e ? `${e.code} ${e.message}` : ''}\n${e?.hint ? `  hint:  ${e.hint}\n` : ''}`);
}
