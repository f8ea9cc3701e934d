/**
 * Text from records (a SKU, a column name, a message quoting a value) printed to a terminal: its
 * control characters are shown escaped, never sent. A SKU holding ESC sequences cleared the
 * screen under `plan`; a line break in a value could forge a line of the output; a bidirectional
 * override could show text in another order than it is.
 */

// C0 controls but tab and line feed, DEL, C1 controls (0x9b is a one-byte CSI), and the Unicode
// bidirectional embeddings, overrides and isolates.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_IN_FIELD = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function escape(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A multi-line text for a terminal: line breaks and tabs kept, every other control character escaped. */
export function terminalSafe(text: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text) ? text.replace(UNSAFE, escape) : text;
}

/** One field of a one-line record display (an id, a value): line breaks and tabs escaped too. */
export function terminalField(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  UNSAFE_IN_FIELD.lastIndex = 0;
  return UNSAFE_IN_FIELD.test(text) ? text.replace(UNSAFE_IN_FIELD, escape) : text;
}
