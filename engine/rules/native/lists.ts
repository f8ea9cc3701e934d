/**
 * Native versions of the list rule boxes (rules/split, first, limit_items): a separated text or a
 * plain list of scalars, items trimmed with JSONata's $trim and empty ones (null, "") dropped.
 * Nested lists, objects and JSONata sequences return NOT_NATIVE: $map, $filter and the array
 * constructor flatten or unwrap them in ways not modelled here.
 */
import { isBlank, isScalar, jsonataString, jsonataTrim, NOT_NATIVE, type NotNative } from './jsonata-like.js';
import type { NativeFactory } from './types.js';

/**
 * `[$filter($map($items, trim texts), function($i) { $i != null and $i != "" })]` on a plain list;
 * `max` keeps only the first items left (limit_items' `$n < $max`).
 */
function cleanItems(items: unknown[], max = Infinity): unknown[] | NotNative {
  if ((items as { sequence?: boolean }).sequence === true) return NOT_NATIVE;
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i++) {
    let item = items[i];
    if (typeof item === 'string') item = jsonataTrim(item);
    else if (item !== null && typeof item !== 'boolean' && !(typeof item === 'number' && Number.isFinite(item))) return NOT_NATIVE;
    if (item !== null && item !== '' && out.length < max) out.push(item);
  }
  return out;
}

/** rules/split: a scalar cut on the separator (or a plain list) into its trimmed, non-empty items. */
export const split: NativeFactory = (args) => {
  const separator = args.separator;
  if (typeof separator !== 'string') return undefined;
  return (value) => {
    if (isBlank(value)) return value;
    if (Array.isArray(value)) return cleanItems(value);
    // `$split($string($), $separator)`: a number or a boolean is cut as its text; objects are JSON
    if (!isScalar(value)) return NOT_NATIVE;
    return cleanItems(jsonataString(value).split(separator));
  };
};

/** The first text of `parts` not empty once trimmed (`$pick`), or undefined when there is none. */
function firstPart(parts: string[]): string | undefined {
  for (let i = 0; i < parts.length; i++) {
    const t = jsonataTrim(parts[i]!);
    if (t !== '') return t;
  }
  return undefined;
}

/** rules/first: the first trimmed, non-empty item of a list or of a text cut on "#", "|" or ",". */
export const first: NativeFactory = (args) => {
  const separator = args.separator;
  if (separator !== undefined && separator !== null && typeof separator !== 'string') return undefined;
  const fixed = typeof separator === 'string' ? separator : undefined;
  return (value) => {
    if (isBlank(value)) return value;
    if (Array.isArray(value)) {
      const kept = cleanItems(value, 1);
      return kept === NOT_NATIVE ? kept : kept[0];
    }
    if (typeof value !== 'string') return isScalar(value) ? value : NOT_NATIVE;
    const sep = fixed ?? (value.includes('#') ? '#' : value.includes('|') ? '|' : value.includes(',') ? ',' : undefined);
    return sep === undefined ? jsonataTrim(value) : firstPart(value.split(sep));
  };
};

/** rules/limit_items: the first `max` non-empty items, a list staying a list and a text a text. */
export const limitItems: NativeFactory = (args) => {
  const { max, separator } = args;
  if (typeof max !== 'number' || typeof separator !== 'string') return undefined;
  // `$n < $max` on the positions 0, 1, ...: how many items that keeps
  const count = max > 0 ? Math.ceil(max) : 0;
  return (value) => {
    if (isBlank(value)) return value;
    if (Array.isArray(value)) return cleanItems(value, count);
    if (typeof value !== 'string') return isScalar(value) ? value : NOT_NATIVE;
    const kept = cleanItems(value.split(separator), count) as string[];
    return kept.join(separator);
  };
};
