/**
 * Failures that used to print a stack trace or "unexpected error" (issue 11 item 9) now end with
 * a code and a sentence saying what to do: a source record nested 100,000 levels deep is rejected
 * (alone), a full disk names the file and commits nothing, an error manoflow does not expect says
 * it is a bug. The full disk is injected at the AtomicFile layer (every run), and made real on a
 * 64 KiB tmpfs when the tests run as root with `mount` allowed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeFailure, formatFailure } from '../../engine/cli/crash.js';
import { setWriteFaultForTests } from '../../engine/runtime/atomic-file.js';
import { parseCsvText } from '../../engine/runtime/csv-parse.js';
import { runPipeline } from '../../engine/runtime/run.js';
import { runCli } from '../helpers/cli.js';

const DEPTH = 100_000;
const deep = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mf-crash-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const product = (sku: string, extra = '') => `{"sku":"${sku}","brand":"Bosch","title":"Perceuse","description":"Une perceuse","image_1":"https://i.example/1.jpg",`
  + `"ean":"4006381333931","price":59.9,"quantity":3,"carrier":"DPD","shipping_time":"2#4","shipping_price":0,"category":1234${extra}}`;

const productsPipeline = `version: 1
name: deep
source: { type: json, path: in.json }
mapping:
  automap: true
  attributes:
    product_price_vat_inc: price
    shipping_price_vat_inc: shipping_price
    mm_category_id: category
    specs: $exists(specs) ? specs
destination: { type: manomano-products, output: out/feed.csv }
`;

/** The reject report's rows as objects, by its header (severity, stage, index, line, id, attribute, code, message, hint). */
const rows = (file: string) => {
  const [head, ...body] = parseCsvText(readFileSync(file, 'utf8'), { delimiter: ',' }).map((r) => r.fields);
  return body.map((f) => Object.fromEntries(head!.map((h, i) => [h, f[i]])) as Record<string, string>);
};

describe('a record nested 100,000 levels deep', () => {
  it('products feed: the deep record is rejected with a code (its title quoted safely), the other written; no stack trace', async () => {
    const dir = dirWith({ 'p.yaml': productsPipeline, 'in.json': `[${product('OK-1')}, ${product('DEEP-1').replace('"title":"Perceuse"', `"title":${deep}`)}]` });
    const r = await runCli(['run', join(dir, 'p.yaml')]);
    expect(r.stderr).not.toMatch(/unexpected error|\n\s+at |RangeError/);
    expect(r.code).toBe(1);
    const report = rows(join(dir, 'out/feed.rejects.csv'));
    expect(report.filter((x) => x.id === 'DEEP-1').map((x) => [x.attribute, x.code])).toEqual([['title', 'MM_REQUIRED']]);
    expect(report.find((x) => x.id === 'DEEP-1')!.message).toContain('(a value nested too deeply to show)');
    expect(readFileSync(join(dir, 'out/feed.csv'), 'utf8')).toContain('OK-1');
  });

  it('products feed: a deep value in an extra column is FEED_UNWRITABLE_VALUE for that record only', async () => {
    const dir = dirWith({ 'p.yaml': productsPipeline, 'in.json': `[${product('DEEP-2', `,"specs":${deep}`)}, ${product('OK-2')}]` });
    const s = await runPipeline(join(dir, 'p.yaml'));
    expect([s.written, s.rejected]).toEqual([1, 1]);
    expect(rows(s.rejectReport).map((x) => [x.id, x.code, x.message])).toEqual([['DEEP-2', 'FEED_UNWRITABLE_VALUE', 'a value is nested too deeply to write (thousands of levels)']]);
  });

  it('csv and json destinations: CSV_/JSON_UNWRITABLE_VALUE saying the value is nested too deeply', async () => {
    for (const type of ['csv', 'json'] as const) {
      const dir = dirWith({
        'in.json': `[{"ref":"A","d":${deep}},{"ref":"B","d":1}]`,
        'p.yaml': `version: 1\nname: deep\nsource: { type: json, path: in.json }\ndestination: { type: ${type}, output: out.${type} }\n`,
      });
      const s = await runPipeline(join(dir, 'p.yaml'));
      expect([s.written, s.rejected]).toEqual([1, 1]);
      const [row] = rows(s.rejectReport);
      expect([row!.code, row!.message]).toEqual([`${type.toUpperCase()}_UNWRITABLE_VALUE`, `cannot write the record as ${type.toUpperCase()}: a value is nested too deeply to write (thousands of levels)`]);
    }
  });
});

