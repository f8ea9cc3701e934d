/**
 * What every CLI command is: a name, one line of help, usage text, its flags (each described, for
 * `--help` and for "did you mean" on a typo), and a `run` that returns the exit code. One file per
 * command; `main.ts` holds the table (lazy imports keep start-up fast).
 */
import { parseArgs } from 'node:util';
import { ManoflowError } from '../errors.js';
import { didYouMean } from '../rules/did-you-mean.js';

/** One flag: its type, an optional short form, the placeholder of its value, and what it does. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help for a string flag: `N`, `PATH`, `SKU`. */
  value?: string;
  description: string;
}

export type Flags = Record<string, FlagSpec>;

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Every flag the command takes; `--help` lists them and a typo gets the nearest one. */
  flags: Flags;
  /** Lines printed after the flags in `--help` (examples, notes). */
  notes?: string[];
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

type OptionValues<T extends Flags> = {
  [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : T[K] extends { multiple: true } ? string[] : string;
};

/** `--limit N`, `-o, --output PATH`: a flag as help shows it. */
export function flagLabel(name: string, spec: FlagSpec): string {
  const long = `--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
  return spec.short ? `-${spec.short}, ${long}` : long;
}

/** The text of `manoflow help CMD` and `manoflow CMD --help`. */
export function formatCommandHelp(command: CliCommand): string {
  const entries = Object.entries(command.flags).map(([name, spec]) => [flagLabel(name, spec), spec.description] as const);
  entries.push(['-h, --help', 'show this help']);
  const width = Math.min(28, Math.max(...entries.map(([label]) => label.length)));
  const lines = entries.map(([label, text]) => (label.length > width ? `  ${label}\n  ${' '.repeat(width)}  ${text}` : `  ${label.padEnd(width)}  ${text}`));
  return `usage: ${command.usage}\n\n${command.summary}\n\noptions:\n${lines.join('\n')}\n${command.notes?.length ? `\n${command.notes.join('\n')}\n` : ''}`;
}

/** An unknown `--flag`, with the nearest flags of this command (the same helper as pipeline diagnostics). */
function unknownFlag(option: string, flags: Flags, usage: string): ManoflowError {
  const names = Object.keys(flags);
  const bare = option.replace(/^-+/, '').split('=')[0]!;
  const near = option.startsWith('--') ? didYouMean(bare, names) : names.filter((n) => flags[n]!.short === bare);
  const hint = near.length ? `did you mean ${near.map((n) => `"--${n}"`).join(' or ')}?` : `usage: ${usage}`;
  return new ManoflowError('CLI_UNKNOWN_FLAG', `unknown option "${option}"`, { hint });
}

/** node:util parseArgs with a clear usage error (and a suggestion for a misspelt flag) instead of a stack trace. */
export function parseCommandArgs<T extends Flags>(
  argv: string[],
  flags: T,
  usage: string,
): { values: OptionValues<T>; positionals: string[] } {
  const options = Object.fromEntries(Object.entries(flags).map(([name, { type, short, multiple }]) => [name, { type, ...(short ? { short } : {}), ...(multiple ? { multiple } : {}) }]));
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: parsed.values as OptionValues<T>, positionals: parsed.positionals };
  } catch (err) {
    const e = err as { code?: string; message: string };
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /Unknown option '([^']+)'/.exec(e.message)?.[1];
      if (option) throw unknownFlag(option, flags, usage);
    }
    throw new ManoflowError('CLI_USAGE', e.message, { hint: `usage: ${usage}` });
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
