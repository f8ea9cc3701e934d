/**
 * What the pipeline schema adds for editors (yaml-language-server, VS Code, IntelliJ): rule boxes
 * by name, with their parameters, descriptions and snippets, generated from the `@param` headers
 * of the rule files; and the ManoMano attribute names under `mapping.attributes`, chosen by the
 * destination type. `npm run gen` applies it to the built-in rule boxes; `manoflow schema --write`
 * applies it again with a project's own rule boxes, so they complete and validate too.
 */
import type { RuleParam } from '../rules/types.js';

/** A rule box as the editor sees it: its name, its header summary and parameters. */
export interface EditorRule {
  name: string;
  summary: string;
  params: RuleParam[];
}

/** A destination as the editor sees it: the attributes it knows, and which it requires. */
export interface EditorDestination {
  type: string;
  attributes?: readonly string[];
  strictAttributes?: boolean;
  /** Per-attribute documentation (the product feed's column descriptions). */
  docs?: Record<string, string>;
  required?: readonly string[];
  /** Attributes of the "required attributes" snippet (the required ones and one way to meet each alternative). */
  starter?: readonly string[];
}

type Schema = Record<string, unknown>;

/** The `${VAR}` alternative editors need before interpolation (the same as scripts/gen.mjs). */
const ENV_ALT: Schema = { type: 'string', pattern: '^\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}$', 'x-env': true, description: 'an environment variable reference, `${VAR}` or `${VAR:-default}`' };

/** An argument computed per record: `{ expr: "$vars.image_base" }` (engine/rules/args.ts). */
const EXPR_ARG: Schema = {
  type: 'object', required: ['expr'], additionalProperties: false,
  properties: { expr: { type: 'string', description: 'A JSONata expression evaluated for each record (the source record, `$vars`, `$lookups`, `let` values, `$item`).', examples: ['$vars.image_base'] } },
};

function valueSchema(p: RuleParam): Schema {
  const types: Record<string, Schema> = {
    string: { type: 'string' }, number: { type: 'number' }, boolean: { type: 'boolean' },
    object: { type: 'object' }, array: { type: 'array' }, any: {},
  };
  const base = types[p.type] ?? {};
  const nullable = p.optional && p.default === undefined && p.type !== 'any';
  const typed = nullable ? { type: [base.type as string, 'null'] } : base;
  const scalar = p.type === 'number' || p.type === 'boolean';
  const described = { description: paramLine(p), ...(p.default !== undefined ? { default: p.default } : {}) };
  if (p.type === 'any' || p.type === 'object') return { ...described, ...typed };
  return { ...described, anyOf: scalar ? [typed, ENV_ALT, EXPR_ARG] : [typed, EXPR_ARG] };
}

function paramLine(p: RuleParam): string {
  const dflt = p.default !== undefined ? `, default ${JSON.stringify(p.default)}` : p.optional ? ', optional' : '';
  return `${p.name} (${p.type}${dflt}): ${p.description}`;
}

/** Summary and parameters, as shown on hover and beside a completion. */
export function ruleDocumentation(rule: EditorRule): string {
  const params = rule.params.length ? rule.params.map((p) => `- \`${p.name}\` ${p.type}${p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : p.optional ? ' (optional)' : ''}: ${p.description}`).join('\n') : 'no parameters';
  return `**${rule.name}**: ${rule.summary}\n\n${params}`;
}

/**
 * The argument forms `bindRuleArgs` accepts (engine/rules/args.ts): one value for the first
 * parameter, a list of positional values, or an object of named parameters.
 */
