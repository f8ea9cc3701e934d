/**
 * Repairs jsonata 2.2.2's parse of `??` and `?:`: the parser deep-copies the left operand with
 * JSON.parse(JSON.stringify(...)) for the condition, which turns a regex literal there into `{}`.
 * Stock then builds `/[object Object]/` (no `g` flag) from it, and `$replace(name, /\s+/, " ") ?:
 * "n/a"` loops forever (the match never advances). Every copied literal keeps its `position`, and
 * the original (the `then` branch) keeps the RegExp: the copy gets it back by position.
 */

interface Node {
  type?: unknown;
  value?: unknown;
  position?: unknown;
  [key: string]: unknown;
}

/** Visits every AST node once (the processed AST shares some objects, e.g. ancestor slots). */
function walk(root: unknown, visit: (n: Node) => void): void {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || v instanceof RegExp || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    visit(v as Node);
    for (const k of Object.keys(v)) stack.push((v as Node)[k]);
  }
}

/**
 * Gives every regex literal node whose value was lost to a JSON copy its RegExp back, in place
 * (the stock interpreter evaluates the same AST object). Returns how many nodes it repaired.
 */
export function repairRegexLiterals(ast: unknown): number {
  const byPosition = new Map<unknown, RegExp>();
  const broken: Node[] = [];
  walk(ast, (n) => {
    if (n.type !== 'regex') return;
    if (n.value instanceof RegExp) byPosition.set(n.position, n.value);
    else broken.push(n);
  });
  let repaired = 0;
  for (const n of broken) {
    const re = byPosition.get(n.position);
    if (re === undefined) continue;
    n.value = re;
    repaired++;
  }
  return repaired;
}
