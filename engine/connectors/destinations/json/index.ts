/**
 * The `json` destination: one JSON array, written incrementally (`[`, one record per line joined
 * by `,`, `]`), so memory stays flat; atomic like every file output.
 */
import type { Destination, DestinationDefinition, OutputItem, RunContext } from '../../../runtime/types.js';
import type { JsonDestinationConfig } from '../../../types/generated/pipeline.js';
import { unwritableReason } from '../../../json-text.js';
import { OutputFile, destinationReject, outputPath } from '../csv/output.js';

/** Serialises one record, or rejects it with the reason it cannot be (nested too deeply, BigInt, circular reference). */
export function stringifyRecord(ctx: RunContext, item: OutputItem): string | undefined {
  try {
    return JSON.stringify(item.record);
  } catch (err) {
    const why = unwritableReason(err);
    destinationReject(ctx, item, 'JSON_UNWRITABLE_VALUE', `cannot write the record as JSON: ${why.message}`, why.hint);
    return undefined;
  }
}

function createJson(config: JsonDestinationConfig, ctx: RunContext): Destination {
  const out = new OutputFile(outputPath(config.output, ctx), () => '', { ifEmpty: config.if_empty });
  let count = 0;
  return {
    async write(batch) {
      let text = '';
      let rejected = 0;
      for (const item of batch) {
        const json = stringifyRecord(ctx, item);
        if (json === undefined) { rejected++; continue; }
        text += (count++ === 0 ? '[\n' : ',\n') + json;
      }
      await out.write(text, batch.length - rejected);
      return { written: batch.length - rejected, rejected };
    },
    close: (ok) => out.close(ok, () => (count === 0 ? '[]\n' : '\n]\n')),
  };
}

/** The json destination definition (registry entry). */
const jsonDestination: DestinationDefinition<JsonDestinationConfig> = {
  kind: 'destination',
  type: 'json',
  summary: 'Writes a JSON array file, streamed and atomic.',
  batchSize: 500,
  create: createJson,
};

export default jsonDestination;
