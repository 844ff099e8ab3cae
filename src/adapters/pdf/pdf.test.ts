/**
 * PdfTools on real PDFs written by our test writer (`bench/ocr/pdf-writer.ts`): a text layer in
 * Vietnamese and English, a scanned page, turned pages; PDF bombs (a page of 200,000 × 200,000
 * points, a content stream that inflates to 1 GB, one that inflates to 256 million drawing
 * operators), a 2 GB file, truncated and non-PDF files. Where poppler-utils is installed, our
 * text and renders are compared with `pdftotext` and `pdftoppm`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeflate } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MEDIA_LIMITS, MediaError, type MediaLimits } from '../../app/digital/media.js';
import { characterErrorRate } from '../../codecs/ocr/cer.js';
import { A4_300DPI, generatePages, renderPageJpeg } from '../../../bench/ocr/pages.js';
import { PdfWriter, scannedPage, textPage, writePdf } from '../../../bench/ocr/pdf-writer.js';
import { detectNativeTesseract, NativeTesseract } from '../ocr/native.js';
import { createPdfTools, openPdf, type PdfHandle } from './index.js';

const has = (cmd: string) => {
  try {
    execFileSync(cmd, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const POPPLER = has('pdftotext') && has('pdftoppm');
const tesseract = await detectNativeTesseract();
const NO_POPPLER = POPPLER ? '' : ' (poppler-utils not installed: skipped)';

/** An A4 page scanned at 150 dpi: 1240 × 1754 px. */
const SCAN = { ...A4_300DPI, width: 1240, height: 1754, fontSize: 22, lineHeight: 48, margin: 110 };
const [SCANNED] = generatePages(1, { seed: 4, spec: SCAN });
const VIETNAMESE = generatePages(1, { seed: 9 })[0]!.lines.slice(0, 12);
const ENGLISH = ['The provincial library of Kien Giang lends books', 'to readers in every commune (and keeps its', 'old newspapers on microfilm).'];

async function deflateRepeated(chunk: Buffer, times: number): Promise<Buffer> {
  const z = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (b: Buffer) => out.push(b));
  const ended = new Promise((r) => z.on('end', r));
  for (let i = 0; i < times; i++) if (!z.write(chunk)) await new Promise((r) => z.once('drain', r));
  z.end();
  await ended;
  return Buffer.concat(out);
}

const errorOf = (p: Promise<unknown>) => p.then(
  () => undefined,
  (e: unknown) => e,
);

