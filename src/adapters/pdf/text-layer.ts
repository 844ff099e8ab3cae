/**
 * A PDF page's own text (what pdf.js's `getTextContent` returns) as a `PageText`: words with
 * boxes in the pixels of an image of the page `width` px wide, grouped into lines by baseline.
 *
 * pdf.js gives text runs ("items"): a string, a transform placing its baseline origin in PDF user
 * space, the run's advance width and the font's ascent and descent. A run may hold several words
 * or only part of one (PDFs often place each glyph or syllable on its own). So:
 * 1. Each run is split at white space; a word's share of the run's width is its share of the
 *    run's characters (exact for monospace, close enough for highlighting otherwise), and its box
 *    spans the font's ascent to its descent.
 * 2. Runs join the current line, in the order the PDF draws them, while their baseline stays
 *    within half a font height of the line's; another baseline, pdf.js's end-of-line mark or a
 *    new writing direction starts a new line. (So the lines of two columns drawn one column after
 *    the other stay apart, as only consecutive runs are compared.) Words are then put in order
 *    along their line, as some producers draw a line's words out of order.
 * 3. Pieces of one line that touch (a gap under 0.15 of the font size, no space between them)
 *    are one word: `Vi` + `ệt` is `Việt`, and a base letter followed by a combining mark drawn
 *    on its own becomes one NFC letter.
 * Words lying wholly outside the page are dropped (hidden text some producers park off-page).
 *
 * When is a text layer usable (`assessTextLayer`)? When it has at least `MIN_LETTERS` (20) letters
 * and no more than `MAX_BAD_SHARE` (10%) of its non-space characters are U+FFFD, private-use or
 * control characters, which is what fonts without a Unicode mapping extract to. Fewer letters is
 * a scan with a stray caption or page number, where OCR reads more; more garbage is a layer that
 * would only pollute search. (A font whose codes map to wrong but ordinary letters cannot be told
 * from text this way.)
 */
import type { PageText, PageWord } from '../../app/digital/media.js';

/** The parts of a pdf.js `TextItem` used here. */
export interface TextRun {
  str: string;
  /** [a, b, c, d, e, f]: text space → PDF user space at the run's origin. */
  transform: readonly number[];
  /** Advance width in user space units. */
  width: number;
  fontName: string;
  hasEOL?: boolean;
}

/** The parts of a pdf.js `TextStyle` used here: ascent and descent as fractions of the font size. */
export interface TextStyle {
  ascent?: number;
  descent?: number;
}

/** The parts of a pdf.js `PageViewport`: user space → image pixels, and the image's size. */
export interface Viewport {
  transform: readonly number[];
  width: number;
  height: number;
  scale: number;
}

export const MIN_LETTERS = 20;
export const MAX_BAD_SHARE = 0.1;

export interface TextLayerQuality {
  letters: number;
  /** U+FFFD, private-use and control characters (other than white space). */
  bad: number;
  nonSpace: number;
  usable: boolean;
}

