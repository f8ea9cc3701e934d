/**
 * Native rule boxes: the built-in rules/*.jsonata bodies most feeds run on every record, written
 * once more in plain TypeScript. A native runs only for the built-in file (a rule beside a
 * pipeline shadows it and keeps its own body), only with the fast path on, and hands any value it
 * does not model (NOT_NATIVE) to the JSONata body, so errors keep their codes and positions.
 * `manoflow test` and test/rules/native.test.ts compare every native with its body.
 */
import { join } from 'node:path';
import { builtinRulesDir } from '../loader.js';
import type { RuleBox } from '../types.js';
import { append, appendIfFits, defaultValue, prepend, set } from './affix.js';
import { capitalize, lowercase, trim, uppercase } from './case.js';
import { dedupeWords, removeBrackets, removeEmojis, replaceRegex } from './cleanup.js';
import { NOT_NATIVE } from './jsonata-like.js';
import { first, limitItems, split } from './lists.js';
import { nth, parseList, parsePairs } from './packed.js';
import { join as joinRule, replace, stripHtml, truncate } from './text.js';
import type { NativeFactory, NativeRule } from './types.js';
import { addVat, discount, ifThenElse, lookup, numberFormat, toNumber } from './values.js';

export { NOT_NATIVE } from './jsonata-like.js';
export type { NativeRule } from './types.js';

/** Rule name → native factory; the names are those of rules/*.jsonata. */
export const NATIVE_RULES: Readonly<Record<string, NativeFactory>> = {
  strip_html: stripHtml,
  truncate,
  replace,
  join: joinRule,
  number_format: numberFormat,
  to_number: toNumber,
  add_vat: addVat,
  lookup,
  if_then_else: ifThenElse,
  trim,
  uppercase,
  lowercase,
  default: defaultValue,
  set,
  prepend,
  append,
  capitalize,
  split,
  first,
  limit_items: limitItems,
  replace_regex: replaceRegex,
  remove_emojis: removeEmojis,
  discount,
  append_if_fits: appendIfFits,
  dedupe_words: dedupeWords,
  remove_brackets: removeBrackets,
  parse_pairs: parsePairs,
  parse_list: parseList,
  nth,
};

/** True when `rule` was loaded from the built-in folder (not shadowed by a user's file). */
function isBuiltin(rule: RuleBox): boolean {
  return rule.file === join(builtinRulesDir(), `${rule.name}.jsonata`);
}

/**
 * The native version of a bound rule box, or undefined (not built in, no native, or arguments it
 * does not model). A native that throws answers NOT_NATIVE: the body then decides.
 */
export function nativeRule(rule: RuleBox, args: Record<string, unknown>): NativeRule | undefined {
  const fn = unguardedNativeRule(rule, args);
  return fn === undefined ? undefined : guardedNative(fn);
}

/** `fn` answering NOT_NATIVE where it throws (nativeRule's guard, for a native already made). */
export function guardedNative(fn: NativeRule): NativeRule {
  return (value, record, vars) => {
    try {
      return fn(value, record, vars);
    } catch {
      return NOT_NATIVE;
    }
  };
}

/**
 * nativeRule without its guard: a throw escapes. Why: compiled mappings (runtime/mapping/compiled.ts)
 * guard a whole attribute's chain of natives with one try, not each call.
 */
export function unguardedNativeRule(rule: RuleBox, args: Record<string, unknown>): NativeRule | undefined {
  if (!Object.prototype.hasOwnProperty.call(NATIVE_RULES, rule.name) || !isBuiltin(rule)) return undefined;
  return NATIVE_RULES[rule.name]!(args);
}