function argumentSchema(rule: EditorRule): Schema {
  const { params } = rule;
  const doc = ruleDocumentation(rule);
  if (params.length === 0) return { description: `${rule.summary} (no parameters: write just "${rule.name}")`, markdownDescription: doc, type: ['null', 'object'], maxProperties: 0 };
  const first = params[0]!;
  const required = params.filter((p) => !p.optional && p.default === undefined).map((p) => p.name);
  const properties = Object.fromEntries(params.map((p) => [p.name, valueSchema(p)]));
  // An object is named parameters, unless the first parameter takes any object (a lookup table).
  const objectIsValue = first.type === 'object' || (params.length === 1 && first.type === 'any');
  const objectForm: Schema = objectIsValue ? { type: 'object', properties } : { type: 'object', additionalProperties: false, required, properties };
  const otherForms: Schema[] = [];
  if (first.type !== 'object') otherForms.push(valueSchema(first));
  const firstTakesList = first.type === 'array' || (params.length === 1 && first.type === 'any');
  if (!firstTakesList && params.length > 1) {
    const lastRequired = params.reduce((n, p, i) => (required.includes(p.name) ? i + 1 : n), 0);
    otherForms.push({ type: 'array', items: params.map(valueSchema), maxItems: params.length, minItems: lastRequired, description: `positional: ${params.map((p) => p.name).join(', ')}` });
  }
  // if/then again: a misspelt parameter name is reported as such, not as "expected a number".
  // `{ expr: "..." }` in place of the arguments is the first parameter, computed per record.
  const objectOrExpr: Schema = objectIsValue || params.some((p) => p.name === 'expr') ? objectForm
    : { if: { required: ['expr'], maxProperties: 1 }, then: EXPR_ARG, else: objectForm };
  const shapes: Schema = otherForms.length === 0 ? objectOrExpr
    : { if: { type: 'object' }, then: objectOrExpr, else: otherForms.length === 1 ? otherForms[0]! : { anyOf: otherForms } };
  return { description: `${rule.summary} Parameters: ${params.map(paramLine).join('; ')}`, markdownDescription: doc, ...shapes };
}

/** A snippet value for a parameter: its default, or a typed placeholder. */
function placeholder(p: RuleParam, n: number): unknown {
  const shown = p.default !== undefined ? p.default : p.type === 'number' ? 1 : p.type === 'boolean' ? true : p.name;
  // `^` asks yaml-language-server to insert the text unquoted (numbers, booleans).
  return typeof shown === 'string' ? `\${${n}:${shown.replace(/[$}\\]/g, '\\$&')}}` : `^\${${n}:${JSON.stringify(shown)}}`;
}

function ruleSnippet(rule: EditorRule): Schema | undefined {
  const required = rule.params.filter((p) => !p.optional && p.default === undefined);
  if (rule.params.length === 0) return undefined;
  const shown = required.length > 0 ? required : rule.params.slice(0, 1);
  const body = shown.length === 1 ? placeholder(shown[0]!, 1) : Object.fromEntries(shown.map((p, i) => [p.name, placeholder(p, i + 1)]));
  return { label: `${rule.name}: ...`, markdownDescription: ruleDocumentation(rule), body: { [rule.name]: body } };
}

/** The definitions for rule references: `rule-name` (a string), `rule-call` (name with arguments). */
export function ruleDefinitions(rules: readonly EditorRule[]): Record<string, Schema> {
  const sorted = [...rules].sort((a, b) => a.name.localeCompare(b.name));
  return {
    'rule-name': {
      title: 'rule box name',
      type: 'string',
      description: 'A rule box without arguments (or with the defaults of its parameters).',
      errorMessage: 'Unknown rule box (Ctrl+Space lists them). Your own rules/<name>.jsonata complete here once `manoflow schema --write` has added them to the schema.',
      enum: sorted.map((r) => r.name),
      markdownEnumDescriptions: sorted.map(ruleDocumentation),
    },
    'rule-call': {
      title: 'rule box with arguments',
      type: 'object',
      description: 'A rule box with its arguments: `{ truncate: 150 }`, `{ truncate: [150, ""] }` or `{ truncate: { length: 150 } }`; or an inline expression `{ jsonata: "$uppercase($)" }`.',
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: false,
      properties: {
        // Offered through the snippets below: as keys too, yaml-language-server would merge them
        // with the names above into odd `truncate: truncate` completions.
        ...Object.fromEntries(sorted.map((r) => [r.name, { ...argumentSchema(r), doNotSuggest: true }])),
        jsonata: { type: 'string', description: 'An inline rule box: a JSONata expression receiving the current value as `$`.', examples: ['$uppercase($)'] },
      },
      defaultSnippets: sorted.map(ruleSnippet).filter((s): s is Schema => s !== undefined),
    },
  };
}

/**
 * Root `allOf` entries: when `destination.type` is a ManoMano destination, `mapping.attributes`
 * offers its attribute names (free names stay allowed unless the destination is strict). Marked
 * `x-editor`: manoflow's own validation reports unknown attributes itself, with a suggestion.
 */
