/**
 * The OCR benchmark's material: pages are the same for the same seed, use every Vietnamese vowel
 * with every tone, fit on the page; the PDF writer's files are valid PDF to poppler (when
 * installed) with the pages and text we put in.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { A4_300DPI, generatePages, renderPageJpeg, SENTENCES, wrap } from './pages.js';
import { PdfWriter, scannedPage, textPage, writePdf } from './pdf-writer.js';

const poppler = (() => {
  try {
    execFileSync('pdfinfo', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('generated pages', () => {
  it('are the same for the same seed, and NFC', () => {
    expect(generatePages(3, { seed: 5 })).toEqual(generatePages(3, { seed: 5 }));
    expect(generatePages(1, { seed: 5 })[0]!.text).not.toBe(generatePages(1, { seed: 6 })[0]!.text);
    for (const s of SENTENCES) expect(s).toBe(s.normalize('NFC'));
  });

  it('have the promised lines, none too long', () => {
    for (const p of generatePages(5)) {
      expect(p.lines).toHaveLength(A4_300DPI.lines);
      expect(p.text).toBe(p.lines.join('\n'));
      for (const l of p.lines) expect(l.length).toBeLessThanOrEqual(A4_300DPI.lineChars);
    }
    expect(wrap('một hai ba bốn năm', 7)).toEqual(['một hai', 'ba bốn', 'năm']);
  });

  it('use every vowel with every tone, and đ', () => {
    const text = SENTENCES.join(' ').toLowerCase();
    const missing: string[] = [];
    for (const v of ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y']) {
      for (const tone of ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323']) {
        const letter = (v + tone).normalize('NFC');
        if (!text.includes(letter)) missing.push(letter);
      }
    }
    expect(missing).toEqual([]);
    expect(text).toContain('đ');
  });

  it('render as one-channel JPEGs of the page size', async () => {
    const meta = await sharp(await renderPageJpeg(['Thư viện'], { ...A4_300DPI, width: 400, height: 200 })).metadata();
    expect([meta.format, meta.channels, meta.width, meta.height]).toEqual(['jpeg', 1, 400, 200]);
  });
});

describe.skipIf(!poppler)(`the PDF writer${poppler ? '' : ' (poppler-utils not installed: skipped)'}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lienthong-pdfw-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes PDFs poppler reads without complaint', async () => {
    const f = join(dir, 'a.pdf');
    const jpeg = await renderPageJpeg(['Trang quét'], { ...A4_300DPI, width: 620, height: 877 });
    await writePdf(f, [textPage(['Thư viện (tỉnh) Kiên Giang', 'back\\slash']), scannedPage(jpeg, { widthPx: 620, heightPx: 877, dpi: 75 }), { ...textPage(['turned']), rotate: 90 }]);
    const info = execFileSync('pdfinfo', [f], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    expect(info).toMatch(/Pages:\s+3/u);
    expect(execFileSync('pdftotext', ['-l', '1', f, '-']).toString().trim()).toBe('Thư viện (tỉnh) Kiên Giang\nback\\slash');
    expect(execFileSync('pdfimages', ['-list', f]).toString()).toMatch(/620\s+877\s+gray\s+1\s+8\s+jpeg/u);
  });

  it('pads a file with a hole that costs no disk', async () => {
    const f = join(dir, 'big.pdf');
    const w = await PdfWriter.open(f);
    await w.addPage(textPage(['one page']));
    await w.pad(2 ** 30);
    await w.close();
    expect(execFileSync('pdfinfo', [f]).toString()).toMatch(/Pages:\s+1/u);
    expect(execFileSync('pdftotext', [f, '-']).toString().trim()).toBe('one page');
  });
});
