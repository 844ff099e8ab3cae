/**
 * The hOCR reader: tesseract's own output (native and tesseract.js), entities and Unicode forms,
 * and junk of every kind, which must give what could be read and never throw.
 */
import { describe, expect, it } from 'vitest';
import { parseHocr, parseHocrTitle } from './hocr.js';

/** The start of a page as tesseract 5.3 writes it (`tesseract page.png out -l vie hocr`). */
const TESSERACT = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head>
  <title></title>
  <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>
  <meta name='ocr-system' content='tesseract 5.3.0' />
  <meta name='ocr-capabilities' content='ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf'/>
 </head>
 <body>
  <div class='ocr_page' id='page_1' title='image "p0.png"; bbox 0 0 2480 3508; ppageno 0; scan_res 72 72'>
   <div class='ocr_carea' id='block_1_1' title="bbox 220 224 1911 2962">
    <p class='ocr_par' id='par_1_1' lang='vie' title="bbox 221 224 1876 754">
     <span class='ocr_line' id='line_1_1' title="bbox 222 224 1876 274; baseline 0 -9; x_size 50; x_descenders 9; x_ascenders 17">
      <span class='ocrx_word' id='word_1_1' title='bbox 222 230 370 274; x_wconf 96'>Những</span>
      <span class='ocrx_word' id='word_1_2' title='bbox 388 227 493 265; x_wconf 95'>cuốn</span>
      <span class='ocrx_word' id='word_1_3' title='bbox 510 229 608 265; x_wconf 91'>sách</span>
     </span>
     <span class='ocr_line' id='line_1_2' title="bbox 222 319 1817 370; baseline 0 -9; x_size 47; x_descenders 9; x_ascenders 14">
      <span class='ocrx_word' id='word_1_19' title='bbox 222 326 297 368; x_wconf 96'>đọc</span>
      <span class='ocrx_word' id='word_1_20' title='bbox 315 325 405 361; x_wconf 88'>&quot;Đường&quot;</span>
     </span>
    </p>
   </div>
   <div class='ocr_carea' id='block_1_2' title="bbox 220 3000 1911 3100">
    <p class='ocr_par' id='par_1_2' lang='vie' title="bbox 220 3000 1911 3100">
     <span class='ocr_caption' id='line_1_3' title="bbox 220 3000 900 3100; baseline 0 -9">
      <span class='ocrx_word' id='word_1_21' title='bbox 220 3000 400 3100; x_wconf 70'><strong>Hình</strong></span>
      <span class='ocrx_word' id='word_1_22' title='bbox 420 3000 500 3100; x_wconf 60'><em>1</em></span>
     </span>
    </p>
   </div>
  </div>
 </body>
