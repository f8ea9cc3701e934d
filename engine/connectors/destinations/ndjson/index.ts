/**
 * The `ndjson` destination: one JSON object per line, streamed and atomic; the natural output for
 * records another program will read line by line (orders pulled for an ERP).
 */
import type { Destination, DestinationDefinition, RunContext } from '../../../runtime/types.js';
import type { NdjsonDestinationConfig } from '../../../types/generated/pipeline.js';
import { OutputFile, outputPath } from '../csv/output.js';
import { stringifyRecord } from '../json/index.js';

function createNdjson(config: NdjsonDestinationConfig, ctx: RunContext): Destination {
  const out = new OutputFile(outputPath(config.output, ctx), () => '', { mode: config.mode, ifEmpty: config.if_empty });
  return {
    async write(batch) {
      let text = '';
      let rejected = 0;
      for (const item of batch) {
        const json = stringifyRecord(ctx, item);
        if (json === undefined) rejected++;
        else text += json + '\n';
      }
      await out.write(text, batch.length - rejected);
      return { written: batch.length - rejected, rejected };
    },
    close: (ok) => out.close(ok),
  };
}

/** The ndjson destination definition (registry entry). */
const ndjsonDestination: DestinationDefinition<NdjsonDestinationConfig> = {
  kind: 'destination',
  type: 'ndjson',
  summary: 'Writes newline-delimited JSON (one object per line), streamed and atomic.',
  batchSize: 500,
  create: createNdjson,
};

export default ndjsonDestination;
