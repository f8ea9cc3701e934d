/**
 * How the user runs manoflow here, so the commands we print (init's next steps, hints) can be
 * pasted as they are: `npx manoflow` for a project dependency, `node bin/manoflow.js` in a clone,
 * `manoflow` when it is on the PATH (a global install or `npm link`).
 */
import { basename, dirname, isAbsolute, relative, sep } from 'node:path';

/** Why: `manoflow ...` does not work in a project where manoflow is only a dependency. */
export function cliCommand(options: { cwd?: string; script?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const script = options.script ?? process.argv[1] ?? '';
  const env = options.env ?? process.env;
  // Started as `node path/to/bin/manoflow.js`: say the same, relative to here when that is shorter.
  if (basename(script) === 'manoflow.js') {
    const rel = relative(cwd, script);
    const shown = rel && !isAbsolute(rel) && rel.length < script.length ? rel : script;
    return `node ${shown.split(sep).join('/')}`;
  }
  // npx / npm exec, or the link npm puts in node_modules/.bin.
  if (env.npm_command === 'exec' || basename(dirname(script)) === '.bin') return 'npx manoflow';
  return 'manoflow';
}
