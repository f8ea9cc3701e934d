/**
 * Validation of a project file, with the diagnostics machinery of pipelines (file:line:col, stable
 * codes, did-you-mean hints): the YAML and the JSON Schema, then what a schema cannot see: cron
 * expressions and time zones, `after` and sellers' lists naming pipelines that exist, dependency
 * cycles, secrets set on this machine, the Redis URL, and every pipeline of every seller validated
 * with that seller's variables (a problem of one seller only says which).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import { loadPipeline } from '../config/load.js';
import { checkSchema } from '../config/schema-check.js';
import { validatePipeline } from '../config/validate.js';
import { positionOf, toPointer } from '../config/yaml-positions.js';
import { ManoflowError, sortDiagnostics, type Diagnostic } from '../errors.js';
import { didYouMeanHint } from '../rules/did-you-mean.js';
import { checkRedisUrl } from '../state/redis/connection.js';
import type { LoadedProject } from './load.js';
import { dependencyOrder, jobEnv, projectJobs, sellerIds } from './model.js';

/** What to check beyond the project file itself. */
export interface ProjectCheckOptions {
  /** Validate each pipeline file for each seller (validate, run --project, worker start). */
  pipelines?: boolean;
  /** Require the sellers' secrets to be set on this machine (not for `schedule` or `jobs`). */
  secrets?: boolean;
  env?: Record<string, string | undefined>;
}

/** Why: one entry point for `validate`, `run --project`, `schedule` and `worker`; sorted diagnostics. */
export function validateProject(p: LoadedProject, o: ProjectCheckOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [...p.diagnostics];
  if (p.doc.errors.length > 0 || out.some((d) => ['CFG_FILE_NOT_FOUND', 'CFG_FILE_TOO_LARGE', 'CFG_YAML_ALIAS_LIMIT', 'CFG_NOT_A_MAPPING'].includes(d.code))) return sortDiagnostics(out);
  const at = (pointer: string, code: string, message: string, hint?: string, severity: 'error' | 'warning' = 'error', key = false): Diagnostic =>
    ({ file: p.displayPath, ...positionOf(p.doc, p.lines, pointer, key), pointer, code, severity, message, ...(hint ? { hint } : {}) });
  const schema = checkSchema({ data: p.config, doc: p.doc, lines: p.lines, file: p.displayPath, kind: 'project' });
  out.push(...schema);
  const pipelines = isObject(p.config.pipelines) ? p.config.pipelines : {};
  const ids = Object.keys(pipelines);
  for (const [id, pl] of Object.entries(pipelines)) {
    if (!isObject(pl)) continue;
    const base = toPointer(['pipelines', id]);
    if (typeof pl.schedule === 'string') {
      const problem = cronProblem(pl.schedule, typeof pl.timezone === 'string' ? pl.timezone : undefined);
      if (problem) out.push(at(`${base}/schedule`, 'CFG_CRON_INVALID', `pipeline "${id}": schedule "${pl.schedule}" is not a cron expression: ${problem}`, 'write five fields, `minute hour day-of-month month day-of-week` (e.g. `*/15 * * * *`), or six with seconds first'));
    }
    if (typeof pl.timezone === 'string' && !validTimeZone(pl.timezone)) {
      out.push(at(`${base}/timezone`, 'CFG_TIMEZONE_INVALID', `pipeline "${id}": unknown time zone "${pl.timezone}"`, 'use an IANA name such as Europe/Paris or UTC'));
    }
    (Array.isArray(pl.after) ? pl.after : []).forEach((dep, i) => {
      if (typeof dep === 'string' && !(dep in pipelines)) out.push(at(`${base}/after/${i}`, 'CFG_UNKNOWN_PIPELINE', `pipeline "${id}" runs after "${dep}", which the project does not declare`, didYouMeanHint(dep, ids) || `declared pipelines: ${ids.join(', ')}`));
    });
    if (typeof pl.file === 'string' && !existsSync(resolve(p.dir, pl.file))) {
      out.push(at(`${base}/file`, 'CFG_FILE_NOT_FOUND', `pipeline "${id}": file ${pl.file} does not exist (relative to ${p.displayPath})`, 'pipeline paths are relative to the project file'));
    }
  }
  const { cycle } = dependencyOrder(pipelines);
  if (cycle) out.push(at(toPointer(['pipelines', cycle[0]!, 'after']), 'CFG_PROJECT_CYCLE', `pipelines run after each other in a cycle: ${cycle.join(' → ')}`, 'remove one `after` entry of the cycle: a pipeline cannot wait for itself'));
  out.push(...checkSellers(p, ids, at, o));
  out.push(...checkState(p, at));
  if (o.pipelines && !cycle && !out.some((d) => d.severity === 'error')) out.push(...checkPipelines(p, o.env ?? process.env));
  return sortDiagnostics(out);
}

type At = (pointer: string, code: string, message: string, hint?: string, severity?: 'error' | 'warning', key?: boolean) => Diagnostic;

