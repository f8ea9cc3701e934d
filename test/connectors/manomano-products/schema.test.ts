// The product-record schema and the connector's column tables must agree, and the config schema
// must follow the house rules (description + examples everywhere).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANOMANO_COLUMNS, NUMERIC_COLUMNS, TEXT_COLUMNS } from '../../../engine/connectors/destinations/manomano-products/columns.js';
import { MM_CODES } from '../../../engine/connectors/destinations/manomano-products/problems.js';
import { productValidator } from '../../../engine/connectors/destinations/manomano-products/schema-check.js';
import definition from '../../../engine/connectors/destinations/manomano-products/index.js';

const root = join(import.meta.dirname, '../../..');
const product = JSON.parse(readFileSync(join(root, 'schemas/manomano-product.schema.json'), 'utf8'));
const config = JSON.parse(readFileSync(join(root, 'schemas/connectors/destination-manomano-products.schema.json'), 'utf8'));
type Prop = { type?: string | string[]; description?: string; examples?: unknown[]; properties?: Record<string, Prop> };

describe('schemas/manomano-product.schema.json', () => {
  it('compiles once, and every property is a known, described ManoMano column', () => {
    expect(productValidator()).toBe(productValidator());
    for (const [name, p] of Object.entries(product.properties as Record<string, Prop>)) {
      expect(MANOMANO_COLUMNS, name).toContain(name);
      expect(p.description, name).toBeTruthy();
      if (p.type === 'number' || p.type === 'integer') expect(NUMERIC_COLUMNS.has(name), name).toBe(true);
      if (p.type === 'string') expect(TEXT_COLUMNS.has(name), name).toBe(true);
    }
  });

  it('uses only known codes', () => {
    const codes = [...JSON.stringify(product).matchAll(/"x-mm-code":"([A-Z_]+)"/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(10);
    for (const c of codes) expect(MM_CODES).toContain(c);
  });

  it('spells ManoMano columns with their exact case', () => {
    for (const name of ['ParentSKU', 'DisplayWeight', 'Sample_SKU']) expect(MANOMANO_COLUMNS).toContain(name);
    expect(definition.attributes).toBe(MANOMANO_COLUMNS);
    expect(new Set(MANOMANO_COLUMNS).size).toBe(MANOMANO_COLUMNS.length);
  });
});

describe('schemas/connectors/destination-manomano-products.schema.json', () => {
  it('follows the connector schema conventions', () => {
    expect(config.$id).toBe('destination-manomano-products');
    expect(config['x-manoflow']).toEqual({ kind: 'destination', type: 'manomano-products' });
    expect(config.additionalProperties).toBe(false);
    const walk = (props: Record<string, Prop>, path: string): void => {
      for (const [name, p] of Object.entries(props)) {
        expect(p.description, `${path}${name}`).toBeTruthy();
        expect(p.examples?.length, `${path}${name}`).toBeGreaterThan(0);
        if (p.properties) walk(p.properties, `${path}${name}.`);
      }
    };
    walk(config.properties, '');
  });
});
