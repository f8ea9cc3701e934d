/**
 * Markets: one pipeline, one read of the source, one feed (or API run) per market. A market's view
 * of the pipeline is the pipeline with the market's overrides applied: vars merged, filter
 * replaced, attributes replaced by name, destination settings merged. Everything downstream
 * (mapping, destination, reports) works on a view and never sees `markets` itself.
 */
import { ManoflowError } from '../errors.js';
import { didYouMeanHint } from '../rules/did-you-mean.js';
import type { PipelineConfig } from '../types/generated/pipeline.js';
import type { LoadedPipeline } from './load.js';
import { marketNames, marketOverride } from './walk.js';

/** A pipeline as one market sees it (`market` undefined: a pipeline without markets). */
export interface PipelineView extends LoadedPipeline {
  market?: string;
  /** The pipeline as written (`config` is the market's effective one): attribute positions come from it. */
  written: PipelineConfig;
}

/** A pipeline without markets as its own (only) view: for callers that have no market to pick. */
export function singleView(p: LoadedPipeline | PipelineView): PipelineView {
  return 'written' in p ? p : { ...p, config: effectiveConfig(p.config, undefined), written: p.config };
}

/** The pipeline with one market's overrides applied (`markets` removed). */
export function effectiveConfig(config: PipelineConfig, market: string | undefined): PipelineConfig {
  const { markets: _markets, ...base } = config as PipelineConfig & { markets?: unknown };
  if (market === undefined) return base as PipelineConfig;
  const o = marketOverride(config, market);
  const mapping = config.mapping as { attributes?: Record<string, unknown> } | undefined;
  return {
    ...base,
    vars: { ...(config.vars ?? {}), ...(o.vars ?? {}) },
    ...(o.filter !== undefined ? { filter: o.filter } : {}),
    ...(mapping && o.attributes ? { mapping: { ...mapping, attributes: { ...mapping.attributes, ...o.attributes } } } : {}),
    destination: { ...(config.destination as object), ...(o.destination ?? {}) } as unknown as PipelineConfig['destination'],
  } as PipelineConfig;
}

/**
 * The views a run works on: one per selected market, or the pipeline itself when it declares
 * none. `selected` (from --market) must name declared markets.
 */
export function pipelineViews(p: LoadedPipeline, selected?: readonly string[]): PipelineView[] {
  const declared = marketNames(p.config);
  if (declared.length === 0) {
    if (selected && selected.length > 0) {
      throw new ManoflowError('CLI_UNKNOWN_MARKET', `--market ${selected.join(',')}: the pipeline declares no markets`, {
        hint: 'declare them under `markets:` in the pipeline, or leave --market out',
      });
    }
    return [{ ...p, config: effectiveConfig(p.config, undefined), written: p.config }];
  }
  const names = selected && selected.length > 0 ? selected : declared;
  for (const name of names) {
    if (!declared.includes(name)) {
      throw new ManoflowError('CLI_UNKNOWN_MARKET', `the pipeline declares no market "${name}"`, {
        hint: didYouMeanHint(name, declared) || `its markets: ${declared.join(', ')}`,
      });
    }
  }
  return names.map((market) => ({ ...p, config: effectiveConfig(p.config, market), market, written: p.config }));
}
