/**
 * A mapping worker: compiles the pipeline's mapping once (filter, attributes, rule boxes, lookups)
 * and maps the chunks of records the run loop sends, answering one outcome per record in order.
 * Record problems come back as data (the main thread writes the reject report); anything else is
 * fatal to the run, as it is in the sequential loop.
 */
import { resolve } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { RecordError } from '../../errors.js';
import { loadPipeline } from '../../config/load.js';
import { findDestination } from '../../connectors/registry.js';
import { isPending } from '../../expr/index.js';
import { compileMapping, mappedPosition } from '../mapping/index.js';
import { attachLookups } from '../lookups.js';
import type { OutputItem, PreparedItem, RecordPosition, Row } from '../types.js';
import { pipelineViews } from '../../config/markets.js';
import type { ChunkRequest, RecordOutcome, WorkerInit, WorkerReply } from './protocol.js';

const port = parentPort!;
const send = (reply: WorkerReply) => port.postMessage(reply);

function fatal(err: unknown, seq?: number): void {
  const e = err as { code?: string; message?: string; hint?: string };
  send({ type: 'fatal', seq, code: e?.code ?? 'RUN_WORKER_FAILED', message: e?.message ?? String(err), hint: e?.hint });
}

try {
  const init = workerData as WorkerInit;
  const p = loadPipeline(init.path, { source: init.source });
  p.config = init.config as typeof p.config;
  const view = pipelineViews(p, init.market === undefined ? undefined : [init.market])[0]!;
  const destination = findDestination(init.destinationType);
  const mapping = compileMapping(view, destination, init.exprOptions, init.lookups ? { lookups: attachLookups(p, init.lookups) } : {});
  // the destination's per-record half, when main chose to run it here (same config, same answer)
  let prepare: ((item: OutputItem) => PreparedItem) | undefined;
  if (init.destination !== undefined) {
    prepare = destination?.preparer?.(init.destination, {
      pipelineDir: p.dir, resolvePath: (q) => resolve(p.dir, q), options: init.runOptions ?? {},
      mappedAttributes: mapping.attributes, automap: mapping.automap,
      stateDir: resolve(p.dir, (p.config.state as { dir?: string } | undefined)?.dir ?? '.manoflow'),
    });
    if (!prepare) throw new Error(`destination ${init.destinationType} gave no preparer in a worker`);
  }

  // one chunk at a time: the mapping shares its bindings objects between records
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (req: ChunkRequest) => {
    queue = queue.then(() => mapChunk(req));
  });
  function outcomeOf(mapped: Row, position: RecordPosition | undefined): RecordOutcome {
    if (prepare === undefined) return { kind: 'mapped', record: mapped };
    return { kind: 'prepared', item: prepare({ record: mapped, position: mappedPosition(mapped, position!) }) };
  }
  const rejected = (err: RecordError): RecordOutcome => ({ kind: 'rejected', code: err.code, message: err.message, hint: err.hint, attribute: err.attribute });
  async function mapChunk(req: ChunkRequest): Promise<void> {
    const outcomes: RecordOutcome[] = new Array(req.records.length);
    try {
      for (let i = 0; i < req.records.length; i++) {
        const record = req.records[i]!;
        try {
          const accepted = mapping.acceptsRecord(record);
          if (!(isPending(accepted) ? await accepted : accepted)) {
            outcomes[i] = { kind: 'filtered' };
            continue;
          }
          if (mapping.expands) {
            const pending = mapping.mapSource(record);
            const outputs = isPending(pending) ? await pending : pending;
            outcomes[i] = { kind: 'expanded', outcomes: outputs.map((o) => (o.error !== undefined ? rejected(o.error) : outcomeOf(o.record, req.positions?.[i]))) };
            continue;
          }
          const pending = mapping.mapRecord(record);
          outcomes[i] = outcomeOf(isPending(pending) ? await pending : pending, req.positions?.[i]);
        } catch (err) {
          if (!(err instanceof RecordError)) throw err;
          outcomes[i] = rejected(err);
        }
      }
    } catch (err) {
      fatal(err, req.seq);
      return;
    }
    send({ type: 'chunk', seq: req.seq, outcomes });
  }
  send({ type: 'ready' });
} catch (err) {
  fatal(err);
}
