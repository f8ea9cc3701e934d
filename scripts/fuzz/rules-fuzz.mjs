// The differential fuzzer of the one-pass text rule boxes: each case is a rule (strip_html, trim,
// truncate), random arguments and a random value (markup.mjs); the native rule box
// (engine/rules/native) must give exactly what the rule's JSONata body gives under the stock
// interpreter, or decline (NOT_NATIVE). Shared by test/rules/native/fuzz.test.ts (thousands of
// cases, TypeScript sources) and scripts/fuzz-rules.mjs (millions, compiled dist/): the engine's
// functions are passed in, so both run the same cases.
import { markupText, prng, WHITESPACE } from './markup.mjs';

export const FUZZED_RULES = ['strip_html', 'trim', 'truncate'];

const ELLIPSES = ['…', '...', '', '-', '🔨', ' .', 'ab'];

/** Plain text with words, separators and whitespace of every kind: what truncate and trim mostly see. */
function plainText(random) {
  const words = ['Perceuse', 'a', 'visseuse', '18V', 'x', 'Bosch', '-', '–', '—', ',', ';', ':', 'lame', '🔨', 'x\uD83D', 'É', 'ab,', 'cd-', '12'];
  const n = Math.floor(random() * 30);
  let s = '';
  for (let k = 0; k < n; k++) {
    s += words[Math.floor(random() * words.length)];
    if (random() < 0.85) s += random() < 0.8 ? ' ' : WHITESPACE[Math.floor(random() * WHITESPACE.length)];
  }
  return s;
}

/** A value for a rule: mostly a text, now and then a list of texts (with a null), or a non-text. */
function value(random, text) {
  const r = random();
  if (r < 0.9) return text(random);
  if (r < 0.97) return [text(random), random() < 0.5 ? null : text(random)];
  return [null, 12.5, true, undefined, ''][Math.floor(random() * 5)];
}

/** The case `caseSeed` stands for: { rule, args, value }. */
export function fuzzCase(caseSeed, rules = FUZZED_RULES) {
  const random = prng(caseSeed);
  const rule = rules[Math.floor(random() * rules.length)];
  const markup = (rnd) => markupText(rnd);
  const either = (rnd) => (rnd() < 0.5 ? markupText(rnd) : plainText(rnd));
  if (rule === 'strip_html') return { rule, args: { newlines: random() < 0.3 }, value: value(random, markup) };
  if (rule === 'trim') return { rule, args: { keep_newlines: random() < 0.3 }, value: value(random, either) };
  if (rule === 'truncate') {
    const args = { length: 1 + Math.floor(random() * 60), ellipsis: ELLIPSES[Math.floor(random() * ELLIPSES.length)], word_boundary: random() < 0.7 };
    return { rule, args, value: value(random, either) };
  }
  throw new Error(`no fuzz cases for rule "${rule}"`);
}

/** Equal as values: -0 is not 0, "1" is not 1, lists item by item. */
function same(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  return Object.is(a, b);
}

/**
 * Runs cases from `seed` until `cases` are done or `seconds` have passed. `engine` holds
 * loadRuleBox, builtinRulesDir, bindRuleArgs, nativeRule, NOT_NATIVE and customFunctions (from
 * engine/rules and engine/rules/native), and optionally `scansTags(text)`: whether strip_html's
 * one-pass scan (not the literal passes) handles a text, to count how often the scan was tested.
 * `caseSeeds` runs those cases instead (a replay). Returns counts and the first `keep` mismatches,
 * each with the seed that replays it.
 */
export async function runFuzz({ seed, cases = Infinity, seconds = Infinity, rules = FUZZED_RULES, engine, keep = 10, onProgress, caseSeeds }) {
  const { loadRuleBox, builtinRulesDir, bindRuleArgs, nativeRule, NOT_NATIVE, customFunctions } = engine;
  const stock = new Map(rules.map((name) => [name, loadRuleBox(name, [builtinRulesDir()], { fastPath: false })]));
  const natives = new Map();
  const master = prng(seed);
  const stats = { seed, cases: 0, answered: 0, declined: 0, noNative: 0, scanned: 0, stripHtml: 0, mismatchCount: 0, mismatches: [], byRule: {} };
  const deadline = Date.now() + seconds * 1000;
  while (stats.cases < cases && (seconds === Infinity || Date.now() < deadline)) {
    if (caseSeeds !== undefined && stats.cases >= caseSeeds.length) break;
    const caseSeed = caseSeeds !== undefined ? caseSeeds[stats.cases] : Math.floor(master() * 4294967296);
    const c = fuzzCase(caseSeed, rules);
    stats.cases++;
    const per = (stats.byRule[c.rule] ??= { cases: 0, answered: 0 });
    per.cases++;
    const rule = stock.get(c.rule);
    const bound = bindRuleArgs(rule, c.args);
    const key = `${c.rule} ${JSON.stringify(bound)}`;
    if (!natives.has(key)) natives.set(key, nativeRule(rule, bound) ?? null);
    const native = natives.get(key);
    if (native === null) {
      stats.noNative++;
      continue;
    }
    if (c.rule === 'strip_html' && typeof c.value === 'string' && engine.scansTags) {
      stats.stripHtml++;
      if (engine.scansTags(c.value)) stats.scanned++;
    }
    const mine = native(c.value, {}, {});
    if (mine === NOT_NATIVE) {
      stats.declined++;
      continue;
    }
    stats.answered++;
    per.answered++;
    let expected;
    let error;
    try {
      expected = await rule.compiled.evaluate(c.value, { ...customFunctions, ...bound, record: {}, vars: {} });
    } catch (err) {
      error = err?.message ?? String(err);
    }
    if (error !== undefined || !same(mine, expected)) {
      stats.mismatchCount++;
      if (stats.mismatches.length < keep) stats.mismatches.push({ caseSeed, ...c, native: mine, stock: error === undefined ? expected : `error: ${error}` });
    }
    if (onProgress && stats.cases % 10000 === 0) onProgress(stats);
  }
  return stats;
}

/** A mismatch as lines a person can act on: the rule, arguments, input, both answers, how to replay it. */
export function describeMismatch(m) {
  const show = (v) => (v === undefined ? 'undefined' : JSON.stringify(v));
  return [
    `${m.rule} ${JSON.stringify(m.args)} on ${show(m.value)}`,
    `  native: ${show(m.native)}`,
    `  stock:  ${show(m.stock)}`,
    `  replay: npm run fuzz:rules -- --replay ${m.caseSeed}`,
  ].join('\n');
}
