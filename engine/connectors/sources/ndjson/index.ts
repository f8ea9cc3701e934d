/**
 * The `ndjson` source: one JSON object per line, streamed line by line. A line that is not a JSON
 * object is rejected with its line number and the reading goes on; blank lines are skipped.
 */
import { RecordError } from '../../../errors.js';
import type { Row, Source, SourceDefinition, SourceItem, RunContext } from '../../../runtime/types.js';
import type { NdjsonSourceConfig } from '../../../types/generated/pipeline.js';
import { fileMeter, readTextChunks, type ReadMeter } from '../csv/read-text.js';

const RAW_MAX = 500;

/** Splits decoded chunks into lines (LF or CRLF), numbered from 1. */
async function* lines(chunks: AsyncIterable<string>): AsyncGenerator<{ text: string; line: number }> {
  let rest = '';
  let line = 1;
  for await (const chunk of chunks) {
    const text = rest + chunk;
    let start = 0;
    for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', start)) {
      yield { text: text.slice(start, k), line: line++ };
      start = k + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) yield { text: rest, line };
}

function reject(code: string, message: string, hint: string, index: number, line: number, raw: string): SourceItem {
  return {
    ok: false,
    error: new RecordError(code, message, { hint }),
    position: { index, line },
    raw: raw.length > RAW_MAX ? `${raw.slice(0, RAW_MAX)}…` : raw,
  };
}

async function* readNdjson(config: NdjsonSourceConfig, ctx: RunContext, meter?: ReadMeter): AsyncGenerator<SourceItem> {
  const file = ctx.resolvePath(config.path);
  let index = 0;
  for await (const { text, line } of lines(readTextChunks(file, 'utf8', undefined, { fatal: true, code: 'NDJSON_ENCODING', meter }))) {
    const body = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (body.trim() === '') continue;
    const at = index++;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (err) {
      yield reject('JSON_PARSE_ERROR', `line ${line} is not valid JSON: ${(err as Error).message}`,
        'each line must hold one complete JSON object; a record spread over several lines belongs in a `json` source', at, line, body);
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield reject('JSON_NOT_OBJECT', `line ${line} holds ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}, not an object`,
        'each line must hold one JSON object of fields', at, line, body);
      continue;
    }
    const record = value as Row;
    const idValue = config.id_field === undefined ? undefined : record[config.id_field];
    const id = idValue === undefined || idValue === null || idValue === '' ? undefined : String(idValue);
    yield { ok: true, record, position: id === undefined ? { index: at, line } : { index: at, line, id } };
  }
}

/** The ndjson source definition (registry entry). */
const ndjsonSource: SourceDefinition<NdjsonSourceConfig> = {
  kind: 'source',
  type: 'ndjson',
  summary: 'Streams newline-delimited JSON, one object per line; bad lines are rejected with their line number.',
  create(config, ctx): Source {
    const meter = fileMeter(ctx.resolvePath(config.path));
    return { read: () => readNdjson(config, ctx, meter), progress: () => meter };
  },
};

export default ndjsonSource;
