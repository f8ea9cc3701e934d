/**
 * watchPipeline as a library: events in order ('run' with a diff from the second run on,
 * 'invalid' with located diagnostics and the kept last good run), targets, and close().
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { watchPipeline, type WatchHandle, type WatchInvalidEvent, type WatchRunEvent } from '../../engine/watch/index.js';
import { copyFixture } from './harness.js';

let handle: WatchHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

/** The next `event` the handle emits (an 'error' fails it; a deadline stops a hung test). */
function next<T>(h: WatchHandle, event: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' event within 90 s`)), 90_000);
    const done = (fn: () => void) => { clearTimeout(timer); h.off(event, onEvent); h.off('error', onError); fn(); };
    const onEvent = (e: T) => done(() => resolve(e));
    const onError = (err: unknown) => done(() => reject(err));
    h.on(event, onEvent);
    h.on('error', onError);
  });
}

test('emits run, then run with a diff after an atomic save, then invalid keeping the last good run; close() ends it', async () => {
  const dir = copyFixture('catalog');
  const file = join(dir, 'pipeline.yaml');
  handle = await watchPipeline(file, { limit: 2, debounceMs: 50 });
  expect(handle.mode).toBe('file');
  expect(handle.previewDir).toBe(join(dir, '.manoflow/preview/watch-demo'));
  expect([...handle.targets.files.values()].sort()).toEqual(['lookup', 'pipeline', 'rule', 'rule', 'schema']);

  const first = await next<WatchRunEvent>(handle, 'run');
  expect(first).toMatchObject({ runs: 1, mode: 'file', diff: undefined, summary: { read: 2, written: 2, limited: true } });
  expect(first.summary.outputs).toEqual([join(dir, '.manoflow/preview/watch-demo/feed.csv')]);

  // An editor's atomic save: write a temp file, rename it over the pipeline.
  const second = next<WatchRunEvent>(handle, 'run');
  writeFileSync(`${file}.tmp`, readFileSync(file, 'utf8').replace('colour: $lookup', 'color_name: $lookup'));
  renameSync(`${file}.tmp`, file);
  const run = await second;
  expect(run.diff?.attributes.map((a) => [a.attribute, a.count])).toEqual([['color_name', 2], ['colour', 2]]);

  const invalid = next<WatchInvalidEvent>(handle, 'invalid');
  writeFileSync(file, readFileSync(file, 'utf8').replace('version: 1', 'version: one'));
  const e = await invalid;
  expect(e.lastGood).toBe(run.summary);
  expect(e.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.pointer])).toEqual([[1, '/version']]);

  await handle.close();
  await handle.close(); // idempotent
  handle = undefined;
});
