/**
 * What every CLI command is: a name, one line of help, usage text, and a `run` that returns the
 * exit code. One file per command; `main.ts` holds the table (lazy imports keep start-up fast).
 */
import { parseArgs } from 'node:util';
import { ManoflowError } from '../errors.js';

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

/** Exit codes, stable for cron and scripts. */
export const EXIT = {
  ok: 0,
  /** The run completed but rejected or failed some records. */
  rejected: 1,
  /** Usage or configuration error: nothing ran. */
  config: 2,
  /** The run failed (I/O, API, safety limit): nothing was committed. */
  failed: 3,
  /** Stopped by Ctrl-C (SIGINT): nothing was committed. */
  interrupted: 130,
  /** Stopped by SIGTERM (a supervisor, `timeout`, systemd): nothing was committed (128 + 15, as a shell reports it). */
  terminated: 143,
} as const;

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };
type OptionValues<T extends Record<string, OptionSpec>> = {
  [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : T[K] extends { multiple: true } ? string[] : string;
};

/** node:util parseArgs with a clear usage error instead of a stack trace. */
export function parseCommandArgs<T extends Record<string, OptionSpec>>(
  argv: string[],
  options: T,
  usage: string,
): { values: OptionValues<T>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: parsed.values as OptionValues<T>, positionals: parsed.positionals };
  } catch (err) {
    throw new ManoflowError('CLI_USAGE', (err as Error).message, { hint: `usage: ${usage}` });
  }
}

/** Parses a positive integer flag, or fails with a usage error naming the flag. */
export function intFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ManoflowError('CLI_USAGE', `--${name} expects a whole number, got "${value}"`);
  return n;
}

/** `--market fr --market de` or `--market fr,de`: the markets to run (undefined: all). */
export function marketsFlag(values: string[] | undefined): string[] | undefined {
  const names = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return names.length > 0 ? names : undefined;
}
