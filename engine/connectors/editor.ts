/**
 * The editor view of the registered destinations (attribute names, their documentation, which
 * ones are required) and the pipeline schema for editors built from them and from rule boxes.
 * `npm run gen` (scripts/gen.mjs) and `manoflow schema` share it, so the committed schema and a
 * project's own copy are made the same way.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withEditorParts, type EditorDestination } from '../config/editor-schema.js';
import { listRuleBoxes } from '../rules/loader.js';
import { packageRoot } from '../util/package-root.js';
import { destinations } from './registry.js';

/** Why: the product feed's column descriptions live in its record schema; reuse them for completion. */
function productColumnDocs(): Record<string, string> {
  const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas/manomano-product.schema.json'), 'utf8')) as { properties?: Record<string, { description?: string }> };
  return Object.fromEntries(Object.entries(schema.properties ?? {}).flatMap(([k, v]) => (v.description ? [[k, v.description]] : [])));
}

/** Every registered destination that knows its attributes, with docs and required ones (default settings). */
export function editorDestinations(): EditorDestination[] {
  const docs = productColumnDocs();
  return destinations.filter((d) => d.attributes).map((d) => {
    const groups = d.requiredAttributes?.({}) ?? [];
    const required = groups.filter((alternatives) => alternatives.length === 1).flatMap((alternatives) => alternatives[0]!);
    const starter = [...new Set(groups.flatMap((alternatives) => alternatives[0] ?? []))];
    return {
      type: d.type, attributes: d.attributes, strictAttributes: d.strictAttributes, required, starter,
      ...(d.type === 'manomano-products' ? { docs } : {}),
    };
  });
}

/**
 * The pipeline schema for editors: the generated bundle plus the rule boxes found in `ruleDirs`
 * (first match wins, as at run time) and the ManoMano attribute names.
 */
export function editorSchema(bundle: Record<string, unknown>, ruleDirs: string[]): Record<string, unknown> {
  const rules = listRuleBoxes(ruleDirs).map(({ name, summary, params }) => ({ name, summary, params }));
  return withEditorParts(bundle, { rules, destinations: editorDestinations() });
}

/** The files `writeProjectSchemas` writes, by role. */
export interface ProjectSchemas { pipeline: string; test: string }

/**
 * Writes the editor schemas into a project folder (`pipeline.schema.json` with the project's own
 * rule boxes, `pipeline-test.schema.json`), so a `$schema` path inside the project keeps working
 * when the project moves or manoflow is installed globally. Rule dirs are searched as at run time.
 */
export function writeProjectSchemas(dir: string, ruleDirs: string[]): ProjectSchemas {
  const root = packageRoot();
  const bundle = JSON.parse(readFileSync(join(root, 'schemas/pipeline.schema.json'), 'utf8')) as Record<string, unknown>;
  const out = { pipeline: join(dir, 'pipeline.schema.json'), test: join(dir, 'pipeline-test.schema.json') };
  mkdirSync(dir, { recursive: true });
  writeFileSync(out.pipeline, JSON.stringify(editorSchema(bundle, [...ruleDirs, join(root, 'rules')]), null, 2) + '\n');
  copyFileSync(join(root, 'schemas/pipeline-test.schema.json'), out.test);
  return out;
}
