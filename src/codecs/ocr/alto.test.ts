/**
 * ALTO: what we write reads back as the same page (words, boxes, confidences, lines), values are
 * escaped, and ALTO from other producers (tesseract's v3, prefixed names, other units, hyphens)
 * is read too, without ever throwing.
 */
import { describe, expect, it } from 'vitest';
import type { PageText } from '../../app/digital/media.js';
import { parseAlto, writeAlto } from './alto.js';
import { scanXml } from './_xml.js';

const PAGE: PageText = {
  text: 'Thư viện tỉnh Kiên Giang\n"Đường" & <sông> Cửu Long\nỸ ỵ ỳ ý',
  words: [
    { text: 'Thư', x: 222, y: 230, w: 80, h: 44, c: 96, line: 0 },
    { text: 'viện', x: 320, y: 227, w: 90, h: 47, c: 95.5, line: 0 },
    { text: 'tỉnh', x: 430, y: 226, w: 82, h: 40, c: 91, line: 0 },
    { text: 'Kiên', x: 530, y: 229, w: 91, h: 36, c: 90, line: 0 },
    { text: 'Giang', x: 640, y: 229, w: 120, h: 45, c: 89, line: 0 },
    { text: '"Đường"', x: 222, y: 326, w: 160, h: 42, c: 77, line: 1 },
    { text: '&', x: 400, y: 326, w: 20, h: 36, c: 60, line: 1 },
    { text: '<sông>', x: 440, y: 326, w: 140, h: 40, c: 12.25, line: 1 },
    { text: 'Cửu', x: 600, y: 320, w: 80, h: 48, c: 99, line: 1 },
    { text: 'Long', x: 700, y: 326, w: 100, h: 45, c: 100, line: 1 },
    { text: 'Ỹ', x: 222, y: 420, w: 30, h: 50, c: 80, line: 2 },
    { text: 'ỵ', x: 270, y: 430, w: 30, h: 50, c: 81, line: 2 },
    { text: 'ỳ', x: 320, y: 430, w: 30, h: 40, c: 82, line: 2 },
    { text: 'ý', x: 370, y: 430, w: 30, h: 40, c: 0, line: 2 },
  ],
  confidence: 0,
  width: 2480,
  height: 3508,
};
PAGE.confidence = Math.round((100 * PAGE.words.reduce((s, w) => s + w.c, 0)) / PAGE.words.length) / 100;

describe('writeAlto → parseAlto', () => {
  const xml = writeAlto(PAGE, { fileName: 'trang "1" & 2.png', software: { name: 'tesseract', version: '5.3.0' } });

  it('reads back the same page', () => {
    const back = parseAlto(xml);
    expect({ ...back, source: undefined }).toEqual({ ...PAGE, source: undefined });
    expect(back.source).toEqual({ format: 'alto', xml });
  });

  it('writes ALTO 4 in pixels, with escaped values and WC on the 0–1 scale', () => {
    expect(xml).toContain('<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"');
    expect(xml).toContain('<MeasurementUnit>pixel</MeasurementUnit>');
    expect(xml).toContain('<fileName>trang &quot;1&quot; &amp; 2.png</fileName>');
    expect(xml).toContain('<softwareName>tesseract</softwareName>');
    expect(xml).toContain('<Page ID="page_1" PHYSICAL_IMG_NR="1" WIDTH="2480" HEIGHT="3508">');
    expect(xml).toContain('CONTENT="&quot;Đường&quot;"');
    expect(xml).toContain('CONTENT="&lt;sông&gt;" HPOS="440" VPOS="326" WIDTH="140" HEIGHT="40" WC="0.1225"');
    expect(xml).toContain('<SP WIDTH="18" HPOS="302" VPOS="227"/>');
    expect(xml).toContain('<TextLine ID="line_2" HPOS="222" VPOS="320" WIDTH="578" HEIGHT="51">');
  });

  it('is well-formed: every element closes in order', () => {
    const open: string[] = [];
    for (const ev of scanXml(xml)) {
      if (ev.kind === 'start' && !ev.selfClosing) open.push(ev.name);
      if (ev.kind === 'end') expect(open.pop()).toBe(ev.name);
    }
    expect(open).toEqual([]);
  });

  it('replaces characters XML cannot carry, and keeps tabs and line breaks inside values', () => {
    const page: PageText = {
      text: 'a\u0001b c\td',
      words: [
        { text: 'a\u0001b\ud800', x: 0, y: 0, w: 1, h: 1, c: 50, line: 0 },
        { text: 'c\td\ne', x: 2, y: 0, w: 1, h: 1, c: 50, line: 0 },
      ],
      confidence: 50,
      width: 10,
      height: 10,
    };
    const xml = writeAlto(page);
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0001\ud800]/u);
    expect(xml).toContain('CONTENT="a\ufffdb\ufffd"');
    expect(xml).toContain('CONTENT="c&#9;d&#10;e"');
    // The reader makes a word's inner white space one space, as the hOCR reader does.
    expect(parseAlto(xml).words.map((w) => w.text)).toEqual(['a\ufffdb\ufffd', 'c d e']);
  });

  it('writes an empty page without a text block', () => {
    const xml = writeAlto({ text: '', words: [], confidence: 0, width: 100, height: 200 });
    expect(xml).not.toContain('TextBlock');
    expect(parseAlto(xml)).toMatchObject({ text: '', words: [], width: 100, height: 200 });
  });
});

