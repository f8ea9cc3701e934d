/**
 * "Did you mean ...?" suggestions for unknown names (rule boxes, fields, connector types), shared
 * by every place that reports a misspelt name.
 */

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return 0;
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  const rows = s.length + 1;
  const cols = t.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j]!;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      d[i * cols + j] = v;
    }
  }
  return at(rows - 1, cols - 1);
}

/**
 * Returns the closest candidates (best first, at most `max`), or [] when nothing is close enough.
 * Close enough: distance <= max(1, floor(length / 3)), or one name contains the other
 * (`html` → `strip_html`), or they match once `_`/`-` are ignored.
 */
export function didYouMean(word: string, candidates: Iterable<string>, max = 3): string[] {
  const norm = (x: string): string => x.toLowerCase().replace(/[_\-\s]/g, '');
  const w = norm(word);
  const scored: { name: string; score: number }[] = [];
  for (const c of new Set(candidates)) {
    if (c === word) continue;
    const n = norm(c);
    const dist = editDistance(word, c);
    const limit = Math.max(1, Math.floor(Math.max(word.length, 1) / 3));
    let score: number | undefined;
    if (w === n) score = 0;
    else if (dist <= limit) score = dist;
    else if (w.length >= 4 && (n.includes(w) || w.includes(n))) score = limit + 1 + Math.abs(n.length - w.length) / 100;
    if (score !== undefined) scored.push({ name: c, score });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, max).map((s) => s.name);
}

/** Formats suggestions as a hint: `did you mean "truncate"?` (or `""` when there are none). */
export function didYouMeanHint(word: string, candidates: Iterable<string>): string {
  const found = didYouMean(word, candidates);
  if (found.length === 0) return '';
  return `did you mean ${found.map((f) => `"${f}"`).join(' or ')}?`;
}