function checkSellers(p: LoadedProject, ids: string[], at: At, o: ProjectCheckOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const pipelines = p.config.pipelines ?? {};
  for (const [sid, s] of Object.entries(isObject(p.config.sellers) ? p.config.sellers : {})) {
    if (!isObject(s)) continue;
    const list = Array.isArray(s.pipelines) ? s.pipelines : undefined;
    list?.forEach((id, i) => {
      const pointer = toPointer(['sellers', sid, 'pipelines', i]);
      if (!(id in pipelines)) { out.push(at(pointer, 'CFG_UNKNOWN_PIPELINE', `seller "${sid}" runs pipeline "${id}", which the project does not declare`, didYouMeanHint(id, ids) || `declared pipelines: ${ids.join(', ')}`)); return; }
      for (const dep of pipelines[id]?.after ?? []) {
        if (!list.includes(dep)) out.push(at(pointer, 'CFG_PROJECT_AFTER_NOT_RUN', `seller "${sid}" runs "${id}" but not "${dep}", which "${id}" runs after: for this seller "${id}" runs on its own`, `add "${dep}" to the seller's pipelines, or remove "${id}"`, 'warning'));
      }
    });
    if (!o.secrets) continue;
    for (const [name, ref] of Object.entries(isObject(s.secrets) ? s.secrets : {})) {
      const variable = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(String(ref))?.[1];
      const env = o.env ?? process.env;
      if (variable && !env[variable]) out.push(at(toPointer(['sellers', sid, 'secrets', name]), 'CFG_SECRET_UNSET', `seller "${sid}": secret ${name} reads \${${variable}}, which is not set on this machine`, `export ${variable}=... in the environment of the process that runs the jobs`));
    }
  }
  return out;
}

function checkState(p: LoadedProject, at: At): Diagnostic[] {
  const st = p.config.state;
  if (!isObject(st) || st.store !== 'redis') return [];
  if (!st.url) return [at('/state', 'CFG_REDIS_URL', 'state.store is "redis" but state.url is not set', 'add `url: ${REDIS_URL}` (redis://HOST:PORT)')];
  try {
    checkRedisUrl(st.url);
  } catch (err) {
    if (err instanceof ManoflowError) return [at('/state/url', err.code, err.message, err.hint)];
    throw err;
  }
  return [];
}

/** Each pipeline once per seller with the seller's environment; identical findings are merged, the others say whose they are. */
function checkPipelines(p: LoadedProject, env: Record<string, string | undefined>): Diagnostic[] {
  const found = new Map<string, { d: Diagnostic; sellers: Set<string> }>();
  const outputs = new Map<string, { pipeline: string; sellers: string[] }>();
  const jobs = projectJobs(p.config, p.dir);
  const sellers = sellerIds(p.config).length;
  for (const job of jobs) {
    const { env: jobEnvironment, missing } = jobEnv(p.config, job.seller, job.pipeline, env);
    for (const m of missing) jobEnvironment[m.name] = `unset-secret-${m.variable}`; // reported on the project file
    const pipeline = loadPipeline(job.file, { env: jobEnvironment });
    for (const d of validatePipeline(pipeline)) {
      const key = `${d.file}|${d.line}|${d.column}|${d.code}|${d.message}`;
      const entry = found.get(key) ?? { d, sellers: new Set<string>() };
      entry.sellers.add(job.seller);
      found.set(key, entry);
    }
    const output = (pipeline.config.destination as { output?: string } | undefined)?.output;
    if (typeof output === 'string' && !output.includes('{')) {
      const abs = resolve(pipeline.dir, output);
      const o = outputs.get(abs) ?? { pipeline: job.pipeline, sellers: [] };
      o.sellers.push(job.seller);
      outputs.set(abs, o);
    }
  }
  const out = [...found.values()].map(({ d, sellers: who }) => (who.size === sellers || sellers === 1 ? d : { ...d, message: `${d.message} (seller${who.size > 1 ? 's' : ''} ${[...who].join(', ')})` }));
  for (const [abs, { pipeline: id, sellers: who }] of outputs) {
    if (who.length < 2) continue;
    out.push({
      file: p.displayPath, ...positionOf(p.doc, p.lines, toPointer(['pipelines', id, 'file'])), pointer: toPointer(['pipelines', id, 'file']),
      code: 'CFG_PROJECT_OUTPUT_CLASH', severity: 'error',
      message: `sellers ${who.join(', ')} would all write ${abs}`,
      hint: 'put ${MANOFLOW_SELLER} (or a seller variable) in the destination\'s output path',
    });
  }
  return out;
}

/** Why: the same parser BullMQ uses for job schedulers, plus a field count (it accepts fewer fields silently). */
export function cronProblem(expr: string, tz?: string): string | undefined {
  const fields = expr.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return `${fields} field${fields === 1 ? '' : 's'}, expected 5 (or 6 with seconds)`;
  try {
    CronExpressionParser.parse(expr, tz && validTimeZone(tz) ? { tz } : {}).next();
    return undefined;
  } catch (err) {
    return String((err as Error).message).replace(/\.$/, '');
  }
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function isObject(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
