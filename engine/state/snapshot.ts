/**
 * Keyed snapshots (the offers' last-sent price and stock per contract, import cursors): small JSON
 * documents replaced atomically, updated only after ManoMano confirmed what was sent.
 */
import { join } from 'node:path';
import { readJsonFile, writeJsonFileAtomic } from './files.js';

export class SnapshotStore<T> {
  readonly path: string;
  constructor(stateDir: string, kind: string, name: string) {
    this.path = join(stateDir, kind, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
  }
  load(fallback: T): T {
    return readJsonFile<T>(this.path, fallback);
  }
  save(value: T): void {
    writeJsonFileAtomic(this.path, value);
  }
}
