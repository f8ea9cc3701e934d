/**
 * The direct evaluators (engine/expr/direct.ts) answer what stock JSONata answers, or decline:
 * a list of fields and a table lookup, on plain records and on every input that is not one
 * (missing, inherited and non-text fields, lists, a record flagged as a function, tables that are
 * not plain objects or hold other values, a `$lookup` bound by the caller).
 */
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../engine/expr/index.js';
import { DECLINED, directEvaluator } from '../../engine/expr/direct.js';
import type { AstNode } from '../../engine/expr/fast.js';

const LIST = '[image_1, image_2, `image 3`]';
const LOOKUP = '$lookup($lookups.categories, categorie)';

const categories = { 'Jardin > Tondeuses': '1234', Outillage: 77, Vide: '', Oui: true, Liste: ['a'], Objet: { a: 1 }, Rien: null };
const RECORDS: unknown[] = [
  { image_1: 'a.jpg', image_2: 'b.jpg', 'image 3': 'c.jpg', categorie: 'Jardin > Tondeuses' },
  { image_1: 'a.jpg', categorie: 'Outillage' },
  { image_2: '', categorie: 'Vide' },
  {},
  { categorie: 'Oui' }, { categorie: 'Liste' }, { categorie: 'Objet' }, { categorie: 'Rien' },
  { categorie: 'absente' }, { categorie: 'constructor' }, { categorie: '__proto__' }, { categorie: 'toString' },
  { image_1: 12, categorie: 12 }, { image_1: ['x', 'y'], categorie: ['Outillage'] }, { image_1: null, categorie: null },
  { image_1: { a: 1 }, categorie: true },
  { _jsonata_function: true, image_1: 'a', categorie: 'Outillage' },
  [{ image_1: 'a', categorie: 'Outillage' }, { image_1: 'b', categorie: 'Vide' }],
  'text', 42, null,
];

const BINDINGS: Record<string, unknown>[] = [
  { lookups: { categories } },
  { lookups: { categories: new Map([['Outillage', 'x']]) } },
  { lookups: { categories: ['Outillage'] } },
  { lookups: { categories: Object.assign(Object.create({ Outillage: 'inherited' }), { Vide: 'own' }) } },
  { lookups: {} },
  {},
  { lookups: { categories }, lookup: () => 'mine' },
];

async function stock(source: string, input: unknown, bindings: Record<string, unknown>): Promise<unknown> {
  try {
    return { value: await jsonata(source).evaluate(input, bindings) };
  } catch (err) {
    return { error: (err as { code?: string }).code };
  }
}

async function ours(source: string, input: unknown, bindings: Record<string, unknown>): Promise<unknown> {
  try {
    return { value: await compileExpression(source).evaluate(input, bindings) };
  } catch (err) {
    return { error: (err as { code?: string }).code };
  }
}

describe('direct evaluators', () => {
  it.each([LIST, LOOKUP])('%s gives what stock gives, on every record and binding', async (source) => {
    for (const bindings of BINDINGS) {
      for (const input of RECORDS) {
        expect({ input, bindings, got: await ours(source, input, bindings) }).toEqual({ input, bindings, got: await stock(source, input, bindings) });
      }
    }
  });

  it('answers plain records itself, and declines what it does not know', () => {
    const list = directEvaluator(jsonata(LIST).ast() as unknown as AstNode)!;
    const lookup = directEvaluator(jsonata(LOOKUP).ast() as unknown as AstNode)!;
    const plain = { image_1: 'a.jpg', 'image 3': 'c.jpg', categorie: 'Jardin > Tondeuses' };
    expect(list(plain)).toEqual(['a.jpg', 'c.jpg']);
    expect(lookup(plain, { lookups: { categories } })).toBe('1234');
    expect(lookup({ categorie: 'absente' }, { lookups: { categories } })).toBeUndefined();
    expect(list({ image_1: 12 })).toBe(DECLINED);
    expect(list([plain])).toBe(DECLINED);
    expect(lookup({ categorie: 'constructor' }, { lookups: { categories } })).toBe(DECLINED);
    expect(lookup(plain, { lookups: { categories }, lookup: () => 1 })).toBe(DECLINED);
    expect(lookup({ categorie: 'Liste' }, { lookups: { categories } })).toBe(DECLINED);
  });

  it('has no evaluator for other shapes', () => {
    for (const source of ['[a, b.c]', '[a, "x"]', '[]', '$lookup(table, key)', '$lookup($t.m, k, 1)', '$lookup($t.m.n, k)', '$string(a)', '[a][0]']) {
      expect(directEvaluator(jsonata(source).ast() as unknown as AstNode), source).toBeUndefined();
    }
  });
});
