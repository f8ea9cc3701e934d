/**
 * Category-aware checks of the products feed: with ManoMano's taxonomy, each record is checked
 * against its final category (`mm_category_id`): the category exists and is final, its mandatory
 * attributes are there, numbers are numbers, units come from the unit list, and values from the
 * accepted list in the feed's language (did-you-mean otherwise, across languages too). `problems`
 * words them (the exact path); `passes` answers the same question on the fast path's slots.
 */
import { didYouMean } from '../../../rules/did-you-mean.js';
import type { Row } from '../../../runtime/types.js';
import { acceptedValues, type TaxonomyIndex } from '../../../manomano/taxonomy/taxonomy-index.js';
import { normalizeText } from '../../../manomano/taxonomy/text.js';
import { TAXONOMY_LOCALES, type TaxonomyLocale } from '../../../manomano/taxonomy-types.js';
import { isDecimal } from './normalize.js';
import { show, type Problem } from './problems.js';

/** The stable codes of the category checks. */
export const CATEGORY_CODES = ['MM_CATEGORY_UNKNOWN', 'MM_CATEGORY_NOT_FINAL', 'MM_ATTRIBUTE_REQUIRED', 'MM_ATTRIBUTE_VALUE'] as const;
export type CategoryCode = (typeof CATEGORY_CODES)[number];

/** A closed list of values: the feed's language's, and every language's for did-you-mean. */
interface ValueList { set: ReadonlySet<string>; list: readonly string[]; others: ReadonlyMap<string, string> }

/** One attribute of a final category, ready to check. */
interface Rule {
  name: string;
  label: string;
  mandatory: boolean;
  numeric: boolean;
  values?: ValueList;
  unit?: { name: string; values: ValueList };
  slot: number;
  unitSlot: number;
}

/** A category as the checks see it: unknown, not final, or final with its rules. */
type Compiled = { kind: 'unknown' } | { kind: 'not-final' } | { kind: 'final'; rules: Rule[]; label: string };

/** Why: a category id is a whole number or its digits; anything else is the schema's MM_CATEGORY_INVALID. */
export function categoryIdOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v > 0 ? v : undefined;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

function valueList(field: Parameters<typeof acceptedValues>[0], locale: TaxonomyLocale): ValueList {
  const list = acceptedValues(field, locale);
  const others = new Map<string, string>();
  const lists = [field.accepted_values, ...TAXONOMY_LOCALES.map((l) => acceptedValues(field, l))];
  for (const l of lists) l.forEach((v, i) => { if (list[i] !== undefined && !others.has(normalizeText(v))) others.set(normalizeText(v), list[i]!); });
  return { set: new Set(list), list, others };
}

/** Why: one checker per feed; categories are compiled on first sight, so a feed pays only for those it uses. */
export class CategoryChecker {
  private readonly compiled = new Map<number, Compiled>();
  readonly categorySlot: number;

  /** `slotOf` numbers attribute names for the fast path (record-slots.ts); the exact path does not need it. */
  constructor(readonly index: TaxonomyIndex, readonly locale: TaxonomyLocale, readonly origin: string, private readonly slotOf: (name: string) => number = () => -1) {
    this.categorySlot = slotOf('mm_category_id');
  }

  private compile(id: number): Compiled {
    let c = this.compiled.get(id);
    if (c) return c;
    const cat = this.index.byId.get(id);
    if (!cat) c = { kind: 'unknown' };
    else if (!cat.finalNode) c = { kind: 'not-final' };
    else {
      const rules = this.index.fieldsOf(id).map((f): Rule => ({
        name: f.field.name,
        label: f.field.names[this.locale] ?? f.field.name,
        mandatory: f.mandatory,
        numeric: f.field.datatype === 'numerical',
        values: f.field.accepted_values.length ? valueList(f.field, this.locale) : undefined,
        unit: f.unit ? { name: f.unit.name, values: valueList(f.unit, this.locale) } : undefined,
        slot: this.slotOf(f.field.name),
        unitSlot: f.unit ? this.slotOf(f.unit.name) : -1,
      }));
      c = { kind: 'final', rules, label: `${id} ${this.index.name(cat, this.locale)}` };
    }
    this.compiled.set(id, c);
    return c;
  }

