/**
 * `manomano-products`: the Product Creation CSV ManoMano imports (reference §6). Each record is
 * normalised, checked against ManoMano's rules, and either written or rejected with coded reasons;
 * the file appears atomically, and only when the run succeeds.
 */
import { openAtomicFile, type AtomicFile } from '../../../runtime/atomic-file.js';
import { formatCsvCell, formatCsvRow, Utf8Batch } from '../../../runtime/csv-format.js';
import type { Destination, DestinationDefinition, OutputItem, Row, RunContext } from '../../../runtime/types.js';
import type { ManomanoProductsDestinationConfig } from '../../../types/generated/pipeline.js';
import { defaultColumnOrder, MANOMANO_COLUMNS, MINIMAL_COLUMNS } from './columns.js';
import { formatValue, normalizeRecord } from './normalize.js';
import { FastFeed } from './fast-path.js';
import { FeedChecker, type CheckOptions } from './record-checks.js';

export { MANOMANO_COLUMNS } from './columns.js';
export { gs1CheckDigitValid } from './record-checks.js';
export { MM_CODES } from './problems.js';

/** Why: the runtime and the tests need the resolved settings, not the raw YAML object. */
export interface ResolvedProductsConfig {
  output: string;
  delimiter: string;
  decimalSeparator: '.' | ',';
  columns?: string[];
  bom: boolean;
  checks: CheckOptions;
}

/** Applies the schema's defaults and resolves the output path (the run option `output` wins), like the file destinations. */
export function resolveConfig(config: ManomanoProductsDestinationConfig, ctx: RunContext): ResolvedProductsConfig {
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
      ecoParticipationFrOnly: c.eco_participation_fr_only ?? true,
      market: config.market ?? 'FR',
    },
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

  constructor(private readonly cfg: ResolvedProductsConfig, private readonly ctx: RunContext) {
    this.checker = new FeedChecker(cfg.checks);
    this.fast = FastFeed.create(this.checker);
    if (cfg.delimiter === cfg.decimalSeparator) {
      ctx.log.warn(`manomano-products: delimiter and decimal_separator are both "${cfg.delimiter}"; numbers will be quoted`);
    }
  }

  private async start(first: OutputItem[]): Promise<void> {
    const seen = [...(this.ctx.mappedAttributes ?? []), ...first.flatMap((i) => Object.keys(i.record))];
    this.columns = this.cfg.columns ?? (seen.length ? defaultColumnOrder(seen) : [...MINIMAL_COLUMNS]);
    this.columnSet = new Set(this.columns);
    this.fast?.setColumns(this.columns);
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
    const bytes = this.bytes;
    let written = 0;
    let rejected = 0;
    const fast = this.fast;
    const onOutside = this.cfg.columns ? undefined : (key: string) => this.dropOnce(key);
    for (const item of batch) {
      if (fast) {
        // A record that passes everything is written from the slots; any other takes the exact path below.
        const accepted = fast.accept(item.record);
        if (accepted) {
          if (onOutside) fast.outsideColumns(onOutside);
          bytes.add(fast.row(this.cfg.delimiter, this.cfg.decimalSeparator));
          written++;
        }
        fast.clear();
        if (accepted) continue;
      }
      const record = normalizeRecord(item.record);
      const problems = this.checker.check(record);
      if (problems.length) {
        rejected++;
        const id = typeof record.sku === 'string' ? record.sku : item.position.id;
        for (const p of problems) {
          this.ctx.reject({ stage: 'destination', index: item.position.index, line: item.position.line, id, ...p });
        }
        continue;
      }
      this.checker.remember(record);
      bytes.add(this.row(record));
      written++;
    }
    if (bytes.length > 0) {
      const chunk = bytes.take();
      // The file's stream takes bytes as well as text (AtomicFile.write is typed for text only).
      if (this.file) await this.file.write(chunk as unknown as string);
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

/** The connector definition registered in engine/connectors/registry.ts. */
const definition: DestinationDefinition<ManomanoProductsDestinationConfig> = {
  kind: 'destination',
  type: 'manomano-products',
  feed: true,
  summary: 'ManoMano Product Creation feed: a checked CSV file ManoMano imports to create products and offers',
  attributes: MANOMANO_COLUMNS,
  batchSize: 500,
  create(config, ctx) {
    return new ProductsFeed(resolveConfig(config, ctx), ctx);
  },
};

export default definition;
