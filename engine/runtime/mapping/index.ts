/**
 * The mapping: compiles a pipeline view once (filter, `let`, `each`, attributes with their rule
 * boxes, static values, defaults, spreads, automap) into functions applied to each source record.
 * A record without `let`/`each` maps to one output record on the hot path (`mapRecord`); with
 * them, `mapSource` gives the record's outputs (one per `each` item), each mapped or rejected.
 */
import { RecordError } from '../../errors.js';
import { compileExpression, isPending, type CompiledExpression, type ExprOptions } from '../../expr/index.js';
import { customFunctions } from '../../rules/index.js';
import { singleView, type PipelineView } from '../../config/markets.js';
import type { LoadedPipeline } from '../../config/load.js';
import { positionOf } from '../../config/yaml-positions.js';
import { mapLookups, type LoadedLookups } from '../lookups.js';
import type { DestinationDefinition, RecordPosition, Row } from '../types.js';
import { attributeError, evaluateAttribute, type Trace } from './evaluate.js';
import { compileAttributes, type AttributePlan } from './plan.js';
import { compileScope, type Scope } from './scope.js';
import { compileFill, FILL_COMPLETE, FILL_PENDING, type PendingAttribute } from './compiled.js';

/** One output of a source record: the mapped record, or why it was rejected. */
export type MappedOutput = { record: Row; error?: undefined } | { record?: undefined; error: RecordError };

export interface CompiledMapping {
  /** Output columns explicitly mapped, in pipeline order (a spread gives its numbered columns). */
  readonly attributes: readonly string[];
  /** The attributes evaluated by the mapping's generated code (compiled.ts): a column read and built-in rule boxes. */
  readonly compiledAttributes: readonly string[];
  /** True when source columns are copied to the output on top of the mapped attributes. */
  readonly automap: boolean;
  /** True with `let` or `each`: the run loop then maps with `mapSource`. */
  readonly expands: boolean;
  /** True with `each`: a source record may become several records (or none). */
  readonly fansOut: boolean;
  /** Evaluates the filter; true when the record passes (or there is no filter); no Promise on the fast path. */
  acceptsRecord(record: Row): boolean | Promise<boolean>;
  /** Maps one record (no `let`/`each`); a failing attribute throws a RecordError naming it. No Promise on the fast path. */
  mapRecord(record: Row): Row | Promise<Row>;
  /**
   * `let`, `each`, then the attributes, for a record that passed the filter: one output per
   * `each` item (or one). A failing `let` or `each` throws (the whole source record is rejected).
   */
  mapSource(record: Row): MappedOutput[] | Promise<MappedOutput[]>;
  /** Per-attribute trace for preview: the starting value and the value after each rule box (first `each` item). */
  trace(record: Row, attribute: string): Promise<{ step: string; value: unknown }[]>;
  /** Async conveniences for tests and tools: `mapRecord` / `acceptsRecord` awaited. */
  map(record: Row): Promise<Row>;
  accepts(record: Row): Promise<boolean>;
}

export interface MappingShared {
  /**
   * The lookups, loaded once (a run loads them for every market: loadLookups). A pipeline without
   * lookup tables may leave them out: its key → value maps are then read here.
   */
  lookups?: LoadedLookups;
}

