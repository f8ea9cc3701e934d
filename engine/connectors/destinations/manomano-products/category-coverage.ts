/**
 * `manoflow validate`'s category coverage: maps the first records of the source, collects the
 * ManoMano categories they land in, and warns for each mandatory attribute of those categories
 * that the mapping cannot produce (not mapped, and not a source column automap would carry). Every
 * record of such a category would be rejected MM_ATTRIBUTE_REQUIRED; the warning says it before a
 * run. With `markets`, each market's view is checked (its own mapping and destination settings).
 */
import { resolve } from 'node:path';
import type { LoadedPipeline } from '../../../config/load.js';
import { pipelineViews, type PipelineView } from '../../../config/markets.js';
import { positionOf } from '../../../config/yaml-positions.js';
import type { Diagnostic } from '../../../errors.js';
import { compileMapping, type CompiledMapping } from '../../../runtime/mapping/index.js';
import { groupRows, type GroupBy } from '../../../runtime/group.js';
import type { Row, RunContext, SourceItem } from '../../../runtime/types.js';
import { findSource } from '../../registry.js';
import { loadTaxonomy } from '../../taxonomy.js';
import { categoryIdOf, type CategoryChecker } from './category-checks.js';
import { feedCategories, pipelineStateDir, resolveTaxonomySettings, type ProductsTaxonomyConfig, type ProductsTaxonomySettings } from './category-settings.js';

/** Records mapped to find the categories of the data: enough for a catalogue's categories, quick on a big file. */
export const COVERAGE_SAMPLE = 2000;

const silent = { info() {}, warn() {}, debug() {} };

/** One market's (or the pipeline's) view under check. */
interface Checked { view: PipelineView; settings: ProductsTaxonomySettings; checker: CategoryChecker; mapping: CompiledMapping; used: Map<number, number> }

/** The categories of a mapped record (several with `each`). */
async function categoriesOf(mapping: CompiledMapping, record: Row): Promise<number[]> {
  if (!(await mapping.accepts(record))) return [];
  const outputs: Row[] = mapping.expands ? (await mapping.mapSource(record)).flatMap((o) => (o.record ? [o.record] : [])) : [await mapping.map(record)];
  return outputs.map((o) => categoryIdOf(o.mm_category_id)).filter((id): id is number => id !== undefined);
}

/** Why: the DestinationDefinition `lint` of manomano-products; [] when there is no taxonomy (the run warns about that). */
export async function categoryCoverage(p: LoadedPipeline, sample = COVERAGE_SAMPLE): Promise<Diagnostic[]> {
  const sourceConfig = p.config.source as { type: string; group_by?: GroupBy };
  const sourceDef = findSource(sourceConfig.type);
  if (!sourceDef || sourceDef.type.startsWith('manomano-')) return [];
  const stateDir = pipelineStateDir(p.dir, p.config);
  const checked: Checked[] = [];
  for (const view of pipelineViews(p)) {
    const dest = view.config.destination as { type?: string; market?: 'FR'; taxonomy?: ProductsTaxonomyConfig };
    if (dest.type !== 'manomano-products') continue;
    const settings = resolveTaxonomySettings(dest.taxonomy, dest.market ?? 'FR');
    if (!settings.enabled) continue;
    // Validation never asks ManoMano: a cached taxonomy, or the local simulator's (offline).
    const loaded = await loadTaxonomy({
      environment: settings.environment, stateDir, baseUrl: settings.baseUrl, simulator: settings.simulator,
      fieldCategories: settings.fieldCategories, writeCache: false, log: silent,
    }).catch(() => undefined);
    if (!loaded) continue;
    checked.push({ view, settings, checker: feedCategories(loaded.doc, settings).exact, mapping: compileMapping(view, undefined, { fastPath: true }), used: new Map() });
  }
  if (checked.length === 0) return [];
  const ctx: RunContext = {
    pipelineFile: p.path, pipelineDir: p.dir, pipelineName: String(p.config.name ?? ''), resolvePath: (q) => resolve(p.dir, q),
    reject() {}, warn() {}, report() {}, log: silent, options: { plan: true }, stateDir,
  };
  const columns = new Set<string>();
  let read = 0;
  try {
    const source = await sourceDef.create(p.config.source, ctx);
    const items: AsyncIterable<SourceItem> = sourceConfig.group_by === undefined ? source.read() : groupRows(source.read(), sourceConfig.group_by, { fastPath: true }, { rows: 0 });
    for await (const item of items) {
      if (read >= sample) break;
      read++;
      if (!item.ok) continue;
      for (const k of Object.keys(item.record)) columns.add(k);
      for (const c of checked) {
        // a record the mapping rejects is the run's business
        const ids = await categoriesOf(c.mapping, item.record).catch(() => []);
        for (const id of ids) c.used.set(id, (c.used.get(id) ?? 0) + 1);
      }
    }
  } catch {
    return []; // an unreadable source is reported by the other checks (or the run)
  }
  return checked.flatMap((c) => warnings(p, c, columns, Math.min(read, sample)));
}

function warnings(p: LoadedPipeline, c: Checked, columns: ReadonlySet<string>, read: number): Diagnostic[] {
  const producible = (name: string) => c.mapping.attributes.includes(name) || (c.mapping.automap && columns.has(name));
  const missing = new Map<string, { id: number; count: number }[]>();
  for (const [id, count] of c.used) {
    for (const name of c.checker.mandatoryOf(id)) {
      if (!producible(name)) missing.set(name, [...(missing.get(name) ?? []), { id, count }]);
    }
  }
  const pointer = '/mapping/attributes';
  const at = positionOf(p.doc, p.lines, p.config.mapping ? pointer : '/destination');
  const market = c.view.market === undefined ? '' : `market ${c.view.market}: `;
  return [...missing].sort(([a], [b]) => a.localeCompare(b)).map(([name, cats]): Diagnostic => {
    const records = cats.reduce((n, x) => n + x.count, 0);
    const names = cats.sort((a, b) => b.count - a.count || a.id - b.id).slice(0, 3).map((x) => `${x.id} ${c.checker.index.name(c.checker.index.byId.get(x.id)!, c.settings.locale)}`);
    return {
      file: p.displayPath, ...at, pointer, code: 'CFG_CATEGORY_ATTRIBUTE_UNMAPPED', severity: 'warning',
      message: `${market}"${name}" is mandatory in ${cats.length === 1 ? 'a category' : `${cats.length} categories`} of the data (${names.join(', ')}${cats.length > 3 ? ', ...' : ''}; ${records} of the first ${read} records) but the mapping does not produce it`,
      hint: `map ${name} under mapping.attributes (manoflow categories show ${cats[0]!.id} lists what it takes); otherwise those records are rejected MM_ATTRIBUTE_REQUIRED`,
    };
  });
}
