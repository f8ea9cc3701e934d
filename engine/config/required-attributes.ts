/**
 * What a destination needs on every record, checked before anything runs: a manomano-products
 * pipeline that maps no title (or no price, no stock, no shipping method) would have every record
 * rejected, so `validate` says so as an error, with the source column that probably holds it.
 * Attribute names are also compared with the names people write (`price` → `product_price_vat_inc`).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { findDestination } from '../connectors/registry.js';
import { readCsvHeaderSync, type CsvHeaderSettings } from '../connectors/sources/csv/header.js';
import type { Diagnostic } from '../errors.js';
import { didYouMean } from '../rules/did-you-mean.js';
import type { LoadedPipeline } from './load.js';
import { attributeEntries, columnsOf } from './walk.js';
import { pipelineViews } from './markets.js';
import { positionOf } from './yaml-positions.js';

/** The csv source's columns when its header can be read now; undefined otherwise. */
function sourceColumns(p: LoadedPipeline): string[] | undefined {
  const source = p.config.source as ({ type?: unknown; path?: unknown } & CsvHeaderSettings) | undefined;
  if (!source || source.type !== 'csv' || typeof source.path !== 'string') return undefined;
  if ([...p.unresolved].some((ptr) => ptr === '/source' || ptr.startsWith('/source/'))) return undefined;
  const file = resolve(p.dir, source.path);
  try {
    accessSync(file, constants.R_OK);
    // A pipe (/dev/stdin) or a FIFO would be consumed by reading its header here.
    if (!statSync(file).isFile()) return undefined;
  } catch {
    return undefined;
  }
  let failed = false;
  const columns = readCsvHeaderSync(file, source, () => { failed = true; });
  return failed ? undefined : columns;
}

/**
 * Why: "did you mean" for a destination attribute, with the names sellers use first
 * (`stock` → `quantity`), then the nearest spellings (`tittle` → `title`).
 */
export function suggestAttribute(name: string, known: readonly string[], synonyms: Readonly<Record<string, string>> = {}): string[] {
  const synonym = synonyms[name.toLowerCase()] ?? synonyms[name.toLowerCase().replace(/[\s-]+/g, '_')];
  return [...new Set([...(synonym ? [synonym] : []), ...didYouMean(name, known)])].slice(0, 3);
}

/** Source columns that probably hold `attribute`: named like it, or by a synonym of it. */
function columnsFor(attribute: string, columns: readonly string[], synonyms: Readonly<Record<string, string>>): string[] {
  return columns.filter((c) => c === attribute || suggestAttribute(c, [attribute], synonyms)[0] === attribute);
}

/**
 * One CFG_REQUIRED_ATTRIBUTE error per market view (or for the pipeline) naming every requirement
 * of the destination that no mapped attribute meets (a spread counts for the columns it fills).
 */
export function checkRequiredAttributes(p: LoadedPipeline): Diagnostic[] {
  let views: { config: LoadedPipeline['config']; market?: string }[];
  try {
    views = pipelineViews(p);
  } catch {
    return []; // markets that do not resolve are reported by the model checks
  }
  const seen = new Set<string>();
  return views.flatMap((v) => checkView(p, v.config, v.market)).filter((d) => !seen.has(d.message) && seen.add(d.message) !== undefined);
}

function checkView(p: LoadedPipeline, config: LoadedPipeline['config'], market: string | undefined): Diagnostic[] {
  const dest = config.destination as { type?: string } | undefined;
  const def = dest?.type ? findDestination(dest.type) : undefined;
  if (!def?.requiredAttributes) return [];
  const mapping = config.mapping as { automap?: boolean } | undefined;
  const automap = mapping === undefined || mapping.automap === true;
  const columns = sourceColumns(p);
  // With automap, source columns pass through by name: when they cannot be read now, do not guess.
  if (automap && columns === undefined) return [];
  const produced = new Set([...attributeEntries(config).flatMap((e) => [e.name, ...columnsOf(e.name, e.value)]), ...(automap ? columns! : [])]);
  const synonyms = def.attributeSynonyms ?? {};
  const pointer = config.mapping === undefined ? '/destination/type' : (mapping as { attributes?: unknown }).attributes !== undefined ? '/mapping/attributes' : '/mapping';
  const missingGroups: string[] = [];
  const hints: string[] = [];
  const unsuggested: string[] = [];
  for (const alternatives of def.requiredAttributes(dest)) {
    if (alternatives.some((names) => names.every((n) => produced.has(n)))) continue;
    // The alternative closest to done says what is missing.
    const closest = [...alternatives].sort((a, b) => a.filter((n) => !produced.has(n)).length - b.filter((n) => !produced.has(n)).length)[0]!;
    const missing = closest.filter((n) => !produced.has(n));
    missingGroups.push(alternatives.length === 1 ? quoteAll(alternatives[0]!) : `(${alternatives.map((names) => quoteAll(names)).join(', or ')})`);
    for (const m of missing) {
      // `price:` mapped where `product_price_vat_inc:` was meant, or a source column that holds it.
      const misnamed = [...produced].find((name) => !def.attributes?.includes(name) && suggestAttribute(name, [m], synonyms)[0] === m);
      const column = columnsFor(m, columns ?? [], synonyms)[0];
      if (misnamed) hints.push(`rename "${misnamed}" to "${m}"`);
      else if (column !== undefined) hints.push(`${m}: ${column}`);
      else unsuggested.push(m);
    }
  }
  if (missingGroups.length === 0) return [];
  if (unsuggested.length) hints.push(`map ${unsuggested.map((m) => `"${m}"`).join(', ')} (an expression, or { value: ... } for a fixed value)`);
  return [{
    file: p.displayPath, ...positionOf(p.doc, p.lines, pointer, pointer === '/mapping/attributes'), pointer,
    code: 'CFG_REQUIRED_ATTRIBUTE', severity: 'error',
    message: `${market === undefined ? '' : `market ${market}: `}${def.type} needs ${missingGroups.join(', ')} on every record, and the mapping does not produce ${missingGroups.length === 1 ? 'it' : 'them'}: every record would be rejected`,
    hint: `under mapping.attributes: ${hints.join('; ')}`,
  }];
}

function quoteAll(names: readonly string[]): string {
  const q = names.map((n) => `"${n}"`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} and ${q.at(-1)}`;
}
