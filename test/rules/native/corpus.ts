/**
 * The input corpus of the native rule box tests: typical feed values, the edge cases JSONata
 * treats specially, every cell of a generated catalogue, and seeded random mixes of the pieces
 * the rule bodies look for (tags, entities, whitespace kinds, separators, surrogates). It comes in
 * kinds (CorpusKind) so that native.test.ts can run the hand-picked ones whole under every
 * argument set and share the large generated ones out among a rule's argument sets.
 */
import { prng } from '../../helpers/prng.js';

const EDGE: unknown[] = [
  undefined, null, '', ' ', '  ', 'a', '  Scie  circulaire  ', '\tTab\nnew\r\nline\r', 'a\u00a0b\u202fc', '\u2028x\u2029', '\ufeffBOM',
  '🔨 Marteau', 'x\uD83D', 'É', 'oui', 'OUI', ' Oui ', 'non', 'NO', 'false', '0', '0.0', '1', 'rouge', 'Rouge', ' rouge ', 'ROUGE', 'Bleu ', 'true',
  'toString', '__proto__', 'constructor', 'n', 'vert',
  '12,5', '1 234,50', '1.234,50', '1,234.50', ' 12.5 ', '59,99 €', '€5', 'EUR', '-0', '-0,001', '-3,335', '1e5', '1E-7', '0x10', '1,234,567',
  '1.234.567', '12.', '.5', '+3', '5', '5.0', 'abc', '12abc', '1\u00a0234,5', "1'234.5", '9'.repeat(400),
  // one separator and three digits (ambiguous under auto), groups that are not thousands, both marks
  '1,234', '1.234', '-1,500', '999.999 €', '0,125', '1234,567', '1,2,3', '12,34.5', '1.234,5', '1,234.5', '1.2.3,4', '1,5e3',
  0, -0, 5, 12.5, -3.335, 1e21, 123456789.123, 0.1 + 0.2, 2.675, 1e15, 1.5e-7, 999.995, true, false,
  // halves on the decimal text, float noise after VAT (4.75 * 1.2), the number fast paths' edges (engine/rules/numbers.ts)
  '1.005', '2,675', '-2,675', '1,0049', '0,045', '4,75', '99999999999999.9', '123456789012345', '1234567890123456', '007,50',
  1.005, -1.005, -2.5, 0.5, 0.045, 4.75, 5.699999999999999, 1e-7, -1e-7, 4503599627370495.5, 2 ** 53, 1.7976931348623157e308,
  ['a', ' b ', '', null], ['', ' '], [], ['x'], [1, 2], [true], [['nested']], { a: 1 }, ['<p>a</p>', 'b&amp;c'],
  '<p>Perceuse &agrave; percussion <strong>750&nbsp;W</strong></p><p>Id&eacute;ale pour le b&eacute;ton &amp; la brique.</p>',
  '<ul>\n<li>Longueur&#160;: 2,5&nbsp;m</li>\n<li>Diam&#xE8;tre : 12&#8239;mm</li>\n</ul>',
  '<style>.x{color:red}</style><!-- promo --><div class="desc">Tuyau d&#039;arrosage 25&nbsp;m</div><script>alert(1)</script>',
  '<h2>Points forts</h2><ul><li>L&eacute;g&egrave;re</li><li>Sans fil</li></ul><p>Livr&eacute;e avec 2 batteries<br/>et un chargeur</p>',
  'Utiliser &lt;b&gt; avec soin', '<p></p>', '<li>-</li>', '<br>', '&#0; &#xD800; &bogus; &amp', '<table><tr><td>a</td><th>b</th></tr></table>',
  'Scie - sauteuse, 18V; pro: — lame–', 'word1 word2 word3 word4 word5', 'averyveryverylongwordwithoutspaces and more', '2-3', '-', '--', 'a-b-c',
  // emojis, brackets, repeated words, separated lists, case changes that change the length
  'Super promo 🔥🔥 -20 %', '👍🏽 top', '1️⃣ un', '🇫🇷 France', '© ® ™ ° €', '❤️‍🔥', '#️⃣', 'Perceuse (réf. 123) [promo] {x}',
  'Scie (lame (bois) incluse) 600 W', '((a)', 'a ( b ) , c', 'x (y) .', '(((((((a)))))))', '<a> «b» |c|', 'a\\b/ ^x$ .y-',
  'Perceuse Bosch perceuse BOSCH 18V', 'Vis de de fixation de terrasse', '« Bosch » bosch', 'a - a', '1 1 1', 'Ça ça ÇA', 'x\u00a0x x',
  'img1.jpg#img2.jpg', ' | a | b', 'a,b,,c', '#', '##a', 'a#b#c#d#e', 'a|b,c#d', ' , ', 'perceuse-visseuse/sans fil', 'ßtraße', 'ǆemal',
  'İstanbul', 'ﬁn', '  \t ', '\n\n', 'a\n\n b \r\n', [1, 'a', true, null, ' '], [' #a ', 'b#c'], [0, -0, false], [null, null], [''],
  ['🔥 x', 'Perceuse (a)'], [{ a: 1 }, 'x'], ['x', ['y']], [-0.5, 2.675],
  // packed cells (parse_pairs, parse_list): Magento additional_attributes and variations, PrestaShop attributes
  'color=Black,size=M', ' color = Black , size =M ', 'material=Cotton, Polyester,size=M', 'featured,color=Red', 'a=1,,=x, ,b=2', 'k=v=w',
  'sku=MH01-XS-Black,size=XS|sku=MH01-XS-Gray,size=XS', '__proto__=x,a=1', 'Color:color:0,Size:select:1', 'Red:0, Blue : 1', 'Front:https://cdn.example.fr/a.jpg',
  ['sku=A,color=Black', 'sku=B,color=Gray'], ['Red:0', 'Blue:1'], [{ size: 'S' }, { size: 'M' }], ['sku=A', null, '', 'x'],
];

