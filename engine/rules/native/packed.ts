/**
 * Native versions of the rule boxes that read packed cells and pick items (rules/parse_pairs,
 * parse_list, nth): texts, numbers and booleans, plain lists of them, and objects. JSONata
 * sequences, nested lists, and keys a plain object cannot hold as its own (`__proto__`) return
 * NOT_NATIVE: the JSONata body decides.
 */
import { isBlank, isScalar, jsonataString, jsonataTrim, NOT_NATIVE, type NotNative } from './jsonata-like.js';
import type { NativeFactory } from './types.js';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isSequence = (v: unknown): boolean => (v as { sequence?: boolean }).sequence === true;

/** `$split($text, $separator)` without the pieces that are blank once trimmed. */
function pieces(text: string, separator: string): string[] {
  return text.split(separator).filter((p) => jsonataTrim(p) !== '');
}

/** One text of parse_pairs' body (`$parse`): its object, undefined when no pair has a key. */
function pairsOf(text: string, separator: string, keySeparator: string): Obj | undefined | NotNative {
  const keys: string[] = [];
  const values: string[] = [];
  for (const p of pieces(text, separator)) {
    const at = p.indexOf(keySeparator);
    if (at >= 0) {
      keys.push(jsonataTrim(p.slice(0, at)));
      values.push(p.slice(at + keySeparator.length));
    } else if (keys.length > 0) {
      values[values.length - 1] += separator + p;
    } else {
      keys.push(jsonataTrim(p));
      values.push('');
    }
  }
  let out: Obj | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k === '') continue;
    if (k === '__proto__') return NOT_NATIVE;
    out ??= {};
    out[k] = jsonataTrim(values[i]!);
  }
  return out;
}

/** rules/parse_pairs: "k=v,k=v" into an object; a list item by item; an object as it is. */
export const parsePairs: NativeFactory = (args) => {
  const { separator, key_separator: keySeparator } = args;
  if (typeof separator !== 'string' || typeof keySeparator !== 'string' || separator === '' || keySeparator === '') return undefined;
  const parse = (v: unknown): unknown => {
    if (isObject(v)) return v;
    if (!isScalar(v) || v === undefined) return NOT_NATIVE;
    return pairsOf(jsonataString(v), separator, keySeparator);
  };
  return (value) => {
    if (isBlank(value)) return undefined;
    if (!Array.isArray(value)) return parse(value);
    if (isSequence(value)) return NOT_NATIVE;
    const out: unknown[] = [];
    for (const item of value) {
      if (item === null || item === '') continue;
      if (Array.isArray(item)) return NOT_NATIVE;
      const parsed = parse(item);
      if (parsed === NOT_NATIVE) return NOT_NATIVE;
      if (parsed !== undefined) out.push(parsed);
    }
    return out;
  };
};

/** rules/parse_list: "a:b,c:d" with fields [x, y] into [{ x: a, y: b }, { x: c, y: d }]. */
export const parseList: NativeFactory = (args) => {
  const { fields, separator, field_separator: fieldSeparator } = args;
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string' && f !== '__proto__')) return undefined;
  if (typeof separator !== 'string' || typeof fieldSeparator !== 'string' || separator === '' || fieldSeparator === '') return undefined;
  const names = fields as string[];
  const n = names.length;
  const record = (text: string): Obj => {
    const parts = text.split(fieldSeparator);
    const out: Obj = {};
    for (let i = 0; i < n && i < parts.length; i++) {
      out[names[i]!] = jsonataTrim(i === n - 1 ? parts.slice(i).join(fieldSeparator) : parts[i]!);
    }
    return out;
  };
  return (value) => {
    let items: string[];
    if (isBlank(value)) items = [];
    else if (Array.isArray(value)) {
      if (isSequence(value)) return NOT_NATIVE;
      items = [];
      for (const item of value) {
        if (!isScalar(item) || item === undefined) return NOT_NATIVE;
        items.push(jsonataString(item));
      }
    } else if (isScalar(value)) items = jsonataString(value).split(separator);
    else return NOT_NATIVE;
    const records = items.filter((i) => jsonataTrim(i) !== '').map(record);
    return n > 0 && records.length > 0 ? records : undefined;
  };
};

/** rules/nth: the item at a 1-based position (negative: from the end); a non-list is a list of one. */
export const nth: NativeFactory = (args) => {
  const n = args.n;
  if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
  return (value) => {
    if (Array.isArray(value) && isSequence(value)) return NOT_NATIVE;
    const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
    const at = n >= 1 ? Math.floor(n - 1) : n <= -1 ? list.length + Math.floor(n) : -1;
    if (at < 0 || at >= list.length) return undefined;
    const item = list[at];
    // a list inside the list: JSONata's predicate flattens it into the result sequence
    return Array.isArray(item) || item === undefined ? NOT_NATIVE : item;
  };
};
