/**
 * Finding ManoMano categories by words: `manoflow categories --search` ranks every category whose
 * localized path holds all the words; `suggest` ranks the final categories for a shop's own
 * category path ("Outillage > Perceuses") and says how sure it is (0..1).
 */
import { TAXONOMY_LOCALES, type ApiCategory, type TaxonomyLocale } from '../taxonomy-types.js';
import { bestMatch, tokens } from './text.js';
import type { TaxonomyIndex } from './taxonomy-index.js';

/** One ranked category, with the language whose names matched best. */
export interface CategoryMatch {
  category: ApiCategory;
  /** 0..1, two decimals. */
  score: number;
  locale: TaxonomyLocale;
  path: string;
}

interface Prepared { path: string[]; leaf: string[] }

/** The tokens of every category's path and own name per locale, computed once per index. */
const prepared = new WeakMap<TaxonomyIndex, Map<number, Record<string, Prepared>>>();

function prepare(index: TaxonomyIndex): Map<number, Record<string, Prepared>> {
  let out = prepared.get(index);
  if (out) return out;
  out = new Map();
  for (const c of index.doc.categories) {
    const per: Record<string, Prepared> = {};
    for (const l of TAXONOMY_LOCALES) per[l] = { path: index.lineage(c.id).flatMap((a) => tokens(index.name(a, l))), leaf: tokens(index.name(c, l)) };
    out.set(c.id, per);
  }
  prepared.set(index, out);
  return out;
}

const round = (n: number) => Math.round(n * 100) / 100;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Options shared by search and suggest. */
export interface MatchOptions {
  /** Only these languages (default: all five). */
  locales?: readonly TaxonomyLocale[];
  /** How many results (default 20 for search, 3 for suggest). */
  limit?: number;
  /** suggest: titles of the shop's products in that category, as more evidence (a few are enough). */
  titles?: readonly string[];
}

function rank(index: TaxonomyIndex, candidates: ApiCategory[], scoreOf: (p: Prepared) => number | undefined, o: MatchOptions, limit: number): CategoryMatch[] {
  const table = prepare(index);
  const out: CategoryMatch[] = [];
  for (const c of candidates) {
    let best: { score: number; locale: TaxonomyLocale } | undefined;
    for (const l of o.locales ?? TAXONOMY_LOCALES) {
      const s = scoreOf(table.get(c.id)![l]!);
      if (s !== undefined && (!best || s > best.score)) best = { score: s, locale: l };
    }
    if (best) out.push({ category: c, score: round(best.score), locale: best.locale, path: index.path(c.id, best.locale) });
  }
  out.sort((a, b) => b.score - a.score || a.category.level - b.category.level || a.category.id - b.category.id);
  return out.slice(0, limit);
}

/**
 * Why: "perceuse", "Bohrmaschine", "cordless drill" all find the drills: every word must match a
 * name on the category's path, in one language; its own name matching the words ranks it first.
 */
export function searchCategories(index: TaxonomyIndex, query: string, o: MatchOptions = {}): CategoryMatch[] {
  const q = tokens(query);
  if (q.length === 0) return [];
  return rank(index, index.doc.categories, (p) => {
    const recall = q.map((t) => bestMatch(t, p.path));
    if (recall.some((r) => r < 0.5)) return undefined;
    return 0.7 * mean(recall) + 0.3 * mean(p.leaf.map((t) => bestMatch(t, q)));
  }, o, o.limit ?? 20);
}

/** Splits "Outillage > Perceuses", "Jardin/Arrosage", "Bad | Armaturen" into its levels. */
export function merchantPathLevels(merchantCategory: string): string[] {
  return merchantCategory.split(/\s*(?:>|\/|\||\\|»|›)\s*/).map((s) => s.trim()).filter(Boolean);
}

/**
 * Why: a shop's category path rarely says a ManoMano name word for word: its last level (the
 * product type) weighs double, the category's own name should be explained by it, and only final
 * categories are proposed (the feed needs one). With product titles, the category whose own name
 * the titles contain ("Perceuse à percussion filaire" → "Perceuses filaires") gains.
 */
export function suggestCategories(index: TaxonomyIndex, merchantCategory: string, o: MatchOptions = {}): CategoryMatch[] {
  const levels = merchantPathLevels(merchantCategory);
  const leaf = tokens(levels.at(-1) ?? '');
  const rest = levels.slice(0, -1).flatMap((l) => tokens(l));
  const all = [...leaf, ...rest];
  if (all.length === 0) return [];
  const weights = [...leaf.map(() => 2), ...rest.map(() => 1)];
  const total = weights.reduce((a, b) => a + b, 0);
  const titles = (o.titles ?? []).slice(0, 20).map((t) => tokens(t)).filter((t) => t.length > 0);
  return rank(index, index.finals, (p) => {
    const recall = all.reduce((sum, t, i) => sum + weights[i]! * bestMatch(t, p.path), 0) / total;
    const precision = mean(p.leaf.map((t) => bestMatch(t, all)));
    const score = 0.65 * recall + 0.35 * precision;
    if (score <= 0) return undefined;
    if (titles.length === 0) return score;
    // Product titles say which kind of product the shop category holds: how much of the category's own name they contain.
    const evidence = mean(titles.map((title) => mean(p.leaf.map((t) => bestMatch(t, title)))));
    return 0.5 * score + 0.5 * evidence;
  }, o, o.limit ?? 3);
}
