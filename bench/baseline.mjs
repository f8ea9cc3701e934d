// The baseline contender's mapping: the reference pipeline written as ONE stock JSONata object
// expression, evaluated once per record, the way a user without manoflow would run it. It is
// generated from the pipeline so both contenders do the same work: each rule box's own body is
// inlined with its bound arguments as block variables, the value passed as the context of a path
// step (`$v.( ... )`). The custom functions ($parseNumber, $decodeHtmlEntities...) and the lookup
// tables are passed as bindings, exactly as manoflow binds them.
import { parseRuleRef, attributeEntries } from '../dist/engine/config/walk.js';
import { bindRuleArgs, customFunctions, loadRuleBox, ruleSearchDirs } from '../dist/engine/rules/index.js';
import { loadLookupMaps } from '../dist/engine/runtime/lookups.js';

const literal = (v) => JSON.stringify(v);

/** A rule body applied to `$v`: scalars through a path step; a list (join) with `$` renamed to `$in`. */
function applyRuleText(rule, args, arrayInput) {
  const binds = Object.entries(args).filter(([, v]) => v !== undefined).map(([k, v]) => `$${k} := ${literal(v)}; `).join('');
  if (!arrayInput) return `$v.( ${binds}${rule.source} )`;
  // A path step would map over the list: rename the context instead (only safe for bodies
  // without `$` inside strings or regexes, which is checked here).
  if (/["'/][^"'/\n]*\$(?![\w$])/.test(rule.source.replace(/\/\*[\s\S]*?\*\//g, ''))) {
    throw new Error(`baseline: rule box ${rule.name} cannot take a list input here`);
  }
  const body = rule.source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\$(?![\w$])/g, '$in');
  return `( $in := $v; ${binds}${body} )`;
}

/** Builds `{ "attr": ..., ... }` and the bindings it needs, from a loaded pipeline. */
export function baselineExpression(loaded) {
  const dirs = ruleSearchDirs(loaded.dir);
  const parts = [];
  for (const { name, value } of attributeEntries(loaded.config)) {
    if (typeof value === 'string') { parts.push(`${literal(name)}: ${value}`); continue; }
    if (value.value !== undefined) { parts.push(`${literal(name)}: ${literal(value.value)}`); continue; }
    const arrayInput = /^\s*\[/.test(value.from ?? '');
    let text = `$v := ${value.from ?? '()'}; `;
    for (const ref of value.rules ?? []) {
      const parsed = parseRuleRef(ref);
      if (parsed.inline !== undefined) { text += `$v := $v.( ${parsed.inline} ); `; continue; }
      const rule = loadRuleBox(parsed.name, dirs);
      text += `$v := ${applyRuleText(rule, bindRuleArgs(rule, parsed.args), arrayInput)}; `;
    }
    text += value.default !== undefined ? `$v = null or $v = "" or $not($exists($v)) ? ${literal(value.default)} : $v` : '$v';
    parts.push(`${literal(name)}: (${text})`);
  }
  const bindings = { ...customFunctions, vars: loaded.config.vars ?? {}, lookups: loadLookupMaps(loaded.dir, loaded.config.lookups) };
  return { source: `{\n  ${parts.join(',\n  ')}\n}`, bindings, columns: attributeEntries(loaded.config).map((a) => a.name) };
}
