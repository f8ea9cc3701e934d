/**
 * Text matching for category names in five languages: case, accents, punctuation and word order
 * do not matter, plurals meet their singular ("Perceuses" = "perceuse", "Bohrmaschinen" =
 * "Bohrmaschine", "trapani" = "trapano"), and a typo or a compound word still scores.
 */

/** Small words that carry no category meaning, in the five catalogue languages. */
const STOPWORDS = new Set([
  'de', 'du', 'des', 'la', 'le', 'les', 'et', 'a', 'au', 'aux', 'en', 'pour', 'd', 'l', 'sur', 'avec', 'un', 'une',
  'und', 'fur', 'mit', 'der', 'die', 'das', 'von', 'zum', 'zur', 'im', 'aus',
  'del', 'las', 'los', 'el', 'y', 'para', 'con', 'por',
  'di', 'da', 'della', 'dei', 'delle', 'e', 'per', 'il', 'in', 'lo', 'gli',
  'and', 'for', 'with', 'the', 'of', 'to',
]);

/** Lower case, no accents or ligatures, every run of non-letters and non-digits one space. */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/ß/g, 'ss').replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ø/g, 'o')
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    // "18v", "1400w", "e27" side by side with "18 V": numbers and letters apart (only when a word starts with digits).
    .replace(/\b(\d+)([a-z]+)\b/g, '$1 $2')
    .trim();
}

/**
 * Why: one crude stem for five languages is enough when both sides go through it: a trailing
 * s / x (fr, es, en), -en → -e (de), then a final vowel (it -o/-i, es -o, fr -e) go.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length > 3 && (w.endsWith('s') || w.endsWith('x'))) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('en')) w = w.slice(0, -1);
  if (w.length > 4 && /[aeio]$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** The stems of a text, stopwords dropped (kept when nothing else is left). */
export function tokens(text: string): string[] {
  const words = normalizeText(text).split(' ').filter(Boolean);
  const kept = words.filter((w) => !STOPWORDS.has(w));
  return (kept.length ? kept : words).map(stem);
}

/** Trigrams of each stem seen: a tree has a few thousand distinct stems, each compared thousands of times. */
const trigramCache = new Map<string, Set<string>>();

function trigrams(w: string): Set<string> {
  let out = trigramCache.get(w);
  if (out) return out;
  const padded = `  ${w} `;
  out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  if (trigramCache.size > 50_000) trigramCache.clear();
  trigramCache.set(w, out);
  return out;
}

/** How well two stems match, 0..1: equal 1; one inside the other (compounds: "akkubohrschrauber") 0.85; else trigram overlap. */
export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 4 && long.includes(short)) return 0.85;
  if (short.length < 3) return 0;
  const ta = trigrams(a);
  const tb = trigrams(b);
  let common = 0;
  for (const t of ta) if (tb.has(t)) common++;
  const dice = (2 * common) / (ta.size + tb.size);
  return dice >= 0.55 ? dice * 0.9 : 0;
}

/** The best match of `token` among `among`, 0..1. */
export function bestMatch(token: string, among: readonly string[]): number {
  let best = 0;
  for (const t of among) {
    const s = tokenSimilarity(token, t);
    if (s > best) best = s;
    if (best === 1) break;
  }
  return best;
}