export function attributeConditions(destinations: readonly EditorDestination[]): Schema[] {
  return destinations.filter((d) => d.attributes && d.attributes.length > 0).map((d) => {
    const required = new Set(d.required ?? []);
    const properties = Object.fromEntries(d.attributes!.map((name) => {
      const text = d.docs?.[name] ?? `a ${d.type} attribute`;
      return [name, { description: required.has(name) ? `Required by ManoMano. ${text}` : text }];
    }));
    return {
      'x-editor': true,
      if: { required: ['destination'], properties: { destination: { type: 'object', required: ['type'], properties: { type: { const: d.type } } } } },
      then: {
        properties: {
          mapping: {
            properties: {
              attributes: {
                properties, ...(d.strictAttributes ? { additionalProperties: false } : {}),
                ...(d.starter?.length ? {
                  defaultSnippets: [{
                    label: `${d.type}: required attributes`,
                    description: `Every attribute ${d.type} needs on each record, to map from your source.`,
                    body: Object.fromEntries(d.starter.map((name, i) => [name, `\${${i + 1}:${name}}`])),
                  }],
                } : {}),
              },
            },
          },
        },
      },
    };
  });
}

/**
 * Adds the editor parts to a bundled pipeline schema (a copy is returned). The hand-written
 * rule reference shape stays as `mapping-ruleRefShape`: manoflow validates rule names itself,
 * against every rules folder the pipeline can see.
 */
export function withEditorParts(bundle: Schema, input: { rules: readonly EditorRule[]; destinations: readonly EditorDestination[] }): Schema {
  const definitions = { ...(bundle.definitions as Record<string, Schema>) };
  // Applied again to an already extended schema (`manoflow schema --write`), it starts from the shape.
  const shape = definitions['mapping-ruleRefShape'] ?? definitions['mapping-ruleRef'];
  if (!shape) throw new Error('pipeline schema has no mapping-ruleRef definition');
  Object.assign(definitions, ruleDefinitions(input.rules));
  definitions['mapping-ruleRefShape'] = shape;
  definitions['mapping-ruleRef'] = {
    title: shape.title, description: shape.description,
    // if/then rather than oneOf: yaml-language-server then reports the misspelt key of
    // `{ trunacte: 150 }` instead of "expected a string".
    if: { type: 'object' }, then: { $ref: '#/definitions/rule-call' }, else: { $ref: '#/definitions/rule-name' },
  };
  const { definitions: _old, ...rest } = bundle;
  return withSnippetExamples({ ...rest, allOf: attributeConditions(input.destinations), definitions }) as Schema;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * yaml-language-server labels an object example or default `[object Object]`: object examples
 * become snippets (labelled with their JSON), object defaults are left to the description.
 */
export function withSnippetExamples(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withSnippetExamples);
  if (!isPlainObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'defaultSnippets' || k === 'enum' || k === 'const' || k === 'examples' || k === 'default') out[k] = v; // data, not schemas
    else if ((k === 'properties' || k === 'definitions' || k === 'patternProperties') && isPlainObject(v)) {
      // names → schemas: a property may well be called `default` or `examples`
      out[k] = Object.fromEntries(Object.entries(v).map(([name, schema]) => [name, withSnippetExamples(schema)]));
    } else out[k] = withSnippetExamples(v);
  }
  if (Array.isArray(out.examples) && out.examples.some(isPlainObject)) {
    const objects = out.examples.filter(isPlainObject);
    const rest = out.examples.filter((e) => !isPlainObject(e));
    if (rest.length) out.examples = rest;
    else delete out.examples;
    const snippets = (out.defaultSnippets as unknown[] | undefined) ?? [];
    out.defaultSnippets = [...snippets, ...objects.map((body) => ({ label: JSON.stringify(body), body: escapeSnippet(body) }))];
  }
  if (isPlainObject(out.default)) delete out.default;
  return out;
}

/** Snippet bodies read `$` as a placeholder: an example's own `$` (a JSONata variable) is escaped. */
function escapeSnippet(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/[$}\\]/g, '\\$&');
  if (Array.isArray(value)) return value.map(escapeSnippet);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeSnippet(v)]));
  return value;
}