const PIECES = ['<p>', '</p>', '<li>', '</li>', '<br/>', '<BR >', '<b>', '<!-- c -->', '<td>', '&eacute;', '&#233;', '&amp;', '&nbsp;', '&lt;',
  ' ', '  ', '\t', '\n', '\r\n', '\u00a0', ',', ';', ':', '-', '–', '—', '.', '€', 'a', 'mot', 'Perceuse', 'É', '1', '2,5', '🔨', 'oui', 'rouge', '$1',
  '#', '|', '(', ')', '[', ']', '{', '}', '/', '🔥', '❤️', '👍🏽', 'Bosch', 'bosch', 'BOSCH', 'de', 'ß', 'x\uD83D'];

/**
 * What the one-pass fold (engine/rules/native/fold.ts) treats apart: a text written as a slice of
 * its input (single spaces only, no entity) or unit by unit into a buffer (one byte a character
 * or two), entities at the ends of the pieces between tags and across a vanishing tag, every kind
 * of whitespace written or as an entity next to text, entities and tags, astral characters and
 * lone surrogates (raw and as entities), and texts long enough to grow the buffer.
 */
const FOLD_PIECES = [' ', ' ', '  ', '\t', '\n', '\r\n', '\u000b', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f',
  '\u3000', '\ufeff', '&nbsp;', '&#32;', '&#10;', '&#13;', '&#x2028;', '&thinsp;', '&emsp;', '&shy;', '&#128512;', '&#x1F528;', '&#xD83D;', '&#0;',
  '&eacute;', '&ndash;', '&amp;', '&quot;', '&sup3;', '&Oslash;', '&amp;eacute;', '&bogus;', '&', '&am', 'p;', '&#', '&#x', '233;', 'eacute;', '&eacute',
  '<b>', '</b>', '<strong>', '</p>', '<p>', '<br>', '<br/>', '<li>', '</li>', '<td>', '<ul>', '<x y="a>b">', '-', '–', 'Ā', 'É', 'é', '😀', '\uD83D',
  '\uDE00', 'x', 'mot', 'Perceuse', '46 cm', 'a b', '.', ',', ';', '\u0001', '~', '\u007f', '\u0080', '\u00ff', '\u0100'];

/** 600 seeded mixes of FOLD_PIECES, and texts longer than the fold's first buffer (1,024 units; longer ones: fold-long.test.ts). */
function foldEdges(): string[] {
  const random = prng(15);
  const texts: string[] = [];
  for (let i = 0; i < 600; i++) {
    let s = '';
    const n = 1 + Math.floor(random() * 16);
    for (let k = 0; k < n; k++) s += FOLD_PIECES[Math.floor(random() * FOLD_PIECES.length)];
    texts.push(s);
  }
  const description = '<p><strong>Ryobi</strong> &ndash; Tondeuse tract&eacute;e 46 cm.&nbsp;Id&eacute;al &quot;pro&quot;.</p><ul><li>Moteur 140 cm&sup3;</li></ul> ';
  texts.push(description.repeat(20), 'Marteau de coffreur '.repeat(80), 'Tract&eacute;e '.repeat(100));
  return texts;
}

