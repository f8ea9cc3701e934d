/**
 * `manoflow run --project`: every (seller, pipeline) of a project once, on this machine, without
 * Redis, one after the other in dependency order. A pipeline runs only once every pipeline it
 * runs `after` succeeded for that seller (rejects and refusals are a success; a failed run, an
 * invalid pipeline or a missing secret is not, and its dependents are skipped, saying why).
 */
import { ManoflowError, PipelineConfigError } from '../errors.js';
import { runPipeline, type RunPipelineOptions, type RunSummary } from '../runtime/run.js';
import { prepareJob } from './job.js';
import type { LoadedProject } from './load.js';
import { jobName, projectJobs, type ProjectJob } from './model.js';

/** How one (seller, pipeline) of the project ended. */
export interface ProjectStep {
  seller: string;
  pipeline: string;
  status: 'done' | 'failed' | 'skipped';
  summary?: RunSummary;
  error?: { code: string; message: string; hint?: string };
}

/** Options of a project run: those of each pipeline run, and a callback per finished step. */
export interface ProjectRunOptions extends Pick<RunPipelineOptions, 'log' | 'signal' | 'full' | 'force' | 'retryRefused' | 'rateBudget'> {
  onStep?: (step: ProjectStep, job: ProjectJob) => void;
  onStart?: (job: ProjectJob) => void;
  env?: Record<string, string | undefined>;
}

/** Why: the one-machine runner; returns every step, never throws for one failed pipeline. */
export async function runProject(project: LoadedProject, o: ProjectRunOptions = {}): Promise<ProjectStep[]> {
  const steps: ProjectStep[] = [];
  const ok = new Set<string>();
  for (const job of projectJobs(project.config, project.dir)) {
    if (o.signal?.aborted) break;
    const blocking = job.after.filter((a) => !ok.has(jobName(job.seller, a)));
    let step: ProjectStep;
    if (blocking.length) {
      step = { seller: job.seller, pipeline: job.pipeline, status: 'skipped', error: { code: 'PROJECT_DEPENDENCY_FAILED', message: `not run: ${blocking.join(', ')} did not succeed for seller ${job.seller}` } };
    } else {
      o.onStart?.(job);
      step = await runStep(project, job, o);
    }
    if (step.status === 'done') ok.add(jobName(job.seller, job.pipeline));
    steps.push(step);
    o.onStep?.(step, job);
  }
  return steps;
}

async function runStep(project: LoadedProject, job: ProjectJob, o: ProjectRunOptions): Promise<ProjectStep> {
  const base = { seller: job.seller, pipeline: job.pipeline };
  try {
    const { pipeline, stateOverride } = prepareJob(project.config, job, { env: o.env });
    const summary = await runPipeline(pipeline, { log: o.log, signal: o.signal, full: o.full, force: o.force, retryRefused: o.retryRefused, rateBudget: o.rateBudget, stateOverride });
    return { ...base, status: summary.ok ? 'done' : 'failed', summary, ...(summary.ok ? {} : { error: summary.error }) };
  } catch (err) {
    const summary = (err as { summary?: RunSummary }).summary;
    if (err instanceof PipelineConfigError) {
      const first = err.diagnostics.find((d) => d.severity === 'error');
      return { ...base, status: 'failed', error: { code: 'CFG_INVALID', message: err.message, hint: first?.hint } };
    }
    if (err instanceof ManoflowError) return { ...base, status: 'failed', ...(summary ? { summary } : {}), error: { code: err.code, message: err.message, hint: err.hint } };
    return { ...base, status: 'failed', ...(summary ? { summary } : {}), error: { code: 'RUN_CRASHED', message: String((err as Error)?.message ?? err) } };
  }
}
