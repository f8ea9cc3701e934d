/**
 * Whether a run would write over a file it reads (or two of its outputs over each other), by file
 * identity and not by path text: a symlink, `./a/../b`, a hard link or a bind mount name the same
 * file through different texts. One function takes the resolved input and output paths, so every
 * way of naming them (output templates, lookup `path:` objects, run options) can feed it.
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';

/** A file a run reads or writes, as the user knows it. */
export interface FileRole {
  /** The path as resolved from the pipeline (absolute; symlinks not followed). */
  path: string;
  /** What the file is for the user: "the source", 'lookup "categories"', "the reject report"... */
  what: string;
  /** JSON pointer of the setting that names it, when the pipeline does. */
  pointer?: string;
  /** For inputs: the stable code of a collision with it (the source keeps CFG_OUTPUT_IS_SOURCE). */
  code?: string;
  /** For a file named by a run option rather than the pipeline: the flag (`--output`). */
  flag?: string;
  /** A report placed beside the output: `pointer` is the output's setting, not its own name. */
  besideOutput?: boolean;
}

/** One collision: `output` would replace `other`, an input, or another output of the same run. */
export interface Overlap { output: FileRole; other: FileRole; otherIsOutput: boolean; how: string }

/**
 * Why: identity must hold for files that exist (device + inode: symlinks, hard links, bind mounts)
 * and for outputs not written yet (the real path of the nearest existing folder, then the rest).
 */
export function fileIdentity(path: string): { key: string; real: string } {
  try {
    const st = statSync(path);
    return { key: `inode:${st.dev}:${st.ino}`, real: realpathSync.native(path) };
  } catch {
    const real = realOfMissing(path);
    return { key: `path:${real}`, real };
  }
}

/** The real path of a file that does not exist: its nearest existing folder resolved, the rest appended. */
function realOfMissing(path: string): string {
  const rest: string[] = [];
  let dir = resolve(path);
  for (;;) {
    try {
      return join(realpathSync.native(dir), ...rest.reverse());
    } catch {
      const up = dirname(dir);
      if (up === dir) return resolve(path);
      rest.push(basename(dir));
      dir = up;
    }
  }
}

/** Every output that is an input or another output, once per pair, outputs in the order given. */
export function findOverlaps(inputs: readonly FileRole[], outputs: readonly FileRole[]): Overlap[] {
  const ids = new Map<string, { key: string; real: string }>();
  const id = (p: string) => {
    let known = ids.get(p);
    if (!known) ids.set(p, (known = fileIdentity(p)));
    return known;
  };
  const how = (a: FileRole, b: FileRole) => {
    const ra = id(a.path).real;
    return resolve(a.path) === resolve(b.path) ? 'the same path' : ra === id(b.path).real ? `the same file through ${linkOf(a.path, b.path)}` : 'the same file (a hard link)';
  };
  const out: Overlap[] = [];
  outputs.forEach((output, i) => {
    for (const input of inputs) {
      if (id(output.path).key === id(input.path).key) out.push({ output, other: input, otherIsOutput: false, how: how(output, input) });
    }
    for (const other of outputs.slice(0, i)) {
      if (id(output.path).key === id(other.path).key) out.push({ output, other, otherIsOutput: true, how: how(output, other) });
    }
  });
  return out;
}

/** "a symlink" or "a different path", for the message. */
function linkOf(a: string, b: string): string {
  return resolve(a) === realOrSelf(a) && resolve(b) === realOrSelf(b) ? 'a different spelling of its path' : 'a symlink';
}

function realOrSelf(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return resolve(p);
  }
}

/** True when `path` (resolved through symlinks) lies inside `dir` (resolved too). */
export function isInside(path: string, dir: string): boolean {
  const root = fileIdentity(dir).real;
  const real = fileIdentity(path).real;
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}
