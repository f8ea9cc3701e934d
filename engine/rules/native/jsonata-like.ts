/**
 * JSONata's own semantics for the few builtins the native rule boxes need, copied from jsonata.js
 * 2.2.2 so that a native answers exactly what the rule's JSONata body would.
 */
import type { NativeRule } from './types.js';

/** The answer that means "not handled here: evaluate the rule's JSONata body". */
export const NOT_NATIVE: unique symbol = Symbol('manoflow.notNative');
export type NotNative = typeof NOT_NATIVE;

/** JSONata `$trim`: runs of space, tab, CR, LF become one space, then one space is dropped at each end. */
export function jsonataTrim(str: string): string {
  let r = /[\t\n\r]| {2}/.test(str) ? str.replace(/[ \t\n\r]+/g, ' ') : str;
  if (r.charCodeAt(0) === 32) r = r.substring(1);
  if (r.charCodeAt(r.length - 1) === 32) r = r.substring(0, r.length - 1);
  return r;
}

const JSON_NUMBER = /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/;

/** JSONata `$number` of a text in decimal notation; NOT_NATIVE for anything it would treat otherwise. */
export function jsonataNumber(text: string): number | NotNative {
  if (!JSON_NUMBER.test(text)) return NOT_NATIVE;
  const n = parseFloat(text);
  return Number.isFinite(n) ? n : NOT_NATIVE;
}

/** Values a native passes through or returns as is: JSONata gives them back unchanged too. */
export function isScalar(v: unknown): v is string | number | boolean | null | undefined {
  return v === undefined || v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** JSONata counts code points (`$substring`, `$length`); a text without surrogates counts as its UTF-16 length. */
export function hasSurrogates(s: string): boolean {
  return SURROGATE.test(s);
}

/** The rule bodies' "empty" test: `$v = null or $v = "" or $not($exists($v))`. */
export function isBlank(v: unknown): v is null | '' | undefined {
  return v === undefined || v === null || v === '';
}

/** JSONata `$string` of a scalar: numbers keep 15 significant digits (not integers), null is "null". */
export function jsonataString(v: string | number | boolean | null): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  return String(v);
}

/** JSONata's count of characters (`$length`, `$substring`): code points, a lone surrogate counting as one. */
export function codePointLength(s: string): number {
  if (!hasSurrogates(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * `[$map($, $one)]` on a plain list of scalars: strings go through `one` (an undefined answer is
 * dropped, as $map drops it), null, booleans and numbers stay. NOT_NATIVE for a JSONata sequence,
 * nested lists, objects or holes, which $map and the array constructor flatten or treat otherwise.
 */
export function mapStrings(list: unknown[], one: (s: string) => unknown): unknown[] | NotNative {
  if ((list as { sequence?: boolean }).sequence === true) return NOT_NATIVE;
  const out: unknown[] = [];
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (typeof item === 'string') {
      const r = one(item);
      if (r === NOT_NATIVE) return NOT_NATIVE;
      if (r !== undefined) out.push(r);
    } else if (item === null || typeof item === 'boolean' || (typeof item === 'number' && Number.isFinite(item))) {
      out.push(item);
    } else {
      return NOT_NATIVE;
    }
  }
  return out;
}

/** The bodies' shape `$type($) = "array" ? [$map($, $one)] : $one($)`, `$one` leaving non-texts alone. */
export function eachText(one: (s: string) => unknown): NativeRule {
  return (value) => {
    if (typeof value === 'string') return one(value);
    if (Array.isArray(value)) return mapStrings(value, one);
    return isScalar(value) ? value : NOT_NATIVE;
  };
}