  /** Every category problem of a normalised record (the exact path); [] when it passes. */
  problems(r: Row): Problem[] {
    const id = categoryIdOf(r.mm_category_id);
    if (id === undefined) return [];
    const c = this.compile(id);
    if (c.kind === 'unknown') {
      return [p('MM_CATEGORY_UNKNOWN', 'mm_category_id', `mm_category_id ${id} is not a ManoMano category (${this.origin})`,
        'find the right id with `manoflow categories --search WORDS` (the category in any language) or `manoflow categories suggest`; refresh an old tree with --refresh')];
    }
    if (c.kind === 'not-final') {
      const finals = this.index.finalsUnder(id);
      const some = finals.slice(0, 4).map((f) => `${f.id} ${this.index.name(f, this.locale)}`).join(', ');
      return [p('MM_CATEGORY_NOT_FINAL', 'mm_category_id', `mm_category_id ${id} (${this.index.path(id, this.locale)}) is not a final category`,
        `products go in a final category; under it: ${some}${finals.length > 4 ? `, ... (${finals.length}: manoflow categories show ${id})` : ''}`)];
    }
    const out: Problem[] = [];
    for (const rule of c.rules) {
      const v = r[rule.name];
      if (v === undefined) {
        if (rule.mandatory) {
          out.push(p('MM_ATTRIBUTE_REQUIRED', rule.name, `${rule.name} (${rule.label}) is mandatory in category ${c.label}`,
            `map ${rule.name}: ${describeRule(rule)}`));
        }
        continue;
      }
      const bad = valueProblem(rule, v);
      if (bad) out.push(p('MM_ATTRIBUTE_VALUE', rule.name, `${rule.name} ${show(v)} ${bad.message} (category ${c.label})`, bad.hint));
      if (!rule.unit) continue;
      const u = r[rule.unit.name];
      if (u === undefined) {
        out.push(p('MM_ATTRIBUTE_REQUIRED', rule.unit.name, `${rule.name} is given without ${rule.unit.name} (category ${c.label})`,
          `map ${rule.unit.name}: one of ${rule.unit.values.list.join(', ')}`));
      } else if (typeof u !== 'string' || !rule.unit.values.set.has(u)) {
        out.push(p('MM_ATTRIBUTE_VALUE', rule.unit.name, `${rule.unit.name} ${show(u)} is not a unit of ${rule.name} (category ${c.label})`,
          suggestion(String(u), rule.unit.values)));
      }
    }
    return out;
  }

  /** The fast path's verdict on the slots: true exactly when problems() would return []. */
  passes(vals: readonly unknown[]): boolean {
    const id = categoryIdOf(vals[this.categorySlot]);
    if (id === undefined) return true;
    const c = this.compile(id);
    if (c.kind !== 'final') return false;
    for (const rule of c.rules) {
      const v = vals[rule.slot];
      if (v === undefined) {
        if (rule.mandatory) return false;
        continue;
      }
      if (!valueOk(rule, v)) return false;
      if (rule.unit) {
        const u = vals[rule.unitSlot];
        if (typeof u !== 'string' || !rule.unit.values.set.has(u)) return false;
      }
    }
    return true;
  }

  /** The mandatory attributes of a final category (validate's coverage check). */
  mandatoryOf(id: number): string[] {
    const c = this.compile(id);
    return c.kind === 'final' ? c.rules.filter((r) => r.mandatory).flatMap((r) => (r.unit ? [r.name, r.unit.name] : [r.name])) : [];
  }
}

function p(code: CategoryCode, attribute: string, message: string, hint: string): Problem {
  return { code, attribute, message, hint };
}

function valueOk(rule: Rule, v: unknown): boolean {
  if (rule.numeric && !(typeof v === 'number' ? Number.isFinite(v) : typeof v === 'string' && isDecimal(v))) return false;
  if (rule.values) {
    if (typeof v !== 'string' && typeof v !== 'number') return false;
    const text = String(v);
    if (text.includes('#')) return text.split('#').every((part) => rule.values!.set.has(part));
    return rule.values.set.has(text);
  }
  return true;
}

/** valueOk's "no", worded: what is wrong and what would be right. */
function valueProblem(rule: Rule, v: unknown): { message: string; hint: string } | undefined {
  if (valueOk(rule, v)) return undefined;
  if (rule.numeric && !(typeof v === 'number' || (typeof v === 'string' && isDecimal(v)))) {
    return { message: 'is not a number', hint: `${rule.name} is a plain number (decimal comma or dot, no unit${rule.unit ? `: the unit goes in ${rule.unit.name}` : ''})` };
  }
  const values = rule.values!;
  const wrong = String(v).split('#').filter((part) => !values.set.has(part));
  return { message: `is not an accepted value${wrong.length > 1 || String(v).includes('#') ? ` (${wrong.map((w) => JSON.stringify(w)).join(', ')})` : ''}`, hint: suggestion(wrong[0] ?? String(v), values) };
}

/** "did you mean "Noir"?" from the same value in another language, then from spelling; then the list. */
function suggestion(value: string, values: ValueList): string {
  const translated = values.others.get(normalizeText(value));
  const near = translated ? [translated] : didYouMean(value, values.list);
  const list = values.list.length > 15 ? `${values.list.slice(0, 15).join(', ')}, ...` : values.list.join(', ');
  return `${near.length ? `did you mean ${near.map((n) => JSON.stringify(n)).join(' or ')}? ` : ''}accepted: ${list}`;
}

function describeRule(rule: Rule): string {
  if (rule.values) return `one of ${rule.values.list.slice(0, 15).join(', ')}${rule.values.list.length > 15 ? ', ...' : ''}`;
  if (rule.unit) return `a number, with its unit in ${rule.unit.name} (${rule.unit.values.list.join(', ')})`;
  return rule.numeric ? 'a number' : 'a text';
}
