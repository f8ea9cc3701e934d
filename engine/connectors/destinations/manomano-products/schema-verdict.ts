/**
 * The product schema compiled into a yes/no check over a record held as slots (one array cell per
 * attribute), for the records that pass: ajv's validator with `allErrors` reads a record object
 * and builds errors; here a valid record costs a few typeof tests and regex runs. Only the keywords
 * the product schema uses are compiled, each with ajv's own semantics (which keyword applies to which
 * type, `isFinite` for numbers, `u` regexes, `undefined` as absent); any other keyword makes the
 * compiler give up, and the feed then checks every record with ajv. A record this check refuses is
 * checked again by ajv, which alone words the problems.
 */

type Node = Record<string, unknown>;
/** True when the record held in `vals` passes. */
export type RecordVerdict = (vals: readonly unknown[]) => boolean;

/** Keywords that never change a verdict. */
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'examples', 'default', 'x-mm-code', 'x-mm-attribute']);
const ROOT_KEYWORDS = new Set(['type', 'required', 'properties', 'additionalProperties', 'allOf', 'anyOf', 'if', 'then', 'else']);
const VALUE_KEYWORDS = new Set(['type', 'minLength', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'enum', 'const']);

class Unsupported extends Error {}

const isNode = (x: unknown): x is Node => x !== null && typeof x === 'object' && !Array.isArray(x);
/** A JSON primitive, written as a JS literal by JSON.stringify. */
const literal = (x: unknown): string => {
  if (x === null || typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && isFinite(x))) return JSON.stringify(x);
  throw new Unsupported('non-primitive enum or const');
};

function keywords(node: Node, allowed: ReadonlySet<string>): void {
  for (const k of Object.keys(node)) if (!ANNOTATIONS.has(k) && !allowed.has(k)) throw new Unsupported(k);
}

/** ajv's test for one JSON type (strictNumbers: numbers must be finite), on `v`. */
function typeTest(t: unknown): string {
  switch (t) {
    case 'string': return 'typeof v === "string"';
    case 'number': return '(typeof v === "number" && isFinite(v))';
    case 'integer': return '(typeof v === "number" && !(v % 1) && !isNaN(v) && isFinite(v))';
    case 'boolean': return 'typeof v === "boolean"';
    case 'null': return 'v === null';
    case 'array': return 'Array.isArray(v)';
    case 'object': return '(v !== null && typeof v === "object" && !Array.isArray(v))';
    default: throw new Unsupported(`type ${String(t)}`);
  }
}

/** Generated code and the regexes it refers to as `re[i]`. */
class Gen {
  readonly regexes: RegExp[] = [];
  readonly functions: string[] = [];
  constructor(readonly slotOf: (name: string) => number) {}
}

/** Statements that `return false` when the attribute's value `v` (present) fails its subschema. */
function valueCode(node: unknown, gen: Gen): string {
  if (node === true) return '';
  if (!isNode(node)) throw new Unsupported('boolean schema');
  keywords(node, VALUE_KEYWORDS);
  let code = '';
  if (node.type !== undefined) code += `if (!(${(Array.isArray(node.type) ? node.type : [node.type]).map(typeTest).join(' || ')})) return false;\n`;
  // String keywords apply to strings only, number keywords to finite numbers only (as in ajv).
  let strings = '';
  if (node.minLength !== undefined) {
    // Only "non-empty": code points and UTF-16 units agree on it (schema-check.ts onlyNonEmptyLengths).
    if (node.minLength !== 0 && node.minLength !== 1) throw new Unsupported('minLength');
    if (node.minLength === 1) strings += 'if (v.length < 1) return false; ';
  }
  if (node.pattern !== undefined) {
    if (typeof node.pattern !== 'string') throw new Unsupported('pattern');
    gen.regexes.push(new RegExp(node.pattern, 'u')); // ajv's unicodeRegExp default
    strings += `if (!re[${gen.regexes.length - 1}].test(v)) return false; `;
  }
  if (strings) code += `if (typeof v === "string") { ${strings}}\n`;
  let numbers = '';
  for (const [key, fails] of [['minimum', '<'], ['maximum', '>'], ['exclusiveMinimum', '<='], ['exclusiveMaximum', '>=']] as const) {
    const limit = node[key];
    if (limit === undefined) continue;
    if (typeof limit !== 'number' || !isFinite(limit)) throw new Unsupported(key);
    numbers += `if (v ${fails} ${String(limit)} || isNaN(v)) return false; `;
  }
  if (numbers) code += `if (typeof v === "number" && isFinite(v)) { ${numbers}}\n`;
  if (node.enum !== undefined) {
    if (!Array.isArray(node.enum) || node.enum.length === 0) throw new Unsupported('enum');
    code += `if (!(${node.enum.map((e) => `v === ${literal(e)}`).join(' || ')})) return false;\n`;
  }
  if (node.const !== undefined) code += `if (v !== ${literal(node.const)}) return false;\n`;
  return code;
}

