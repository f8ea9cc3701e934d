// Random and malformed markup for the differential fuzzer of the text rule boxes (rules-fuzz.mjs):
// well-formed and broken tags, comments, CDATA, script and style, attributes with ">" in quotes,
// entities with and without ";", numeric entities (valid, zero, surrogate, out of range), astral
// characters, lone surrogates, whitespace of every kind, and tags cut into entities ("&am<b>p;").
// Deterministic: the same seed gives the same text on every machine.

export { prng } from '../../examples/data/random.mjs';

// Every character JavaScript's \s matches, and a few look-alikes it does not (U+0085, U+180E, U+200B).
export const WHITESPACE = [' ', '  ', '\t', '\n', '\r\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u2002', '\u2003', '\u2009', '\u200a',
  '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', '\u180e', '\u200b', ' \n ', '\n\n', ' - '];

const WORDS = ['Perceuse', 'visseuse', 'a', 'x', 'Bosch', '18V', 'Idéal', 'ÉCLAIRAGE', '2,5', 'm²', '-', '–', '—', ',', ';', ':', '.', '"', "'", '=', '/', '_',
  '🔨', '👍🏽', '❤️', '\uD83D', '\uDC00', 'x\uD83D', '\uDE00y', 'ß', 'İ', 'ſ', 'K', '0', '12', 'li', 'br', 'p', 'script', 'style', 'b', '#', ']]', '!', '?', '-->'];

const TAG_NAMES = ['p', 'P', 'div', 'DIV', 'ul', 'ol', 'li', 'LI', 'h1', 'h6', 'h7', 'H3', 'tr', 'table', 'td', 'th', 'TD', 'section', 'article', 'blockquote',
  'br', 'BR', 'Br', 'strong', 'b', 'em', 'span', 'a', 'img', 'pre', 'lix', 'li-x', 'p_', 'p1', 'divx', 'thead', 'tbody', 'script', 'style', 'SCRIPT', 'Style',
  'scripts', 'style2', 'x', 'q', 'blockquotes', 'sectio', 'font', 'hr', 'ttable', 'trx', 'h', 'h0'];

const ATTRIBUTES = ['', ' ', ' class="desc"', ' id=x', ' title="a > b"', " data-x='1>2'", ' style="color:red"', ' /', '/', ' \n', '\t', ' href="?a=1&amp;b=2"',
  ' alt="<b>"', ' a=">"', '  ', ' onclick="x<y"', ' ', '\u00a0'];

const ENTITIES = ['&amp;', '&amp', '&lt;', '&gt;', '&quot;', '&eacute;', '&Eacute;', '&EACUTE;', '&eacute', '&nbsp;', '&nbsp', '&shy;', '&thinsp;', '&ensp;',
  '&emsp;', '&zwnj;', '&hellip;', '&euro;', '&frac12;', '&sup2;', '&#233;', '&#233', '&#xE9;', '&#XE9;', '&#xe9', '&#x E9;', '&#0;', '&#00;', '&#xD800;',
  '&#55357;', '&#x110000;', '&#1114111;', '&#12345678;', '&#1234567;', '&#x1F528;', '&#128296;', '&#10;', '&#13;', '&#9;', '&#32;', '&#160;', '&#x2003;',
  '&#x2028;', '&#xFEFF;', '&#45;', '&#x2D;', '&bogus;', '&a;', '&ab;', `&${'a'.repeat(32)};`, `&${'a'.repeat(33)};`, '&constructor;', '&__proto__;',
  '&toString;', '&', '&#', '&#x', '&;', '&&amp;', '&amp;amp;', '&amp;eacute;', '&#38;', '&#x26;lt;'];

const COMMENTS = ['<!--', '-->', '<!-- x -->', '<!---->', '<!--->', '<!-->', '<!-- <p> -->', '<!-- > -->', '--', '<!-', '<!DOCTYPE html>', '<![CDATA[', ']]>',
  '<![CDATA[x<p>y]]>', '<?xml version="1.0"?>', '<!>'];

const RAW = ['<', '>', '</', '< p>', '</ p>', '<1>', '<_>', '<<', '>>', '<>', '</>', '<-', '<=', 'a<b', 'x < 10', '5<10', 'a > b', '<@x>', '</ script>',
  '</script >', '</script\n>', '</style>', '</SCRIPT>', '<script', '</scr', '<br', '<br/', '<li', '/>'];

// Tame texts leave out what sends strip_html to its literal passes (comments, script and style, a
// tag start inside a tag): they test its one-pass scan, hostile texts the rest.
const TAME_TAG_NAMES = TAG_NAMES.filter((n) => !/^(script|style)$/i.test(n));
const TAME_RAW = RAW.filter((r) => !/<\/?[A-Za-z]/.test(r));

/** One random piece of markup or text. */
function piece(random, tame) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const r = random();
  if (r < 0.22) return pick(WORDS);
  if (r < 0.36) return pick(WHITESPACE);
  if (r < 0.52) return pick(ENTITIES);
  if (r < 0.78) {
    // a tag: "<" [/] name attributes [/] [">"], now and then left open
    const closing = random() < 0.35 ? '/' : '';
    const selfClose = random() < 0.15 ? pick(['/', ' /', '/ ', ' / ', '\n/', '//']) : '';
    const end = tame || random() < 0.9 ? '>' : '';
    return `<${closing}${pick(tame ? TAME_TAG_NAMES : TAG_NAMES)}${random() < 0.5 ? '' : pick(ATTRIBUTES)}${selfClose}${end}`;
  }
  if (r < 0.87) return tame ? pick(ENTITIES) : pick(COMMENTS);
  if (r < 0.95) return pick(tame ? TAME_RAW : RAW);
  // an entity with a tag cut into it: the tag passes may join it back
  const entity = pick(ENTITIES);
  const at = 1 + Math.floor(random() * Math.max(1, entity.length - 1));
  return entity.slice(0, at) + pick(tame ? ['<b>', '</span>', '<br>', '<p>', '<x y=">">'] : ['<b>', '</span>', '<br>', '<p>', '<!---->', '<x y=">">']) + entity.slice(at);
}

const MUTANTS = ['<', '>', '/', '!', '-', '&', ';', '#', '"', "'", ' ', '\n', '\u00a0', 'p', 'x', '\uD83D'];

/**
 * A random text of markup: 0 to `maxPieces` pieces, half of the texts tame (see above); then, for
 * one hostile text in three, a few characters deleted, doubled or inserted (markup broken in
 * places no list of pieces foresees).
 */
export function markupText(random, maxPieces = 24) {
  const tame = random() < 0.5;
  const n = Math.floor(random() * (maxPieces + 1));
  let s = '';
  for (let k = 0; k < n; k++) s += piece(random, tame);
  if (s.length > 0 && !tame && random() < 0.33) {
    const edits = 1 + Math.floor(random() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(random() * s.length);
      const kind = random();
      if (kind < 0.33) s = s.slice(0, at) + s.slice(at + 1);
      else if (kind < 0.66) s = s.slice(0, at) + s.charAt(at) + s.slice(at);
      else s = s.slice(0, at) + MUTANTS[Math.floor(random() * MUTANTS.length)] + s.slice(at);
    }
  }
  return s;
}
