#!/usr/bin/env node
// Generates, from the hand-written schemas in schemas/parts/ and schemas/connectors/:
//   schemas/pipeline.schema.json      one self-contained schema (editors, `manoflow schema`, ajv)
//   engine/types/generated/pipeline.ts TypeScript types (json-schema-to-typescript)
//   docs/reference.md                  the settings tables
// It needs dist/ (`npm run build`): the editor parts of the schema come from engine code.
// and, from schemas/project/project.schema.json, the project file's schema
// (schemas/project.schema.json) and types (engine/types/generated/project.ts);
// docs/reference.md holds the settings tables of both.
// `--check` regenerates in memory and fails when a committed file is stale.
import { existsSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));

const parts = readdirSync(join(root, 'schemas/parts')).filter((f) => f.endsWith('.schema.json')).sort()
  .map((f) => readJson(join(root, 'schemas/parts', f)));
const connectors = readdirSync(join(root, 'schemas/connectors')).filter((f) => f.endsWith('.schema.json')).sort()
  .map((f) => readJson(join(root, 'schemas/connectors', f)));

/** Rewrites refs so every part lives under the bundle's `definitions`. */
function rewriteRefs(node, ownId, bare = false) {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, ownId));
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (!bare && k === '$ref' && typeof v === 'string') {
      // draft-07 ignores a $ref's siblings; dropping them keeps the generated types free of duplicates.
      return rewriteRefs({ $ref: v }, ownId, true);
    }
    if (k === '$ref' && typeof v === 'string') {
      const [id, frag] = v.split('#');
      const target = id || ownId;
      const m = /^\/(?:definitions|\$defs)\/(.+)$/.exec(frag ?? '');
      out[k] = m ? `#/definitions/${target}-${m[1]}` : `#/definitions/${target}`;
    } else out[k] = rewriteRefs(v, ownId);
  }
  return out;
}

// Editors validate the raw YAML, before `${VAR}` interpolation: a setting typed as a number,
// boolean or enum must also accept a `${VAR}` string there. manoflow itself validates after
// interpolation and drops errors raised by this alternative (marked `x-env`).
const ENV_ALT = { type: 'string', pattern: '^\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}$', 'x-env': true, description: 'an environment variable reference, `${VAR}` or `${VAR:-default}`' };
function tsTypeOf(schema) {
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const types = [].concat(schema.type ?? []);
  return types.map((t) => (t === 'integer' ? 'number' : t)).join(' | ');
}
function envTolerant(node) {
  if (Array.isArray(node)) return node.map(envTolerant);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'properties' && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, prop]) => [name, wrapEnv(envTolerant(prop))]));
    } else out[k] = envTolerant(v);
  }
  return out;
}
function wrapEnv(prop) {
  const types = [].concat(prop.type ?? []);
  const scalar = prop.enum || (types.length > 0 && !types.includes('string') && types.every((t) => ['integer', 'number', 'boolean'].includes(t)));
  if (!scalar || prop.$ref || prop.const !== undefined) return prop;
  // The strict branch keeps its description: manoflow's diagnostics quote it as the hint.
  const { examples, default: dflt, title, ...strict } = prop;
  const { description } = prop;
  return {
    ...(title ? { title } : {}), ...(description ? { description } : {}), ...(examples ? { examples } : {}),
    ...(dflt !== undefined ? { default: dflt } : {}), tsType: tsTypeOf(prop), anyOf: [strict, ENV_ALT],
  };
}

const definitions = {};
function addPart(schema) {
  const { $id, $schema, definitions: defs = {}, $defs = {}, ...rest } = schema;
  definitions[$id] = envTolerant(rewriteRefs(rest, $id));
  for (const [name, def] of Object.entries({ ...defs, ...$defs })) definitions[`${$id}-${name}`] = envTolerant(rewriteRefs(def, $id));
}

// `"x-include": ["<part id>"]` merges a shared part's properties and required list into a
// connector schema, so shared settings (the ManoMano API connection) are written once.
for (const c of connectors) {
  for (const id of c['x-include'] ?? []) {
    const part = parts.find((p) => p.$id === id);
    if (!part) throw new Error(`${c.$id}: x-include of unknown part "${id}"`);
    c.properties = { ...c.properties, ...part.properties };
    c.required = [...new Set([...(c.required ?? []), ...(part.required ?? [])])];
  }
}
const includedOnly = new Set(connectors.flatMap((c) => c['x-include'] ?? []));

