/**
 * `validate`'s warning on regexes that backtrack exponentially (nested quantifiers such as
 * `(a+)+`, `(a*)*`, `(a|aa)+`): in expressions and inline rules (regex literals, located at the
 * literal), in rule-box arguments that are patterns (`replace_regex`'s `pattern`, located at the
 * argument), and in rule-box files beside the pipeline (located in the file). The hint says whether
 * manoflow's linear-time fallback covers the pattern (engine/expr/regex.ts) and how to rewrite it.
 */
import jsonata from 'jsonata';
import { isScalar, type Scalar } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { regexRisk, type RegexRisk } from '../expr/index.js';
import { bindRuleArgs, builtinRulesDir, loadRuleBox, ruleSearchDirs, type RuleBox } from '../rules/index.js';
import { lineColumn } from '../rules/types.js';
import { displayPathOf, type LoadedPipeline } from './load.js';
import { expressionsOf, ruleRefsOf } from './walk.js';
import { nodeAt, positionInScalar, positionOf } from './yaml-positions.js';

const CODE = 'CFG_REGEX_BACKTRACKING';

interface AstNode {
  type?: string;
  value?: unknown;
  position?: number;
  procedure?: AstNode;
  arguments?: AstNode[];
  [key: string]: unknown;
}

/** Every node of a JSONata AST, once. */
function nodes(ast: unknown): AstNode[] {
  const out: AstNode[] = [];
  const seen = new Set<object>();
  const stack = [ast];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || v instanceof RegExp || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) stack.push(...v);
    else {
      out.push(v as AstNode);
      stack.push(...Object.values(v));
    }
  }
  return out;
}

/** Regex literals of an expression, with the offset where each starts (jsonata gives the offset after it). */
function regexLiterals(source: string): { re: RegExp; offset: number }[] {
  let ast: unknown;
  try {
    ast = jsonata(source).ast();
  } catch {
    return []; // a syntax error has its own diagnostic
  }
  const found = new Map<number, { re: RegExp; offset: number }>();
  for (const n of nodes(ast)) {
    if (n.type !== 'regex' || !(n.value instanceof RegExp) || typeof n.position !== 'number') continue;
    const re = n.value;
    const length = re.source.length + 2 + re.flags.replace('g', '').length;
    found.set(n.position, { re, offset: Math.max(0, n.position - length) });
  }
  return [...found.values()];
}

function message(what: string, pattern: string, risk: RegexRisk): { message: string; hint: string } {
  const fix = `write it without the repetition inside a repetition (e.g. "(a+)+" → "a+", "(a|aa)+" → "a+")`;
  return {
    message: `${what}: the regex /${pattern}/ repeats a repetition (${risk.fragment}), which can take exponential time on some values`,
    hint: risk.covered
      ? `manoflow hands such a match to V8's linear-time engine once it backtracks too much, so it cannot hang a run, but each fallback is slow: ${fix}`
      : `it also uses a backreference, a lookaround or the u flag, which the linear-time engine cannot run: one value can hang the run past options.time_limit_ms; ${fix}`,
  };
}

/** The parameters of a rule box that are regex patterns: the variables it passes to $regexReplace / $regexTest. */
function patternParams(rule: RuleBox): { pattern: string; flags?: string }[] {
  let ast: unknown;
  try {
    ast = jsonata(rule.source).ast();
  } catch {
    return [];
  }
  const out: { pattern: string; flags?: string }[] = [];
  for (const n of nodes(ast)) {
    const name = n.type === 'function' && n.procedure?.type === 'variable' ? n.procedure.value : undefined;
    if (name !== 'regexReplace' && name !== 'regexTest') continue;
    const [, pattern, flags] = n.arguments ?? [];
    if (pattern?.type !== 'variable') continue;
    out.push({ pattern: String(pattern.value), flags: flags?.type === 'variable' ? String(flags.value) : undefined });
  }
  return out;
}

/** The warnings for one pipeline. */
export function checkRegexes(p: LoadedPipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of expressionsOf(p.config)) {
    if (p.unresolved.has(e.pointer)) continue;
    for (const { re, offset } of regexLiterals(e.source)) {
      const risk = regexRisk(re.source, re.flags);
      if (!risk) continue;
      const node = nodeAt(p.doc, e.pointer);
      const pos = node && isScalar(node) ? positionInScalar(p.source, p.lines, node as Scalar, offset) : positionOf(p.doc, p.lines, e.pointer);
      out.push({ file: p.displayPath, ...pos, pointer: e.pointer, code: CODE, severity: 'warning', ...message(e.label, re.source, risk) });
    }
  }
  const dirs = ruleSearchDirs(p.dir);
  const builtins = builtinRulesDir();
  const seenFiles = new Set<string>();
  for (const ref of ruleRefsOf(p.config)) {
    if (ref.inline !== undefined) continue;
    let rule: RuleBox;
    let args: Record<string, unknown>;
    try {
      rule = loadRuleBox(ref.name, dirs);
      args = bindRuleArgs(rule, ref.args);
    } catch {
      continue; // an unknown rule or a bad argument has its own diagnostic
    }
    for (const param of patternParams(rule)) {
      const pattern = args[param.pattern];
      const flags = param.flags === undefined ? '' : args[param.flags];
      if (typeof pattern !== 'string') continue;
      const risk = regexRisk(pattern, typeof flags === 'string' ? flags : '');
      if (!risk) continue;
      const named = ref.args !== null && typeof ref.args === 'object' && !Array.isArray(ref.args) && param.pattern in (ref.args as object);
      const pointer = named ? `${ref.pointer}/${ref.name}/${param.pattern}` : ref.args !== undefined ? `${ref.pointer}/${ref.name}` : ref.pointer;
      out.push({ file: p.displayPath, ...positionOf(p.doc, p.lines, pointer), pointer, code: CODE, severity: 'warning', ...message(`attribute "${ref.attribute}" rule ${ref.index + 1} (${ref.name}) ${param.pattern}`, pattern, risk) });
    }
    // a rule box file of the pipeline's own (the built-ins are checked by the test suite)
    if (rule.file.startsWith(builtins) || seenFiles.has(rule.file)) continue;
    seenFiles.add(rule.file);
    for (const { re, offset } of regexLiterals(rule.source)) {
      const risk = regexRisk(re.source, re.flags);
      if (!risk) continue;
      const { line, column } = lineColumn(rule.source, offset);
      out.push({ file: displayPathOf(rule.file), line, column, pointer: ref.pointer, code: CODE, severity: 'warning', ...message(`rule box "${rule.name}"`, re.source, risk) });
    }
  }
  return out;
}
