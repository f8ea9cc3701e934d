/**
 * The `csv` destination: a CSV file with a fixed header, written atomically. Columns are the
 * configured list, or the union of the keys of the first batch; nested values become JSON text.
 */
import { ManoflowError, RecordError } from '../../../errors.js';
import { unwritableReason } from '../../../json-text.js';
import { formatCsvRow, inertFormula } from '../../../runtime/csv-format.js';
import type { Destination, DestinationDefinition, OutputItem, RunContext } from '../../../runtime/types.js';
import type { CsvDestinationConfig } from '../../../types/generated/pipeline.js';
import { OutputFile, destinationReject, outputPath } from './output.js';

function createCsv(config: CsvDestinationConfig, ctx: RunContext): Destination {
  const delimiter = config.delimiter ?? ',';
  const withHeader = config.header ?? true;
  // a file people open in a spreadsheet: formula starts made inert (off: values kept exact for programs)
  const cell = config.escape_formulas === true ? inertFormula : (v: unknown) => v;
  let columns: string[] | undefined = config.columns ? [...config.columns] : undefined;
  let known = new Set(columns);
  const warned = new Set<string>();
  // With no record at all (an incremental import with nothing new), the header still names the
  // mapped attributes: a header-only file, not an empty one, for whatever reads it next.
  const head = (appendingTo?: string) => {
    const cols = columns ?? (ctx.mappedAttributes && ctx.mappedAttributes.length > 0 ? [...ctx.mappedAttributes] : undefined);
    const header = withHeader && cols && cols.length > 0 ? formatCsvRow(cols.map(cell), delimiter) : '';
    if (appendingTo === undefined) return (config.bom ? '\uFEFF' : '') + header;
    // appending: the file's header must be this run's, or the new rows would sit under wrong names
    if (withHeader && header.replace(/\r?\n$/, '') !== appendingTo) {
      throw new ManoflowError('DEST_APPEND_COLUMNS', `cannot append to ${out.path}: its header is not this run's columns`, {
        hint: `the file has "${appendingTo.slice(0, 120)}", the run writes "${header.trim().slice(0, 120)}": list the file's columns in \`columns\`, or write a new file`,
      });
    }
    return '';
  };
  const out = new OutputFile(outputPath(config.output, ctx), head, { mode: config.mode, ifEmpty: config.if_empty });

  return {
    async write(batch: OutputItem[]) {
      if (!columns) {
        const union = new Set<string>(ctx.mappedAttributes ?? []);
        for (const item of batch) for (const k of Object.keys(item.record)) union.add(k);
        columns = [...union];
        known = union;
      }
      const cols = columns;
      let text = '';
      let written = 0;
      let rejected = 0;
      for (const item of batch) {
        for (const k of Object.keys(item.record)) {
          if (!known.has(k) && !warned.has(k)) {
            warned.add(k);
            ctx.log.warn(`csv destination ${out.path}: "${k}" is not a column (first seen at item ${item.position.index}) and is not written; list it in \`columns\` to keep it`);
          }
        }
        try {
          text += formatCsvRow(cols.map((c) => cell(item.record[c])), delimiter);
          written++;
        } catch (err) {
          rejected++;
          const why = err instanceof RecordError ? { message: err.message, hint: err.hint } : unwritableReason(err);
          destinationReject(ctx, item, 'CSV_UNWRITABLE_VALUE', `cannot write the record as CSV: ${why.message}`, why.hint);
        }
      }
      await out.write(text, written);
      return { written, rejected };
    },
    async close(ok) {
      const result = await out.close(ok);
      return warned.size > 0 ? { ...result, details: { droppedKeys: [...warned] } } : result;
    },
  };
}

/** The csv destination definition (registry entry). */
const csvDestination: DestinationDefinition<CsvDestinationConfig> = {
  kind: 'destination',
  type: 'csv',
  summary: 'Writes a CSV file atomically (fixed header, nested values as JSON text, optional BOM).',
  batchSize: 500,
  create: createCsv,
};

export default csvDestination;