// `"x-properties-from": [{ "schema": "<connector id>", "omit": [...] }]` copies a connector's
// properties into a part (a lookup table takes the reading settings of the source of its type),
// so they are written once; the part's own properties come first and win.
for (const p of parts) {
  const from = p['x-properties-from'];
  if (!from) continue;
  const inherited = {};
  for (const { schema, omit = [] } of from) {
    const c = connectors.find((x) => x.$id === schema);
    if (!c) throw new Error(`${p.$id}: x-properties-from of unknown schema "${schema}"`);
    for (const [name, prop] of Object.entries(c.properties ?? {})) {
      if (!omit.includes(name) && !(name in p.properties) && !(name in inherited)) inherited[name] = structuredClone(prop);
    }
  }
  p.properties = { ...p.properties, ...inherited };
  delete p['x-properties-from'];
}

const pipelinePart = parts.find((p) => p.$id === 'pipeline');
for (const p of parts) if (p !== pipelinePart && !includedOnly.has(p.$id) && p.$id !== 'manomano-api') addPart(p);
for (const c of connectors) addPart(c);
// The pipeline root's own $defs (a market) are bundled beside the parts.
for (const [name, def] of Object.entries(pipelinePart.$defs ?? {})) definitions[`pipeline-${name}`] = envTolerant(rewriteRefs(def, 'pipeline'));

// A snippet per connector for editors: its type and required settings, each with its first example.
function connectorSnippet(c) {
  let n = 0;
  const body = { type: c['x-manoflow'].type };
  for (const name of c.required ?? []) {
    if (name === 'type') continue;
    const example = c.properties?.[name]?.examples?.[0] ?? c.properties?.[name]?.default ?? '';
    n++;
    // snippet syntax: `$` and `}` in the example text are escaped
    body[name] = typeof example === 'string' ? `\${${n}:${example.replace(/[$}\\]/g, '\\$&')}}` : `^\${${n}:${JSON.stringify(example)}}`;
  }
  return { label: c['x-manoflow'].type, description: c.description ?? c.title, body };
}

function union(kind, description) {
  const members = connectors.filter((c) => c['x-manoflow']?.kind === kind);
  const types = members.map((c) => c['x-manoflow'].type);
  return {
    defaultSnippets: members.map(connectorSnippet),
    title: kind === 'source' ? 'SourceConfig' : 'DestinationConfig',
    description,
    type: 'object',
    required: ['type'],
    tsType: members.map((c) => c.title).join(' | ') || 'never',
    properties: { type: { type: 'string', enum: types, description: `The ${kind} connector: ${types.join(', ')}.` } },
    allOf: members.map((c) => ({
      if: { properties: { type: { const: c['x-manoflow'].type } }, required: ['type'] },
      then: { $ref: `#/definitions/${c.$id}` },
    })),
  };
}
definitions.source = union('source', 'Where records come from. `type` picks the connector.');
definitions.destination = union('destination', 'Where mapped records go. `type` picks the connector.');

const { $id: _id, $defs: _defs, ...pipelineRest } = pipelinePart;
const bundle = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://manoflow.dev/schemas/pipeline.schema.json',
  ...envTolerant(rewriteRefs(pipelineRest, 'pipeline')),
  definitions,
};
// The root's own "#/$defs/source" refs now point at the generated unions.
const bundleText = JSON.stringify(bundle, null, 2).replaceAll('#/definitions/pipeline-source"', '#/definitions/source"')
  .replaceAll('#/definitions/pipeline-destination"', '#/definitions/destination"') + '\n';

// Editors get more than manoflow validates with: rule boxes by name with their parameters (read
// from the `@param` headers of rules/*.jsonata) and ManoMano attribute names per destination.
// That code is shared with `manoflow schema --write`, so it is imported from the build.
const editorModule = join(root, 'dist/engine/connectors/editor.js');
if (!existsSync(editorModule)) {
  console.error('gen: dist/ is missing: run `npm run build` first (the editor schema is built by engine/connectors/editor.ts)');
  process.exit(1);
}
const { editorSchema } = await import(editorModule);
const editorBundleText = JSON.stringify(editorSchema(JSON.parse(bundleText), [join(root, 'rules')]), null, 2) + '\n';

const banner = '/* Generated by scripts/gen.mjs from schemas/parts and schemas/connectors: do not edit. Run `npm run gen`. */';
const ts = await compile(JSON.parse(bundleText), 'PipelineConfig', {
  bannerComment: banner,
  unreachableDefinitions: true,
  additionalProperties: false,
  format: false,
  style: { singleQuote: true },
});

// The project file (manoflow.yaml): its own bundle. Its `state` takes the pipeline's state
// settings named in `x-state-properties`, so each is written once.
const projectPart = readJson(join(root, 'schemas/project/project.schema.json'));
{
  const st = projectPart.properties.state;
  const from = pipelinePart.properties.state.properties;
  st.properties = Object.fromEntries(st['x-state-properties'].map((k) => {
    if (!from[k]) throw new Error(`project state: the pipeline's state has no "${k}"`);
    return [k, from[k]];
  }));
  delete st['x-state-properties'];
}
const { $id: _pid, $defs: projectDefs = {}, ...projectRest } = projectPart;
const projectBundle = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://manoflow.dev/schemas/project.schema.json',
  ...envTolerant(projectRest),
  definitions: Object.fromEntries(Object.entries(projectDefs).map(([k, v]) => [k, envTolerant(v)])),
};
const projectText = JSON.stringify(projectBundle, null, 2).replaceAll('"#/$defs/', '"#/definitions/') + '\n';
const projectTs = await compile(JSON.parse(projectText), 'ProjectConfig', {
  bannerComment: banner.replace('schemas/parts and schemas/connectors', 'schemas/project'),
  unreachableDefinitions: true,
  additionalProperties: false,
  format: false,
  style: { singleQuote: true },
});

