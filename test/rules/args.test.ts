// Argument binding (scalar / positional / named / defaults / errors) and did-you-mean, as data tables.
import { describe, expect, it } from 'vitest';
import { bindRuleArgs, builtinRulesDir, didYouMean, didYouMeanHint, editDistance, loadRuleBox } from '../../engine/rules/index.js';
import { ManoflowError } from '../../engine/errors.js';

const load = (name: string) => loadRuleBox(name, [builtinRulesDir()]);

describe('bindRuleArgs', () => {
  const ok: { rule: string; args: unknown; bound: Record<string, unknown>; why: string }[] = [
    { rule: 'truncate', args: 150, bound: { length: 150, ellipsis: '…', word_boundary: true }, why: 'a scalar is the first parameter' },
    { rule: 'truncate', args: [80, ''], bound: { length: 80, ellipsis: '', word_boundary: true }, why: 'a list is positional' },
    { rule: 'truncate', args: { length: 80, word_boundary: false }, bound: { length: 80, ellipsis: '…', word_boundary: false }, why: 'an object of parameter names is named' },
    { rule: 'strip_html', args: undefined, bound: { newlines: false }, why: 'no arguments: defaults' },
    { rule: 'replace', args: { pattern: 'x', with: 'y' }, bound: { pattern: 'x', with: 'y', ignore_case: false }, why: 'the schema example' },
    { rule: 'lookup', args: { Perceuses: 'Outillage' }, bound: { table: { Perceuses: 'Outillage' }, default: undefined, ignore_case: false }, why: 'an object that is not named arguments is the table' },
    { rule: 'set', args: ['a', 'b'], bound: { value: ['a', 'b'] }, why: 'a list for a single any parameter is its value' },
    { rule: 'set', args: { carrier: 'DPD' }, bound: { value: { carrier: 'DPD' } }, why: 'an object for a single any parameter is its value' },
    { rule: 'set', args: null, bound: { value: null }, why: 'null is a value for an any parameter' },
    { rule: 'first', args: undefined, bound: { separator: undefined }, why: 'an optional parameter without default stays undefined' },
    { rule: 'if_then_else', args: { then: null, else: 'x' }, bound: { then: null, else: 'x', equals: undefined, matches: undefined, field: undefined, case_sensitive: false }, why: 'null for an optional any' },
    { rule: 'add_vat', args: { percent: 5.5 }, bound: { rate: undefined, decimals: 2, percent: 5.5 }, why: 'a percentage written as one' },
    { rule: 'to_number', args: { decimal: ',' }, bound: { strict: true, decimal: ',' }, why: 'a decimal mark within its constraint' },
  ];
  it.each(ok)('$rule: $why', ({ rule, args, bound }) => {
    expect(bindRuleArgs(load(rule), args)).toEqual(bound);
  });

  const bad: { rule: string; args: unknown; message: RegExp; hint: RegExp }[] = [
    { rule: 'truncate', args: undefined, message: /missing required parameter "length"/, hint: /parameters of truncate: length: number, ellipsis: string = "…", word_boundary: boolean = true/ },
    { rule: 'truncate', args: '150', message: /parameter "length" must be a number, got string "150"/, hint: /length: number/ },
    { rule: 'truncate', args: { lenght: 150 }, message: /unknown parameter "lenght"/, hint: /^did you mean "length"\?; parameters of truncate/ },
    { rule: 'truncate', args: [1, '', true, 4], message: /got 4 positional arguments, it takes 3/, hint: /parameters of truncate/ },
    { rule: 'strip_html', args: 'yes', message: /parameter "newlines" must be a boolean/, hint: /newlines: boolean = false/ },
    { rule: 'lowercase', args: true, message: /takes no arguments/, hint: /write it as just "lowercase"/ },
    { rule: 'lowercase', args: { x: 1 }, message: /unknown parameter "x"/, hint: /parameters of lowercase: none/ },
    { rule: 'if_then_else', args: { when: 'x' }, message: /unknown parameter "when"/, hint: /then: any \(optional\)/ },
    // issue 11: values a rule box would misread, refused when the pipeline is validated
    { rule: 'add_vat', args: 1, message: /parameter "rate" must be in \(0, 1\), got 1/, hint: /^rate: VAT rate as a fraction, e\.g\. 0\.2 for 20 % \(for a percentage write \{ add_vat: \{ percent: 20 \} \}\)/ },
    { rule: 'add_vat', args: 20, message: /parameter "rate" must be in \(0, 1\), got 20/, hint: /percent/ },
    { rule: 'add_vat', args: { percent: 0 }, message: /parameter "percent" must be in \(0, 100\), got 0/, hint: /percentage/ },
    { rule: 'to_number', args: { decimal: ';' }, message: /parameter "decimal" must be one of "auto", ",", "\.", got ";"/, hint: /decimal mark/ },
    { rule: 'number_format', args: { decimals: 12 }, message: /parameter "decimals" must be in \[0, 10\], got 12/, hint: /digits after/ },
  ];
  it.each(bad)('$rule with $args → CFG_RULE_ARGS', ({ rule, args, message, hint }) => {
    let err: ManoflowError | undefined;
    try {
      bindRuleArgs(load(rule), args);
    } catch (e) {
      err = e as ManoflowError;
    }
    expect(err?.code).toBe('CFG_RULE_ARGS');
    expect(err?.message).toMatch(message);
    expect(err?.hint).toMatch(hint);
  });
});

describe('didYouMean', () => {
  const names = ['strip_html', 'truncate', 'trim', 'replace', 'replace_regex', 'lowercase', 'uppercase', 'number_format', 'to_number', 'limit_items'];
  const table: [string, string[]][] = [
    ['trunacte', ['truncate']],
    ['truncat', ['truncate']],
    ['strip-html', ['strip_html']],
    ['StripHtml', ['strip_html']],
    ['html', ['strip_html']],
    ['lowercas', ['lowercase']],
    ['replce', ['replace']],
    ['numberformat', ['number_format']],
    ['tri', ['trim']],
    ['xyz', []],
    ['completely_different', []],
  ];
  it.each(table)('%s → %j', (word, expected) => {
    expect(didYouMean(word, names)).toEqual(expected);
  });
  it('orders by distance and caps the count', () => {
    expect(didYouMean('ab', ['abc', 'abcd', 'ab_', 'xb', 'a'], 2)).toEqual(['ab_', 'a']);
  });
  it('formats a hint', () => {
    expect(didYouMeanHint('destinaton', ['destination', 'source'])).toBe('did you mean "destination"?');
    expect(didYouMeanHint('zzz', ['destination'])).toBe('');
  });
  it('counts a transposition as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
