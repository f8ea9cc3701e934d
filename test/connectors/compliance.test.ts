/**
 * What every connector and every schema must have, checked for all of them at once: a schema file
 * named after the connector, descriptions and examples on every property, closed objects, a
 * README beside the code, and a registry entry. Adding a connector that skips one fails here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { destinations, sources } from '../../engine/connectors/registry.js';
import { repoRoot } from '../helpers/cli.js';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema };

function schemaFiles(dir: string): [string, Schema][] {
  return readdirSync(join(repoRoot, dir)).filter((f) => f.endsWith('.schema.json'))
    .map((f) => [`${dir}/${f}`, JSON.parse(readFileSync(join(repoRoot, dir, f), 'utf8')) as Schema]);
}

/** Every property, recursively, with its path; `additionalProperties` schemas count too. */
function properties(schema: Schema, path = ''): [string, Schema][] {
  const out: [string, Schema][] = [];
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    out.push([`${path}/${name}`, prop], ...properties(prop, `${path}/${name}`));
    if (prop.items && typeof prop.items === 'object') out.push(...properties(prop.items, `${path}/${name}[]`));
  }
  for (const [name, def] of Object.entries((schema.definitions ?? {}) as Record<string, Schema>)) out.push(...properties(def, `#${name}`));
  return out;
}

const connectorSchemas = schemaFiles('schemas/connectors');
const partSchemas = schemaFiles('schemas/parts');
const all = [...sources, ...destinations];

describe('connector compliance', () => {
  it('every registered connector has a schema file, and every schema file a registered connector', () => {
    const declared = connectorSchemas.map(([, s]) => `${(s['x-manoflow'] as { kind: string }).kind}:${(s['x-manoflow'] as { type: string }).type}`).sort();
    const registered = all.map((d) => `${d.kind}:${d.type}`).sort();
    expect(declared).toEqual(registered);
  });

  for (const def of all) {
    it(`${def.kind} ${def.type}: folder with README, summary, schema named after it`, () => {
      const folder = join(repoRoot, 'engine/connectors', `${def.kind}s`, def.type);
      expect(existsSync(join(folder, 'README.md')), `${folder}/README.md`).toBe(true);
      expect(def.summary.length).toBeGreaterThan(10);
      const file = join(repoRoot, 'schemas/connectors', `${def.kind}-${def.type}.schema.json`);
      const schema = JSON.parse(readFileSync(file, 'utf8')) as Schema;
      expect(schema.$id).toBe(`${def.kind}-${def.type}`);
      expect((schema.properties?.type as Schema).const).toBe(def.type);
      expect(schema.additionalProperties).toBe(false);
    });
  }

  for (const [file, schema] of [...connectorSchemas, ...partSchemas]) {
    it(`${file}: a title, and a description and examples on every property`, () => {
      expect(typeof schema.title).toBe('string');
      const missing: string[] = [];
      for (const [path, prop] of properties(schema)) {
        if (typeof prop.description !== 'string' || prop.description.length < 8) missing.push(`${path}: description`);
        const isConst = prop.const !== undefined;
        if (!isConst && !Array.isArray(prop.examples) && !prop.$ref) missing.push(`${path}: examples`);
      }
      expect(missing).toEqual([]);
    });
  }
});
