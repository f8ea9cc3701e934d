// The custom functions bound in every rule box, as input → output tables.
import { describe, expect, it } from 'vitest';
import { customFunctions, decodeHtmlEntities, formatDecimal, parseNumber, removeEmojis } from '../../engine/rules/index.js';

describe('decodeHtmlEntities', () => {
  const table: [string, string][] = [
    ['&amp;&lt;&gt;&quot;&#39;&apos;', `&<>"''`],
    ['caf&eacute; cr&egrave;me &agrave; gar&ccedil;on h&ocirc;tel', 'café crème à garçon hôtel'],
    ['5&euro; 20&deg; &laquo;&nbsp;x&nbsp;&raquo; &hellip; l&rsquo;a &ndash; &mdash;', '5€ 20° «\u00a0x\u00a0» … l’a – —'],
    ['&auml;&ouml;&uuml;&szlig; &Auml;&Ouml;&Uuml; &ntilde;&Ntilde;', 'äöüß ÄÖÜ ñÑ'],
    ['&#233;&#xE9;&#XE9; &#8364; &#x1F600;', 'ééé € 😀'],
    ['&unknown; & &#0; &#xD800; AT&T', '&unknown; & &#0; &#xD800; AT&T'],
    ['&amp;eacute;', '&eacute;'],
  ];
  it.each(table)('%s', (input, output) => expect(decodeHtmlEntities(input)).toBe(output));
  it('leaves non-strings alone', () => expect(decodeHtmlEntities(12)).toBe(12));
});

describe('parseNumber', () => {
  const table: [unknown, number | undefined][] = [
    ['12,5', 12.5], ['1 234,50', 1234.5], ['1\u00a0234,50', 1234.5], [' 12.5 ', 12.5], ['1.234,56', 1234.56],
    ['1,234.56', 1234.56], ['1.234.567', 1234567], ['59,99 €', 59.99], ['€12', 12], ['-3,5', -3.5], ['1e3', 1000],
    [42, 42], ['', undefined], ['abc', undefined], ['12abc', undefined], [null, undefined], [true, undefined], [Number.NaN, undefined],
  ];
  it.each(table)('%j → %j', (input, output) => expect(parseNumber(input)).toBe(output));
});

describe('formatDecimal', () => {
  const table: [unknown[], unknown][] = [
    [[1234.5, 2, ',', ' '], '1 234,50'],
    [[1.005, 2], '1.01'],
    [[2.5, 0], '3'],
    [[-2.5, 0], '-3'],
    [[0.125, 2, ','], '0,13'],
    [[1234567.891, 1, '.', ','], '1,234,567.9'],
    [['59,9', 2, ','], '59,90'],
    [['n/a', 2], 'n/a'],
  ];
  it.each(table)('%j → %j', (args, output) => expect(formatDecimal(...(args as [unknown]))).toBe(output));
});

describe('removeEmojis', () => {
  it('removes pictographs, flags, modifiers and joiners; keeps ©®™°€', () => {
    expect(removeEmojis('A 🔥 B 🇫🇷 C 👍🏽 D 👨‍👩‍👧 E ©®™ 20°C 5€')).toBe('A B C D E ©®™ 20°C 5€');
  });
});

describe('customFunctions', () => {
  it('exposes the documented functions', () => {
    expect(Object.keys(customFunctions).sort()).toEqual(['ambiguousNumber', 'decodeHtmlEntities', 'formatDecimal', 'parseNumber', 'regexReplace', 'regexTest', 'removeEmojis']);
  });
  it('regexReplace and regexTest build regexes from strings', () => {
    expect(customFunctions.regexReplace!('4x40mm', '(\\d+)x(\\d+)', '', '$1 x $2')).toBe('4 x 40mm');
    expect(customFunctions.regexTest!('PROMO', 'promo', 'i')).toBe(true);
    expect(customFunctions.regexTest!(undefined, 'x')).toBe(false);
  });
});
