/**
 * A PDF text layer as words and lines: runs split into words, pieces of a word joined, lines by
 * baseline, boxes in image pixels, and the rule that says when a layer is worth using.
 */
import { describe, expect, it } from 'vitest';
import { assessTextLayer, MAX_BAD_SHARE, MIN_LETTERS, textLayerToPage, type TextRun } from './text-layer.js';

/** An A4 page (595 × 842 pt) seen at `scale`, as pdf.js's viewport for an unrotated page. */
const viewport = (scale: number) => ({ transform: [scale, 0, 0, -scale, 0, 842 * scale], width: 595 * scale, height: 842 * scale, scale });
const STYLES = { F: { ascent: 0.8, descent: -0.2 } };
/** A 10 pt run at (x, y) user space, `width` pt wide. */
const run = (str: string, x: number, y: number, width: number, extra: Partial<TextRun> = {}): TextRun => ({ str, transform: [10, 0, 0, 10, x, y], width, fontName: 'F', ...extra });
const FILLER = run('Thư viện tỉnh Kiên Giang phục vụ bạn đọc', 72, 100, 200);

describe('textLayerToPage', () => {
  it('splits runs into words with boxes in image pixels', () => {
    const p = textLayerToPage([run('Đường sông', 100, 700, 100), FILLER], STYLES, viewport(2))!;
    // Baseline at y = 700 pt → (842 − 700) × 2 = 284 px; ascent 8 pt = 16 px, descent 2 pt = 4 px.
    expect(p.words.slice(0, 2)).toEqual([
      { text: 'Đường', x: 200, y: 268, w: 100, h: 20, c: 100, line: 0 },
      { text: 'sông', x: 320, y: 268, w: 80, h: 20, c: 100, line: 0 },
    ]);
    expect([p.width, p.height, p.confidence]).toEqual([1190, 1684, 100]);
  });

  it('joins the pieces of a word and makes combining marks one NFC letter', () => {
    const p = textLayerToPage(
      [run('Vi', 100, 700, 10), run('ệt', 110, 700, 10), run(' ', 120, 700, 3), run('Nguye', 123, 700, 25), run('\u0302\u0303', 142, 700, 0), run('n', 148, 700, 5), FILLER],
      STYLES,
      viewport(1),
    )!;
    expect(p.text.split('\n')[0]).toBe('Việt Nguyễn');
    expect(p.words[0]).toMatchObject({ text: 'Việt', x: 100, w: 20 });
  });

  it('keeps apart pieces with a gap or a space between them', () => {
    const p = textLayerToPage([run('thư', 100, 700, 15), run('viện', 118, 700, 20), run('sách ', 140, 700, 25), run('cũ', 165, 700, 10), FILLER], STYLES, viewport(1))!;
    expect(p.text.split('\n')[0]).toBe('thư viện sách cũ');
  });

  it('groups runs into lines by baseline, in reading order along each line', () => {
    const p = textLayerToPage(
      [
        run('Nam', 150, 700, 20),
        run('Việt', 120, 701, 25),
        run('hai', 100, 686, 15),
        // Drawn after line 2, back on line 1's baseline: a line of its own (only consecutive runs join).
        run('ba', 10, 700, 10),
        run('bốn', 100, 650, 15, { hasEOL: true }),
        run('năm', 130, 650, 15),
        FILLER,
      ],
      STYLES,
      viewport(1),
    )!;
    expect(p.text.split('\n').slice(0, 5)).toEqual(['Việt Nam', 'hai', 'ba', 'bốn', 'năm']);
    expect(p.words.slice(0, 2).map((w) => w.line)).toEqual([0, 0]);
  });

  it('drops words outside the page and scales the page', () => {
    const p = textLayerToPage([run('ẩn', -500, 700, 20), run('ngoài', 100, 5000, 20), FILLER], STYLES, viewport(0.5))!;
    expect(p.text).toBe('Thư viện tỉnh Kiên Giang phục vụ bạn đọc');
    expect(p.words[0]).toMatchObject({ x: 36, y: Math.floor((842 - 100 - 8) * 0.5) });
  });

  it('reads text turned on the page', () => {
    // Vertical text going up the page: the writing direction is (0, 1) in PDF space.
    const up = { str: 'Thư viện tỉnh Kiên Giang phục vụ bạn đọc', transform: [0, 10, -10, 0, 300, 100], width: 200, fontName: 'F' };
    const p = textLayerToPage([up], STYLES, viewport(1))!;
    expect(p.text).toBe(up.str);
    const w = p.words[0]!;
    expect(w.w).toBeLessThan(w.h);
    expect(w.x).toBeGreaterThanOrEqual(290);
    expect(w.x + w.w).toBeLessThanOrEqual(304);
  });

  it('gives nothing for a page without a usable layer', () => {
    expect(textLayerToPage([], STYLES, viewport(1))).toBeUndefined();
    expect(textLayerToPage([run('Trang 12', 100, 100, 40)], STYLES, viewport(1))).toBeUndefined();
  });
});

describe('assessTextLayer', () => {
  it.each([
    ['a sentence', 'Thư viện tỉnh Kiên Giang phục vụ bạn đọc', true],
    [`${MIN_LETTERS - 1} letters`, 'a'.repeat(MIN_LETTERS - 1) + ' 12345', false],
    [`${MIN_LETTERS} letters`, 'a'.repeat(MIN_LETTERS), true],
    ['replacement characters', 'Thư viện tỉnh Kiên Giang \ufffd\ufffd\ufffd\ufffd\ufffd\ufffd', false],
    ['private-use glyphs', 'abcdefghijklmnopqrstuvwxyz \ue000\ue001\ue002', false],
    ['control characters', 'abcdefghijklmnopqrstuvwxyz\u0001\u0002\u0003', false],
    ['one bad character in 30', 'abcdefghijklmnopqrstuvwxyzabc\ufffd', true],
  ])('%s', (_, text, usable) => {
    expect(assessTextLayer(text).usable).toBe(usable);
  });

  it('counts letters, garbage and other characters', () => {
    expect(assessTextLayer('Việt 12 \ufffd')).toEqual({ letters: 4, bad: 1, nonSpace: 7, usable: false });
    expect(MAX_BAD_SHARE).toBe(0.1);
  });
});
