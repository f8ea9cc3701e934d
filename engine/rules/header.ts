/**
 * Reads the header comment of a rule box: `name: summary` and one `@param` line per parameter.
 * The header is the rule's documentation, its argument contract, and the source of rules/README.md.
 */
import { ManoflowError } from '../errors.js';
import { PARAM_TYPES, RuleFileError, fitsType, lineColumn, type RuleParam } from './types.js';

/** Names every rule evaluation binds itself; a parameter may not take them. */
export const RESERVED_BINDINGS = ['record', 'vars'];

export interface RuleHeader {
  summary: string;
  params: RuleParam[];
}

const PARAM_LINE = /^@param\s+([A-Za-z_][A-Za-z0-9_]*)\s+([a-z]+)(\?)?(?:\s+|$)([\s\S]*)$/;

/** Reads a JSON value at the start of `text`; returns it with the rest, or throws. */
function readJsonPrefix(text: string): { value: unknown; rest: string } {
  const t = text.trimStart();
  let end = 0;
  if (t[0] === '"') {
    end = 1;
    while (end < t.length && t[end] !== '"') end += t[end] === '\\' ? 2 : 1;
    end++;
  } else if (t[0] === '{' || t[0] === '[') {
    let depth = 0;
    let inString = false;
    for (; end < t.length; end++) {
      const c = t[end];
      if (inString) {
        if (c === '\\') end++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && --depth === 0) {
        end++;
        break;
      }
    }
  } else {
    const m = /^\S+/.exec(t);
    end = m ? m[0].length : 0;
  }
  return { value: JSON.parse(t.slice(0, end)), rest: t.slice(end).trim() };
}

const RANGE = /^in\s*([[(])\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*([\])])(?:\s+|$)/;

/**
 * The constraint written after the type and default: `in (0, 1)` (parentheses exclude the bound,
 * brackets include it) or `one of [JSON values]`; undefined when the text starts with neither.
 */
