/**
 * Walks a pipeline's mapping: every expression and every rule reference with its JSON pointer.
 * Validation and the mapping compiler share it, so they never disagree on what a pipeline means.
 */
import type { PipelineConfig } from '../types/generated/pipeline.js';
import { toPointer } from './yaml-positions.js';

export interface ExpressionSite { pointer: string; source: string; label: string; attribute?: string }
export interface RuleSite { pointer: string; attribute: string; index: number; name: string; args: unknown; inline?: string }

type AttributeValue = string | { from?: string; value?: unknown; rules?: unknown[]; default?: unknown } | unknown;

export function attributeEntries(config: PipelineConfig): { name: string; pointer: string; value: AttributeValue }[] {
  const attrs = (config.mapping as { attributes?: Record<string, AttributeValue> } | undefined)?.attributes;
  if (!attrs || typeof attrs !== 'object') return [];
  return Object.entries(attrs).map(([name, value]) => ({ name, value, pointer: toPointer(['mapping', 'attributes', name]) }));
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

export function expressionsOf(config: PipelineConfig): ExpressionSite[] {
  const out: ExpressionSite[] = [];
  if (typeof config.filter === 'string') out.push({ pointer: '/filter', source: config.filter, label: 'filter' });
  for (const { name, pointer, value } of attributeEntries(config)) {
    if (typeof value === 'string') out.push({ pointer, source: value, label: `attribute "${name}"`, attribute: name });
    else if (value && typeof value === 'object' && typeof (value as { from?: unknown }).from === 'string') {
      out.push({ pointer: `${pointer}/from`, source: (value as { from: string }).from, label: `attribute "${name}" (from)`, attribute: name });
    }
  }
  for (const r of ruleRefsOf(config)) {
    if (r.inline !== undefined) out.push({ pointer: `${r.pointer}/jsonata`, source: r.inline, label: `attribute "${r.attribute}" rule ${r.index + 1}`, attribute: r.attribute });
  }
  return out;
}

export function ruleRefsOf(config: PipelineConfig): RuleSite[] {
  const out: RuleSite[] = [];
  for (const { name, pointer, value } of attributeEntries(config)) {
    const rules = value && typeof value === 'object' ? (value as { rules?: unknown }).rules : undefined;
    if (!Array.isArray(rules)) continue;
    rules.forEach((ref, index) => {
      const parsed = parseRuleRef(ref);
      if (parsed) out.push({ pointer: `${pointer}/rules/${index}`, attribute: name, index, ...parsed });
    });
  }
  return out;
}
