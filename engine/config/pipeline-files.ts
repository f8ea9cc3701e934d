/**
 * The files a pipeline run reads and writes: the pipeline itself, its source, lookups and rule
 * boxes; per market, its output, reject report (and a failed run's), item report and feedback.
 * `validate` lists them from the pipeline; a run lists its outputs from the targets it built
 * (runtime/overwrite-guard.ts), with every path template expanded. Both go to findOverlaps.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { findDestination } from '../connectors/registry.js';
import { loadRuleBox, ruleSearchDirs } from '../rules/index.js';
import type { Diagnostic } from '../errors.js';
import { expandPath } from '../runtime/output-path.js';
import { failedReportPath } from '../runtime/reject-report.js';
import { findOverlaps, isInside, type FileRole, type Overlap } from './file-overlap.js';
import { displayPathOf, type LoadedPipeline } from './load.js';
import { pipelineViews, type PipelineView } from './markets.js';
import { marketOverride, ruleRefsOf } from './walk.js';
import { positionOf, toPointer } from './yaml-positions.js';

/** Every file a run reads, with the setting that names it. */
export function pipelineInputs(p: LoadedPipeline, views: readonly PipelineView[]): FileRole[] {
  const at = (q: string) => resolve(p.dir, q);
  const inputs: FileRole[] = [{ path: p.path, what: 'the pipeline file itself' }];
  const source = p.config.source as { path?: unknown } | undefined;
  if (typeof source?.path === 'string') inputs.push({ path: at(source.path), what: 'the source', pointer: '/source/path', code: 'CFG_OUTPUT_IS_SOURCE' });
  for (const [name, value] of Object.entries((p.config.lookups ?? {}) as Record<string, unknown>)) {
    // a file name, or (table lookups) an object with a `path`
    const path = typeof value === 'string' ? value : typeof (value as { path?: unknown } | null)?.path === 'string' ? (value as { path: string }).path : undefined;
    if (path !== undefined) inputs.push({ path: at(path), what: `lookup "${name}"`, pointer: typeof value === 'string' ? `/lookups/${name}` : `/lookups/${name}/path` });
  }
  const dirs = ruleSearchDirs(p.dir);
  const seen = new Set<string>();
  for (const view of views) {
    for (const ref of ruleRefsOf(view.config)) {
      if (ref.inline !== undefined || seen.has(ref.name)) continue;
      seen.add(ref.name);
      try {
        inputs.push({ path: loadRuleBox(ref.name, dirs).file, what: `rule box "${ref.name}"`, pointer: ref.pointer });
      } catch {
        // an unknown rule box is reported by its own check
      }
    }
  }
  return inputs;
}

/** How one target (a market, or the whole run) resolves its paths: from a built run, or as validate sees it. */
export interface TargetPaths {
  view: PipelineView;
  /** Resolves a path of the pipeline (its placeholders expanded as the run does). */
  resolvePath(q: string): string;
  /** The run option --output (already expanded), when given. */
  outputOption?: string;
  rejectPath: string;
  itemPath?: string;
  /** The target's name in state files (`name` or `name.market`). */
  pipelineName: string;
  stateDir: string;
  plan: boolean;
}

