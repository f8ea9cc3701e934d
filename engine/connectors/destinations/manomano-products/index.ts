/**
 * `manomano-products`: the Product Creation CSV ManoMano imports (reference §6). Each record is
 * normalised, checked against ManoMano's rules, and either written or rejected with coded reasons;
 * the file appears atomically, and only when the run succeeds.
 */
import { RecordError } from '../../../errors.js';
import { openAtomicFile, type AtomicFile } from '../../../runtime/atomic-file.js';
import { formatCsvCell, formatCsvRow, Utf8Batch } from '../../../runtime/csv-format.js';
import type { Destination, DestinationDefinition, OutputItem, PreparedItem, PreparerContext, Row, RunContext } from '../../../runtime/types.js';
import type { ManomanoProductsDestinationConfig } from '../../../types/generated/pipeline.js';
import { defaultColumnOrder, MANOMANO_COLUMNS, MINIMAL_COLUMNS } from './columns.js';
import { formatValue, normalizeRecord } from './normalize.js';
import { FastFeed } from './fast-path.js';
import { FeedChecker, type CheckOptions } from './record-checks.js';
import { PRODUCT_ATTRIBUTE_SYNONYMS, requiredProductAttributes } from './vocabulary.js';
import { feedCategories, feedCategoriesSync, pipelineStateDir, resolveTaxonomySettings, taxonomyColumnsSync, taxonomyForFeed, type FeedCategories, type ProductsTaxonomySettings } from './category-settings.js';
import { sharedKeyText, WrittenKeys } from './written-keys.js';

export { MANOMANO_COLUMNS } from './columns.js';
export { gs1CheckDigitValid } from './record-checks.js';
export { MM_CODES } from './problems.js';
export { CATEGORY_CODES } from './category-checks.js';

/** Why: the runtime and the tests need the resolved settings, not the raw YAML object. */
export interface ResolvedProductsConfig {
  output: string;
  delimiter: string;
  decimalSeparator: '.' | ',';
  columns?: string[];
  bom: boolean;
  checks: CheckOptions;
  taxonomy: ProductsTaxonomySettings;
}

/** Applies the schema's defaults and resolves the output path (the run option `output` wins), like the file destinations. */
export function resolveConfig(config: ManomanoProductsDestinationConfig, ctx: Pick<RunContext, 'resolvePath' | 'options'>): ResolvedProductsConfig {
  const c = config.checks ?? {};
  return {
    output: ctx.resolvePath(ctx.options.output || config.output),
    delimiter: config.delimiter ?? ';',
    decimalSeparator: config.decimal_separator ?? '.',
    columns: config.columns,
    bom: config.bom ?? false,
    checks: {
      requireCategory: c.require_category ?? true,
      requireMerchantCategory: c.require_merchant_category ?? false,
      minImages: c.min_images ?? 1,
      titleMaxLength: c.title_max_length,
      descriptionMaxLength: c.description_max_length,
      skuMaxLength: c.sku_max_length ?? 100,
      ecoParticipationFrOnly: c.eco_participation_fr_only ?? true,
      market: config.market ?? 'FR',
      duplicateEan: c.duplicate_ean ?? 'warn',
    },
    taxonomy: resolveTaxonomySettings(config.taxonomy, config.market ?? 'FR'),
  };
}

class ProductsFeed implements Destination {
  private file: AtomicFile | undefined;
  private columns: string[] | undefined;
  private columnSet = new Set<string>();
  private readonly checker: FeedChecker;
  /** Undefined only if the product schema outgrows schema-verdict.ts: every record then takes the exact path. */
  private readonly fast: FastFeed | undefined;
  private readonly dropped = new Set<string>();
  private readonly bytes = new Utf8Batch();
  private written = 0;
  private rejected = 0;

  /** `categories`: the taxonomy checks, when the feed has a taxonomy (category-settings.ts). */
  constructor(private readonly cfg: ResolvedProductsConfig, private readonly ctx: RunContext, categories?: FeedCategories) {
    this.checker = new FeedChecker(cfg.checks, categories?.exact, new WrittenKeys(sharedKeyText(ctx)));
    this.fast = FastFeed.create(this.checker, categories?.fast);
    if (cfg.delimiter === cfg.decimalSeparator) {
      ctx.log.warn(`manomano-products: delimiter and decimal_separator are both "${cfg.delimiter}"; numbers will be quoted`);
    }
  }

  private async start(first: OutputItem[]): Promise<void> {
    const seen = [...(this.ctx.mappedAttributes ?? []), ...first.flatMap((i) => Object.keys(i.record))];
    this.columns = feedColumns(this.cfg, seen);
    this.columnSet = new Set(this.columns);
    this.fast?.setColumns(this.columns, this.cfg.delimiter, this.cfg.decimalSeparator);
    if (this.ctx.options.plan) return;
    this.file = await openAtomicFile(this.cfg.output);
    await this.file.write((this.cfg.bom ? '\uFEFF' : '') + formatCsvRow(this.columns, this.cfg.delimiter));
  }

