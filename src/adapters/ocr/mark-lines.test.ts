import { describe, expect, it } from 'vitest';
import type { PageWord } from '../../app/digital/media.js';
import { parseHocr } from '../../codecs/ocr/hocr.js';
import { dropMarkLines } from './mark-lines.js';

const word = (text: string, x0: number, y0: number, x1: number, y1: number, c: number) =>
  `<span class='ocrx_word' title='bbox ${x0} ${y0} ${x1} ${y1}; x_wconf ${c}'>${text}</span>`;
const line = (...words: string[]) => `<span class='ocr_line'>${words.join('')}</span>`;
const page = (...lines: string[]) => `<div class='ocr_page' title='bbox 0 0 2480 500'>${lines.join('')}</div>`;

/** What tesseract 5.3 (`--psm 3 -l vie`) made of a three-line image: the marks over line 3 as a line. */
const SPLIT = page(
  line(word('Ơn', 221, 224, 290, 266, 96), word('nghĩa', 305, 224, 420, 275, 96)),
  line(word('một', 222, 320, 300, 362, 96), word('nét', 315, 320, 380, 362, 95)),
  line(
    word('R', 242, 424, 247, 428, 0),
    word('*', 321, 417, 334, 429, 83),
    word('z', 535, 421, 544, 429, 84),
    word('~', 620, 422, 634, 428, 47),
    word('2', 705, 419, 714, 429, 95),
    word('Ắ', 1163, 408, 1182, 421, 0),
    word('.À', 1401, 419, 1433, 429, 10),
    word('Z+', 1822, 421, 1847, 429, 18),
  ),
  line(word('tin', 221, 420, 280, 458, 96), word('rằng', 300, 416, 400, 466, 95), word('với', 1780, 418, 1851, 458, 96)),
);

describe('dropMarkLines', () => {
  it('drops a thin line of junk lying over the top of the next line, and renumbers the rest', () => {
    const p = dropMarkLines(parseHocr(SPLIT));
    expect(p.text).toBe('Ơn nghĩa\nmột nét\ntin rằng với');
    expect(p.words.map((w) => w.line)).toEqual([0, 0, 1, 1, 2, 2, 2]);
    expect(p.confidence).toBeCloseTo((96 * 5 + 95 * 2) / 7, 2);
    expect(p.width).toBe(2480);
  });

  it('keeps pages without such lines as they are', () => {
    const ok = parseHocr(page(line(word('Thư', 0, 0, 50, 40, 90)), line(word('viện', 0, 60, 80, 100, 90))));
    expect(dropMarkLines(ok)).toBe(ok);
  });

  const cases: [string, PageWord[], number][] = [
    [
      'a small line beside a line in the next column',
      [
        { text: 'Chương', x: 100, y: 100, w: 300, h: 50, c: 95, line: 0 },
        { text: 'chú', x: 1400, y: 90, w: 60, h: 20, c: 40, line: 1 },
      ],
      2,
    ],
    [
      'a thin line of real words over the top of another',
      [
        { text: 'Thư viện', x: 100, y: 100, w: 300, h: 50, c: 95, line: 0 },
        { text: 'ca mua', x: 100, y: 90, w: 300, h: 20, c: 92, line: 1 },
      ],
      2,
    ],
    [
      'a thin line of junk below another (not above it)',
      [
        { text: 'Thư viện', x: 100, y: 100, w: 300, h: 50, c: 95, line: 0 },
        { text: '~ ^', x: 100, y: 140, w: 300, h: 20, c: 30, line: 1 },
      ],
      2,
    ],
  ];
  it.each(cases)('keeps %s', (_, words, lines) => {
    const p = dropMarkLines({ text: '', words, confidence: 0, width: 2000, height: 2000 });
    expect(new Set(p.words.map((w) => w.line)).size).toBe(lines);
  });
});