describe('PDF tools', () => {
  let dir: string;
  let book: string;
  let bombs: string;
  /** Page indexes in `book`. */
  const VI = 0;
  const SCANNED_PAGE = 1;
  const EN = 2;
  const TURNED = 3;
  const SPARSE = 4;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lienthong-pdf-'));
    book = join(dir, 'book.pdf');
    await writePdf(book, [
      textPage(VIETNAMESE, { fontSize: 10 }),
      scannedPage(await renderPageJpeg(SCANNED!.lines, SCAN), { widthPx: SCAN.width, heightPx: SCAN.height, dpi: 150 }),
      textPage(ENGLISH),
      { ...textPage(ENGLISH), rotate: 90 },
      textPage(['Trang 12']),
    ]);
    bombs = join(dir, 'bombs.pdf');
    await writePdf(bombs, [
      // 1 GiB of zeros (white space to a PDF reader) deflated to about 1 MB.
      { width: 595, height: 842, content: await deflateRepeated(Buffer.alloc(64 << 20), 16), filter: 'FlateDecode' },
      // 256 million `q Q` operators in about 250 KB.
      { width: 595, height: 842, content: await deflateRepeated(Buffer.from('q Q '.repeat(16 << 20)), 4), filter: 'FlateDecode' },
      // Larger than any page could be: 200,000 pt is 2.8 km.
      { width: 595, height: 842, mediaBox: [0, 0, 200_000, 200_000], content: '' },
      textPage(ENGLISH),
    ]);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('one open document', () => {
    let pdf: PdfHandle;
    beforeAll(async () => {
      pdf = await openPdf(book, DEFAULT_MEDIA_LIMITS);
    }, 60_000);
    afterAll(() => pdf.close());

    it('measures the pages at 72 dpi, turned pages turned', async () => {
      expect(pdf.pages).toBe(5);
      const info = await pdf.info();
      expect(info.pages).toBe(5);
      expect(info.sizes[VI]).toEqual({ width: 595, height: 842 });
      expect(info.sizes[SCANNED_PAGE]).toEqual({ width: 595.2, height: 841.92 });
      expect(info.sizes[TURNED]).toEqual({ width: 842, height: 595 });
    });

    it('reads a Vietnamese text layer word for word, boxes scaled to the image', async () => {
      const page = await pdf.pageText(VI, 2480);
      expect(page).toBeDefined();
      expect(page!.text).toBe(VIETNAMESE.join('\n'));
      expect(page!.text).toBe(page!.text.normalize('NFC'));
      expect([page!.width, page!.height]).toEqual([2480, Math.round((842 * 2480) / 595)]);
      const scale = 2480 / 595;
      // The first word starts at the 72 pt margin; its baseline is 72 + 10 pt from the top.
      const first = page!.words[0]!;
      expect(first.text).toBe(VIETNAMESE[0]!.split(' ')[0]);
      expect(first.x).toBe(Math.floor(72 * scale));
      expect(Math.abs(first.y + first.h - 82 * scale)).toBeLessThan(4 * scale);
      expect(new Set(page!.words.map((w) => w.line)).size).toBe(VIETNAMESE.length);
      expect(page!.words.every((w) => w.c === 100 && w.w > 0 && w.h > 0)).toBe(true);
    });

    it.skipIf(!POPPLER)(`reads what pdftotext reads${NO_POPPLER}`, async () => {
      for (const n of [VI, EN, TURNED]) {
        const ours = await pdf.pageText(n, 1000);
        const theirs = execFileSync('pdftotext', ['-f', String(n + 1), '-l', String(n + 1), book, '-']).toString();
        expect(characterErrorRate(ours!.text, theirs)).toBe(0);
      }
    });

    it('keeps a turned page’s words inside the turned image', async () => {
      const page = (await pdf.pageText(TURNED, 842))!;
      expect(page.text).toBe(ENGLISH.join('\n'));
      expect([page.width, page.height]).toEqual([842, 595]);
      for (const w of page.words) {
        expect(w.x + w.w).toBeLessThanOrEqual(842);
        expect(w.y + w.h).toBeLessThanOrEqual(595);
        // Turned 90° clockwise, the lines run down the image.
        expect(w.h).toBeGreaterThan(w.w / Math.max(1, w.text.length));
      }
    });

    it('has no text layer for a scanned page, nor for a page with a few letters', async () => {
      expect(await pdf.pageText(SCANNED_PAGE, 2480)).toBeUndefined();
      expect(await pdf.pageText(SPARSE, 2480)).toBeUndefined();
    });

    it('renders a page to a PNG at the dpi asked, leaving no temporary file', async () => {
      const out = join(dir, 'scan-150.png');
      expect(await pdf.renderPage(SCANNED_PAGE, 150, out)).toEqual({ width: 1240, height: 1754 });
      const meta = await sharp(out).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 1240, 1754]);
      // The render is the scan: compare with the JPEG the page holds.
      const [a, b] = await Promise.all([sharp(out).greyscale().raw().toBuffer(), sharp(await renderPageJpeg(SCANNED!.lines, SCAN)).greyscale().raw().toBuffer()]);
      let diff = 0;
      for (let i = 0; i < a.length; i++) diff += Math.abs(a[i]! - b[i]!);
      expect(diff / a.length).toBeLessThan(3);
      expect(await pdf.renderPage(VI, 72, join(dir, 'vi-72.png'))).toEqual({ width: 595, height: 842 });
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it.skipIf(!POPPLER)(`renders as pdftoppm does, pixel for pixel in place${NO_POPPLER}`, async () => {
      const ours = join(dir, 'ours-150.png');
      await pdf.renderPage(SCANNED_PAGE, 150, ours);
      execFileSync('pdftoppm', ['-f', String(SCANNED_PAGE + 1), '-l', String(SCANNED_PAGE + 1), '-r', '150', '-png', '-singlefile', book, join(dir, 'poppler-150')]);
      const [a, b] = await Promise.all([ours, join(dir, 'poppler-150.png')].map((f) => sharp(f).greyscale().raw().toBuffer({ resolveWithObject: true })));
      const { width, height } = a!.info;
      expect([width, height]).toEqual([b!.info.width, b!.info.height]);
      // Mean difference with poppler's image moved by (dx, dy): least when not moved at all, and
      // small (the two JPEG decoders and anti-aliasing differ a little).
      const diff = (dx: number, dy: number) => {
        let d = 0;
        let n = 0;
        for (let y = 2; y < height - 2; y++) {
          for (let x = 2; x < width - 2; x++) {
            d += Math.abs(a!.data[y * width + x]! - b!.data[(y + dy) * width + x + dx]!);
            n++;
          }
        }
        return d / n;
      };
      const still = diff(0, 0);
      expect(still).toBeLessThan(8);
      for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) expect(diff(dx, dy)).toBeGreaterThan(still);
    });

    it('reports an output it cannot write as such, not as a bad PDF', async () => {
      const e = await errorOf(pdf.renderPage(VI, 72, join(dir, 'no', 'such', 'folder.png')));
      expect(e).toBeInstanceOf(Error);
      expect(e).not.toBeInstanceOf(MediaError);
      expect((e as Error).message).toMatch(/cannot write/u);
      expect(await pdf.pageText(EN, 100)).toBeDefined();
    });

    it('refuses pages that do not exist', async () => {
      await expect(pdf.pageText(5, 100)).rejects.toThrow(RangeError);
      await expect(pdf.renderPage(-1, 72, join(dir, 'x.png'))).rejects.toThrow(RangeError);
    });
  });

  it('reads a 2 GB PDF reading only the bytes it needs', { timeout: 120_000 }, async () => {
    const big = join(dir, 'big.pdf');
    const w = await PdfWriter.open(big);
    await w.addPage(textPage(ENGLISH));
    // A 2 GB stream no page uses, before the page tree and the cross-reference table, left as a
    // hole in the file: it costs no disk.
    await w.pad(2 * 2 ** 30);
    await w.close();
    expect(statSync(big).size).toBeGreaterThan(2 * 2 ** 30);
    const rss0 = process.memoryUsage.rss();
    const pdf = await openPdf(big, DEFAULT_MEDIA_LIMITS);
    try {
      expect(await pdf.info()).toEqual({ pages: 1, sizes: [{ width: 595, height: 842 }] });
      expect((await pdf.pageText(0, 1000))!.text).toBe(ENGLISH.join('\n'));
      expect(await pdf.renderPage(0, 72, join(dir, 'big.png'))).toEqual({ width: 595, height: 842 });
      expect(pdf.bytesRead).toBeLessThan(1 << 20);
      expect(process.memoryUsage.rss() - rss0).toBeLessThan(512 * 2 ** 20);
    } finally {
      await pdf.close();
      rmSync(big);
    }
  });

  describe('PDF bombs', () => {
    const limits: MediaLimits = { ...DEFAULT_MEDIA_LIMITS, pdfMemoryMb: 256, pageTimeoutMs: 60_000 };
    let pdf: PdfHandle;
    beforeAll(async () => {
      pdf = await openPdf(bombs, limits);
    }, 60_000);
    afterAll(() => pdf.close());

    it('refuses to render a page too large for the pixel limit, leaving no file', async () => {
      const out = join(dir, 'huge.png');
      const e = await errorOf(pdf.renderPage(2, 72, out));
      expect(e).toBeInstanceOf(MediaError);
      expect(e).toMatchObject({ code: 'MEDIA_TOO_MANY_PIXELS', params: { width: 200_000, height: 200_000 } });
      expect(existsSync(out)).toBe(false);
      expect((await pdf.info()).sizes[2]).toEqual({ width: 200_000, height: 200_000 });
    });

    it.each([
      ['render', 0, (n: number) => pdf.renderPage(n, 72, join(dir, `bomb-${n}.png`))],
      ['read the text of', 0, (n: number) => pdf.pageText(n, 1000)],
      ['render', 1, (n: number) => pdf.renderPage(n, 72, join(dir, `bomb-${n}.png`))],
    ])('stops the worker that tries to %s page %i, and goes on with the next page', { timeout: 120_000 }, async (_, n, act) => {
      const e = await errorOf(act(n));
      expect(e).toBeInstanceOf(MediaError);
      expect(e).toMatchObject({ code: 'MEDIA_TOO_COMPLEX', params: { reason: 'memory' } });
      expect(existsSync(join(dir, `bomb-${n}.png`))).toBe(false);
      expect((await pdf.pageText(3, 1000))?.text).toBe(ENGLISH.join('\n'));
    });

    it('stops a worker past the time limit', { timeout: 60_000 }, async () => {
      const e = await errorOf(openPdf(book, { ...DEFAULT_MEDIA_LIMITS, pageTimeoutMs: 1 }));
      expect(e).toMatchObject({ code: 'MEDIA_TOO_COMPLEX', params: { reason: 'time', timeoutMs: 1 } });
    });
  });

  describe('files that are not PDFs a reader can use', () => {
    it.each<[string, (f: string) => Promise<void> | void, string]>([
      ['an empty file', (f) => writeFileSync(f, ''), 'MEDIA_CORRUPT'],
      ['a PNG', async (f) => writeFileSync(f, await sharp({ create: { width: 10, height: 10, channels: 3, background: 'white' } }).png().toBuffer()), 'MEDIA_CORRUPT'],
      ['text', (f) => writeFileSync(f, 'Thư viện tỉnh Kiên Giang\n'.repeat(100)), 'MEDIA_CORRUPT'],
      ['a PDF cut in half', (f) => (writeFileSync(f, readFileSync(book)), truncateSync(f, Math.floor(statSync(book).size / 2))), 'MEDIA_CORRUPT'],
      ['a PDF header and nothing else', (f) => writeFileSync(f, '%PDF-1.7\n%%EOF\n'), 'MEDIA_CORRUPT'],
      ['a PDF without pages', (f) => writePdf(f, []), 'MEDIA_CORRUPT'],
    ])('refuses %s', { timeout: 60_000 }, async (_, make, code) => {
      const f = join(dir, 'bad.pdf');
      await make(f);
      const e = await errorOf(openPdf(f, DEFAULT_MEDIA_LIMITS));
      expect(e).toBeInstanceOf(MediaError);
      expect((e as MediaError).code).toBe(code);
    });

    it('refuses a PDF over the page or byte limits', { timeout: 60_000 }, async () => {
      await expect(openPdf(book, { ...DEFAULT_MEDIA_LIMITS, maxPages: 4 })).rejects.toMatchObject({ code: 'MEDIA_TOO_MANY_PAGES', params: { pages: 5, maxPages: 4 } });
      await expect(openPdf(book, { ...DEFAULT_MEDIA_LIMITS, maxBytes: 1000 })).rejects.toMatchObject({ code: 'MEDIA_TOO_LARGE' });
    });
  });

  describe('createPdfTools', () => {
    it('answers each call on its own and keeps documents open between calls', { timeout: 120_000 }, async () => {
      const tools = createPdfTools({ maxOpen: 2, idleMs: 60_000 });
      try {
        expect((await tools.info(book, DEFAULT_MEDIA_LIMITS)).pages).toBe(5);
        // Several pages at once, as the digital library asks for them.
        const texts = await Promise.all([VI, EN, TURNED, EN].map((n) => tools.pageText(book, n, 1000, DEFAULT_MEDIA_LIMITS)));
        expect(texts.map((t) => t?.text.split('\n')[0])).toEqual([VIETNAMESE[0], ENGLISH[0], ENGLISH[0], ENGLISH[0]]);
        const outs = [0, 1, 2].map((n) => join(dir, `tools-${n}.png`));
        const sizes = await Promise.all(outs.map((out, n) => tools.renderPage(book, n, 36, out, DEFAULT_MEDIA_LIMITS)));
        expect(sizes).toEqual([
          { width: 298, height: 421 },
          { width: 298, height: 421 },
          { width: 298, height: 421 },
        ]);
        await expect(tools.info(join(dir, 'nothing.pdf'), DEFAULT_MEDIA_LIMITS)).rejects.toThrow(/ENOENT/u);
        await expect(tools.renderPage(bombs, 2, 72, join(dir, 'no.png'), DEFAULT_MEDIA_LIMITS)).rejects.toMatchObject({ code: 'MEDIA_TOO_MANY_PIXELS' });
      } finally {
        await tools.close();
      }
    });
  });

  it.skipIf(!tesseract?.languages.includes('vie'))('turns a scanned page into text: render, then OCR', { timeout: 120_000 }, async () => {
    const tools = createPdfTools();
    const engine = new NativeTesseract(tesseract!);
    try {
      const out = join(dir, 'for-ocr.png');
      await tools.renderPage(book, SCANNED_PAGE, 300, out, DEFAULT_MEDIA_LIMITS);
      const read = await engine.recognize(out, ['vie']);
      expect(characterErrorRate(read.text, SCANNED!.text)).toBeLessThan(0.02);
    } finally {
      await engine.close();
      await tools.close();
    }
  });
});