describe('parseAlto on ALTO from elsewhere', () => {
  it('reads tesseract 5’s ALTO 3', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#" xmlns:xlink="http://www.w3.org/1999/xlink">
	<Description><MeasurementUnit>pixel</MeasurementUnit></Description>
	<Layout>
		<Page WIDTH="2480" HEIGHT="3508" PHYSICAL_IMG_NR="0" ID="page_0">
			<PrintSpace HPOS="0" VPOS="0" WIDTH="2480" HEIGHT="3508">
				<ComposedBlock ID="cblock_0" HPOS="220" VPOS="224" WIDTH="1691" HEIGHT="2738">
					<TextBlock ID="block_0" HPOS="221" VPOS="224" WIDTH="1655" HEIGHT="530">
						<TextLine ID="line_0" HPOS="222" VPOS="224" WIDTH="1654" HEIGHT="50">
							<String ID="string_0" HPOS="222" VPOS="230" WIDTH="148" HEIGHT="44" WC="0.96" CONTENT="Những"/><SP WIDTH="18" VPOS="230" HPOS="370"/>
							<String ID="string_1" HPOS="388" VPOS="227" WIDTH="105" HEIGHT="38" WC="0.96" CONTENT="cuốn"/>
						</TextLine>
						<TextLine ID="line_1" HPOS="222" VPOS="319" WIDTH="1595" HEIGHT="51">
							<String ID="string_2" HPOS="222" VPOS="326" WIDTH="75" HEIGHT="42" WC="0.97" CONTENT="đọc"/>
						</TextLine>`;
    const p = parseAlto(xml);
    expect(p.text).toBe('Những cuốn\nđọc');
    expect(p.words[0]).toEqual({ text: 'Những', x: 222, y: 230, w: 148, h: 44, c: 96, line: 0 });
    expect(p.words[2]).toEqual({ text: 'đọc', x: 222, y: 326, w: 75, h: 42, c: 97, line: 1 });
  });

  it('reads prefixed names, other units and hyphens', () => {
    const xml =
      `<a:alto xmlns:a="http://www.loc.gov/standards/alto/ns-v2#"><a:Description><a:MeasurementUnit> mm10 </a:MeasurementUnit></a:Description>` +
      `<a:Layout><a:Page WIDTH="2100" HEIGHT="2970"><a:PrintSpace><a:TextBlock>` +
      `<a:TextLine><a:String CONTENT="thư" HPOS="254" VPOS="508" WIDTH="127" HEIGHT="50.8"/><a:SP/><a:String CONTENT="viện" HPOS="400" VPOS="508" WIDTH="100" HEIGHT="50"/><a:HYP CONTENT="-"/></a:TextLine>` +
      `<a:TextLine><a:String CONTENT="Nguye\u0302\u0303n"/></a:TextLine>` +
      `</a:TextBlock></a:PrintSpace></a:Page></a:Layout></a:alto>`;
    const p = parseAlto(xml, { dpi: 254 });
    expect(p.text).toBe('thư viện-\nNguyễn');
    expect([p.width, p.height]).toEqual([2100, 2970]);
    expect(p.words[0]).toMatchObject({ x: 254, y: 508, w: 127 });
    expect(parseAlto(xml).words[0]!.x).toBeCloseTo(300, 6);
  });

  it.each([
    ['an empty string', ''],
    ['not XML', 'hello & <goodbye'],
    ['a cut-off file', writeAlto(PAGE).slice(0, 1200)],
    ['junk attribute values', `<alto><Page WIDTH="-1" HEIGHT="x"/><TextLine><String CONTENT="a" HPOS="NaN" WC="7"/></TextLine></alto>`],
  ])('never throws on %s', (_, xml) => {
    expect(() => parseAlto(xml)).not.toThrow();
  });

  it('reads only the first page', () => {
    const p = parseAlto(`<alto><Layout><Page WIDTH="5" HEIGHT="5"><TextLine><String CONTENT="một"/></TextLine></Page><Page><TextLine><String CONTENT="hai"/></TextLine></Page></Layout></alto>`);
    expect(p.text).toBe('một');
  });
});
