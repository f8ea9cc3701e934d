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

const SECRET_NAME = /KEY|SECRET|TOKEN|PASS/i;

/**
 * Registers the value of every environment variable whose name says it is a secret
 * (…KEY, …SECRET, …TOKEN, …PASSWORD), whether or not the pipeline uses it: a key can reach a
 * message through another variable or a copy-paste, and must be hidden there too.
 */
export function registerSecretsFromEnv(env: Record<string, string | undefined>): void {
  // Eight characters at least: short values ("1", "true") would redact ordinary words.
  for (const [name, value] of Object.entries(env)) if (SECRET_NAME.test(name) && value && value.length >= 8) registerSecret(value);
}
