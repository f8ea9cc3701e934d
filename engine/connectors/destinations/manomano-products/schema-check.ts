/**
 * ManoMano's record rules that a JSON Schema can express live in schemas/manomano-product.schema.json;
 * this compiles it once (ajv, allErrors) and turns ajv's errors into coded, human problems. The code
 * of an error is the nearest `x-mm-code` on its schema path, so the schema stays the single source.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ManoflowError } from '../../../errors.js';
import type { Row } from '../../../runtime/types.js';
import { problem, show, type MmCode, type Problem } from './problems.js';

type SchemaNode = Record<string, unknown>;

/** Finds the schema from the source tree (vitest) and from dist/ (compiled CLI) alike. */
function loadSchema(): SchemaNode {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'schemas', 'manomano-product.schema.json');
    if (existsSync(candidate)) return JSON.parse(readFileSync(candidate, 'utf8')) as SchemaNode;
    dir = dirname(dir);
  }
  throw new ManoflowError('MM_SCHEMA_MISSING', 'schemas/manomano-product.schema.json was not found above the manomano-products connector', {
    hint: 'reinstall manoflow: the package ships its schemas/ folder',
  });
}

let compiled: { schema: SchemaNode; validate: ValidateFunction } | undefined;

/** Why: the tests compile the same schema with the same options to compare against. */
export const PRODUCT_AJV_OPTIONS = { allErrors: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true } as const;

/**
 * True when every length keyword of the schema is `minLength` 0 or 1: a string is non-empty in
 * code points exactly when it is in UTF-16 units, so ajv may skip counting code points (it walks
 * every long description for them). Any other length bound keeps ajv's code-point count.
 */
export function onlyNonEmptyLengths(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(onlyNonEmptyLengths);
  if (node === null || typeof node !== 'object') return true;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'maxLength' || (k === 'minLength' && !(v === 0 || v === 1))) return false;
    if (k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'examples' && !onlyNonEmptyLengths(v)) return false;
  }
  return true;
}

/** Why: compiling is the expensive part; one validator serves every record of every run. */
export function productValidator(): { schema: SchemaNode; validate: ValidateFunction } {
  if (!compiled) {
    const schema = loadSchema();
    // `unicode: false` is deprecated in ajv 8 (still honoured; were it dropped, ajv would only count
    // code points again): its deprecation notice is not for manoflow's users
    const quiet = { log: console.log, error: console.error, warn: (...a: unknown[]) => { if (!String(a[0]).startsWith('DEPRECATED: option unicode')) console.warn(...a); } };
    const ajv = new Ajv({ ...PRODUCT_AJV_OPTIONS, ...(onlyNonEmptyLengths(schema) ? { unicode: false, logger: quiet } : {}) });
    ajv.addKeyword({ keyword: 'x-mm-code', schemaType: 'string' });
    ajv.addKeyword({ keyword: 'x-mm-attribute', schemaType: 'string' });
    compiled = { schema, validate: ajv.compile(schema) };
  }
  return compiled;
}

/** Walks the schema path; the deepest node carrying `x-mm-code` decides the code (and grouping). */
function annotationFor(schema: SchemaNode, schemaPath: string): { code?: MmCode; group?: string } {
  let node: unknown = schema;
  let found: { code?: MmCode; group?: string } = {};
  for (const raw of schemaPath.replace(/^#\/?/, '').split('/')) {
    if (!node || typeof node !== 'object') break;
    node = (node as SchemaNode)[raw.replaceAll('~1', '/').replaceAll('~0', '~')];
    const n = node as SchemaNode | undefined;
    if (n && typeof n === 'object' && typeof n['x-mm-code'] === 'string') {
      found = { code: n['x-mm-code'] as MmCode, group: n['x-mm-attribute'] as string | undefined };
    }
  }
  return found;
}

/** What a failed keyword means, after the attribute and its value. */
function describe(err: ErrorObject, code: MmCode): string {
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'type':
      return p.type === 'integer' ? 'is not a whole number' : p.type === 'number' ? 'is not a number' : `is not ${String(p.type)}`;
    case 'exclusiveMinimum':
      return `must be above ${String(p.limit)}`;
    case 'minimum':
      return `must be at least ${String(p.limit)}`;
    case 'maximum':
      return `must be at most ${String(p.limit)}`;
    case 'enum':
      return `must be one of ${((p.allowedValues as unknown[]) ?? []).join(', ')}`;
    case 'minLength':
      return 'is empty';
    case 'pattern':
      if (code === 'MM_EAN_INVALID') return 'is not an EAN-13, UPC-12 or ITF-14 (12 to 14 digits, several separated by "#")';
      if (code === 'MM_IMAGE_URL') return 'is not an http(s) URL';
      if (code === 'MM_CATEGORY_INVALID') return 'is not a numeric ManoMano category id';
      if (code === 'MM_SHIPPING_TIME') return 'is not a delivery time in days as min#max (e.g. "2#4")';
      return `does not match ${String(p.pattern)}`;
    default:
      return err.message ?? 'is invalid';
  }
}

const METHOD_NEEDS: Record<string, string> = {
  MM_EAN_OR_MANUFACTURER: 'the product has no ean, and no sku_manufacturer + brand to identify it instead',
};

/** Why: ajv's raw errors become one problem per (code, attribute), worded for a seller. */
export function schemaProblems(record: Row): Problem[] {
  const { schema, validate } = productValidator();
  if ((validate as (data: unknown) => boolean)(record)) return [];
  const out = new Map<string, Problem>();
  const groups = new Map<string, { code: MmCode; attribute: string; missing: string[] }>();
  for (const err of validate.errors ?? []) {
    const { code, group } = annotationFor(schema, err.schemaPath);
    const missing = err.keyword === 'required' ? String((err.params as { missingProperty: string }).missingProperty) : undefined;
    if (code && group) {
      const g = groups.get(code) ?? { code, attribute: group, missing: [] };
      if (missing && !g.missing.includes(missing)) g.missing.push(missing);
      groups.set(code, g);
      continue;
    }
    const attribute = missing ?? err.instancePath.slice(1).split('/')[0] ?? '';
    const effective: MmCode = code ?? 'MM_REQUIRED';
    const key = `${effective}\u0000${attribute}`;
    if (out.has(key)) continue;
    const message = missing ? `${attribute} is missing or empty` : `${attribute} ${show(record[attribute])} ${describe(err, effective)}`;
    out.set(key, problem(effective, attribute, message));
  }
  for (const g of groups.values()) {
    let message: string;
    if (g.code === 'MM_SHIPPING_METHOD') {
      const grid = record.use_grid === 1;
      message = `use_grid ${show(record.use_grid ?? 0)}: ${grid ? 'carrier-grid' : 'per-product'} shipping is incomplete (missing: ${g.missing.join(', ')})`;
    } else message = `${METHOD_NEEDS[g.code] ?? `${g.attribute} is invalid`} (missing: ${g.missing.join(', ')})`;
    const key = `${g.code}\u0000${g.attribute}`;
    const before = out.get(key);
    out.set(key, problem(g.code, g.attribute, before ? `${before.message}; ${message}` : message));
  }
  return [...out.values()];
}
