/**
 * Preparing one (seller, pipeline) of a project to run, the same way on one machine
 * (`run --project`) and in a fleet worker: the pipeline loaded with the seller's environment, and
 * where its state goes. Each seller of a project gets its own state dir under the pipeline's
 * (`<state dir>/sellers/<seller>`: item reports, reject reports, feedback files, and the SQLite
 * state when the store is local), so sellers running one pipeline file never share files; a
 * project without sellers keeps the pipeline's own state dir, like `manoflow run PIPELINE`.
 */
import { join, resolve } from 'node:path';
import { loadPipeline, type LoadedPipeline } from '../config/load.js';
import type { StateSettings } from '../runtime/types.js';
import type { ProjectConfig } from '../types/generated/project.js';
import { DEFAULT_SELLER, jobEnv, requireSecrets, type ProjectJob } from './model.js';

/** A job ready for runPipeline: the loaded pipeline and the state settings to run it with. */
export interface PreparedJob {
  pipeline: LoadedPipeline;
  stateOverride: StateSettings;
}

/**
 * Why: one place decides a job's environment and state; `store` (a worker's `--redis`) applies
 * unless the project's `state` names a store itself. Throws CFG_SECRET_UNSET for a missing secret.
 */
export function prepareJob(config: ProjectConfig, job: ProjectJob, o: { env?: Record<string, string | undefined>; store?: StateSettings } = {}): PreparedJob {
  const { env, missing } = jobEnv(config, job.seller, job.pipeline, o.env ?? process.env);
  requireSecrets(job.seller, missing);
  const pipeline = loadPipeline(job.file, { env });
  const own = (pipeline.config.state ?? {}) as StateSettings;
  const project = (config.state ?? {}) as StateSettings;
  const store: StateSettings = project.store ? { store: project.store, url: project.url, prefix: project.prefix } : { ...o.store };
  const stateOverride: StateSettings = { ...store, ...(project.retention_days !== undefined ? { retention_days: project.retention_days } : {}) };
  if (job.seller !== DEFAULT_SELLER) stateOverride.dir = join(resolve(pipeline.dir, own.dir ?? '.manoflow'), 'sellers', job.seller);
  for (const k of Object.keys(stateOverride) as (keyof StateSettings)[]) if (stateOverride[k] === undefined) delete stateOverride[k];
  return { pipeline, stateOverride };
}
