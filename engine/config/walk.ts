/**
 * Walks a pipeline's mapping: every expression and every rule reference with its JSON pointer,
 * the markets' overrides included. Validation and the mapping compiler share it, so they never
 * disagree on what a pipeline means.
 */
import type { PipelineConfig } from '../types/generated/pipeline.js';
import { isExprArg } from '../rules/args.js';
import { toPointer } from './yaml-positions.js';

export type ExpressionKind = 'filter' | 'let' | 'each' | 'group_by' | 'attribute' | 'rule' | 'rule-arg';

export interface ExpressionSite {
  pointer: string;
  source: string;
  label: string;
  kind: ExpressionKind;
  attribute?: string;
  /** The `let` the expression belongs to (its own, its rules' or its rule arguments'). */
  letName?: string;
  /** The market whose override holds the expression. */
  market?: string;
}
export interface RuleSite {
  pointer: string; attribute: string; index: number; name: string; args: unknown; inline?: string; market?: string;
  /** Who holds the rule, for messages: `attribute "title"`, `let "variants"`, `market de: attribute "title"`. */
  owner: string;
  letName?: string;
}

type AttributeValue = string | { from?: string; value?: unknown; rules?: unknown[]; default?: unknown } | unknown;
export interface AttributeEntry { name: string; pointer: string; value: AttributeValue; market?: string; kind?: 'let' }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function mappingAttributes(config: PipelineConfig): Record<string, AttributeValue> | undefined {
  const attrs = (config.mapping as { attributes?: Record<string, AttributeValue> } | undefined)?.attributes;
  return isObject(attrs) ? attrs : undefined;
}

/** The markets a pipeline declares, in the order written (none: an empty list). */
export function marketNames(config: PipelineConfig): string[] {
  const markets = (config as { markets?: unknown }).markets;
  return isObject(markets) ? Object.keys(markets) : [];
}

/** One market's overrides as written (vars, filter, attributes, destination). */
export function marketOverride(config: PipelineConfig, market: string): { vars?: Record<string, unknown>; filter?: string; attributes?: Record<string, AttributeValue>; destination?: Record<string, unknown> } {
  const markets = (config as { markets?: Record<string, unknown> }).markets;
  const m = isObject(markets) ? markets[market] : undefined;
  return isObject(m) ? m : {};
}

/**
 * The `let` entries, in order: each is written like an attribute (an expression, or `from`,
 * `value`, `rules`, `default`), and gives a value instead of a column.
 */
export function letEntries(config: PipelineConfig): AttributeEntry[] {
  const lets = (config.mapping as { let?: unknown } | undefined)?.let;
  if (!isObject(lets)) return [];
  return Object.entries(lets).map(([name, value]) => ({ name, value, kind: 'let' as const, pointer: toPointer(['mapping', 'let', name]) }));
}

/** Who an entry is, for messages. */
function ownerOf(e: AttributeEntry): string {
  const what = e.kind === 'let' ? `let "${e.name}"` : `attribute "${e.name}"`;
  return e.market === undefined ? what : `market ${e.market}: ${what}`;
}

/** Attributes written under one market (they replace the pipeline's attributes of the same name). */
export function marketAttributeEntries(config: PipelineConfig, market: string): AttributeEntry[] {
  const attrs = marketOverride(config, market).attributes;
  if (!isObject(attrs)) return [];
  return Object.entries(attrs).map(([name, value]) => ({ name, value, market, pointer: toPointer(['markets', market, 'attributes', name]) }));
}

/**
 * The attributes a run maps, in pipeline order: the pipeline's own, each replaced by the market's
 * override of the same name when `market` is given (pointing at the override).
 */
export function attributeEntries(config: PipelineConfig, market?: string): AttributeEntry[] {
  const attrs = mappingAttributes(config);
  if (!attrs) return [];
  const overrides = market === undefined ? undefined : marketOverride(config, market).attributes;
  return Object.entries(attrs).map(([name, value]) => {
    if (isObject(overrides) && Object.prototype.hasOwnProperty.call(overrides, name)) {
      return { name, value: overrides[name], market, pointer: toPointer(['markets', market!, 'attributes', name]) };
    }
    return { name, value, pointer: toPointer(['mapping', 'attributes', name]) };
  });
}

/** A spread's settings: its columns are `<prefix><start>` … `<prefix><start+count-1>`. */
export interface Spread { prefix: string; count: number; start: number }

/** The spread of an attribute entry (undefined: it fills the column of its own name). */
export function spreadOf(value: unknown): Spread | undefined {
  const s = isObject(value) ? value.spread : undefined;
  if (!isObject(s) || typeof s.prefix !== 'string' || typeof s.count !== 'number') return undefined;
  return { prefix: s.prefix, count: s.count, start: typeof s.start === 'number' ? s.start : 1 };
}

/** The output columns an attribute entry fills: its name, or a spread's numbered columns. */
export function columnsOf(name: string, value: unknown): string[] {
  const s = spreadOf(value);
  return s ? Array.from({ length: s.count }, (_, i) => `${s.prefix}${s.start + i}`) : [name];
}

