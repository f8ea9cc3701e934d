/**
 * Shapes of ManoMano's category tree and feed-field dictionary (the "Taxonomy API", reference
 * §2.8), shared by the client, the simulator and the category checks. Both endpoints are marked
 * "likely" in the reference; the link between a field and the categories it applies to is not
 * published at all (ASSUMPTION, see `category_ids` below), so the client and the simulator keep
 * it configurable.
 */

/** The five catalogue languages of ManoMano's markets (names and accepted values are given in each). */
export const TAXONOMY_LOCALES = ['fr_FR', 'de_DE', 'es_ES', 'it_IT', 'en_GB'] as const;
export type TaxonomyLocale = (typeof TAXONOMY_LOCALES)[number];

/** A text per locale (`{"fr_FR": "Perceuses", "de_DE": "Bohrmaschinen", ...}`); any locale may be missing. */
export type LocalizedText = Partial<Record<string, string>>;

/** Why: a feed is for one market; its language decides the accepted values (reference §6.4). */
export const MARKET_LOCALES: Record<'FR' | 'BE' | 'DE' | 'ES' | 'IT' | 'GB', TaxonomyLocale> = {
  FR: 'fr_FR', BE: 'fr_FR', DE: 'de_DE', ES: 'es_ES', IT: 'it_IT', GB: 'en_GB',
};

/** One node of `GET /api/v1/products/categories` (KPS `getCategorieChoices`: likely). */
export interface ApiCategoryNode {
  id: number;
  level: number;
  /** The name in the API's default language (the simulator: fr_FR). */
  name: string;
  names: LocalizedText;
  parentId: number | null;
  finalNode: boolean;
  children: ApiCategoryNode[];
}

/** A category without its children: how the tree is cached and searched. */
export type ApiCategory = Omit<ApiCategoryNode, 'children'>;

/** One entry of `GET /api/v2/feeds/fields?type=product` (HDC `taxonomy_parser.py`: likely). */
export interface ApiFeedField {
  id: string;
  /** The feed column (`power`, `power_unit`, `material`...). */
  name: string;
  names: LocalizedText;
  descriptions: LocalizedText;
  /** Mandatory on every product (generic columns), or, with `category_id=`, in that category. */
  mandatory: boolean;
  /** `numerical`, `text`... */
  datatype: string;
  /** `all`, `mf` (ManoFulfillment contracts only) or `non_mf`. */
  contract_type: string;
  variant: boolean;
  /** Id of the field whose accepted values are this field's units (`power` → `power_unit`). */
  field_id_for_units_list: string | null;
  accepted_values: string[];
  /** Parallel to `accepted_values`, per locale (paired by position). */
  localized_accepted_values: Record<string, string[]>;
  /** ASSUMPTION: the final categories where this column applies (absent: a generic column). */
  category_ids?: number[];
  /** ASSUMPTION: the final categories where this column is mandatory. */
  mandatory_category_ids?: number[];
}

/** The taxonomy as manoflow caches it: the flattened tree and the field dictionary, with where and when it was fetched. */
export interface TaxonomyDocument {
  format: 1;
  /** `production`, `sandbox` or `local`. */
  environment: string;
  /** The API it came from (no key). */
  source: string;
  /** ISO-8601 date of the fetch. */
  fetched_at: string;
  categories: ApiCategory[];
  fields: ApiFeedField[];
}