/** A node about the record itself (the root, and the branches of allOf/anyOf/if): its function's name. */
function recordCode(node: unknown, gen: Gen): string {
  const name = `r${gen.functions.length}`;
  gen.functions.push('');
  if (node !== true) {
    if (!isNode(node)) throw new Unsupported('boolean schema');
    keywords(node, ROOT_KEYWORDS);
  }
  const n = (node === true ? {} : node) as Node;
  if (n.type !== undefined && n.type !== 'object') throw new Unsupported('root type'); // a record is an object
  if (n.additionalProperties !== undefined && n.additionalProperties !== true) throw new Unsupported('additionalProperties');
  const slot = (prop: unknown): number => {
    // ajv reads data[name]: a name the prototype answers for would not read as absent.
    if (typeof prop !== 'string' || prop in Object.prototype) throw new Unsupported(`property ${String(prop)}`);
    return gen.slotOf(prop);
  };
  let body = 'let v;\n';
  if (n.required !== undefined) {
    if (!Array.isArray(n.required)) throw new Unsupported('required');
    for (const prop of n.required) body += `if (vals[${slot(prop)}] === undefined) return false;\n`;
  }
  if (n.properties !== undefined) {
    if (!isNode(n.properties)) throw new Unsupported('properties');
    for (const [prop, sub] of Object.entries(n.properties)) {
      const check = valueCode(sub, gen);
      if (check) body += `v = vals[${slot(prop)}];\nif (v !== undefined) {\n${check}}\n`;
    }
  }
  const list = (key: string): string[] => {
    const value = n[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.length === 0) throw new Unsupported(key);
    return value.map((sub) => recordCode(sub, gen));
  };
  for (const sub of list('allOf')) body += `if (!${sub}(vals)) return false;\n`;
  const anyOf = list('anyOf');
  if (anyOf.length) body += `if (!(${anyOf.map((f) => `${f}(vals)`).join(' || ')})) return false;\n`;
  if (n.if !== undefined) {
    const cond = recordCode(n.if, gen);
    const then = n.then === undefined ? undefined : recordCode(n.then, gen);
    const otherwise = n.else === undefined ? undefined : recordCode(n.else, gen);
    body += `if (${cond}(vals) ? ${then ? `!${then}(vals)` : 'false'} : ${otherwise ? `!${otherwise}(vals)` : 'false'}) return false;\n`;
  }
  gen.functions[Number(name.slice(1))] = `function ${name}(vals) {\n${body}return true;\n}`;
  return name;
}

/**
 * Why: the feed's hot path needs only "does it pass". Compiled to one JS function per schema node
 * (as ajv does), so a valid record runs straight-line tests. Undefined when the schema uses a
 * keyword this does not compile: the caller then asks ajv for every record.
 */
export function compileVerdict(schema: unknown, slotOf: (name: string) => number): RecordVerdict | undefined {
  const gen = new Gen(slotOf);
  try {
    recordCode(schema, gen);
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  // Only literals the compiler wrote itself reach code position: names become slot numbers, values JSON literals.
  return new Function('re', `'use strict';\n${gen.functions.join('\n')}\nreturn r0;`)(gen.regexes) as RecordVerdict;
}