  private row(record: Row): string {
    const columns = this.columns ?? [];
    if (!this.cfg.columns) {
      for (const key of Object.keys(record)) if (!this.columnSet.has(key)) this.dropOnce(key);
    }
    // formatCsvRow's output, built in one pass (no array of cells per record).
    const delimiter = this.cfg.delimiter;
    const sep = this.cfg.decimalSeparator;
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      if (i > 0) line += delimiter;
      const v = record[c];
      if (v !== undefined) line += formatCsvCell(formatValue(c, v, sep), delimiter);
    }
    return line + '\n';
  }

  /** Warns once per attribute that came after the header and so is not in the feed. */
  private dropOnce(key: string): void {
    if (this.dropped.has(key)) return;
    this.dropped.add(key);
    this.ctx.log.warn(`manomano-products: attribute "${key}" first appeared after the header was written; it is not in the feed (list it in \`columns\`)`);
  }

  async write(batch: OutputItem[]): Promise<{ written: number; rejected: number }> {
    if (!this.columns) await this.start(batch);
    let written = 0;
    const fast = this.fast;
    const onOutside = this.cfg.columns ? undefined : (key: string) => this.dropOnce(key);
    for (const item of batch) {
      try {
        if (fast) {
          // A record that passes everything is written from the slots; any other takes the exact path below.
          const accepted = fast.accept(item.record);
          if (accepted) {
            if (onOutside) fast.outsideColumns(onOutside);
            this.bytes.add(fast.row());
            written++;
            const warnings = fast.warnings();
            if (warnings.length > 0) this.warnAll(warnings, fast.keys()[0], item.position);
          }
          fast.clear();
          if (accepted) continue;
        }
        if (this.exact(item.record, item.position)) written++;
      } catch (err) {
        // a value with no text form (nested thousands of levels deep, circular): this record only
        fast?.clear();
        if (!(err instanceof RecordError)) throw err;
        this.rejectAll([{ code: 'FEED_UNWRITABLE_VALUE', message: err.message, hint: err.hint ?? '' }], typeof item.record.sku === 'string' ? item.record.sku : item.position.id, item.position);
      }
    }
    return this.finish(written, batch.length - written);
  }

  /** write() for items the preparer (below) made in a mapping worker: duplicates are checked here, in order. */
  async writePrepared(batch: PreparedItem[]): Promise<{ written: number; rejected: number }> {
    // the preparer runs only when the columns do not depend on the records (see feedColumns)
    if (!this.columns) await this.start([]);
    let written = 0;
    for (const item of batch) {
      const d = item.data as PreparedProduct;
      if (d.row === undefined) {
        if (this.exact(d.record!, item.position)) written++;
        continue;
      }
      // schema and rules passed in the worker: only check()'s duplicate problems can remain
      const id = typeof d.sku === 'string' ? d.sku : item.position.id;
      const duplicates = this.checker.duplicates(d.sku, d.brand, d.skuManufacturer, [], d.ean);
      if (duplicates.length > 0) {
        this.rejectAll(duplicates, id, item.position);
        continue;
      }
      const owner = this.checker.rememberKeys(d.sku, d.brand, d.skuManufacturer, d.ean);
      this.bytes.add(d.row);
      written++;
      const warnings = [...(d.html ?? []), ...this.checker.warnings(undefined, undefined, d.ean, owner)];
      if (warnings.length > 0) this.warnAll(warnings, id, item.position);
    }
    return this.finish(written, batch.length - written);
  }

  /** The exact path: normalise, check, then reject with every problem or write. True when written. */
  private exact(mapped: Row, position: OutputItem['position']): boolean {
    const record = normalizeRecord(mapped);
    const problems = this.checker.check(record, mapped);
    const id = typeof record.sku === 'string' ? record.sku : position.id;
    if (problems.length) {
      this.rejectAll(problems, id, position);
      return false;
    }
    // the row first: a value that cannot be written rejects the record before its sku is reserved
    const row = this.row(record);
    const owner = this.checker.remember(record);
    const warnings = this.checker.warnings(record.title, record.description, record.ean, owner);
    this.bytes.add(row);
    if (warnings.length > 0) this.warnAll(warnings, id, position);
    return true;
  }

  private rejectAll(problems: ReturnType<FeedChecker['check']>, id: string | undefined, position: OutputItem['position']): void {
    for (const p of problems) this.ctx.reject({ stage: 'destination', index: position.index, line: position.line, id, ...p });
  }

  /** Warnings of a record that is written (catalog-checks.ts): rows of severity warning in the report. */
  private warnAll(problems: ReturnType<FeedChecker['check']>, id: unknown, position: OutputItem['position']): void {
    const name = typeof id === 'string' ? id : position.id;
    for (const p of problems) this.ctx.warn({ stage: 'destination', index: position.index, line: position.line, id: name, ...p });
  }

  private async finish(written: number, rejected: number): Promise<{ written: number; rejected: number }> {
    if (this.bytes.length > 0) {
      const chunk = this.bytes.take();
      if (this.file) await this.file.write(chunk);
    }
    this.written += written;
    this.rejected += rejected;
    return { written, rejected };
  }

  async close(ok: boolean): Promise<{ outputs: string[]; details: Record<string, unknown> }> {
    const details = { written: this.written, rejected: this.rejected };
    if (!ok) {
      await this.file?.abort();
      return { outputs: [], details };
    }
    if (this.ctx.options.plan) return { outputs: [], details: { ...details, plan: true } };
    if (!this.columns) await this.start([]);
    await this.file?.commit();
    return { outputs: [this.cfg.output], details };
  }
}