describe('a full disk', () => {
  afterEach(() => setWriteFaultForTests(undefined));
  const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });

  it('while writing the feed: IO_DISK_FULL naming the feed, the previous feed untouched, no temporary file left', async () => {
    const dir = dirWith({
      'in.csv': 'ref,name\nA1,Perceuse\nA2,Scie\n',
      'p.yaml': 'version: 1\nname: full\nsource: { type: csv, path: in.csv }\ndestination: { type: csv, output: out/feed.csv }\n',
    });
    await runPipeline(join(dir, 'p.yaml'));
    const before = readFileSync(join(dir, 'out/feed.csv'), 'utf8');
    writeFileSync(join(dir, 'in.csv'), 'ref,name\nB1,Marteau\n');
    setWriteFaultForTests((target) => (target.endsWith('feed.csv') ? enospc : undefined));
    const err = (await runPipeline(join(dir, 'p.yaml')).catch((e: unknown) => e)) as { code?: string; message?: string; hint?: string; summary?: { outputs: string[] } };
    expect(err.code).toBe('IO_DISK_FULL');
    expect(err.message).toBe(`no space left on the device to write ${join(dir, 'out/feed.csv')}; nothing was committed: the previous file, if any, is untouched`);
    expect(err.hint).toMatch(/free space on the disk that holds .*out/);
    expect(err.summary?.outputs).toEqual([]);
    expect(readFileSync(join(dir, 'out/feed.csv'), 'utf8')).toBe(before);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('while writing the reject report: IO_DISK_FULL naming the report (exit 3 from the CLI path), not a crash', async () => {
    const dir = dirWith({
      'in.csv': 'ref,price\nA1,1\nA2,x\n',
      'p.yaml': 'version: 1\nname: full\nsource: { type: csv, path: in.csv }\nmapping:\n  attributes:\n    sku: ref\n    price: $number(price)\ndestination: { type: csv, output: out/feed.csv }\n',
    });
    setWriteFaultForTests((target) => (target.endsWith('.rejects.csv') ? enospc : undefined));
    const err = (await runPipeline(join(dir, 'p.yaml')).catch((e: unknown) => e)) as { code?: string; message?: string };
    expect(err.code).toBe('IO_DISK_FULL');
    expect(err.message).toContain(join(dir, 'out/feed.rejects.csv'));
    expect(formatFailure('run', err)).toMatch(/^manoflow run: IO_DISK_FULL no space left on the device to write .*feed\.rejects\.csv.*\n  hint: free space/);
  });

  it.skipIf(!canMountTmpfs())('for real, on a 64 KiB tmpfs: exit 3, IO_DISK_FULL naming the file, the previous feed intact', async () => {
    const dir = dirWith({ 'p.yaml': 'version: 1\nname: tiny\nsource: { type: csv, path: in.csv }\ndestination: { type: csv, output: disk/feed.csv }\n' });
    mkdirSync(join(dir, 'disk'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', join(dir, 'disk')]);
    try {
      writeFileSync(join(dir, 'in.csv'), 'ref,name\nA1,Perceuse\n');
      expect((await runCli(['run', join(dir, 'p.yaml')])).code).toBe(0);
      const before = readFileSync(join(dir, 'disk/feed.csv'), 'utf8');
      writeFileSync(join(dir, 'in.csv'), `ref,name\n${Array.from({ length: 4000 }, (_, i) => `R${i},${'x'.repeat(40)}`).join('\n')}\n`);
      const r = await runCli(['run', join(dir, 'p.yaml')]);
      expect(r.code).toBe(3);
      expect(r.stdout + r.stderr).toMatch(/IO_DISK_FULL no space left on the device to write .*disk\/feed\.csv/);
      expect(r.stdout + r.stderr).not.toMatch(/unexpected error|\n\s+at /);
      expect(readFileSync(join(dir, 'disk/feed.csv'), 'utf8')).toBe(before);
      expect(readdirSync(join(dir, 'disk')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      execFileSync('umount', [join(dir, 'disk')]);
    }
  });
});

describe('an error manoflow does not expect', () => {
  it('gets a code and a sentence; the stack only with MANOFLOW_DEBUG', () => {
    expect(describeFailure(new RangeError('Maximum call stack size exceeded'))).toMatchObject({ code: 'RUN_TOO_DEEP' });
    expect(describeFailure(Object.assign(new Error('nope'), { code: 'ENOSPC', path: '/x/state.json' }))).toMatchObject({ code: 'IO_DISK_FULL', message: 'no space left on the device (/x/state.json)' });
    const bug = new TypeError('x is not a function');
    const saved = process.env.MANOFLOW_DEBUG;
    delete process.env.MANOFLOW_DEBUG;
    try {
      const text = formatFailure('run', bug);
      expect(text).toMatch(/^manoflow run: INTERNAL_ERROR manoflow stopped on an error it does not expect: TypeError: x is not a function\n  hint: this is a bug in manoflow/);
      expect(text).not.toMatch(/\n\s+at /);
      process.env.MANOFLOW_DEBUG = '1';
      expect(formatFailure('run', bug)).toMatch(/\n\s+at /);
    } finally {
      if (saved === undefined) delete process.env.MANOFLOW_DEBUG;
      else process.env.MANOFLOW_DEBUG = saved;
    }
  });
});

/** True when this process may mount a tmpfs (root in a container that allows it). */
function canMountTmpfs(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'mf-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
