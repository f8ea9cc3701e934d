/**
 * `manoflow watch` as a user runs it: a child process on a temp copy of a small pipeline (CSV
 * source, a lookup, a user rule box), real edits on disk, and its output read until the expected
 * lines appear. Native file events (no polling): they proved reliable here.
 * Needs a build: `npx tsc -p tsconfig.json`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { copyFixture, CYCLE, WatchProcess } from './harness.js';

let w: WatchProcess | undefined;
afterEach(async () => {
  await w?.stop('SIGKILL');
  w = undefined;
});

/** Replaces one exact text in a file (must be there), as an editor save would. */
function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`"${from}" is not in ${file}`);
  writeFileSync(file, text.replace(from, to));
}

const until = (marker: string) => new RegExp(`${marker}[\\s\\S]*${CYCLE.source}`);

describe('manoflow watch (CLI) on a file pipeline', () => {
  test('initial run; a valid edit shows the change per attribute; an invalid edit keeps the last good result; the same broken save prints nothing; the fix re-runs; Ctrl-C exits 0', async () => {
    const dir = copyFixture('catalog');
    const pipeline = join(dir, 'pipeline.yaml');
    const preview = join(dir, '.manoflow/preview/watch-demo/feed.csv');
    w = new WatchProcess(['pipeline.yaml', '--verbose'], { cwd: dir });

    const start = await w.waitFor(until('run 1:'));
    expect(start).toContain('manoflow watch pipeline.yaml\n');
    expect(start).toContain('watching 5 files (pipeline, 2 rules, 1 lookup, schema) and 3 rule folders');
    expect(start).toMatch(/^ {4}rule {5}rules\/shout\.jsonata$/m);
    expect(start).toMatch(/^ {4}lookup {3}colours\.json$/m);
    expect(start).toContain('sample: first 200 records of the source; previews in .manoflow/preview/watch-demo/ (the real output is never written)');
    expect(start).toContain('API calls: none (file destination)');
    expect(start).toMatch(/run 1: read 3, written 3, rejected 0, filtered 0 in \d+\.\d+s\n {2}preview: \.manoflow\/preview\/watch-demo\/feed\.csv\n/);
    expect(readFileSync(preview, 'utf8')).toBe('sku,title,description,colour,price\nA1,DRILL!,drill,Rouge,49.9\nA2,HAMMER!,hammer,Bleu,12.5\nA3,SAW!,saw,Rouge,20\n');

    let mark = w.mark();
    edit(pipeline, 'price: $number(price)', 'price: $number(price) * 2');
    let out = await w.waitFor(until('run 2:'), mark);
    expect(out).toContain('changes: 0 added, 0 removed, 3 records changed\n');
    expect(out).toContain('    price: 3 values changed (sku A1: price 49.9 → 99.8; sku A2: price 12.5 → 25; sku A3: price 20 → 40)\n');
    expect(out).not.toMatch(/title:|colour:/);

    mark = w.mark();
    edit(pipeline, 'price: $number(price) * 2', 'price: $number(price * 2');
    out = await w.waitFor(until('invalid:'), mark);
    expect(out).toContain('invalid: 1 error; not run, last good result kept (.manoflow/preview/watch-demo/feed.csv)\n');
    expect(out).toMatch(/^pipeline\.yaml:18:\d+ error CFG_JSONATA_SYNTAX attribute "price": JSONata /m);
    expect(readFileSync(preview, 'utf8')).toContain('A1,DRILL!,drill,Rouge,99.8\n');

    mark = w.mark();
    writeFileSync(pipeline, readFileSync(pipeline)); // the same broken content, saved again
    out = await w.waitFor(/unchanged: pipeline\.yaml saved with the same content; nothing to do\n/, mark);
    expect(out).not.toMatch(/invalid:|run \d+:|CFG_/);

    mark = w.mark();
    edit(pipeline, 'price: $number(price * 2', 'price: $number(price) * 10');
    out = await w.waitFor(until('run 3:'), mark);
    expect(out).toContain('price: 3 values changed (sku A1: price 99.8 → 499; sku A2: price 25 → 125; sku A3: price 40 → 200)');

    expect(await w.stop('SIGINT')).toBe(0);
    expect(w.stdout).toMatch(/stopped\n$/);
    expect(w.stderr).toBe('');
    expect(existsSync(join(dir, 'out'))).toBe(false); // the real output folder was never created
  });

  test('a rule file edit re-runs; a new rule file beside the pipeline shadows a built-in; a new rule file fixes an unknown rule; SIGTERM exits 0', async () => {
    const dir = copyFixture('catalog');
    w = new WatchProcess(['pipeline.yaml', '--verbose'], { cwd: dir });
    await w.waitFor(until('run 1:'));

    let mark = w.mark();
    edit(join(dir, 'rules/shout.jsonata'), '& "!"', '& "!!"');
    let out = await w.waitFor(until('run 2:'), mark);
    expect(out).toContain('title: 3 values changed (sku A1: title "DRILL!" → "DRILL!!"; sku A2: title "HAMMER!" → "HAMMER!!"; sku A3: title "SAW!" → "SAW!!")');

    mark = w.mark();
    writeFileSync(join(dir, 'trim.jsonata'), '/**\n * trim: this shop\'s own trim, marks what it touched.\n */\n"T:" & $\n');
    out = await w.waitFor(until('run 3:'), mark);
    expect(out).toMatch(/^ {4}rule {5}trim\.jsonata$/m); // now watched in place of the built-in
    expect(out).toContain('description: 3 values changed (sku A1: description "drill" → "T:drill";');

    mark = w.mark();
    edit(join(dir, 'pipeline.yaml'), 'rules: [trim]', 'rules: [trim, exclaim]');
    out = await w.waitFor(until('invalid:'), mark);
    expect(out).toMatch(/^pipeline\.yaml:16:\d+ error CFG_UNKNOWN_RULE attribute "description": unknown rule box "exclaim"/m);

    mark = w.mark();
    writeFileSync(join(dir, 'rules/exclaim.jsonata'), '/**\n * exclaim: add a question mark.\n */\n$ & "?"\n');
    out = await w.waitFor(until('run 4:'), mark);
    expect(out).toContain('description: 3 values changed (sku A1: description "T:drill" → "T:drill?";');

    expect(await w.stop('SIGTERM')).toBe(0);
    expect(w.stderr).toBe('');
  });

  test('a lookup file edit re-runs; with --watch-source a source edit re-runs and shows records added and removed', async () => {
    const dir = copyFixture('catalog');
    w = new WatchProcess(['pipeline.yaml', '--watch-source', '--limit', '2'], { cwd: dir });
    const start = await w.waitFor(until('run 1:'));
    expect(start).toContain('watching 6 files (pipeline, 2 rules, 1 lookup, schema, 1 source)');
    expect(start).toContain('sample: first 2 records of the source');
    expect(start).toMatch(/run 1: read 2, written 2, rejected 0, filtered 0 in \S+ \(sample\)/);

    let mark = w.mark();
    edit(join(dir, 'colours.json'), '"Rouge"', '"Rouge vif"');
    let out = await w.waitFor(until('run 2:'), mark);
    expect(out).toContain('colour: 1 value changed (sku A1: colour "Rouge" → "Rouge vif")');

    mark = w.mark();
    edit(join(dir, 'products.csv'), 'A2,hammer', 'B2,hammer');
    out = await w.waitFor(until('run 3:'), mark);
    expect(out).toContain('changes: 1 added, 1 removed, 0 records changed\n    added: sku B2\n    removed: sku A2\n');
    expect(await w.stop()).toBe(0);
  });
});
