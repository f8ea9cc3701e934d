/**
 * The files a pipeline run reads and writes, resolved as the run resolves them: the pipeline
 * itself, its source, lookups and rule boxes; its output, reject report, item report and feedback.
 * `validate` and the run check them with findOverlaps (file-overlap.ts) before anything is written.
 */
import { basename, dirname, extname, join, resolve } from 'node:path';
import { findDestination } from '../connectors/registry.js';
import { loadRuleBox, ruleSearchDirs } from '../rules/index.js';
import type { Diagnostic } from '../errors.js';
import { ManoflowError, PipelineConfigError } from '../errors.js';
import { findOverlaps, isInside, type FileRole, type Overlap } from './file-overlap.js';
import { displayPathOf, type LoadedPipeline } from './load.js';
import { ruleRefsOf } from './walk.js';
import { positionOf } from './yaml-positions.js';

/** The run options that move outputs. */
export interface RunFileOptions { output?: string; plan?: boolean }

type Config = LoadedPipeline['config'];

/** manoflow's state folder for this pipeline (`state.dir`, default `.manoflow/` beside it). */
export function stateDirOf(config: Config, dir: string): string {
  return resolve(dir, (config.state as { dir?: string } | undefined)?.dir ?? '.manoflow');
}

/**
 * Where the reject report goes: `report.rejects`, else beside the output (`<output>.rejects.csv`),
 * else the state folder's reports/; under `plan` a `.plan` variant, so a plan never replaces a run's.
 */
export function rejectReportFile(config: Config, dir: string, run: RunFileOptions): string {
  const suffix = run.plan ? '.plan.rejects.csv' : '.rejects.csv';
  const explicit = (config.report as { rejects?: string } | undefined)?.rejects;
  if (explicit) {
    const abs = resolve(dir, explicit);
    return run.plan ? join(dirname(abs), `${basename(abs, extname(abs))}.plan${extname(abs)}`) : abs;
  }
  const output = run.output ?? (config.destination as { output?: string } | undefined)?.output;
  if (output) {
    const abs = resolve(dir, output);
    return join(dirname(abs), `${basename(abs, extname(abs))}${suffix}`);
  }
  return join(stateDirOf(config, dir), 'reports', `${config.name}${suffix}`);
}

/** The item report of an API destination (sent, skipped, refused... per item). */
export function itemReportFile(config: Config, dir: string, run: RunFileOptions): string {
  return join(stateDirOf(config, dir), 'reports', `${config.name}.${run.plan ? 'plan' : 'items'}.csv`);
}

/** Every file the run reads (`inputs`) and writes (`outputs`), with the setting that names each. */
export function pipelineFiles(p: LoadedPipeline, run: RunFileOptions = {}): { inputs: FileRole[]; outputs: FileRole[] } {
  const config = p.config;
  const at = (q: string) => resolve(p.dir, q);
  const inputs: FileRole[] = [{ path: p.path, what: 'the pipeline file itself' }];
  const source = config.source as { path?: unknown } | undefined;
  if (typeof source?.path === 'string') inputs.push({ path: at(source.path), what: 'the source', pointer: '/source/path', code: 'CFG_OUTPUT_IS_SOURCE' });
  for (const [name, value] of Object.entries((config.lookups ?? {}) as Record<string, unknown>)) {
    // a file name, or (table lookups) an object with a `path`
    const path = typeof value === 'string' ? value : typeof (value as { path?: unknown } | null)?.path === 'string' ? (value as { path: string }).path : undefined;
    if (path !== undefined) inputs.push({ path: at(path), what: `lookup "${name}"`, pointer: `/lookups/${name}` });
  }
  const dirs = ruleSearchDirs(p.dir);
  const seenRules = new Set<string>();
  for (const ref of ruleRefsOf(config)) {
    if (ref.inline !== undefined || seenRules.has(ref.name)) continue;
    seenRules.add(ref.name);
    try {
      inputs.push({ path: loadRuleBox(ref.name, dirs).file, what: `rule box "${ref.name}"`, pointer: ref.pointer });
    } catch {
      // an unknown rule box is reported by its own check
    }
  }

  const dest = config.destination as { type?: string; output?: unknown; feedback?: unknown; feedback_output?: unknown } | undefined;
  const def = typeof dest?.type === 'string' ? findDestination(dest.type) : undefined;
  const outputs: FileRole[] = [];
  if (run.output !== undefined) outputs.push({ path: at(run.output), what: 'the --output file', flag: '--output' });
  else if (typeof dest?.output === 'string') outputs.push({ path: at(dest.output), what: 'the output', pointer: '/destination/output' });
  const explicitReport = (config.report as { rejects?: unknown } | undefined)?.rejects;
  outputs.push({
    path: rejectReportFile(config, p.dir, run), what: 'the reject report',
    pointer: typeof explicitReport === 'string' ? '/report/rejects' : run.output === undefined && typeof dest?.output === 'string' ? '/destination/output' : undefined,
  });
  if (def?.api) {
    outputs.push({ path: itemReportFile(config, p.dir, run), what: 'the item report' });
    if (!run.plan && dest?.feedback !== false) {
      const configured = typeof dest?.feedback_output === 'string';
      const file = configured ? at(dest!.feedback_output as string) : join(stateDirOf(config, p.dir), 'feedback', `${String(config.name).replace(/[^A-Za-z0-9._-]/g, '_')}.ndjson`);
      outputs.push({ path: file, what: 'the feedback file', pointer: configured ? '/destination/feedback_output' : undefined });
    }
  }
  return { inputs, outputs };
}