// eslint-disable-next-line no-control-regex
const BAD = /[\ufffd\p{Co}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/u;

/** Counts letters and garbage in a page's text and applies the rule above. */
export function assessTextLayer(text: string): TextLayerQuality {
  let letters = 0;
  let bad = 0;
  let nonSpace = 0;
  for (const ch of text) {
    if (/\s/u.test(ch)) continue;
    nonSpace++;
    if (/\p{L}/u.test(ch)) letters++;
    else if (BAD.test(ch)) bad++;
  }
  return { letters, bad, nonSpace, usable: letters >= MIN_LETTERS && bad <= MAX_BAD_SHARE * nonSpace };
}

/** m1 × m2 for PDF's 6-number affine matrices (as pdf.js's `Util.transform`). */
function multiply(m1: readonly number[], m2: readonly number[]): number[] {
  const [a1 = 1, b1 = 0, c1 = 0, d1 = 1, e1 = 0, f1 = 0] = m1;
  const [a2 = 1, b2 = 0, c2 = 0, d2 = 1, e2 = 0, f2 = 0] = m2;
  return [a1 * a2 + c1 * b2, b1 * a2 + d1 * b2, a1 * c2 + c1 * d2, b1 * c2 + d1 * d2, a1 * e2 + c1 * f2 + e1, b1 * e2 + d1 * f2 + f1];
}

interface Piece {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Along the writing direction, in pixels: where the piece starts and ends. */
  start: number;
  end: number;
  /** Across it: the baseline's position. */
  baseline: number;
  size: number;
  spaceBefore: boolean;
  spaceAfter: boolean;
}

interface Line {
  ux: number;
  uy: number;
  baseline: number;
  size: number;
  pieces: Piece[];
}

/**
 * The page's words, or `undefined` when its text layer is missing or not usable (see above).
 * `viewport` is the page at the scale of the image the boxes refer to.
 */
export function textLayerToPage(runs: readonly TextRun[], styles: Readonly<Record<string, TextStyle>>, viewport: Viewport): PageText | undefined {
  if (!assessTextLayer(runs.map((r) => r.str).join(' ')).usable) return undefined;
  const lines: Line[] = [];
  let line: Line | undefined;
  let eol = false;
  for (const run of runs) {
    const tx = multiply(viewport.transform, run.transform);
    const size = Math.hypot(tx[2]!, tx[3]!);
    const along = Math.hypot(tx[0]!, tx[1]!);
    if (!(size > 0) || !(along > 0) || !run.str) {
      eol ||= !!run.hasEOL;
      continue;
    }
    // u: the writing direction; v: "up" from the baseline, both unit vectors in image pixels.
    const ux = tx[0]! / along;
    const uy = tx[1]! / along;
    const vx = tx[2]! / size;
    const vy = tx[3]! / size;
    const style = styles[run.fontName] ?? {};
    const ascent = Math.min(1.2, Math.max(0.5, style.ascent ?? 0.8));
    const descent = Math.max(-0.5, Math.min(0, style.descent ?? -0.2));
    const ox = tx[4]!;
    const oy = tx[5]!;
    const length = Math.abs(run.width * viewport.scale);
    const start = ox * ux + oy * uy;
    // The baseline across the writing direction: the origin projected on the "up" axis.
    const baseline = -(ox * vx + oy * vy);
    const sameLine =
      line !== undefined &&
      !eol &&
      ux * line.ux + uy * line.uy > 0.95 &&
      Math.abs(baseline - line.baseline) <= 0.5 * Math.min(size, line.size);
    if (!sameLine) {
      line = { ux, uy, baseline, size, pieces: [] };
      lines.push(line);
    }
    eol = !!run.hasEOL;
    const chars = Array.from(run.str);
    const n = chars.length;
    for (const m of run.str.matchAll(/\S+/gu)) {
      const from = Array.from(run.str.slice(0, m.index)).length;
      const to = from + Array.from(m[0]).length;
      const a = (length * from) / n;
      const b = (length * to) / n;
      const xs: number[] = [];
      const ys: number[] = [];
      for (const t of [a, b]) {
        for (const k of [ascent, descent]) {
          xs.push(ox + ux * t + vx * k * size);
          ys.push(oy + uy * t + vy * k * size);
        }
      }
      line!.pieces.push({
        text: m[0],
        x0: Math.min(...xs),
        y0: Math.min(...ys),
        x1: Math.max(...xs),
        y1: Math.max(...ys),
        start: start + a,
        end: start + b,
        baseline,
        size,
        spaceBefore: from > 0 && /\s/u.test(chars[from - 1]!),
        spaceAfter: to < n,
      });
    }
    // A run of spaces only still separates words.
    const last = line!.pieces[line!.pieces.length - 1];
    if (last && /^\s+$/u.test(run.str)) last.spaceAfter = true;
    line!.size = Math.max(line!.size, size);
  }

  const words: PageWord[] = [];
  const text: string[] = [];
  for (const l of lines) {
    // Pieces that touch make one word; then the words in reading order along the line.
    const merged: Piece[] = [];
    for (const p of l.pieces) {
      const prev = merged[merged.length - 1];
      if (prev && !prev.spaceAfter && !p.spaceBefore && p.start - prev.end < 0.15 * Math.min(p.size, prev.size) && p.start - prev.start > -0.5 * p.size) {
        prev.text += p.text;
        prev.x0 = Math.min(prev.x0, p.x0);
        prev.y0 = Math.min(prev.y0, p.y0);
        prev.x1 = Math.max(prev.x1, p.x1);
        prev.y1 = Math.max(prev.y1, p.y1);
        prev.end = Math.max(prev.end, p.end);
        prev.spaceAfter = p.spaceAfter;
      } else {
        merged.push({ ...p });
      }
    }
    merged.sort((a, b) => a.start - b.start);
    const lineWords: PageWord[] = [];
    for (const p of merged) {
      if (p.x1 < 0 || p.y1 < 0 || p.x0 > viewport.width || p.y0 > viewport.height) continue;
      const t = p.text.normalize('NFC');
      const x = Math.max(0, Math.floor(p.x0));
      const y = Math.max(0, Math.floor(p.y0));
      lineWords.push({ text: t, x, y, w: Math.ceil(Math.min(p.x1, viewport.width)) - x, h: Math.ceil(Math.min(p.y1, viewport.height)) - y, c: 100, line: text.length });
    }
    if (!lineWords.length) continue;
    words.push(...lineWords);
    text.push(lineWords.map((w) => w.text).join(' '));
  }
  if (!words.length) return undefined;
  return { text: text.join('\n'), words, confidence: 100, width: Math.round(viewport.width), height: Math.round(viewport.height) };
}
