/**
 * The one-pass text rule boxes read their input from a reused typed array (UnitReader in
 * engine/rules/native/units.ts), not by charCodeAt. What that could break, each against the
 * JSONata body: a text read after a longer one whose units are still in the array past its end
 * (an entity or a tag the stale units would complete), lone surrogates copied natively, a glued
 * entity (`&am<b>p;`) folded from another string in the middle of a scan, and the shared
 * $decodeHtmlEntities after the same prefixes. The bodies call that same $decodeHtmlEntities, so
 * for stale units they are no independent witness: the last two tests are (a text left as
 * written; the entity regex the decoder documents).
 */
import { describe, expect, it } from 'vitest';
import { bindRuleArgs, builtinRulesDir, customFunctions, loadRuleBox } from '../../../engine/rules/index.js';
import { decodeHtmlEntities, NAMED_ENTITIES } from '../../../engine/rules/entities.js';
import { nativeRule } from '../../../engine/rules/native/index.js';

const padding = 'Perceuse visseuse sans fil 18 V, deux batteries ';
/** A long text, then prefixes of it that end inside what the long one completes there. */
const STALE: string[][] = [
  [`${padding}qualit&eacute; pro`, `${padding}qualit&eacute`, `${padding}qualit&eac`, `${padding}qualit&`],
  [`${padding}&#233;t&#xE9;`, `${padding}&#233`, `${padding}&#23`, `${padding}&#`, `${padding}&#233;t&#xE`],
  [`${padding}<p>fin</p>`, `${padding}<p`, `${padding}<`, `${padding}</`],
  [`${padding}<br/>suite`, `${padding}<br`, `${padding}<br/`],
  [`${padding}a <b <p> x> b`, `${padding}a <b <p`, `${padding}a <b <`],
];
/** Texts of one length read one after the other: each must be read, not the one before it. */
const SAME_LENGTH = [`${padding}qualit&eacute; pro`, `${padding}qualit&agrave; pro`, `${padding}<p>qualit&egrave;</p>`, `${padding}<i>qualit&Eacute;</i>`];
const SURROGATES = [
  `${padding}\ud83d\ude00 &eacute; <p>\ud83d</p>`, // a pair, then a lone high surrogate
  `\ude00${padding}&amp;\ud800`, // lone surrogates at both ends
];
const GLUED = [
  `${padding}&am<b>p; puis <li>un &eacute;l&eacute;ment</li> &nb<i></i>sp;fin`,
  `${padding}caf&eacute<span>;</span> <p>&#23<em>3;</em></p> apr&egrave;s`,
];

async function againstBody(name: string, given: Record<string, unknown>, texts: string[]): Promise<void> {
  const stock = loadRuleBox(name, [builtinRulesDir()], { fastPath: false, timeLimitMs: 0 });
  const args = bindRuleArgs(stock, given);
  const native = nativeRule(stock, args)!;
  for (const text of texts) {
    const mine = native(text, {}, {});
    if (typeof mine === 'symbol') continue;
    expect({ text, out: mine }).toEqual({ text, out: await stock.compiled.evaluate(text, { ...customFunctions, ...args }) });
  }
}

const ALL = [...STALE.flat(), ...SAME_LENGTH, ...SURROGATES, ...GLUED];

describe('the text rule boxes read from a reused array', () => {
  it.each([
    ['strip_html', {}], ['strip_html', { newlines: true }], ['trim', {}], ['trim', { keep_newlines: true }],
  ] as const)('%s %j equals its body after longer texts, with lone surrogates and glued entities', async (name, given) => {
    await againstBody(name, given, ALL);
  });

  it('strip_html reads each text, not what the array held: an entity or a tag it ends inside stays as written; texts of one length', async () => {
    const stock = loadRuleBox('strip_html', [builtinRulesDir()], { fastPath: false, timeLimitMs: 0 });
    const native = nativeRule(stock, bindRuleArgs(stock, {}))!;
    for (const [long, ...prefixes] of STALE) {
      native(long!, {}, {});
      for (const p of prefixes) native(p, {}, {});
    }
    native(STALE[0]![0]!, {}, {});
    expect(native(`${padding}qualit&eacute`, {}, {})).toBe(`${padding}qualit&eacute`.trim());
    native(STALE[1]![0]!, {}, {});
    expect(native(`${padding}&#233`, {}, {})).toBe(`${padding}&#233`.trim());
    const same = ['qualité pro', 'qualità pro', 'qualitè', 'qualitÉ'].map((t) => `${padding}${t}`);
    expect(SAME_LENGTH.map((t) => native(t, {}, {}))).toEqual(same);
  });
});

/** `$decodeHtmlEntities` as its documented regex says, for comparison. */
function byRegex(s: string): string {
  const valid = (n: number) => Number.isInteger(n) && n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff);
  return s.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g, (all, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return Object.prototype.hasOwnProperty.call(NAMED_ENTITIES, name) ? NAMED_ENTITIES[name]! : all;
    const n = dec !== undefined ? parseInt(dec, 10) : parseInt(hex!, 16);
    return valid(n) ? String.fromCodePoint(n) : all;
  });
}

it('$decodeHtmlEntities reads each text alone, after longer ones', () => {
  for (const text of ALL) expect(decodeHtmlEntities(text)).toBe(byRegex(text));
});
