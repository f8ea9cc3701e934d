/**
 * The `json` source: one JSON document, parsed whole (JSON has no record boundaries to stream on;
 * use `ndjson` for large exports), yielding each object of the array found at `items`.
 */
import { ManoflowError, RecordError } from '../../../errors.js';
import type { Source, SourceDefinition, SourceItem, RunContext, Row } from '../../../runtime/types.js';
import type { JsonSourceConfig } from '../../../types/generated/pipeline.js';
import { readWholeText } from '../csv/read-text.js';
import { jsonText } from '../../../json-text.js';

const describeValue = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

/** Returns the array at a dotted path (`data.products`); throws a fatal error naming the failing step. */
export function itemsAt(doc: unknown, path: string | undefined, file: string): unknown[] {
  let node = doc;
  const steps = path ? path.split('.') : [];
  for (let k = 0; k < steps.length; k++) {
    const step = steps[k]!;
    const here = steps.slice(0, k + 1).join('.');
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, step)) {
      const keys = node && typeof node === 'object' && !Array.isArray(node) ? Object.keys(node) : [];
      throw new ManoflowError('JSON_ITEMS_NOT_FOUND', `${file}: nothing at "${here}" (the document has ${describeValue(node)} there${k ? ` at "${steps.slice(0, k).join('.')}"` : ''})`, {
        hint: keys.length ? `set \`items\` to a path that exists; keys here: ${keys.slice(0, 20).join(', ')}` : 'check `items`: a dotted path of object keys, e.g. "data.products"',
      });
    }
    node = (node as Record<string, unknown>)[step];
  }
  if (!Array.isArray(node)) {
    const keys = node && typeof node === 'object' ? Object.keys(node).filter((k) => Array.isArray((node as Record<string, unknown>)[k])) : [];
    throw new ManoflowError('JSON_NOT_ARRAY', `${file}: ${path ? `"${path}"` : 'the document'} is ${describeValue(node)}, not an array of records`, {
      hint: path
        ? 'point `items` at the array that holds the records'
        : `set \`items\` to the dotted path of the array inside the document${keys.length ? ` (arrays found: ${keys.join(', ')})` : ', e.g. "data.products"'}`,
    });
  }
  return node;
}

async function* readJson(config: JsonSourceConfig, ctx: RunContext): AsyncGenerator<SourceItem> {
  const file = ctx.resolvePath(config.path);
  const text = await readWholeText(file);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ManoflowError('JSON_PARSE_ERROR', `${file}: not valid JSON: ${(err as Error).message}`, {
      hint: 'a json source reads one JSON document; for one object per line use `type: ndjson`',
      cause: err,
    });
  }
  const list = itemsAt(doc, config.items, file);
  for (let index = 0; index < list.length; index++) {
    const value = list[index];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield {
        ok: false,
        error: new RecordError('JSON_NOT_OBJECT', `item ${index} is ${describeValue(value)}, not an object`, {
          hint: 'every element of the array must be an object of fields',
        }),
        position: { index },
        raw: jsonText(value)?.slice(0, 500),
      };
      continue;
    }
    const record = value as Row;
    const idValue = config.id_field === undefined ? undefined : record[config.id_field];
    const id = idValue === undefined || idValue === null || idValue === '' ? undefined : String(idValue);
    yield { ok: true, record, position: id === undefined ? { index } : { index, id } };
  }
}

/** The json source definition (registry entry). */
const jsonSource: SourceDefinition<JsonSourceConfig> = {
  kind: 'source',
  type: 'json',
  summary: 'Reads the array of objects in a JSON document (whole-file parse; `items` picks a nested array).',
  create(config, ctx): Source {
    return { read: () => readJson(config, ctx) };
  },
};

export default jsonSource;