export function compileMapping(pipeline: LoadedPipeline | PipelineView, destination: DestinationDefinition | undefined, exprOptions: ExprOptions = {}, shared: MappingShared = {}): CompiledMapping {
  const view = singleView(pipeline);
  const config = view.config;
  const vars = (config.vars ?? {}) as Record<string, unknown>;
  const plans = compileAttributes(view, exprOptions, vars);
  const columns = plans.flatMap((a) => a.columns);
  const explicit = new Set([...plans.map((a) => a.name), ...columns]);
  const mapping = config.mapping as { automap?: boolean } | undefined;
  const automap = mapping === undefined || mapping.automap === true;
  const knownAttributes = destination?.attributes ? new Set(destination.attributes) : undefined;
  const filterPointer = view.market !== undefined && typeof (view.written as { markets?: Record<string, { filter?: unknown }> }).markets?.[view.market]?.filter === 'string'
    ? `/markets/${view.market}/filter` : '/filter';
  const filter = typeof config.filter === 'string' ? compileExpression(config.filter, exprOptions) : undefined;
  const baseBindings = { ...customFunctions, vars, ...(shared.lookups ?? mapLookups(view)).bindings };
  const recordBindings: Record<string, unknown> = { ...baseBindings, record: undefined };
  // Bindings objects are made once and `record` is set just before each evaluation (no object per
  // record or per rule step). Safe to reuse: both interpreters read bindings synchronously inside
  // `evaluate` (stock copies them into its frame before its first await); a continuation that
  // awaits takes a copy (evaluateAttribute's copyOnAwait).
  const scope: Scope | undefined = compileScope(view, exprOptions, vars);
  const where = (pointer: string) => {
    const pos = positionOf(view.doc, view.lines, pointer, true);
    return `${view.displayPath}:${pos.line}:${pos.column}`;
  };

  function addAutomapped(record: Row, out: Row): Row {
    if (automap) {
      for (const key of Object.keys(record)) {
        if (explicit.has(key) || (knownAttributes && !knownAttributes.has(key))) continue;
        // `out.__proto__ = v` would set the prototype (or do nothing): a `__proto__` column stays data
        if (key === '__proto__') Object.defineProperty(out, key, { value: record[key], enumerable: true, writable: true, configurable: true });
        else out[key] = record[key];
      }
    }
    return out;
  }

  // The output object built in one literal when every column has a value (the usual case): keys
  // stored one by one (`out[name] = v`) leave V8 a dictionary object past a dozen keys, slower to
  // build and to read for every destination. Same keys in the same order as `partial`.
  const literal = columns.map((c, i) => `${c === '__proto__' ? '["__proto__"]' : JSON.stringify(c)}: v[${i}]`);
  const buildAll = new Function('v', `return { ${literal.join(', ')} };`) as (v: unknown[]) => Row;
  const firstColumn = plans.map((_, k) => plans.slice(0, k).reduce((n, a) => n + a.columns.length, 0));

  /** Stores attribute `k`'s value in `values`; false when a column stays without a value. */
  function store(values: unknown[], k: number, v: unknown): boolean {
    const plan = plans[k]!;
    const at = firstColumn[k]!;
    if (plan.spread === undefined) {
      values[at] = v;
      return v !== undefined;
    }
    const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
    let complete = true;
    for (let i = 0; i < plan.spread.count; i++) {
      const item = list[i];
      values[at + i] = item;
      if (item === undefined) complete = false;
    }
    return complete;
  }

  /** The output of the columns of the first `n` attributes, leaving out those without a value. */
  function partial(values: unknown[], n: number): Row {
    const out: Row = {};
    const end = n < plans.length ? firstColumn[n]! : columns.length;
    for (let c = 0; c < end; c++) {
      const v = values[c];
      if (v !== undefined) out[columns[c]!] = v;
    }
    return out;
  }

  /** The rest of a record once attribute `k` returned a Promise. */
  async function finishRecord(record: Row, bindings: Record<string, unknown>, values: unknown[], k: number, pending: Promise<unknown>): Promise<Row> {
    store(values, k, await pending);
    for (let i = k + 1; i < plans.length; i++) store(values, i, await evaluateAttribute(plans[i]!, record, bindings, vars, false));
    return addAutomapped(record, partial(values, plans.length));
  }

  const sharedValues: unknown[] = new Array(columns.length);
  const fill = compileFill(plans, vars, firstColumn, store);
  const pendingAttribute: PendingAttribute = { at: -1, value: undefined };

  /** The attributes of one output record with `bindings` (their `record` set by the caller). */
  function mapWith(record: Row, bindings: Record<string, unknown>, copyOnAwait: boolean): Row | Promise<Row> {
    const values = sharedValues;
    const filled = fill(values, record, bindings, copyOnAwait, pendingAttribute);
    if (filled === FILL_PENDING) {
      const { at, value } = pendingAttribute;
      pendingAttribute.value = undefined;
      // the continuation owns copies: the shared array and bindings serve the next record
      return finishRecord(record, copyOnAwait ? { ...bindings } : bindings, values.slice(), at, value!);
    }
    return addAutomapped(record, filled === FILL_COMPLETE ? buildAll(values) : partial(values, plans.length));
  }

  function mapRecord(record: Row): Row | Promise<Row> {
    // One bindings object for every record (evaluations read it synchronously, see above).
    recordBindings.record = record;
    return mapWith(record, recordBindings, true);
  }

  /** Maps the items of one source record in order; hands over to `finishItems` at the first Promise. */
  function mapItems(record: Row, bindings: Record<string, unknown>, items: readonly unknown[] | undefined): MappedOutput[] | Promise<MappedOutput[]> {
    const out: MappedOutput[] = [];
    const count = items === undefined ? 1 : items.length;
    for (let i = 0; i < count; i++) {
      if (items !== undefined) { bindings.item = items[i]; bindings.item_index = i + 1; }
      let r: Row | Promise<Row>;
      try {
        r = mapWith(record, bindings, false);
      } catch (err) {
        if (!(err instanceof RecordError)) throw err;
        out.push({ error: err });
        continue;
      }
      if (isPending(r)) return finishItems(record, bindings, items, i, r, out);
      out.push({ record: r });
    }
    return out;
  }

  async function finishItems(record: Row, bindings: Record<string, unknown>, items: readonly unknown[] | undefined, at: number, pending: Promise<Row>, out: MappedOutput[]): Promise<MappedOutput[]> {
    const count = items === undefined ? 1 : items.length;
    for (let i = at; i < count; i++) {
      if (items !== undefined) { bindings.item = items[i]; bindings.item_index = i + 1; }
      try {
        out.push({ record: await (i === at ? pending : mapWith(record, bindings, false)) });
      } catch (err) {
        if (!(err instanceof RecordError)) throw err;
        out.push({ error: err });
      }
    }
    return out;
  }

  function mapSource(record: Row): MappedOutput[] | Promise<MappedOutput[]> {
    // a bindings object per source record: its `let` values and `$item` are this record's own
    const bindings: Record<string, unknown> = { ...baseBindings, record };
    if (scope === undefined) return mapItems(record, bindings, undefined);
    const opened = scope.open(record, bindings);
    return isPending(opened) ? opened.then((items) => mapItems(record, bindings, items)) : mapItems(record, bindings, opened);
  }

  const filterError = (err: unknown): RecordError => {
    // a record problem raised by a lookup table keeps its code
    if (err instanceof RecordError) return new RecordError(err.code, `filter: ${err.message} (${where(filterPointer)})`, { cause: err, attribute: 'filter', hint: err.hint });
    const e = err as { code?: string; message?: string; position?: number; hint?: string };
    const at = e.position !== undefined ? ` at character ${e.position}` : '';
    return new RecordError(`EXPR_${e.code ?? 'ERROR'}`, `filter: ${e.message}${at} (${where(filterPointer)})`, {
      cause: err, attribute: 'filter',
      hint: e.hint ?? 'CSV values are text: compare numbers with $number(stock) > 0, or text with stock != "0"',
    });
  };
  const truthy = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 && v.some(Boolean) : Boolean(v));

  function acceptsRecord(record: Row): boolean | Promise<boolean> {
    if (!filter) return true;
    let v: unknown;
    try {
      recordBindings.record = record;
      v = filter.evaluate(record, recordBindings);
    } catch (err) {
      throw filterError(err);
    }
    return isPending(v) ? v.then(truthy, (err: unknown) => { throw filterError(err); }) : truthy(v);
  }

  async function trace(record: Row, attribute: string): Promise<Trace> {
    const plan = plans.find((a) => a.name === attribute || a.columns.includes(attribute));
    if (!plan) return [{ step: explicit.has(attribute) ? 'mapped' : 'automap', value: record[attribute] }];
    const bindings: Record<string, unknown> = { ...baseBindings, record };
    if (scope !== undefined) {
      const items = await scope.open(record, bindings);
      if (items !== undefined) { bindings.item = items[0]; bindings.item_index = 1; }
    }
    const steps: Trace = [];
    await evaluateAttribute(plan, record, bindings, vars, false, steps);
    return steps;
  }

  return {
    attributes: columns,
    compiledAttributes: fill.direct,
    automap,
    expands: scope !== undefined,
    fansOut: typeof (config.mapping as { each?: unknown } | undefined)?.each === 'string',
    mapRecord,
    acceptsRecord,
    mapSource,
    trace,
    async map(record) {
      return mapRecord(record);
    },
    async accepts(record) {
      return acceptsRecord(record);
    },
  };
}

/** Where a mapped record came from, named by its sku or order reference once the mapping gave one. */
export function mappedPosition(record: Row, position: RecordPosition): RecordPosition {
  const id = record.sku ?? record.order_reference ?? position.id;
  return id === undefined ? position : { ...position, id: String(id) };
}

export { attributeError, type AttributePlan };
