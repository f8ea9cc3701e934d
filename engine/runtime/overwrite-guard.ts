/**
 * The run's own check that no output replaces a file it reads, on the paths its targets will
 * really write (output templates expanded, --output per market, the failed run's report), before
 * anything is read or written. validate makes the same check from the pipeline alone.
 */
import { ManoflowError, PipelineConfigError } from '../errors.js';
import { findOverlaps } from '../config/file-overlap.js';
import { describeOverlap, overlapDiagnostic, pipelineInputs, targetOutputs } from '../config/pipeline-files.js';
import type { BuiltRun } from './build.js';

/**
 * Why: a symlink, a hard link, another spelling or a run option can make an output one of the
 * inputs; the run refuses with exit 2. A collision of a setting of the pipeline is a
 * PipelineConfigError at its line; one through --output is CFG_OUTPUT_IS_INPUT naming the flag.
 */
export function refuseOverwrites(run: BuiltRun, plan: boolean): void {
  const p = run.pipeline;
  const inputs = pipelineInputs(p, run.targets.map((t) => t.view));
  const outputs = run.targets.flatMap((t) => targetOutputs({
    view: t.view, resolvePath: t.ctx.resolvePath, outputOption: t.ctx.options.output, rejectPath: t.rejectPath, itemPath: t.itemPath,
    pipelineName: t.ctx.pipelineName, stateDir: t.ctx.stateDir, plan,
  }));
  const overlaps = findOverlaps(inputs, outputs);
  if (overlaps.length === 0) return;
  const byFlag = overlaps.find((o) => o.output.flag !== undefined || o.other.flag !== undefined);
  if (byFlag) {
    const d = describeOverlap(byFlag, p);
    throw new ManoflowError(d.code === 'CFG_OUTPUTS_COLLIDE' ? d.code : 'CFG_OUTPUT_IS_INPUT', d.message, { hint: d.hint });
  }
  throw new PipelineConfigError(overlaps.map((o) => overlapDiagnostic(o, p)));
}