</html>
`;

describe('parseHocr on tesseract output', () => {
  const page = parseHocr(TESSERACT);

  it('reads the page size, the words with their boxes and confidences, and numbers the lines', () => {
    expect(page.width).toBe(2480);
    expect(page.height).toBe(3508);
    expect(page.words).toEqual([
      { text: 'Những', x: 222, y: 230, w: 148, h: 44, c: 96, line: 0 },
      { text: 'cuốn', x: 388, y: 227, w: 105, h: 38, c: 95, line: 0 },
      { text: 'sách', x: 510, y: 229, w: 98, h: 36, c: 91, line: 0 },
      { text: 'đọc', x: 222, y: 326, w: 75, h: 42, c: 96, line: 1 },
      { text: '"Đường"', x: 315, y: 325, w: 90, h: 36, c: 88, line: 1 },
      { text: 'Hình', x: 220, y: 3000, w: 180, h: 100, c: 70, line: 2 },
      { text: '1', x: 420, y: 3000, w: 80, h: 100, c: 60, line: 2 },
    ]);
  });

  it('joins words by spaces and lines by line breaks, and averages the confidence', () => {
    expect(page.text).toBe('Những cuốn sách\nđọc "Đường"\nHình 1');
    expect(page.confidence).toBeCloseTo((96 + 95 + 91 + 96 + 88 + 70 + 60) / 7, 2);
  });

  it('keeps the document as the source, unless asked not to', () => {
    expect(page.source).toEqual({ format: 'hocr', xml: TESSERACT });
    expect(parseHocr(TESSERACT, { keepSource: false }).source).toBeUndefined();
  });
});

describe('parseHocr text', () => {
  const wrap = (words: string) => `<div class='ocr_page' title='bbox 0 0 100 100'><span class='ocr_line'>${words}</span></div>`;
  const word = (inner: string) => `<span class='ocrx_word' title='bbox 0 0 10 10; x_wconf 90'>${inner}</span>`;

  it.each([
    ['predefined entities', word('a&amp;b&lt;c&gt;&quot;&apos;'), 'a&b<c>"\''],
    ['decimal and hex references', word('&#272;&#x1B0;&#X1edd;ng'), 'Đường'],
    ['an HTML no-break space inside a word', word('a&nbsp;b'), 'a b'],
    ['a reference to a code point XML forbids', word('a&#0;b&#xD800;c&#x110000;'), 'a\ufffdb\ufffdc\ufffd'],
    ['an unknown entity, left as written', word('&foo;'), '&foo;'],
    ['a bare ampersand', word('R&D'), 'R&D'],
    ['decomposed (NFD) letters, made NFC', word('Nguye\u0302\u0303n'), 'Nguyễn'],
    ['tags inside a word', word('<strong>Vi<em>ệt</em></strong>'), 'Việt'],
    ['white space around a word', word('\n   Hà  \n'), 'Hà'],
    ['CDATA', word('<![CDATA[<b>]]>'), '<b>'],
  ])('%s', (_, words, text) => {
    expect(parseHocr(wrap(words)).words.map((w) => w.text).join(' ')).toBe(text);
  });

  it('drops empty words and does not count lines without words', () => {
    const p = parseHocr(
      `<div class='ocr_page' title='bbox 0 0 100 100'><span class='ocr_line'>${word('a')}</span>` +
        `<span class='ocr_line'>${word('  ')}</span><span class='ocr_line'></span><span class='ocr_line'>${word('b')}</span></div>`,
    );
    expect(p.words.map((w) => [w.text, w.line])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    expect(p.text).toBe('a\nb');
  });

  it('reads the fragment tesseract.js returns (no html, ocrx_line classes)', () => {
    const p = parseHocr(
      `<div class='ocr_page' id='page_1' title='image "unknown"; bbox 0 0 640 90; ppageno 0'>` +
        `<span class='ocrx_line' title="bbox 10 10 600 80">${word('Thư')} ${word('viện')}</span></div>`,
    );
    expect(p.text).toBe('Thư viện');
    expect(p.width).toBe(640);
  });
});

describe('parseHocrTitle', () => {
  it('splits properties at semicolons, not inside quotes', () => {
    const t = parseHocrTitle('image "/scans/a;b.png"; bbox 0 0 2480 3508; ppageno 0; x_wconf 96');
    expect(t.get('image')).toEqual(['/scans/a;b.png']);
    expect(t.get('bbox')).toEqual(['0', '0', '2480', '3508']);
    expect(t.get('x_wconf')).toEqual(['96']);
  });

  it('takes junk without throwing', () => {
    for (const s of ['', ';;;', 'bbox', '"unterminated; bbox 1 2 3 4', 'bbox a b c d']) expect(() => parseHocrTitle(s)).not.toThrow();
  });
});

describe('parseHocr on broken input', () => {
  it.each([
    ['an empty string', '', ''],
    ['plain text', 'not hOCR at all < > &', ''],
    ['binary junk', '\u0000\u0001\ufffd<\u0000>', ''],
    ['a file cut inside a word', TESSERACT.slice(0, TESSERACT.indexOf('cuốn') + 2), 'Những cu'],
    ['a file cut inside a tag', TESSERACT.slice(0, TESSERACT.indexOf("title='bbox 388")), 'Những'],
    ['unclosed spans', `<div class='ocr_page'><span class='ocr_line'><span class='ocrx_word' title='bbox 1 1 2 2'>a<span class='ocrx_word'>b`, 'a b'],
    ['stray end tags', `</span></div><span class='ocr_line'></p><span class='ocrx_word'>a</span></b></span></html>`, 'a'],
    ['words outside any line', `<span class='ocrx_word'>a</span><span class='ocrx_word'>b</span><span class='ocr_line'><span class='ocrx_word'>c</span></span><span class='ocrx_word'>d</span>`, 'a b\nc\nd'],
    ['unquoted attributes and upper-case tags', `<DIV CLASS=ocr_page TITLE="bbox 0 0 9 9"><SPAN class=ocr_line><SPAN class=ocrx_word>a</SPAN></SPAN></DIV>`, 'a'],
    ['a tag cut by the next tag', `<span class='ocr_line'<span class='ocrx_word'>a</span>`, 'a'],
    ['a < that opens nothing', `<span class='ocr_line'><span class='ocrx_word'>1 < 2</span></span>`, '1 < 2'],
  ])('%s', (_, xml, text) => {
    expect(parseHocr(xml).text).toBe(text);
  });

  it('reads boxes it can and zeroes the ones it cannot', () => {
    const p = parseHocr(
      `<span class='ocr_line'><span class='ocrx_word' title='bbox 5 6 1 2; x_wconf 300'>a</span>` +
        `<span class='ocrx_word' title='bbox x y z w; x_wconf -4'>b</span><span class='ocrx_word'>c</span></span>`,
    );
    expect(p.words.map(({ x, y, w, h, c }) => [x, y, w, h, c])).toEqual([
      [0, 0, 0, 0, 100],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
  });

  it('reads attribute names in any case, as HTML does', () => {
    const p = parseHocr(`<DIV CLASS=ocr_page TITLE="bbox 0 0 90 40"><SPAN Class='ocr_line'><SPAN class=ocrx_word Title='bbox 1 2 3 4; x_wconf 50'>a</SPAN></SPAN></DIV>`);
    expect([p.width, p.height, p.words[0]]).toEqual([90, 40, { text: 'a', x: 1, y: 2, w: 2, h: 2, c: 50, line: 0 }]);
  });

  it('takes the page size from the words when the page has none', () => {
    const p = parseHocr(`<span class='ocr_line'><span class='ocrx_word' title='bbox 10 20 110 70'>a</span></span>`);
    expect([p.width, p.height]).toEqual([110, 70]);
  });

  it('reads only the first page of a multi-page document', () => {
    const one = `<div class='ocr_page' title='bbox 0 0 50 50'><span class='ocr_line'><span class='ocrx_word'>một</span></span></div>`;
    const two = `<div class='ocr_page' title='bbox 0 0 70 70'><span class='ocr_line'><span class='ocrx_word'>hai</span></span></div>`;
    const p = parseHocr(one + two);
    expect(p.text).toBe('một');
    expect(p.width).toBe(50);
  });

  it('never reads a DTD: declared entities stay unexpanded', () => {
    const xml =
      `<?xml version="1.0"?><!DOCTYPE html [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;"><!ENTITY xxe SYSTEM "file:///etc/passwd">]>` +
      `<span class='ocr_line'><span class='ocrx_word'>&lol2;&xxe;</span></span>`;
    expect(parseHocr(xml).text).toBe('&lol2;&xxe;');
  });

  it('never throws on any truncation or corruption of a real page', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let cut = 0; cut <= TESSERACT.length; cut += 7) {
      const p = parseHocr(TESSERACT.slice(0, cut));
      expect(p.words.every((w) => w.text.length > 0 && w.line >= 0)).toBe(true);
    }
    const specials = ['<', '>', '&', '"', "'", '/', '=', ';', '\u0000', '<!--', ']]>', '<![CDATA['];
    for (let k = 0; k < 300; k++) {
      const chars = Array.from(TESSERACT);
      for (let m = 0; m < 10; m++) chars[Math.floor(rnd() * chars.length)] = specials[Math.floor(rnd() * specials.length)]!;
      expect(() => parseHocr(chars.join(''))).not.toThrow();
    }
  });
});
