/**
 * Removes the "lines" tesseract sometimes makes of Vietnamese tone and vowel marks alone.
 *
 * Vietnamese stacks up to two marks above a letter (`Ẩ`, `ễ`), and tesseract's layout analysis
 * (page segmentation modes 3 and 4) now and then takes the row of marks above a line of text for
 * a text line of its own: a thin line, lying over the top of the real line, read as junk such as
 * `R * z ~ 2 \` 7. ^ ¬` with low confidence. (Seen on a three-line image of the test sentences;
 * mode 6, one uniform block, never does it, but cannot read two columns.)
 *
 * A line is dropped when all of these hold for some other line M of the page:
 * - it is less than 60% as tall as M;
 * - it overlaps M vertically, starting above M's top (marks sit above the letters);
 * - at least half its width lies over M (the same column: a small line beside M in the next
 *   column is kept);
 * - and it looks like junk: mean word confidence under 70, or fewer than half of its characters
 *   letters.
 * Real lines of text never overlap another line of the same column like this.
 */
import type { PageText, PageWord } from '../../app/digital/media.js';

interface Line {
  n: number;
  words: PageWord[];
  top: number;
  bottom: number;
  left: number;
  right: number;
}

function looksLikeJunk(words: readonly PageWord[]): boolean {
  const conf = words.reduce((s, w) => s + w.c, 0) / words.length;
  const chars = Array.from(words.map((w) => w.text).join(''));
  const letters = chars.filter((c) => /\p{L}/u.test(c)).length;
  return conf < 70 || letters < chars.length / 2;
}

/** `page` without lines of marks alone; the page itself when there are none. */
export function dropMarkLines(page: PageText): PageText {
  const byLine = new Map<number, PageWord[]>();
  for (const w of page.words) {
    const l = byLine.get(w.line);
    if (l) l.push(w);
    else byLine.set(w.line, [w]);
  }
  const lines: Line[] = [...byLine].map(([n, words]) => ({
    n,
    words,
    top: Math.min(...words.map((w) => w.y)),
    bottom: Math.max(...words.map((w) => w.y + w.h)),
    left: Math.min(...words.map((w) => w.x)),
    right: Math.max(...words.map((w) => w.x + w.w)),
  }));
  const drop = new Set<number>();
  for (const l of lines) {
    const h = l.bottom - l.top;
    const width = l.right - l.left;
    if (h <= 0 || width <= 0) continue;
    const over = lines.some((m) => {
      if (m === l) return false;
      const mh = m.bottom - m.top;
      if (h >= 0.6 * mh) return false;
      if (!(l.top < m.top && l.bottom > m.top)) return false;
      const shared = Math.min(l.right, m.right) - Math.max(l.left, m.left);
      return shared >= width / 2;
    });
    if (over && looksLikeJunk(l.words)) drop.add(l.n);
  }
  if (drop.size === 0) return page;
  // Renumber the lines that stay, in their order, and rebuild the text from them.
  const kept = page.words.filter((w) => !drop.has(w.line));
  const renumber = new Map<number, number>();
  const words = kept.map((w) => {
    if (!renumber.has(w.line)) renumber.set(w.line, renumber.size);
    return { ...w, line: renumber.get(w.line)! };
  });
  const text: string[][] = [];
  for (const w of words) (text[w.line] ??= []).push(w.text);
  const confidence = words.length ? Math.round((100 * words.reduce((s, w) => s + w.c, 0)) / words.length) / 100 : 0;
  return { ...page, words, text: text.map((l) => l.join(' ')).join('\n'), confidence };
}