/** The feed's columns: as configured, else ManoMano's order of the attributes seen (mapped ones, then the first batch's). */
function feedColumns(cfg: ResolvedProductsConfig, seen: string[]): string[] {
  return cfg.columns ?? (seen.length ? defaultColumnOrder(seen) : [...MINIMAL_COLUMNS]);
}

/** A record as a mapping worker prepared it: its row and duplicate keys when it passed, else the record itself. */
interface PreparedProduct {
  row?: string;
  sku?: unknown;
  brand?: unknown;
  skuManufacturer?: unknown;
  ean?: unknown;
  /** HTML left in title or description (pure, so found in the worker); EAN duplicates need the feed's state. */
  html?: ReturnType<FeedChecker['check']>;
  record?: Row;
}

/**
 * The feed's per-record half for mapping workers: the fast path's schema and rule verdicts and the
 * row text. Only when the columns are known before the first record (configured, or no automap:
 * the records then hold mapped attributes only, and no "attribute after the header" warning can arise).
 */
function preparer(config: ManomanoProductsDestinationConfig, ctx: PreparerContext): ((item: OutputItem) => PreparedItem) | undefined {
  const cfg = resolveConfig(config, ctx);
  if (!cfg.columns && ctx.automap) return undefined;
  const categories = feedCategoriesSync(cfg.taxonomy, ctx.stateDir);
  if (categories === 'unknown') return undefined; // the run may hold a taxonomy the workers cannot read: checks stay on the main thread
  const fast = FastFeed.create(new FeedChecker(cfg.checks, categories?.exact), categories?.fast);
  if (!fast) return undefined;
  fast.setColumns(feedColumns(cfg, [...ctx.mappedAttributes]), cfg.delimiter, cfg.decimalSeparator);
  return (item) => {
    let data: PreparedProduct;
    if (fast.passes(item.record)) {
      const [sku, brand, skuManufacturer, ean] = fast.keys();
      const html = fast.htmlWarnings();
      data = { row: fast.row(), sku, brand, skuManufacturer, ean, ...(html.length ? { html } : {}) };
    } else {
      data = { record: item.record };
    }
    fast.clear();
    return { position: item.position, data };
  };
}

/** The connector definition registered in engine/connectors/registry.ts. */
const definition: DestinationDefinition<ManomanoProductsDestinationConfig> = {
  kind: 'destination',
  type: 'manomano-products',
  feed: true,
  summary: 'ManoMano Product Creation feed: a checked CSV file ManoMano imports to create products and offers',
  attributes: MANOMANO_COLUMNS,
  requiredAttributes: requiredProductAttributes,
  attributeSynonyms: PRODUCT_ATTRIBUTE_SYNONYMS,
  // Records wait in a batch until the feed writes them, and every young-generation collection
  // meanwhile copies them: at 500 those copies cost ~15% of a feed's run, at 128 ~5%
  // (bench/README.md, "Batches and writes").
  batchSize: 128,
  async create(config, ctx) {
    const cfg = resolveConfig(config, ctx);
    // the markets of one run read (or fetch) one taxonomy once, and say once why it is missing
    const { enabled, environment, apiKey, baseUrl, simulator, fieldCategories, maxAgeDays } = cfg.taxonomy;
    const key = `manomano-products/taxonomy:${JSON.stringify([enabled, environment, apiKey, baseUrl, simulator, fieldCategories, maxAgeDays, ctx.stateDir])}`;
    let taxonomy = ctx.shared?.get(key) as ReturnType<typeof taxonomyForFeed> | undefined;
    if (!taxonomy) {
      taxonomy = taxonomyForFeed(cfg.taxonomy, ctx.stateDir, ctx.log, ctx.options.plan === true);
      ctx.shared?.set(key, taxonomy);
    }
    const loaded = await taxonomy;
    return new ProductsFeed(cfg, ctx, loaded ? feedCategories(loaded.doc, cfg.taxonomy) : undefined);
  },
  preparer,
  // validate: mandatory attributes of the categories the data lands in that the mapping does not produce
  lint: async (p) => (await import('./category-coverage.js')).categoryCoverage(p),
  moreAttributes(p) {
    const dest = p.config.destination as ManomanoProductsDestinationConfig;
    return taxonomyColumnsSync(resolveTaxonomySettings(dest.taxonomy, dest.market ?? 'FR'), pipelineStateDir(p.dir, p.config));
  },
};

export default definition;
