/**
 * `$lookups.<name>(args)`: a call of a lookup table, evaluated like any `$function(args)`.
 *
 * JSONata reads `$lookups.parents(Product_ID)` as a path: `$lookups`, then the step
 * `parents(Product_ID)` evaluated against the `$lookups` object, so `Product_ID` would be read
 * from `$lookups` and never from the record. No one means that. manoflow rewrites the parsed
 * expression once, at compile time, into a plain call of the variable `lookups.<name>` (a name
 * no user can write, bound by the mapping to the table's function): the arguments are then
 * evaluated in the current context, by the stock interpreter and the fast path alike. The
 * rewritten node is the one JSONata itself builds for `$f(args)` (with the step's predicates),
 * so every other semantic is JSONata's. Forms with a group, a focus or an index binding on the
 * call step are left as JSONata parses them.
 */

/** A JSONata AST node (as `jsonata(src).ast()` gives it): open-ended, walked generically. */
type Node = Record<string, unknown>;

/** The variable a rewritten call reads: `lookups.<name>`. */
export const TABLE_CALL_PREFIX = 'lookups.';

const isNode = (v: unknown): v is Node => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RegExp);
/** True when `n` has no property outside `keys` (jsonata leaves some set to undefined: those count as absent). */
const onlyKeys = (n: Node, keys: readonly string[]): boolean => Object.keys(n).every((k) => keys.includes(k) || n[k] === undefined);

/** The rewritten call when `n` is a path `$lookups.<name>(args)...`, else undefined. */
function rewrite(n: Node): Node | undefined {
  if (n.type !== 'path' || !Array.isArray(n.steps) || n.steps.length < 2 || !onlyKeys(n, ['type', 'steps'])) return undefined;
  const [head, call, ...rest] = n.steps as Node[];
  if (!isNode(head) || head.type !== 'variable' || head.value !== 'lookups' || !onlyKeys(head, ['type', 'value', 'position'])) return undefined;
  if (!isNode(call) || call.type !== 'function' || !onlyKeys(call, ['type', 'value', 'position', 'arguments', 'procedure', 'stages'])) return undefined;
  const proc = call.procedure;
  if (!isNode(proc) || proc.type !== 'path' || !onlyKeys(proc, ['type', 'steps']) || !Array.isArray(proc.steps) || proc.steps.length !== 1) return undefined;
  const name = proc.steps[0] as Node;
  if (!isNode(name) || name.type !== 'name' || typeof name.value !== 'string' || !onlyKeys(name, ['type', 'value', 'position'])) return undefined;
  const fn: Node = {
    type: 'function', value: '(', position: call.position, arguments: call.arguments,
    procedure: { value: `${TABLE_CALL_PREFIX}${name.value}`, type: 'variable', position: name.position },
  };
  if (call.stages !== undefined) fn.predicate = call.stages;
  if (rest.length === 0) return fn;
  return { type: 'path', steps: [fn, ...rest] };
}

/**
 * Rewrites every `$lookups.<name>(args)` of a parsed expression in place: the AST object jsonata
 * itself evaluates (`ast()` returns it), so the stock interpreter sees the rewrite too. A node is
 * rewritten by replacing its properties, so the root object stays the one jsonata holds.
 */
export function normalizeTableCalls(ast: unknown): void {
  const seen = new Set<unknown>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
      return;
    }
    if (!isNode(v) || seen.has(v)) return;
    seen.add(v);
    for (const k of Object.keys(v)) visit(v[k]);
    const r = rewrite(v);
    if (r === undefined) return;
    for (const k of Object.keys(v)) delete v[k];
    Object.assign(v, r);
  };
  visit(ast);
}

/** One `$lookups.<name>(...)` call of an expression (after normalizeTableCalls). */
export interface TableCall { name: string; args: number; position: number }

/** One `$lookups.<name>` read (called or not): the name and the position of its token's end. */
export interface LookupRef { name: string; position: number }

/** The table calls and `$lookups.<name>` reads of a normalised AST, for validation. */
export function lookupUsesOf(ast: unknown): { calls: TableCall[]; refs: LookupRef[] } {
  const calls: TableCall[] = [];
  const refs: LookupRef[] = [];
  const seen = new Set<unknown>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) { v.forEach(visit); return; }
    if (!isNode(v) || seen.has(v)) return;
    seen.add(v);
    if (v.type === 'function' && isNode(v.procedure) && v.procedure.type === 'variable' && typeof v.procedure.value === 'string'
      && v.procedure.value.startsWith(TABLE_CALL_PREFIX)) {
      const name = v.procedure.value.slice(TABLE_CALL_PREFIX.length);
      const position = Number(v.procedure.position ?? v.position ?? 0);
      calls.push({ name, args: Array.isArray(v.arguments) ? v.arguments.length : 0, position });
      refs.push({ name, position });
    }
    if (v.type === 'path' && Array.isArray(v.steps)) {
      const [head, next] = v.steps as Node[];
      if (isNode(head) && head.type === 'variable' && head.value === 'lookups' && isNode(next) && next.type === 'name' && typeof next.value === 'string') {
        refs.push({ name: next.value, position: Number(next.position ?? 0) });
      }
    }
    for (const k of Object.keys(v)) visit(v[k]);
  };
  visit(ast);
  return { calls, refs };
}
