/**
 * Hints for YAML syntax errors that come from JSONata written unquoted: `from: $merge([$, { a: b }])`
 * is a YAML flow mapping to the parser, and its error ("Nested mappings are not allowed...") says
 * nothing about the real fix, which is to quote the expression or write it as a `|` block.
 */

/** YAML reads these in a plain value as its own syntax (flow collections, a mapping, a comment). */
const YAML_SPECIAL = /[{}[\]]|:\s|\s#/;

/**
 * Why: the hint for a YAML error on `line` when it holds `key: <unquoted JSONata>`, else undefined.
 * A value counts as JSONata when it calls a function or reads a variable (`$`) or a path with `(`.
 */
export function unquotedExpressionHint(line: string): string | undefined {
  const m = /(?:^|[\s{,-])([A-Za-z_][\w.-]*):\s+(?!["'|>&*!{[])([^\n]*)$/.exec(line);
  if (!m) return undefined;
  const [, key, value] = m;
  const expression = value!.replace(/\s*}\s*$/, '').trim();
  if (!/[$(]/.test(expression) || !YAML_SPECIAL.test(expression)) return undefined;
  const quoted = expression.includes("'") ? JSON.stringify(expression) : `'${expression}'`;
  return `the value of "${key}" looks like a JSONata expression with characters YAML reads as its own ({ } [ ] ": " " #"): ` +
    `quote it (${key}: ${quoted}) or write it as a block (${key}: |, then the expression on the next line, indented)`;
}
