/**
 * Secret redaction. Secrets (API keys from the environment) are registered once when a pipeline
 * is loaded; every report, log line and error message passes through `redact` before it leaves
 * the process, so a key can never be printed even when an upstream error echoes it.
 */

const secrets = new Set<string>();

/** Registers a value that must never be printed. Short values are ignored: they would redact noise. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) secrets.add(value);
}

/** Replaces every registered secret in `text` with `***`. */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
  return out;
}
