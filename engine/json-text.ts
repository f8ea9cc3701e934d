/**
 * JSON text of record data that never crashes a run. JSON.stringify throws on a value nested
 * thousands of levels deep (RangeError: the stack runs out), a cycle or a BigInt (TypeError); a
 * source record can be any of those, and a message that quotes a value must still be written.
 */

/** The JSON text of a value, or undefined when it has none (too deep, a cycle, a BigInt) or JSON gives none. */
export function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** Why the value has no JSON text, in words a user can act on (from JSON.stringify's error). */
export function unwritableReason(err: unknown): { message: string; hint: string } {
  if (err instanceof RangeError) {
    return {
      message: 'a value is nested too deeply to write (thousands of levels)',
      hint: 'map only the fields you need from that value, or leave it out of the output (automap: false); a source record nested this deeply is usually a broken export',
    };
  }
  const text = err instanceof Error ? err.message : String(err);
  return {
    message: /circular/i.test(text) ? 'a value contains itself (a circular structure)' : /bigint/i.test(text) ? 'a value is a BigInt, which JSON cannot hold' : `a value has no JSON form (${text})`,
    hint: 'map only the fields you need from that value, or convert it in the mapping (e.g. $string(x))',
  };
}

/** A value quoted for a message: JSON, shortened to `max` characters; never throws. */
export function showValue(value: unknown, max = 80): string {
  if (value === undefined) return '(empty)';
  let text: string;
  if (typeof value === 'string' || (typeof value === 'object' && value !== null)) {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch (err) {
      text = err instanceof RangeError ? '(a value nested too deeply to show)' : '(a value with no JSON form)';
    }
  } else text = String(value);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