/** Every file one target writes, with the setting that names it. */
export function targetOutputs(t: TargetPaths): FileRole[] {
  const dest = t.view.config.destination as { type?: string; output?: unknown; feedback?: unknown; feedback_output?: unknown } | undefined;
  const mine = t.view.market === undefined ? undefined : marketOverride(t.view.written, t.view.market).destination;
  const pointer = (key: string) => (mine && key in mine ? toPointer(['markets', t.view.market!, 'destination', key]) : `/destination/${key}`);
  const market = t.view.market === undefined ? '' : ` of market ${t.view.market}`;
  const outputs: FileRole[] = [];
  if (t.outputOption !== undefined) outputs.push({ path: t.resolvePath(t.outputOption), what: `the --output file${market}`, flag: '--output' });
  else if (typeof dest?.output === 'string') outputs.push({ path: t.resolvePath(dest.output), what: `the output${market}`, pointer: pointer('output') });
  const explicitReport = typeof (t.view.config.report as { rejects?: unknown } | undefined)?.rejects === 'string';
  const reportPointer = explicitReport ? '/report/rejects' : t.outputOption === undefined && typeof dest?.output === 'string' ? pointer('output') : undefined;
  outputs.push({ path: t.rejectPath, what: `the reject report${market}`, pointer: reportPointer, besideOutput: !explicitReport });
  outputs.push({ path: failedReportPath(t.rejectPath), what: `the reject report of a failed run${market}`, pointer: reportPointer, besideOutput: true });
  if (t.itemPath !== undefined) outputs.push({ path: t.itemPath, what: `the item report${market}` });
  const def = typeof dest?.type === 'string' ? findDestination(dest.type) : undefined;
  if (def?.api && !t.plan && dest?.feedback !== false) {
    const configured = typeof dest?.feedback_output === 'string';
    const file = configured ? t.resolvePath(dest!.feedback_output as string) : join(t.stateDir, 'feedback', `${t.pipelineName.replace(/[^A-Za-z0-9._-]/g, '_')}.ndjson`);
    outputs.push({ path: file, what: `the feedback file${market}`, pointer: configured ? pointer('feedback_output') : undefined });
  }
  return outputs;
}

/** The paths of every target as validate sees them: as the run would, but with no run stamp ({date} stays as written). */
function validateTargets(p: LoadedPipeline): TargetPaths[] {
  const stateDir = resolve(p.dir, (p.config.state as { dir?: string } | undefined)?.dir ?? '.manoflow');
  return pipelineViews(p).map((view) => {
    const resolvePath = (q: string) => resolve(p.dir, expandPath(q, undefined, view.market));
    const pipelineName = view.market === undefined ? p.config.name : `${p.config.name}.${view.market}`;
    const def = findDestination((view.config.destination as { type?: string } | undefined)?.type ?? '');
    return {
      view, resolvePath, stateDir, pipelineName, plan: false,
      rejectPath: rejectReportFile(view, resolvePath, join(stateDir, 'reports', pipelineName), false),
      itemPath: def?.api ? join(stateDir, 'reports', `${pipelineName}.items.csv`) : undefined,
    };
  });
}

/**
 * Where the reject report goes: `report.rejects`, else beside the output (`<output>.rejects.csv`),
 * else `inStateDir` (the state folder's reports/<name>) + `.rejects.csv`; under `plan` a `.plan`
 * variant. The same rule as the run's (runtime/build.ts rejectReportPath), for validate, which
 * has no built run.
 */
export function rejectReportFile(view: PipelineView, resolvePath: (q: string) => string, inStateDir: string, plan: boolean): string {
  const suffix = plan ? '.plan.rejects.csv' : '.rejects.csv';
  const explicit = (view.config.report as { rejects?: string } | undefined)?.rejects;
  if (explicit) {
    const abs = resolvePath(explicit);
    return plan ? join(dirname(abs), `${basename(abs, extname(abs))}.plan${extname(abs)}`) : abs;
  }
  const out = (view.config.destination as { output?: string } | undefined)?.output;
  if (out) {
    const abs = resolvePath(out);
    return join(dirname(abs), `${basename(abs, extname(abs))}${suffix}`);
  }
  return `${inStateDir}${suffix}`;
}

