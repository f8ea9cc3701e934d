/**
 * HTML entities, as `$decodeHtmlEntities` decodes them: named (`&eacute;`) and numeric (`&#233;`,
 * `&#xE9;`) entities ending with ";", unknown or invalid ones left as written. Shared by the
 * custom function the rule bodies call and by the native strip_html, which decodes while it folds
 * whitespace (native/fold.ts), so both read an entity the same way.
 */
import { UnitReader } from './native/units.js';

/**
 * Named entities seen in French, German, Spanish and Italian catalogues (PrestaShop, WooCommerce,
 * Magento). Exported for the benchmark's pandas peer (bench/pandas), which decodes with this table.
 */
export const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', shy: '',
  eacute: 'é', egrave: 'è', ecirc: 'ê', euml: 'ë', Eacute: 'É', Egrave: 'È', Ecirc: 'Ê', Euml: 'Ë',
  aacute: 'á', agrave: 'à', acirc: 'â', auml: 'ä', atilde: 'ã', aring: 'å', aelig: 'æ',
  Aacute: 'Á', Agrave: 'À', Acirc: 'Â', Auml: 'Ä', Atilde: 'Ã', Aring: 'Å', AElig: 'Æ',
  iacute: 'í', igrave: 'ì', icirc: 'î', iuml: 'ï', Iacute: 'Í', Igrave: 'Ì', Icirc: 'Î', Iuml: 'Ï',
  oacute: 'ó', ograve: 'ò', ocirc: 'ô', ouml: 'ö', otilde: 'õ', oslash: 'ø', oelig: 'œ',
  Oacute: 'Ó', Ograve: 'Ò', Ocirc: 'Ô', Ouml: 'Ö', Otilde: 'Õ', Oslash: 'Ø', OElig: 'Œ',
  uacute: 'ú', ugrave: 'ù', ucirc: 'û', uuml: 'ü', Uacute: 'Ú', Ugrave: 'Ù', Ucirc: 'Û', Uuml: 'Ü',
  ccedil: 'ç', Ccedil: 'Ç', ntilde: 'ñ', Ntilde: 'Ñ', szlig: 'ß', yuml: 'ÿ', yacute: 'ý',
  euro: '€', pound: '£', cent: '¢', yen: '¥', deg: '°', micro: 'µ', para: '¶', sect: '§', middot: '·',
  copy: '©', reg: '®', trade: '™', laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›',
  ldquo: '“', rdquo: '”', bdquo: '„', lsquo: '‘', rsquo: '’', sbquo: '‚', hellip: '…',
  ndash: '–', mdash: '—', bull: '•', times: '×', divide: '÷', plusmn: '±', frac12: '½', frac14: '¼',
  frac34: '¾', sup2: '²', sup3: '³', iexcl: '¡', iquest: '¿', ordf: 'ª', ordm: 'º',
  thinsp: '\u2009', ensp: '\u2002', emsp: '\u2003', zwnj: '\u200c', zwj: '\u200d', minus: '−', prime: '′',
};

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The names by a hash of their characters: entityAt hashes the run of letters and digits while it
 * looks for its end, and finds a known name with one comparison, without reading the name again
 * or cutting it out of the text (descriptions carry dozens of entities). The comparison is exact:
 * `key` is the name's characters as digits of base 128 (every one is 48 or more, so names of
 * different lengths differ), exact in a double for names of up to 7 characters, and every name
 * of the table is shorter. Two names with one hash: the later one is found through the general
 * lookup, as an unknown name is.
 */
const HASH_SLOTS = 4095;
const KEYED_LENGTH = 7;
const BY_HASH: ({ key: number; text: string } | undefined)[] = new Array(HASH_SLOTS + 1).fill(undefined);
const nameHash = (h: number, c: number) => (Math.imul(h, 31) + c) & HASH_SLOTS;
for (const name of Object.keys(NAMED_ENTITIES)) {
  let h = 0;
  let key = 0;
  for (let k = 0; k < name.length; k++) {
    h = nameHash(h, name.charCodeAt(k));
    key = key * 128 + name.charCodeAt(k);
  }
  if (name.length <= KEYED_LENGTH) BY_HASH[h] ??= { key, text: NAMED_ENTITIES[name]! };
}

