/**
 * The fold (engine/rules/native/fold.ts) writes into a buffer it grows on demand and drops after a
 * text of more than 65,536 units: texts of that size, then short ones again on the same native,
 * equal the JSONata bodies (the shared corpus keeps to a few thousand characters, which every rule
 * box's body evaluates within its time limit).
 */
import { expect, it } from 'vitest';
import { bindRuleArgs, builtinRulesDir, customFunctions, loadRuleBox } from '../../../engine/rules/index.js';
import { nativeRule } from '../../../engine/rules/native/index.js';

const description = '<p><strong>Ryobi</strong> &ndash; Tondeuse tract&eacute;e 46 cm.&nbsp;Id&eacute;al &quot;pro&quot;.</p><ul><li>Moteur 140 cm&sup3;</li></ul> ';
const TEXTS = [
  description.repeat(600), // two bytes a character (&ndash;), 84,000 units
  'Tract&eacute;e  de\tjardin '.repeat(3000), // one byte a character
  'Marteau de coffreur '.repeat(4000), // written as it was: a slice of the input
  'Perceuse &amp; visseuse', description, '  a  ', '',
];

it.each([
  ['strip_html', {}], ['strip_html', { newlines: true }], ['trim', {}], ['trim', { keep_newlines: true }],
] as const)('%s %j equals its body on texts over 65,536 units, then on short ones', async (name, given) => {
  const stock = loadRuleBox(name, [builtinRulesDir()], { fastPath: false, timeLimitMs: 0 });
  const args = bindRuleArgs(stock, given);
  const native = nativeRule(stock, args)!;
  let answered = 0;
  for (const text of [...TEXTS, ...TEXTS]) {
    const mine = native(text, {}, {});
    // declining (the body decides) is allowed, but the long texts are answered here
    if (typeof mine === 'symbol') continue;
    answered++;
    expect(mine).toBe(await stock.compiled.evaluate(text, { ...customFunctions, ...args }));
  }
  expect(answered).toBeGreaterThanOrEqual(TEXTS.length * 2 - 2);
}, 60_000);
