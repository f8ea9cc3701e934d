/**
 * `manoflow validate`'s category coverage: maps the first records of the source, collects the
 * ManoMano categories they land in, and warns for each mandatory attribute of those categories
 * that the mapping cannot produce (not mapped, and not a source column automap would carry). Every
 * record of such a category would be rejected MM_ATTRIBUTE_REQUIRED; the warning says it before a run.
 */
import { resolve } from 'node:path';
import type { LoadedPipeline } from '../../../config/load.js';
import { positionOf } from '../../../config/yaml-positions.js';
import type { Diagnostic } from '../../../errors.js';
import { compileMapping } from '../../../runtime/mapping.js';
import type { Row, RunContext } from '../../../runtime/types.js';
import { findSource } from '../../registry.js';
import { loadTaxonomy } from '../../taxonomy.js';
import { categoryIdOf } from './category-checks.js';
import { feedCategories, pipelineStateDir, resolveTaxonomySettings, type ProductsTaxonomyConfig } from './category-settings.js';

/** Records mapped to find the categories of the data: enough for a catalogue's categories, quick on a big file. */
export const COVERAGE_SAMPLE = 2000;

const silent = { info() {}, warn() {}, debug() {} };

/** Why: the DestinationDefinition `lint` of manomano-products; [] when there is no taxonomy (the run warns about that). */
export async function categoryCoverage(p: LoadedPipeline, sample = COVERAGE_SAMPLE): Promise<Diagnostic[]> {
  const dest = p.config.destination as { type?: string; market?: 'FR'; taxonomy?: ProductsTaxonomyConfig };
  const settings = resolveTaxonomySettings(dest.taxonomy, dest.market ?? 'FR');
  if (!settings.enabled) return [];
  const stateDir = pipelineStateDir(p.dir, p.config);
  // Validation never asks ManoMano: a cached taxonomy, or the local simulator's (offline).
  const loaded = await loadTaxonomy({
    environment: settings.environment, stateDir,
    baseUrl: settings.baseUrl, simulator: settings.simulator, fieldCategories: settings.fieldCategories, writeCache: false, log: silent,
  }).catch(() => undefined);
  if (!loaded) return [];
  const checker = feedCategories(loaded.doc, settings).exact;
  const sourceConfig = p.config.source as { type: string };
  const sourceDef = findSource(sourceConfig.type);
  if (!sourceDef || sourceDef.type.startsWith('manomano-')) return [];
  const mapping = compileMapping(p, undefined, { fastPath: true });
  const ctx: RunContext = {
    pipelineFile: p.path, pipelineDir: p.dir, pipelineName: String(p.config.name ?? ''), resolvePath: (q) => resolve(p.dir, q),
    reject() {}, report() {}, log: silent, options: { plan: true }, stateDir,
  };
  const used = new Map<number, number>();
  const columns = new Set<string>();
  let read = 0;
  try {
    const source = await sourceDef.create(p.config.source, ctx);
    for await (const item of source.read()) {
      if (read++ >= sample) break;
      if (!item.ok) continue;
      for (const k of Object.keys(item.record)) columns.add(k);
      let out: Row;
      try {
        if (!(await mapping.accepts(item.record))) continue;
        out = await mapping.map(item.record);
      } catch {
        continue; // a record the mapping rejects is the run's business
      }
      const id = categoryIdOf(out.mm_category_id);
      if (id !== undefined) used.set(id, (used.get(id) ?? 0) + 1);
    }
  } catch {
    return []; // an unreadable source is reported by the other checks (or the run)
  }
  const producible = (name: string) => mapping.attributes.includes(name) || (mapping.automap && columns.has(name));
  const missing = new Map<string, { id: number; count: number }[]>();
  for (const [id, count] of used) {
    for (const name of checker.mandatoryOf(id)) {
      if (producible(name)) continue;
      missing.set(name, [...(missing.get(name) ?? []), { id, count }]);
    }
  }
  const pointer = '/mapping/attributes';
  const at = positionOf(p.doc, p.lines, p.config.mapping ? pointer : '/destination');
  return [...missing].sort(([a], [b]) => a.localeCompare(b)).map(([name, cats]): Diagnostic => {
    const records = cats.reduce((n, c) => n + c.count, 0);
    const names = cats.sort((a, b) => b.count - a.count).slice(0, 3).map((c) => `${c.id} ${checker.index.name(checker.index.byId.get(c.id)!, settings.locale)}`);
    return {
      file: p.displayPath, ...at, pointer, code: 'CFG_CATEGORY_ATTRIBUTE_UNMAPPED', severity: 'warning',
      message: `"${name}" is mandatory in ${cats.length === 1 ? 'a category' : `${cats.length} categories`} of the data (${names.join(', ')}${cats.length > 3 ? ', ...' : ''}; ${records} of the first ${Math.min(read, sample)} records) but the mapping does not produce it`,
      hint: `map ${name} under mapping.attributes (manoflow categories show ${cats[0]!.id} lists what it takes); otherwise those records are rejected MM_ATTRIBUTE_REQUIRED`,
    };
  });
}