function codePoint(n: number, raw: string): string {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : raw;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
// [A-Za-z0-9] by code unit below 128: one load per character of a name instead of up to six comparisons
const NAME_CHARS = new Uint8Array(128);
for (let c = 0; c < 128; c++) NAME_CHARS[c] = isLetter(c) || isDigit(c) ? 1 : 0;
const isHexDigit = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/**
 * The entity entityAt found: where it ends and the text it stands for. One object, overwritten by
 * each call, so that finding an entity allocates nothing; read it before the next call.
 */
export interface EntityHit { end: number; text: string }
const hit: EntityHit = { end: 0, text: '' };

function found(end: number, text: string): EntityHit {
  hit.end = end;
  hit.text = text;
  return hit;
}

/**
 * The entity starting at `amp` (an "&") of `str`, whose code units are `units` (units.ts, the
 * unit after the text 0), as `/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/`
 * would match it there (the text of an unknown name or an invalid code point is the entity as
 * written), or undefined. A scan instead of that regex: a replace callback per entity cost more
 * than the rest of strip_html together. The answer is shared (EntityHit): read it at once.
 */
export function entityAt(units: Uint16Array, str: string, amp: number): EntityHit | undefined {
  const first = units[amp + 1]!;
  if (first === 35 /* # */) {
    let j = amp + 2;
    while (isDigit(units[j]!)) j++;
    if (j > amp + 2 && j - amp - 2 <= 7 && units[j] === 59 /* ; */) {
      return found(j + 1, codePoint(parseInt(str.slice(amp + 2, j), 10), str.slice(amp, j + 1)));
    }
    const x = units[amp + 2];
    if (x !== 120 && x !== 88) return undefined;
    j = amp + 3;
    while (isHexDigit(units[j]!)) j++;
    if (j > amp + 3 && j - amp - 3 <= 6 && units[j] === 59) {
      return found(j + 1, codePoint(parseInt(str.slice(amp + 3, j), 16), str.slice(amp, j + 1)));
    }
    return undefined;
  }
  if (!isLetter(first)) return undefined;
  let j = amp + 1;
  let h = 0;
  let key = 0;
  for (let c = first; c < 128 && NAME_CHARS[c] === 1; c = units[++j]!) {
    h = nameHash(h, c);
    key = key * 128 + c;
  }
  const length = j - amp - 1;
  if (length < 2 || length > 32 || units[j] !== 59) return undefined;
  const known = BY_HASH[h];
  if (known !== undefined && known.key === key && length <= KEYED_LENGTH) return found(j + 1, known.text);
  const name = str.slice(amp + 1, j);
  return found(j + 1, hasOwn.call(NAMED_ENTITIES, name) ? NAMED_ENTITIES[name]! : str.slice(amp, j + 1));
}

const reader = new UnitReader();

/** Decodes named (`&eacute;`) and numeric (`&#233;`, `&#xE9;`) entities; unknown ones stay as written. */
export function decodeHtmlEntities(str: unknown): unknown {
  if (typeof str !== 'string') return str;
  let amp = str.indexOf('&');
  if (amp < 0) return str;
  const units = reader.load(str);
  let out = '';
  let last = 0;
  while (amp >= 0) {
    const entity = entityAt(units, str, amp);
    if (entity === undefined) {
      amp = str.indexOf('&', amp + 1);
      continue;
    }
    out += str.slice(last, amp) + entity.text;
    last = entity.end;
    amp = str.indexOf('&', last);
  }
  return last === 0 ? str : out + str.slice(last);
}
