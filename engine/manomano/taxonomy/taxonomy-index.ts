/**
 * A cached taxonomy made easy to ask: a category by id, its path in a language, its children and
 * the final categories under it, and the feed fields that apply to a final category (mandatory or
 * not, with the field holding its units). Built once per run from the TaxonomyDocument.
 */
import type { ApiCategory, ApiFeedField, TaxonomyDocument, TaxonomyLocale } from '../taxonomy-types.js';

/** A field as it applies to one final category. */
export interface CategoryField {
  field: ApiFeedField;
  mandatory: boolean;
  /** The field whose accepted values are this one's units (`power_unit` for `power`). */
  unit?: ApiFeedField;
}

/** Why: the checks, `manoflow categories` and the suggestions all ask the same questions of the tree. */
export class TaxonomyIndex {
  readonly byId = new Map<number, ApiCategory>();
  private readonly childrenOf = new Map<number | null, ApiCategory[]>();
  private readonly fieldById = new Map<string, ApiFeedField>();
  private readonly unitFieldIds = new Set<string>();
  private byCategory: Map<number, CategoryField[]> | undefined;

  constructor(readonly doc: TaxonomyDocument, private readonly contract: 'non_mf' | 'mf' = 'non_mf') {
    for (const c of doc.categories) {
      this.byId.set(c.id, c);
      const siblings = this.childrenOf.get(c.parentId) ?? [];
      siblings.push(c);
      this.childrenOf.set(c.parentId, siblings);
    }
    for (const f of doc.fields) {
      this.fieldById.set(String(f.id), f);
      if (f.field_id_for_units_list) this.unitFieldIds.add(String(f.field_id_for_units_list));
    }
  }

  /** The category's name in `locale`, else in English, else its default name. */
  name(c: ApiCategory, locale: TaxonomyLocale): string {
    return c.names[locale] || c.names.en_GB || c.name || String(c.id);
  }

  /** The categories from the root down to `id` (empty when unknown). */
  lineage(id: number): ApiCategory[] {
    const out: ApiCategory[] = [];
    for (let c = this.byId.get(id); c && out.length < 32; c = c.parentId === null ? undefined : this.byId.get(c.parentId)) out.unshift(c);
    return out;
  }

  /** "Outillage > Outillage électroportatif > ... > Perceuses sans fil". */
  path(id: number, locale: TaxonomyLocale, separator = ' > '): string {
    return this.lineage(id).map((c) => this.name(c, locale)).join(separator);
  }

  children(id: number | null): ApiCategory[] {
    return this.childrenOf.get(id) ?? [];
  }

  /** The final categories at or under `id`, in tree order. */
  finalsUnder(id: number): ApiCategory[] {
    const out: ApiCategory[] = [];
    const walk = (c: ApiCategory) => {
      if (c.finalNode) out.push(c);
      else for (const k of this.children(c.id)) walk(k);
    };
    const start = this.byId.get(id);
    if (start) walk(start);
    return out;
  }

  get finals(): ApiCategory[] {
    return this.doc.categories.filter((c) => c.finalNode);
  }

  /** The category-specific fields of a final category (unit columns come with their field); [] for any other. */
  fieldsOf(id: number): CategoryField[] {
    this.byCategory ??= this.buildByCategory();
    return this.byCategory.get(id) ?? [];
  }

  private buildByCategory(): Map<number, CategoryField[]> {
    const out = new Map<number, CategoryField[]>();
    for (const field of this.doc.fields) {
      if (!field.category_ids || this.unitFieldIds.has(String(field.id))) continue;
      if (field.contract_type && field.contract_type !== 'all' && field.contract_type !== this.contract) continue;
      const mandatory = new Set(field.mandatory_category_ids ?? []);
      const unit = field.field_id_for_units_list ? this.fieldById.get(String(field.field_id_for_units_list)) : undefined;
      for (const id of field.category_ids) {
        const list = out.get(id) ?? [];
        list.push({ field, mandatory: mandatory.has(id), unit });
        out.set(id, list);
      }
    }
    return out;
  }
}

/**
 * Why: `accepted_values` and `localized_accepted_values[locale]` pair up by position (HDC); when
 * a locale's list is missing or of another length, the source values are what the feed takes.
 */
export function acceptedValues(field: ApiFeedField, locale: TaxonomyLocale): string[] {
  const localized = field.localized_accepted_values?.[locale];
  return localized && localized.length === field.accepted_values.length ? localized : field.accepted_values;
}