/** Parses one rule reference: `"name"`, `{ name: args }`, or `{ jsonata: "expr" }`. */
export function parseRuleRef(ref: unknown): { name: string; args: unknown; inline?: string } | undefined {
  if (typeof ref === 'string') return { name: ref, args: undefined };
  if (ref && typeof ref === 'object' && !Array.isArray(ref)) {
    const entries = Object.entries(ref);
    if (entries.length !== 1) return undefined;
    const [name, args] = entries[0]!;
    if (name === 'jsonata') return { name, args: undefined, inline: String(args) };
    return { name, args };
  }
  return undefined;
}


/**
 * The `{ expr }` arguments of one rule reference with their pointers: the whole argument, a named
 * argument, or an item of a positional list (`rulePointer` points at the rule's `{ name: args }`).
 */
export function exprArgsOf(args: unknown, argsPointer: string): { pointer: string; source: string }[] {
  if (isExprArg(args)) return [{ pointer: `${argsPointer}/expr`, source: args.expr }];
  const out: { pointer: string; source: string }[] = [];
  const entries: [string, unknown][] = Array.isArray(args) ? args.map((v, i) => [String(i), v]) : isObject(args) ? Object.entries(args) : [];
  for (const [key, v] of entries) if (isExprArg(v)) out.push({ pointer: `${argsPointer}/${toPointer([key]).slice(1)}/expr`, source: v.expr });
  return out;
}

function attributeExpressions(entries: AttributeEntry[], out: ExpressionSite[]): void {
  for (const e of entries) {
    const { name, pointer, value, market } = e;
    const where = ownerOf(e);
    const kind: ExpressionKind = e.kind === 'let' ? 'let' : 'attribute';
    const owner = e.kind === 'let' ? { letName: name } : { attribute: name };
    if (typeof value === 'string') out.push({ pointer, source: value, label: where, kind, market, ...owner });
    else if (isObject(value) && typeof value.from === 'string') {
      out.push({ pointer: `${pointer}/from`, source: value.from, label: `${where} (from)`, kind, market, ...owner });
    }
  }
}

/**
 * Every JSONata expression of the pipeline, each once: filter, `let`, `each`, `group_by`,
 * attributes, inline rules and `{ expr }` rule arguments, the markets' overrides included.
 */
export function expressionsOf(config: PipelineConfig): ExpressionSite[] {
  const out: ExpressionSite[] = [];
  if (typeof config.filter === 'string') out.push({ pointer: '/filter', source: config.filter, label: 'filter', kind: 'filter' });
  const groupBy = (config.source as { group_by?: unknown } | undefined)?.group_by;
  if (isExprArg(groupBy)) out.push({ pointer: '/source/group_by/expr', source: groupBy.expr, label: 'source group_by', kind: 'group_by' });
  const mapping = config.mapping as { each?: unknown } | undefined;
  attributeExpressions(letEntries(config), out);
  if (typeof mapping?.each === 'string') out.push({ pointer: '/mapping/each', source: mapping.each, label: 'each', kind: 'each' });
  attributeExpressions(attributeEntries(config), out);
  for (const market of marketNames(config)) {
    const filter = marketOverride(config, market).filter;
    if (typeof filter === 'string') out.push({ pointer: toPointer(['markets', market, 'filter']), source: filter, label: `market ${market}: filter`, kind: 'filter', market });
    attributeExpressions(marketAttributeEntries(config, market), out);
  }
  for (const r of ruleRefsOf(config)) {
    const where = `${r.owner} rule ${r.index + 1}`;
    const owner = r.letName !== undefined ? { letName: r.letName } : { attribute: r.attribute };
    if (r.inline !== undefined) out.push({ pointer: `${r.pointer}/jsonata`, source: r.inline, label: where, kind: 'rule', market: r.market, ...owner });
    else {
      for (const a of exprArgsOf(r.args, `${r.pointer}/${toPointer([r.name]).slice(1)}`)) {
        out.push({ ...a, label: `${where} (${r.name}) argument`, kind: 'rule-arg', market: r.market, ...owner });
      }
    }
  }
  return out;
}

function rulesOf(entries: AttributeEntry[], out: RuleSite[]): void {
  for (const e of entries) {
    const { name, pointer, value, market } = e;
    const rules = isObject(value) ? value.rules : undefined;
    if (!Array.isArray(rules)) continue;
    rules.forEach((ref, index) => {
      const parsed = parseRuleRef(ref);
      if (parsed) out.push({ pointer: `${pointer}/rules/${index}`, attribute: name, index, market, owner: ownerOf(e), ...(e.kind === 'let' ? { letName: name } : {}), ...parsed });
    });
  }
}

/** Every rule reference: the lets', the pipeline's attributes', then each market's overrides'. */
export function ruleRefsOf(config: PipelineConfig): RuleSite[] {
  const out: RuleSite[] = [];
  rulesOf(letEntries(config), out);
  rulesOf(attributeEntries(config), out);
  for (const market of marketNames(config)) rulesOf(marketAttributeEntries(config, market), out);
  return out;
}
