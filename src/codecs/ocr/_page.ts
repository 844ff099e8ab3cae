/**
 * What the hOCR and ALTO readers share: turning words tagged with the line they came from into a
 * `PageText`.
 */
import type { PageText, PageWord } from '../../app/digital/media.js';

/** A word with the serial of the line it was found in (consecutive words of a line share it). */
export type GroupedWord = Omit<PageWord, 'line'> & { group: number };

/**
 * Groups words into a `PageText`: lines numbered from 0 in order, words joined by spaces and lines
 * by `\n`, the mean confidence rounded to 0.01. Without a page size, the words' extent is used.
 */
export function pageTextFromWords(
  words: readonly GroupedWord[],
  size: { width: number; height: number },
  source?: PageText['source'],
): PageText {
  const out: PageWord[] = [];
  const lines: string[][] = [];
  let lastGroup: number | undefined;
  for (const w of words) {
    if (w.group !== lastGroup) {
      lines.push([]);
      lastGroup = w.group;
    }
    lines[lines.length - 1]!.push(w.text);
    out.push({ text: w.text, x: w.x, y: w.y, w: w.w, h: w.h, c: w.c, line: lines.length - 1 });
  }
  const confidence = out.length ? Math.round((100 * out.reduce((s, w) => s + w.c, 0)) / out.length) / 100 : 0;
  let { width, height } = size;
  if (!(width > 0) || !(height > 0)) {
    width = out.reduce((m, w) => Math.max(m, w.x + w.w), 0);
    height = out.reduce((m, w) => Math.max(m, w.y + w.h), 0);
  }
  const page: PageText = { text: lines.map((l) => l.join(' ')).join('\n'), words: out, confidence, width, height };
  if (source) page.source = source;
  return page;
}
