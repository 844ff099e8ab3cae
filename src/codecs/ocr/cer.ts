/**
 * Character error rate (CER), the usual measure of OCR accuracy: the edit distance (insertions,
 * deletions, substitutions of one code point each) between the recognised text and the true text,
 * divided by the true text's length. 0 is perfect; 0.01 is one wrong character in a hundred.
 *
 * Both texts are compared after `normaliseForCer`: NFC (so a precomposed `ệ` and `e` + two
 * combining marks count as the same letter) and every run of white space, line breaks included,
 * made one space: line layout is not what CER measures.
 */

/** NFC, white space runs as one space, trimmed. */
export function normaliseForCer(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/**
 * Levenshtein distance between `a` and `b` in code points (not UTF-16 units, so an astral
 * character counts once). Two rows of memory: O(|a|·|b|) time, O(|b|) space.
 */
export function editDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  let prev = new Uint32Array(y.length + 1);
  let cur = new Uint32Array(y.length + 1);
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    const xi = x[i - 1];
    for (let j = 1; j <= y.length; j++) {
      const sub = prev[j - 1]! + (xi === y[j - 1] ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length]!;
}

/**
 * The character error rate of `recognised` against `truth`, both normalised first. An empty truth
 * gives 0 when nothing was recognised and 1 otherwise (anything read is wrong).
 */
export function characterErrorRate(recognised: string, truth: string): number {
  const r = normaliseForCer(recognised);
  const t = normaliseForCer(truth);
  const n = Array.from(t).length;
  if (n === 0) return r.length === 0 ? 0 : 1;
  return editDistance(r, t) / n;
}