/** A file as the user wrote it: the setting's text when the pipeline names it, else its path from here. */
function spelled(f: FileRole, p: LoadedPipeline): string {
  if (f.besideOutput) return displayPathOf(f.path);
  let node: unknown = p.config;
  for (const seg of (f.pointer ?? '').split('/').slice(1)) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[seg.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
  return typeof node === 'string' ? node : displayPathOf(f.path);
}

/** The code, message and hint of one collision. */
export function describeOverlap(o: Overlap, p: LoadedPipeline): { code: string; message: string; hint: string } {
  const how = o.how === 'the same path' ? '' : `, ${o.how.replace('the same file ', '')}`;
  if (o.otherIsOutput) {
    return {
      code: 'CFG_OUTPUTS_COLLIDE',
      message: `${o.output.what} ${spelled(o.output, p)} is also ${o.other.what} (${displayPathOf(o.other.path)}${how}): one would replace the other`,
      hint: / of market /.test(o.output.what) && / of market /.test(o.other.what)
        ? 'each market writes its own files: put {market} in the path, e.g. rejects-{market}.csv'
        : 'give each output its own file (report.rejects moves the reject report)',
    };
  }
  if (o.other.path === p.path) {
    return {
      code: 'CFG_OUTPUT_IS_INPUT',
      message: `${o.output.what} ${spelled(o.output, p)} is the pipeline file itself${how ? ` (${how.slice(2)})` : ''}: the run would replace the pipeline`,
      hint: o.output.flag ? `${o.output.flag} names the file to write: give one the run does not read` : 'write the output to another file',
    };
  }
  return {
    code: o.other.code ?? 'CFG_OUTPUT_IS_INPUT',
    message: `${o.output.what} ${spelled(o.output, p)} is ${o.other.what} file (${displayPathOf(o.other.path)}${how}): the run would replace its own input`,
    hint: o.output.flag ? `${o.output.flag} names the file to write: give one the run does not read` : 'write the output to another file',
  };
}

/** A diagnostic at the line of the output's setting (line 1 for an output the pipeline does not name). */
export function overlapDiagnostic(o: Overlap, p: LoadedPipeline): Diagnostic {
  const pos = o.output.pointer ? positionOf(p.doc, p.lines, o.output.pointer) : { line: 1, column: 1 };
  return { file: p.displayPath, ...pos, pointer: o.output.pointer ?? '', severity: 'error', ...describeOverlap(o, p) };
}

/**
 * The folder tree a pipeline's outputs are expected in: the pipeline's own folder, or, for a
 * pipeline of a project, the folder of the project file (manoflow.yaml) at or above it, whose
 * pipelines/ usually write to a sibling out/.
 */
export function outputRoot(pipelineDir: string): { dir: string; project: boolean } {
  for (let dir = resolve(pipelineDir); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'manoflow.yaml'))) return { dir, project: true };
    if (dirname(dir) === dir) return { dir: resolve(pipelineDir), project: false };
  }
}

/**
 * Why: `validate` must say what a run would refuse. Every output over an input or another output
 * is an error at the output's line; every output the pipeline names outside its folder tree (or
 * its project's: outputRoot) is a warning, so writing elsewhere is never silent.
 */
export function overlapDiagnostics(p: LoadedPipeline): Diagnostic[] {
  let targets: TargetPaths[];
  try {
    targets = validateTargets(p);
  } catch {
    return []; // markets the pipeline cannot build views for: reported by their own checks
  }
  const inputs = pipelineInputs(p, targets.map((t) => t.view));
  const outputs = targets.flatMap(targetOutputs);
  // markets sharing the output setting are CFG_MARKET_OUTPUT_CLASH (check-model.ts); one error per setting and code
  const seen = new Set<string>();
  const out = findOverlaps(inputs, outputs)
    .filter((o) => !(o.otherIsOutput && o.output.pointer === o.other.pointer && o.output.pointer?.endsWith('/destination/output')))
    .map((o) => overlapDiagnostic(o, p))
    .filter((d) => !seen.has(`${d.pointer}|${d.code}`) && seen.add(`${d.pointer}|${d.code}`) !== undefined);
  const warned = new Set<string>();
  const root = outputRoot(p.dir);
  for (const o of outputs) {
    if (!o.pointer || o.besideOutput || warned.has(o.pointer) || isInside(o.path, root.dir)) continue;
    warned.add(o.pointer);
    out.push({
      file: p.displayPath, ...positionOf(p.doc, p.lines, o.pointer), pointer: o.pointer, severity: 'warning', code: 'CFG_OUTPUT_OUTSIDE_PIPELINE_DIR',
      message: `${o.what} ${spelled(o, p)} is outside the ${root.project ? "project's" : "pipeline's"} folder ${displayPathOf(root.dir)}/ (it is ${displayPathOf(o.path)})`,
      hint: 'check that this is where the file belongs; paths in a pipeline are relative to the pipeline file',
    });
  }
  return out;
}