// docs/reference.md: the settings tables, from the same schemas (never edited by hand).
function typeText(prop) {
  if (prop.const !== undefined) return `\`${JSON.stringify(prop.const)}\``;
  if (prop.enum) return prop.enum.map((v) => `\`${v}\``).join(', ');
  if (prop.oneOf || prop.anyOf) return (prop.oneOf ?? prop.anyOf).filter((b) => !b['x-env']).map(typeText).join(' or ');
  if (prop.$ref) return prop.$ref.split('/').pop();
  const t = [].concat(prop.type ?? 'any').join(' or ');
  return prop.type === 'array' && prop.items ? `array of ${typeText(prop.items)}` : t;
}
const cell = (text) => String(text ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');
function settingsTable(schema) {
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(([name, prop]) => {
    const dflt = prop.default === undefined ? '' : `\`${JSON.stringify(prop.default)}\``;
    return `| \`${name}\`${required.has(name) ? ' (required)' : ''} | ${cell(typeText(prop))} | ${dflt} | ${cell(prop.description)} |`;
  });
  return ['| setting | type | default | what it does |', '|---|---|---|---|', ...rows].join('\n');
}
const docSections = [
  '# manoflow reference: pipeline and connector settings',
  '',
  'Generated by `npm run gen` from `schemas/parts/` and `schemas/connectors/` (do not edit; `npm run gen:check` fails when stale).',
  '',
  '## Pipeline',
  '',
  pipelinePart.description,
  '',
  settingsTable(pipelinePart),
  '',
  '## mapping',
  '',
  parts.find((p) => p.$id === 'mapping').description,
  '',
  settingsTable(parts.find((p) => p.$id === 'mapping')),
  '',
  'An attribute is a JSONata expression (a string) or an object:',
  '',
  settingsTable(parts.find((p) => p.$id === 'mapping').definitions.attributeObject),
  '',
  '## lookup tables',
  '',
  parts.find((p) => p.$id === 'lookup-table').description,
  '',
  settingsTable(parts.find((p) => p.$id === 'lookup-table')),
  '',
  '## ManoMano API connection (every API connector)',
  '',
  settingsTable(parts.find((p) => p.$id === 'manomano-api')),
  '',
  ...['source', 'destination'].flatMap((kind) => connectors.filter((c) => c['x-manoflow'].kind === kind).flatMap((c) => [
    `## ${kind} \`${c['x-manoflow'].type}\``,
    '',
    c.description ?? '',
    '',
    settingsTable(c),
    '',
  ])),
  '## Project file (`manoflow.yaml`)',
  '',
  projectPart.description,
  '',
  settingsTable(projectPart),
  '',
  '### `state` (project)',
  '',
  projectPart.properties.state.description,
  '',
  settingsTable(projectPart.properties.state),
  '',
  '### `fleet`',
  '',
  projectPart.properties.fleet.description,
  '',
  settingsTable(projectPart.properties.fleet),
  '',
  '### a pipeline of the project (`pipelines.<id>`)',
  '',
  projectDefs.pipeline.description,
  '',
  settingsTable(projectDefs.pipeline),
  '',
  '### a seller (`sellers.<id>`)',
  '',
  projectDefs.seller.description,
  '',
  settingsTable(projectDefs.seller),
  '',
];
const docsText = docSections.join('\n');

const outputs = [
  [join(root, 'docs/reference.md'), docsText],
  [join(root, 'schemas/pipeline.schema.json'), editorBundleText],
  [join(root, 'engine/types/generated/pipeline.ts'), ts],
  [join(root, 'schemas/project.schema.json'), projectText],
  [join(root, 'engine/types/generated/project.ts'), projectTs],
];
let stale = [];
for (const [path, text] of outputs) {
  let current = null;
  try { current = readFileSync(path, 'utf8'); } catch {}
  if (current !== text) {
    if (check) stale.push(path.slice(root.length + 1));
    else writeFileSync(path, text);
  }
}
if (stale.length) {
  console.error(`gen:check: stale generated files: ${stale.join(', ')}\n  run \`npm run gen\` and commit the result`);
  process.exit(1);
}
console.log(check ? 'gen:check: generated files are up to date' : 'gen: schemas and types written');
