/**
 * Runaway regexes: a pattern that backtracks exponentially (`^(a+)+$` on 35 characters) ends, on
 * the fast path, on stock, in replace_regex and in a real run (CLI child process, bounded wait);
 * a case-insensitive pattern rewritten for the linear engine matches exactly what the original
 * matches; a regex literal on the left of `??` / `?:` means what it says (jsonata's parser loses
 * it); `regexRisk` finds nested quantifiers for `validate`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileExpression, regexRisk, safeRegExp } from '../../engine/expr/index.js';
import { regexReplace, regexTest } from '../../engine/rules/functions.js';
import { bin } from '../helpers/cli.js';

const EVIL = 'a'.repeat(35) + '!';

describe('a runaway pattern ends', () => {
  for (const fastPath of [true, false]) {
    it(`in a regex literal (fast path ${fastPath ? 'on' : 'off'})`, async () => {
      for (const src of ['$replace(v, /^(a+)+$/, "x")', '$replace(v, /^(a+)+$/i, "x")', '$contains(v, /^(a|aa)+$/)', '$match(v, /^(\\w+\\s?)+$/i)']) {
        const r = await compileExpression(src, { fastPath }).evaluate({ v: EVIL });
        expect(r === EVIL || r === false || r === undefined).toBe(true);
      }
    });
  }

  it('in the regexes built from strings (replace_regex, regexTest)', () => {
    expect(regexReplace(EVIL, '^(a+)+$', '', 'x')).toBe(EVIL);
    expect(regexReplace(EVIL.toUpperCase(), '^(a+)+$', 'i', 'x')).toBe(EVIL.toUpperCase());
    expect(regexTest(EVIL, '(a|aa)+$', 'm')).toBe(false);
  });

  it('in a run: replace_regex with ^(a+)+$ on a 35-character value (CLI, bounded wait)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-regex-'));
    writeFileSync(join(dir, 'in.csv'), `ref,name\nA1,${EVIL}\nA2,aaa\n`);
    writeFileSync(join(dir, 'p.yaml'), 'version: 1\nname: rx\nsource: { type: csv, path: in.csv }\nmapping:\n  attributes:\n    sku: ref\n    title: { from: name, rules: [{ replace_regex: { pattern: "^(a+)+$", with: "x", flags: "i" } }] }\ndestination: { type: csv, output: out.csv }\n');
    const child = spawn(process.execPath, [bin, 'run', join(dir, 'p.yaml')], { stdio: 'ignore' });
    const closed = new Promise<number | null>((r) => child.on('close', r));
    const code = await Promise.race([closed, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 60_000))]);
    if (code === 'hung') child.kill('SIGKILL');
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe(`sku,title\nA1,${EVIL}\nA2,x\n`);
  }, 90_000);
});

describe('a case-insensitive pattern rewritten for the linear engine', () => {
  const PATTERNS = ['k', 's+', '[a-z]+', '[^a-c]', 'é', '[à-ÿ]+', 'straße', '\\w+é', '[\\d\\s]x', 'i', 'I', '(?<w>[a-f]+)\\b', 'ǅ', 'µ', '[^\\W_]+'];
  const TEXTS = ['K\u212Ak', 'sSſ', 'Hello Wörld', 'ÉCOLE école', 'STRASSE Straße', 'İstanbul ıi I', 'ǄǅǆDž', 'µΜμ', 'A-b_C 12x', 'ÿŸ', '\u017F\u212A'];
  it('matches exactly what the original matches, on texts with case-folding traps', () => {
    for (const p of PATTERNS) {
      const original = new RegExp(p, 'gi');
      const safe = safeRegExp(p, 'gi');
      expect(safe.flags).not.toContain('i');
      for (const t of TEXTS) expect({ p, t, m: t.match(safe) }).toEqual({ p, t, m: t.match(original) });
    }
  });

  it('keeps the original error for an invalid pattern', () => {
    expect(() => safeRegExp('(a', 'i')).toThrow(SyntaxError);
  });
});

describe('a regex literal left of ?? and ?:', () => {
  for (const fastPath of [true, false]) {
    it(`means what it says (fast path ${fastPath ? 'on' : 'off'})`, async () => {
      const run = (src: string, data: unknown) => compileExpression(src, { fastPath }).evaluate(data);
      expect(await run('$replace(name, /\\s+/, " ") ?: "n/a"', { name: 'Perceuse  18V  sans fil' })).toBe('Perceuse 18V sans fil');
      expect(await run('$replace(name, /\\s+/, " ") ?: "n/a"', {})).toBe('n/a');
      expect(await run('$replace(name, /\\s+/, " ") ?? "n/a"', { name: 'a  b' })).toBe('a b');
      expect(await run('$match(name, /B/i).match ?: "none"', { name: 'abc' })).toBe('b');
    });
  }
});

describe('regexRisk', () => {
  const CASES: [string, string, { fragment: string; covered: boolean } | undefined][] = [
    ['^(a+)+$', '', { fragment: '(a+)+', covered: true }],
    ['(a*)*', 'i', { fragment: '(a*)*', covered: true }],
    ['^(a|aa)+$', '', { fragment: '(a|aa)+', covered: true }],
    ['(\\w+\\s?)+$', '', { fragment: '(\\w+\\s?)+', covered: true }],
    ['^(a+)+\\1$', '', { fragment: '(a+)+', covered: false }],
    ['(?=x)(a+)+', '', { fragment: '(a+)+', covered: false }],
    ['(\\d+) ?mm', 'g', undefined],
    ['(a|b)+', '', undefined],
    ['^\\d{13}$', '', undefined],
    ['<[^>]+>', 'g', undefined],
  ];
  for (const [p, f, want] of CASES) it(`/${p}/${f}`, () => expect(regexRisk(p, f)).toEqual(want));
});
