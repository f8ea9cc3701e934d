/**
 * The fast path's cheaper `$substring` and `$trim` (engine/expr/fast-ops.ts STRING_COPIES) give
 * stock JSONata's strings: texts with and without surrogates (paired, lone), tabs, line breaks,
 * runs of spaces, and start/length values negative, fractional, past the end. Zero mismatches.
 */
import { describe, expect, it } from 'vitest';
import { pair } from '../expr/helpers.js';

const TEXTS: Record<string, string> = {
  empty: '', space: ' ', spaces: '  ', plain: 'Perceuse visseuse 18V', padded: ' Perceuse 18V ',
  leadOnly: ' a', trailOnly: 'a ', double: 'a  b', tab: 'a\tb', newline: ' a\nb ', cr: 'a\r\nb',
  nbsp: '\u00a0a\u00a0', accents: 'Équerre à 90° – inox', emoji: 'Lampe 💡 LED', emojiEnd: 'ok 💡',
  lone: 'a\ud800b', loneEnd: 'ab\udc00', long: 'Mot '.repeat(600).trim(), html: '<p>Un  texte</p>\n',
};

const ARGS: [number, number | undefined][] = [
  [0, undefined], [0, 0], [0, 1], [0, 3], [0, 150], [0, 5000], [1, undefined], [2, 2], [-1, undefined],
  [-3, 2], [-100, 3], [-100, undefined], [5, -1], [1.5, 2.5], [0, 0.5], [-2.5, 1], [20, 10], [3000, 5],
];

describe('$substring and $trim: fast copies equal stock', () => {
  it('$substring over texts x start/length', async () => {
    const two = pair('$substring($s, $a)');
    const three = pair('$substring($s, $a, $b)');
    let compared = 0;
    for (const [name, s] of Object.entries(TEXTS)) {
      for (const [a, b] of ARGS) {
        const r = b === undefined ? await two({}, { s, a }) : await three({}, { s, a, b });
        expect({ case: `${name},${a},${b}`, ...r.fast }).toStrictEqual({ case: `${name},${a},${b}`, ...r.stock });
        compared++;
      }
    }
    expect(compared).toBe(Object.keys(TEXTS).length * ARGS.length);
  });

  it('$trim over texts', async () => {
    const run = pair('$trim($s)');
    for (const [name, s] of Object.entries(TEXTS)) {
      const r = await run({}, { s });
      expect({ case: name, ...r.fast }).toStrictEqual({ case: name, ...r.stock });
      expect(r.sync).toBe(true);
    }
  });

  it('$trim as a function value, over a list', async () => {
    const r = await pair('$map($s, $trim)')({}, { s: Object.values(TEXTS) });
    expect(r.fast).toStrictEqual(r.stock);
  });
});