function readConstraint(text: string): { allowed: NonNullable<RuleParam['allowed']>; rest: string } | 'malformed' | undefined {
  if (text.startsWith('one of')) {
    try {
      const { value, rest } = readJsonPrefix(text.slice('one of'.length));
      if (!Array.isArray(value) || value.length === 0) return 'malformed';
      return { allowed: { oneOf: value }, rest };
    } catch {
      return 'malformed';
    }
  }
  if (!/^in\s*[[(]/.test(text)) return undefined;
  const m = RANGE.exec(text);
  if (!m) return 'malformed';
  const min = Number(m[2]);
  const max = Number(m[3]);
  if (!(min < max)) return 'malformed';
  return { allowed: { min, max, openMin: m[1] === '(', openMax: m[4] === ')' }, rest: text.slice(m[0].length).trim() };
}

/** True when a (typed) value satisfies the parameter's constraint, or when it has none. */
export function allows(param: RuleParam, value: unknown): boolean {
  const a = param.allowed;
  if (a === undefined) return true;
  if ('oneOf' in a) return a.oneOf.some((v) => v === value);
  if (typeof value !== 'number') return true; // the type check speaks for other values
  return (a.openMin ? value > a.min : value >= a.min) && (a.openMax ? value < a.max : value <= a.max);
}

/** The constraint as the header writes it: `in (0, 1)`, `one of ["auto", ","]`. */
export function describeAllowed(param: RuleParam): string {
  const a = param.allowed;
  if (a === undefined) return '';
  if ('oneOf' in a) return `one of ${a.oneOf.map((v) => JSON.stringify(v)).join(', ')}`;
  return `in ${a.openMin ? '(' : '['}${a.min}, ${a.max}${a.openMax ? ')' : ']'}`;
}

/**
 * Parses the leading `/** ... *\/` comment. Throws RuleFileError CFG_RULE_SYNTAX (with the line)
 * when it is missing, names another rule, or has a malformed `@param`.
 */
export function parseRuleHeader(source: string, name: string, file: string): RuleHeader {
  const start = source.search(/\S/);
  if (start < 0 || !source.startsWith('/**', start)) {
    const where = lineColumn(source, Math.max(start, 0));
    throw new RuleFileError('CFG_RULE_SYNTAX', file, where.line, where.column, `rule box "${name}" has no header comment`, {
      hint: `start the file with /**\n * ${name}: what it does.\n * @param <name> <type> <description>\n */`,
    });
  }
  const end = source.indexOf('*/', start + 3);
  if (end < 0) {
    const where = lineColumn(source, start);
    throw new RuleFileError('CFG_RULE_SYNTAX', file, where.line, where.column, 'header comment is not closed with */');
  }
  // Lines of the comment body, each with its 1-based line number in the file.
  const firstLine = lineColumn(source, start).line;
  const lines = source
    .slice(start + 3, end)
    .split('\n')
    .map((text, i) => ({ line: firstLine + i, text: text.replace(/^\s*\*?\s?/, '').trimEnd() }));

  const summaryParts: string[] = [];
  const params: RuleParam[] = [];
  let current: RuleParam | undefined;
  let sawName = false;
  for (const { line, text } of lines) {
    const fail = (message: string, hint?: string): never => {
      throw new RuleFileError('CFG_RULE_SYNTAX', file, line, 1, message, { hint });
    };
    if (text.startsWith('@param')) {
      const m = PARAM_LINE.exec(text);
      if (!m) fail(`malformed @param line: ${text}`, '@param <name> <type>[?] [= <JSON default>] <description>');
      const [, pname, ptype, question, tail] = m!;
      if (!(PARAM_TYPES as readonly string[]).includes(ptype!)) fail(`unknown parameter type "${ptype}"`, `use one of: ${PARAM_TYPES.join(', ')}`);
      if (RESERVED_BINDINGS.includes(pname!)) fail(`parameter name "${pname}" is reserved ($${pname} is bound by manoflow)`);
      if (params.some((p) => p.name === pname)) fail(`parameter "${pname}" is declared twice`);
      current = { name: pname!, type: ptype!, optional: question === '?', description: tail!.trim() };
      if (tail!.trimStart().startsWith('=')) {
        try {
          const { value, rest } = readJsonPrefix(tail!.trimStart().slice(1));
          if (!fitsType(value, ptype!) && value !== null) fail(`default of "${pname}" is not a ${ptype}`);
          current.default = value;
          current.optional = true;
          current.description = rest;
        } catch (err) {
          if (err instanceof ManoflowError) throw err;
          fail(`default of "${pname}" is not valid JSON`, 'write strings in double quotes: = "…"');
        }
      }
      const constraint = readConstraint(current.description);
      if (constraint === 'malformed') {
        fail(`malformed constraint of "${pname}": ${current.description.split(/\s+/).slice(0, 4).join(' ')}`,
          'write `in (0, 1)` or `in [0, 10]` (a number interval, brackets include the bound) or `one of ["a", "b"]`');
      } else if (constraint) {
        if ('oneOf' in constraint.allowed ? false : ptype !== 'number') fail(`"in (…)" applies to number parameters, not to "${pname}" (${ptype})`);
        current.allowed = constraint.allowed;
        current.description = constraint.rest;
        if (current.default !== undefined && current.default !== null && !allows(current, current.default)) fail(`default of "${pname}" is outside its own constraint`);
      }
      params.push(current);
    } else if (text.startsWith('@')) {
      fail(`unknown header tag: ${text.split(/\s/)[0]}`, 'only @param is recognised');
    } else if (current) {
      if (text) current.description = `${current.description} ${text}`.trim();
    } else if (text) {
      if (!sawName) {
        const m = /^([A-Za-z0-9_]+)\s*:\s*(.*)$/.exec(text);
        if (!m) fail(`header must start with "${name}: <summary>"`);
        if (m![1] !== name) fail(`header names "${m![1]}" but the file is ${name}.jsonata`);
        sawName = true;
        if (m![2]) summaryParts.push(m![2]);
      } else summaryParts.push(text);
    }
  }
  if (!sawName) {
    const where = lineColumn(source, start);
    throw new RuleFileError('CFG_RULE_SYNTAX', file, where.line, where.column, `header must start with "${name}: <summary>"`);
  }
  return { summary: summaryParts.join(' '), params };
}
