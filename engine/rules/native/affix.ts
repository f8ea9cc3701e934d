/**
 * Native versions of the rule boxes that fill or extend a value (rules/default, set, prepend,
 * append, append_if_fits): scalars only; a list or an object returns NOT_NATIVE wherever the body
 * would turn it into text (`$string` of a list is JSON) or hand it on (sequences unwrap).
 */
import { codePointLength, isBlank, isScalar, jsonataString, NOT_NATIVE } from './jsonata-like.js';
import type { NativeFactory } from './types.js';

// `$trim($) = ""`: JSONata's $trim empties a text exactly when it holds only spaces, tabs, CR and LF
const TRIMS_TO_EMPTY = /^[ \t\n\r]*$/;

/** A plain list (not a JSONata sequence, which the interpreter would unwrap when handed back). */
function isPlainList(v: unknown): v is unknown[] {
  return Array.isArray(v) && (v as { sequence?: boolean }).sequence !== true;
}

/** rules/default: the value for null, missing, blank text or an empty plain list (`defaultValue`: `default` is a keyword). */
export const defaultValue: NativeFactory = (args) => {
  const fallback = args.value;
  if (!isScalar(fallback)) return undefined;
  return (value) => {
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string') return TRIMS_TO_EMPTY.test(value) ? fallback : value;
    if (isPlainList(value)) return value.length === 0 ? fallback : value;
    return isScalar(value) ? value : NOT_NATIVE;
  };
};

/** rules/set: the fixed value whatever comes in; a list or object value keeps the body. */
export const set: NativeFactory = (args) => {
  const fixed = args.value;
  if (!isScalar(fixed)) return undefined;
  return () => fixed;
};

/** prepend (`$text & $separator & $string($)`) and append (the other way round) share their body. */
function affix(before: boolean): NativeFactory {
  return (args) => {
    const { text, separator, only_if_not_empty: onlyIfNotEmpty } = args;
    if (typeof text !== 'string' || typeof separator !== 'string' || typeof onlyIfNotEmpty !== 'boolean') return undefined;
    const head = text + separator;
    const tail = separator + text;
    return (value) => {
      if (!isScalar(value)) return NOT_NATIVE;
      if (text === '') return value;
      if (isBlank(value)) return onlyIfNotEmpty ? value : text;
      return before ? head + jsonataString(value) : jsonataString(value) + tail;
    };
  };
}

/** rules/prepend: text before a scalar ($string formatting of numbers), blank values per only_if_not_empty. */
export const prepend: NativeFactory = affix(true);

/** rules/append: text after a scalar ($string formatting of numbers), blank values per only_if_not_empty. */
export const append: NativeFactory = affix(false);

/** rules/append_if_fits: the text when the result stays within max_length code points, else the value. */
export const appendIfFits: NativeFactory = (args) => {
  const { text, max_length: max, separator } = args;
  if (typeof text !== 'string' || typeof max !== 'number' || typeof separator !== 'string') return undefined;
  const tail = separator + text;
  return (value) => {
    if (!isScalar(value)) return NOT_NATIVE;
    if (isBlank(value) || text === '') return value;
    const result = jsonataString(value) + tail;
    // `$substring($result, 0, $max_length) = $result`: the first max_length code points are all of it
    return max > 0 && codePointLength(result) <= max ? result : value;
  };
};
