/**
 * What a project means once loaded: the (seller, pipeline) pairs it runs, in dependency order, and
 * the environment each one runs with (the seller's vars and secrets over the machine's
 * environment, plus MANOFLOW_SELLER and MANOFLOW_PIPELINE). One implementation for
 * `run --project`, the scheduler and the workers, so they agree on every pair and its name.
 */
import { resolve } from 'node:path';
import { ManoflowError } from '../errors.js';
import { registerSecret } from '../secrets.js';
import type { ProjectConfig, ProjectPipeline, ProjectSeller } from '../types/generated/project.js';

/** The seller of a project that declares none: every pipeline runs once with the environment as it is. */
export const DEFAULT_SELLER = 'default';

/** One pipeline of one seller: a job of the fleet, a step of `run --project`. */
export interface ProjectJob {
  seller: string;
  pipeline: string;
  /** The pipeline file, absolute. */
  file: string;
  /** Pipelines of the same seller this one runs after (those the seller runs). */
  after: string[];
  schedule?: string;
  timezone?: string;
}

/** Why: job names, lock names and `manoflow jobs` all say `<seller>/<pipeline>`. */
export function jobName(seller: string, pipeline: string): string {
  return `${seller}/${pipeline}`;
}

/** The sellers, in file order (DEFAULT_SELLER when none is declared). */
export function sellerIds(config: ProjectConfig): string[] {
  const ids = Object.keys(config.sellers ?? {});
  return ids.length ? ids : [DEFAULT_SELLER];
}

function sellerOf(config: ProjectConfig, id: string): ProjectSeller {
  return (config.sellers ?? {})[id] ?? {};
}

/**
 * Why: pipelines ordered so each comes after those it runs `after` (file order otherwise); the
 * cycle, as a path of ids, when there is one (validation reports it with positions).
 */
export function dependencyOrder(pipelines: Record<string, Pick<ProjectPipeline, 'after'>>): { order: string[]; cycle?: string[] } {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  let cycle: string[] | undefined;
  const visit = (id: string): void => {
    if (cycle || state.get(id) === 'done' || !(id in pipelines)) return;
    if (state.get(id) === 'visiting') {
      cycle = [...stack.slice(stack.indexOf(id)), id];
      return;
    }
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of pipelines[id]?.after ?? []) visit(dep);
    stack.pop();
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of Object.keys(pipelines)) visit(id);
  return cycle ? { order, cycle } : { order };
}

/** Why: every (seller, pipeline) pair the project runs, each seller's pipelines in dependency order. */
export function projectJobs(config: ProjectConfig, projectDir: string): ProjectJob[] {
  const pipelines = config.pipelines ?? {};
  const { order, cycle } = dependencyOrder(pipelines);
  if (cycle) throw new ManoflowError('CFG_PROJECT_CYCLE', `pipelines run after each other in a cycle: ${cycle.join(' → ')}`, { hint: 'remove one `after` entry of the cycle' });
  const jobs: ProjectJob[] = [];
  for (const seller of sellerIds(config)) {
    const mine = new Set(sellerOf(config, seller).pipelines ?? order);
    for (const id of order) {
      if (!mine.has(id)) continue;
      const p = pipelines[id]!;
      jobs.push({
        seller, pipeline: id, file: resolve(projectDir, p.file),
        after: (p.after ?? []).filter((a) => mine.has(a)),
        ...(p.schedule ? { schedule: p.schedule, timezone: p.timezone ?? 'UTC' } : {}),
      });
    }
  }
  return jobs;
}

/** A secret reference whose variable is not set on this machine. */
export interface MissingSecret { name: string; variable: string }

const REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/**
 * Why: the environment a job's pipeline is loaded with: the machine's, then the seller's vars,
 * then its secrets (read here, registered as secrets so no log or report can print them).
 */
export function jobEnv(config: ProjectConfig, seller: string, pipeline: string, env: Record<string, string | undefined> = process.env): { env: Record<string, string | undefined>; missing: MissingSecret[] } {
  const s = sellerOf(config, seller);
  const out: Record<string, string | undefined> = { ...env };
  for (const [k, v] of Object.entries(s.vars ?? {})) out[k] = String(v);
  const missing: MissingSecret[] = [];
  for (const [k, ref] of Object.entries(s.secrets ?? {})) {
    const variable = REF.exec(ref)?.[1] ?? ref;
    const value = env[variable];
    if (value === undefined || value === '') { missing.push({ name: k, variable }); continue; }
    registerSecret(value);
    out[k] = value;
  }
  out.MANOFLOW_SELLER = seller;
  out.MANOFLOW_PIPELINE = pipeline;
  return { env: out, missing };
}

/** Why: a job cannot run without its secrets; the error names the variable, never a value. */
export function requireSecrets(seller: string, missing: readonly MissingSecret[]): void {
  if (missing.length === 0) return;
  const list = missing.map((m) => `${m.name} (from \${${m.variable}})`).join(', ');
  throw new ManoflowError('CFG_SECRET_UNSET', `seller "${seller}": secret${missing.length > 1 ? 's' : ''} ${list} ${missing.length > 1 ? 'are' : 'is'} not set on this machine`, {
    hint: `export ${missing.map((m) => m.variable).join(', ')} in the environment of the process that runs the jobs (the worker's systemd unit, EnvironmentFile=)`,
  });
}

/** Why: the fleet settings with the schema's defaults applied, in one place. */
export function fleetSettings(config: ProjectConfig) {
  const f = config.fleet ?? {};
  return {
    queue: f.queue ?? 'manoflow',
    requestsPerSecond: f.requests_per_second ?? 1,
    attempts: f.attempts ?? 5,
    backoffMs: Math.round((f.backoff_seconds ?? 30) * 1000),
    lockTtlMs: Math.round((f.lock_ttl_seconds ?? 60) * 1000),
    stalledMs: Math.round((f.stalled_seconds ?? 30) * 1000),
    keepRuns: f.keep_runs ?? 100,
  };
}

/** Why: a seller's own budget, else the fleet's (requests per second per API key). */
export function requestsPerSecondOf(config: ProjectConfig, seller: string): number {
  return sellerOf(config, seller).requests_per_second ?? fleetSettings(config).requestsPerSecond;
}