/**
 * One kind of value of the corpus. `whole`: hand-picked or few (edge cases, long texts, a
 * catalogue column of a few distinct values), checked under every argument set; otherwise a large
 * generated kind, which native.test.ts shares out among a rule's argument sets.
 */
export interface CorpusKind { name: string; whole: boolean; values: unknown[] }

/** A kind of this many values or fewer is checked whole: sharing it out could leave an argument set none of it. */
const FEW = 24;

/**
 * A key equal for exactly equal values only (same type, same text, -0 apart from 0, lists and
 * objects item by item and key by key in order, a hole or undefined apart from null).
 */
function exactKey(v: unknown): string {
  if (typeof v === 'string') return `s${JSON.stringify(v)}`;
  if (typeof v === 'number') return Object.is(v, -0) ? 'n-0' : `n${v}`;
  if (Array.isArray(v)) return `[${Array.from(v, exactKey).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${exactKey(x)}`).join(',')}}`;
  return String(v);
}

/**
 * EDGE; the distinct cells of `csv` by their place in the line (split naively on ";": quoting does
 * not matter here, a description's ";" only shifts the places after it); 1,500 random mixes and
 * 400 lists of them; 600 prices; the fold's edges. A value equal to one of an earlier kind (or
 * earlier in its kind) is left out: it would be checked twice.
 */
export function corpus(csv: string): CorpusKind[] {
  const columns: Set<string>[] = [];
  for (const line of csv.split('\n')) {
    line.split(';').forEach((cell, place) => (columns[place] ??= new Set()).add(cell.replace(/^"|"$/g, '')));
  }
  const random = prng(6);
  const mixes: string[] = [];
  for (let i = 0; i < 1500; i++) {
    let s = '';
    const n = Math.floor(random() * 14);
    for (let k = 0; k < n; k++) s += PIECES[Math.floor(random() * PIECES.length)];
    mixes.push(s);
  }
  const lists = mixes.slice(0, 200).map((s, i) => [s, mixes[i + 200]!, i % 3 === 0 ? null : ' ']);
  // lists of 0 to 5 items, now and then a number or a boolean among the texts
  const varied = mixes.slice(400, 600).map((s, i) => {
    const items: unknown[] = [];
    for (let k = 0; k < i % 6; k++) items.push(k === 2 && i % 4 === 0 ? (i % 8 === 0 ? 12.5 : true) : mixes[600 + ((i * 5 + k) % 900)]!);
    return i % 2 === 0 ? items : [s, ...items];
  });
  // prices with 0 to 3 decimals as texts (either mark) and numbers, some negative
  const prices: unknown[] = [];
  for (let i = 0; i < 300; i++) {
    const places = i % 4;
    const n = ((random() < 0.2 ? -1 : 1) * Math.floor(random() * 10 ** (2 + (i % 6)))) / 10 ** places;
    prices.push(n, i % 2 === 0 ? String(n) : String(n).replace('.', ','));
  }
  const fold = foldEdges();
  const kinds: CorpusKind[] = [
    { name: 'edge cases', whole: true, values: EDGE },
    ...columns.map((cells, place) => ({ name: `catalogue cells at place ${place + 1}`, whole: false, values: [...cells] })),
    { name: 'random mixes', whole: false, values: mixes },
    { name: 'lists of mixes', whole: false, values: lists },
    { name: 'varied lists', whole: false, values: varied },
    { name: 'prices', whole: false, values: prices },
    { name: 'fold mixes', whole: false, values: fold.slice(0, -3) },
    { name: 'long texts', whole: true, values: fold.slice(-3) },
  ];
  const seen = new Set<string>();
  for (const kind of kinds) {
    kind.values = kind.values.filter((value) => {
      const key = exactKey(value);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    kind.whole ||= kind.values.length <= FEW;
  }
  return kinds.filter((kind) => kind.values.length > 0);
}
