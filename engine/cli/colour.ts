/**
 * Colour for people at a terminal, never in files, pipes or logs: on when the stream is a TTY,
 * off with NO_COLOR (https://no-color.org) or TERM=dumb; FORCE_COLOR=1 / FORCE_COLOR=0 override.
 */

/** The styles the CLI uses; each is the identity when colour is off. */
export interface Palette {
  enabled: boolean;
  error(text: string): string;
  warning(text: string): string;
  ok(text: string): string;
  code(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/** Why: one decision for every printer, so a pipe never receives escape codes. */
export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string) => text;

/** The palette for one output stream (stdout and stderr may differ: `run > out.txt`). */
export function palette(stream: { isTTY?: boolean } = process.stderr, env: NodeJS.ProcessEnv = process.env): Palette {
  const on = colourEnabled(stream, env);
  return {
    enabled: on,
    error: on ? sgr(31, 39) : plain,
    warning: on ? sgr(33, 39) : plain,
    ok: on ? sgr(32, 39) : plain,
    code: on ? sgr(1, 22) : plain,
    dim: on ? sgr(2, 22) : plain,
    bold: on ? sgr(1, 22) : plain,
  };
}
