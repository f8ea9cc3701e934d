/**
 * A parser for the JavaScript regular expressions manoflow runs (non-unicode mode, as JSONata's
 * literals and rule-box patterns are), into a small tree: what regex.ts needs to rewrite a
 * case-insensitive pattern exactly, and what `validate` needs to find nested quantifiers. Anything
 * unusual (Annex B oddities, `\k`, `\c`, a range over a class escape) makes `parseRegex` return
 * undefined: such a pattern is then run as written and not analysed.
 */

/** A class escape: \d \D \w \W \s \S. */
export type ClassEscape = 'd' | 'D' | 'w' | 'W' | 's' | 'S';

/** One element of a character class. */
export type ClassItem = { lo: number; hi: number } | { esc: ClassEscape };

/** A node of the tree. */
export type RxNode =
  | { t: 'seq'; items: RxNode[] }
  | { t: 'alt'; alts: RxNode[] }
  | { t: 'group'; kind: 'capture' | 'noncapture' | 'lookahead' | 'lookbehind'; name?: string; negate?: boolean; body: RxNode }
  | { t: 'quant'; body: RxNode; min: number; max: number; lazy: boolean; text?: string }
  | { t: 'char'; code: number }
  | { t: 'class'; negate: boolean; items: ClassItem[] }
  | { t: 'esc'; esc: ClassEscape }
  | { t: 'dot' }
  | { t: 'assert'; kind: '^' | '$' | 'b' | 'B' }
  | { t: 'backref'; index: number };

class Unparsed extends Error {}
const fail = (): never => {
  throw new Unparsed();
};

const CONTROL: Record<string, number> = { n: 10, r: 13, t: 9, v: 11, f: 12 };
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Parses `source`; undefined when it uses syntax this parser does not model. */
export function parseRegex(source: string): RxNode | undefined {
  let i = 0;
  const peek = () => source[i];
  const hex = (n: number): number => {
    const h = source.slice(i, i + n);
    if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) fail();
    i += n;
    return parseInt(h, 16);
  };
  // an escape after `\`, outside or inside a class: a code unit, a class escape, or (outside) more
  const escape = (inClass: boolean): number | { esc: ClassEscape } | RxNode => {
    const c = source[i++];
    if (c === undefined) return fail();
    if ('dDwWsS'.includes(c)) return { esc: c as ClassEscape };
    if (c in CONTROL) return CONTROL[c]!;
    if (c === '0' && !isDigit(peek())) return 0;
    if (c === 'x') return hex(2);
    if (c === 'u') return hex(4);
    if (inClass && c === 'b') return 8;
    if (!inClass && (c === 'b' || c === 'B')) return { t: 'assert', kind: c };
    if (!inClass && c >= '1' && c <= '9') {
      let n = c;
      while (isDigit(peek())) n += source[i++];
      return { t: 'backref', index: Number(n) };
    }
    if (c === 'c' || c === 'k' || isDigit(c)) return fail();
    return c.charCodeAt(0); // an identity escape: \. \/ \- and (Annex B) \e as "e"
  };

  const classAtom = (): number | { esc: ClassEscape } => {
    const c = source[i++];
    if (c === undefined) return fail();
    if (c !== '\\') return c.charCodeAt(0);
    const e = escape(true);
    return typeof e === 'number' || 'esc' in e ? (e as number | { esc: ClassEscape }) : fail();
  };

  const charClass = (): RxNode => {
    const negate = peek() === '^';
    if (negate) i++;
    const items: ClassItem[] = [];
    while (peek() !== ']') {
      if (peek() === undefined) fail();
      const a = classAtom();
      if (peek() === '-' && source[i + 1] !== ']' && source[i + 1] !== undefined) {
        i++;
        const b = classAtom();
        if (typeof a !== 'number' || typeof b !== 'number' || a > b) fail();
        items.push({ lo: a as number, hi: b as number });
      } else if (typeof a === 'number') items.push({ lo: a, hi: a });
      else items.push(a);
    }
    i++;
    return { t: 'class', negate, items };
  };

  const quantifier = (body: RxNode): RxNode => {
    const c = peek();
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) return body; // Annex B: a "{" that is no quantifier is a literal (seen by atom next)
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      i += m[0].length - 1;
    } else return body;
    i++;
    if (body.t === 'assert' || (body.t === 'group' && (body.kind === 'lookahead' || body.kind === 'lookbehind'))) fail();
    const lazy = peek() === '?';
    if (lazy) i++;
    return quantifier({ t: 'quant', body, min, max, lazy });
  };

  const atom = (): RxNode => {
    const c = source[i++]!;
    switch (c) {
      case '.': return { t: 'dot' };
      case '^': case '$': return { t: 'assert', kind: c };
      case '[': return charClass();
      case '(': {
        let node: RxNode;
        if (source.startsWith('?:', i)) { i += 2; node = { t: 'group', kind: 'noncapture', body: alternation() }; }
        else if (source.startsWith('?=', i) || source.startsWith('?!', i)) { const negate = source[i + 1] === '!'; i += 2; node = { t: 'group', kind: 'lookahead', negate, body: alternation() }; }
        else if (source.startsWith('?<=', i) || source.startsWith('?<!', i)) { const negate = source[i + 2] === '!'; i += 3; node = { t: 'group', kind: 'lookbehind', negate, body: alternation() }; }
        else if (source.startsWith('?<', i)) {
          const m = /^\?<([A-Za-z_$][\w$]*)>/.exec(source.slice(i));
          if (!m) return fail();
          i += m[0].length;
          node = { t: 'group', kind: 'capture', name: m[1], body: alternation() };
        } else if (peek() === '?') return fail();
        else node = { t: 'group', kind: 'capture', body: alternation() };
        if (source[i++] !== ')') fail();
        return node;
      }
      case ')': case '*': case '+': case '?': return fail();
      case '\\': {
        const e = escape(false);
        if (typeof e === 'number') return { t: 'char', code: e };
        return 'esc' in e ? { t: 'esc', esc: (e as { esc: ClassEscape }).esc } : (e as RxNode);
      }
      default: return { t: 'char', code: c.charCodeAt(0) };
    }
  };

  const sequence = (): RxNode => {
    const items: RxNode[] = [];
    while (i < source.length && peek() !== '|' && peek() !== ')') {
      const start = i;
      const node = quantifier(atom());
      if (node.t === 'quant') node.text = source.slice(start, i); // as written, for messages
      items.push(node);
    }
    return { t: 'seq', items };
  };

  function alternation(): RxNode {
    const alts = [sequence()];
    while (peek() === '|') {
      i++;
      alts.push(sequence());
    }
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts };
  }

  try {
    const tree = alternation();
    return i === source.length ? tree : undefined;
  } catch (err) {
    if (err instanceof Unparsed) return undefined;
    throw err;
  }
}

/** Every node of a tree, depth first. */
export function* nodesOf(n: RxNode): Generator<RxNode> {
  yield n;
  if (n.t === 'seq') for (const x of n.items) yield* nodesOf(x);
  else if (n.t === 'alt') for (const x of n.alts) yield* nodesOf(x);
  else if (n.t === 'group' || n.t === 'quant') yield* nodesOf(n.body);
}
