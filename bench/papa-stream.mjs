// papaparse reading a catalogue and writing rows back, with an optional per-chunk transform: the
// loop shared by the limit (no transform) and the hand-written floor (floor.mjs).
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import Papa from 'papaparse';

/**
 * Parses `catalog` (';') and writes `rows(data)` of each chunk to `output`; `header: true` gives
 * objects (the floor), false arrays with the header row dropped (the limit). Returns the row count.
 */
export async function papaStream(catalog, output, { header, rows = (data) => data }) {
  const out = createWriteStream(output, { encoding: 'utf8' });
  let count = 0;
  let first = !header;
  await new Promise((resolvePromise, reject) => {
    // `encoding: 'utf8'`: a raw Buffer stream breaks characters at 64 KiB boundaries (the papaparse trap).
    Papa.parse(createReadStream(catalog, { encoding: 'utf8' }), {
      delimiter: ';', header,
      chunk(result, parser) {
        let data = result.data;
        if (first) { first = false; data = data.slice(1); }
        count += data.length;
        const text = Papa.unparse(rows(data), { delimiter: ';', newline: '\n' }) + '\n';
        if (!out.write(text)) { parser.pause(); out.once('drain', () => parser.resume()); }
      },
      complete: () => resolvePromise(),
      error: reject,
    });
  });
  out.end();
  await once(out, 'close');
  return count;
}