/** A file as the user wrote it: the setting's text when the pipeline names it, else its path from here. */
function spelled(f: FileRole, p: LoadedPipeline): string {
  let node: unknown = p.config;
  for (const seg of (f.pointer ?? '').split('/').slice(1)) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
  // a reject report placed beside the output is named by the output's setting: show its own path
  return typeof node === 'string' && !(f.what === 'the reject report' && f.pointer === '/destination/output') ? node : displayPathOf(f.path);
}

function describe(o: Overlap, p: LoadedPipeline): { code: string; message: string; hint: string } {
  const how = o.how === 'the same path' ? '' : `, ${o.how.replace('the same file ', '')}`;
  if (o.otherIsOutput) {
    return {
      code: 'CFG_OUTPUTS_COLLIDE',
      message: `${o.output.what} ${spelled(o.output, p)} is also ${o.other.what} (${displayPathOf(o.other.path)}${how}): one would replace the other`,
      hint: 'give each output its own file (report.rejects moves the reject report)',
    };
  }
  const pipeline = o.other.path === p.path;
  return {
    code: o.other.code ?? 'CFG_OUTPUT_IS_INPUT',
    message: pipeline
      ? `${o.output.what} ${spelled(o.output, p)} is the pipeline file itself${how ? ` (${how.slice(2)})` : ''}: the run would replace the pipeline`
      : `${o.output.what} ${spelled(o.output, p)} is ${o.other.what} file (${displayPathOf(o.other.path)}${how}): the run would replace its own input`,
    hint: 'write the output to another file',
  };
}

/**
 * Why: the overlaps of a pipeline as diagnostics, at the line of the output's setting (line 1 for
 * an output the pipeline does not name, such as a report in the state folder); and a warning for
 * each output the pipeline names outside its own folder tree, so writing elsewhere is never silent.
 */
export function overlapDiagnostics(p: LoadedPipeline, run: RunFileOptions = {}): Diagnostic[] {
  const { inputs, outputs } = pipelineFiles(p, run);
  const where = (pointer: string | undefined) => ({ file: p.displayPath, ...(pointer ? positionOf(p.doc, p.lines, pointer) : { line: 1, column: 1 }), pointer: pointer ?? '' });
  const out: Diagnostic[] = findOverlaps(inputs, outputs).map((o) => ({ ...where(o.output.pointer), severity: 'error' as const, ...describe(o, p) }));
  for (const o of outputs) {
    if (!o.pointer || o.pointer === '/destination/output' && o.what === 'the reject report' || isInside(o.path, p.dir)) continue;
    out.push({
      ...where(o.pointer), severity: 'warning', code: 'CFG_OUTPUT_OUTSIDE_PIPELINE_DIR',
      message: `${o.what} ${spelled(o, p)} is outside the pipeline's folder ${displayPathOf(p.dir)}/ (it is ${displayPathOf(o.path)})`,
      hint: 'check that this is where the file belongs; paths in a pipeline are relative to the pipeline file',
    });
  }
  return out;
}

/**
 * Before a run writes anything: throws when an output (with the run's options: --output, plan)
 * would replace an input or another output. A collision of a setting in the pipeline is a
 * PipelineConfigError at its line; one of --output is CFG_OUTPUT_IS_INPUT naming the flag.
 */
export function refuseOverwrites(p: LoadedPipeline, run: RunFileOptions): void {
  const { inputs, outputs } = pipelineFiles(p, run);
  const overlaps = findOverlaps(inputs, outputs);
  if (overlaps.length === 0) return;
  const byFlag = overlaps.find((o) => o.output.flag !== undefined || o.other.flag !== undefined);
  if (byFlag) {
    const d = describe(byFlag, p);
    throw new ManoflowError(d.code === 'CFG_OUTPUTS_COLLIDE' ? d.code : 'CFG_OUTPUT_IS_INPUT', d.message, { hint: '--output names the file to write: give one the run does not read' });
  }
  throw new PipelineConfigError(overlapDiagnostics(p, run).filter((d) => d.severity === 'error'));
}
