/// <reference types="node" preserve="true" />
/**
 * manoflow as a library: load, validate and run pipelines from TypeScript.
 *
 *   import { loadPipeline, validatePipeline, runPipeline } from 'manoflow';
 *   const summary = await runPipeline('pipelines/fr-product-creation.yaml', { limit: 100 });
 */
export { loadPipeline, type LoadedPipeline, type LoadOptions } from './config/load.js';
export { validatePipeline } from './config/validate.js';
export { runPipeline, loadValidPipeline, type RunSummary, type RunPipelineOptions, type Progress } from './runtime/run.js';
export { compileMapping, type CompiledMapping } from './runtime/mapping/index.js';
export { loadLookups, type LoadedLookups } from './runtime/lookups.js';
export { previewPipeline, type PreviewOptions, type PreviewRecord } from './runtime/preview.js';
export { watchPipeline, type WatchHandle, type WatchOptions } from './watch/index.js';
export { runPipelineTestFile, type CaseResult } from './testing/index.js';
export { createClient, type ManomanoClient, type ClientOptions } from './manomano/client/index.js';
export { startSimulator, type Simulator, type SimulatorOptions } from './manomano/simulator/index.js';
export { loadTaxonomy, type LoadedTaxonomy, type TaxonomySourceOptions } from './connectors/taxonomy.js';
export { TaxonomyIndex } from './manomano/taxonomy/taxonomy-index.js';
export { searchCategories, suggestCategories, type CategoryMatch } from './manomano/taxonomy/search.js';
export type { ApiCategory, ApiFeedField, TaxonomyDocument, TaxonomyLocale } from './manomano/taxonomy-types.js';
export { formatDiagnostic, ManoflowError, PipelineConfigError, RecordError, type Diagnostic } from './errors.js';
export { compileExpression, type CompiledExpression } from './expr/index.js';
export { sources, destinations } from './connectors/registry.js';
export { openStateStore, type StateHandle, type OpenStateOptions } from './state/open.js';
export { actionKey, type StateStore, type ActionEntry, type ActionState, type Lease, type LockInfo, type StoreStats } from './state/store.js';
export type * from './runtime/types.js';
export type * from './types/generated/pipeline.js';
export { loadProject, type LoadedProject } from './project/load.js';
export { validateProject, type ProjectCheckOptions } from './project/validate.js';
export { runProject, type ProjectStep, type ProjectRunOptions } from './project/run.js';
export { RedisStateStore } from './state/redis/store.js';
export type * from './types/generated/project.js';
