/**
 * The native tesseract engine on rendered pages of Vietnamese with known text (every tone mark,
 * đ, ơ, ư): accuracy by character error rate, word boxes and lines, our hOCR reading against
 * tesseract's own ALTO, limits and failures.
 *
 * Skipped when tesseract is not installed (Debian: `tesseract-ocr tesseract-ocr-vie`), unless
 * `LIENTHONG_REQUIRE_TESSERACT=1`, which makes its absence a failure.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError } from '../../app/digital/media.js';
import { parseAlto } from '../../codecs/ocr/alto.js';
import { characterErrorRate } from '../../codecs/ocr/cer.js';
import { parseHocr } from '../../codecs/ocr/hocr.js';
import { A4_300DPI, generatePages, renderPagePng, SENTENCES, wrap } from '../../../bench/ocr/pages.js';
import { detectNativeTesseract, NativeTesseract } from './native.js';
import { createOcrEngine } from './index.js';

const info = await detectNativeTesseract();
const usable = !!info && info.languages.includes('vie') && info.languages.includes('eng');
const SKIP = usable ? '' : ' (skipped: native tesseract with vie and eng is not installed; apt-get install tesseract-ocr tesseract-ocr-vie)';

// eslint-disable-next-line no-restricted-syntax -- a switch of the test run, like LIENTHONG_REQUIRE_PG in test/global-setup.ts
it.runIf(process.env.LIENTHONG_REQUIRE_TESSERACT === '1')('native tesseract is installed, as LIENTHONG_REQUIRE_TESSERACT=1 requires', () => {
  expect(usable).toBe(true);
});

describe(`NativeTesseract${SKIP}`, () => {
  let dir: string;
  let page: string;
  const [truth] = generatePages(1, { seed: 11 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lienthong-ocr-'));
    page = join(dir, 'page.png');
    if (usable) await renderPagePng(truth!.lines, page);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!usable)('finds the binary, its version and its languages', () => {
    expect(info!.path).toMatch(/tesseract$/u);
    expect(info!.version).toMatch(/^\d+\.\d+/u);
    expect(info!.languages).toEqual(expect.arrayContaining(['vie', 'eng']));
  });

  it('reports a missing binary as absent', async () => {
    expect(await detectNativeTesseract({ command: 'lienthong-no-such-tesseract' })).toBeUndefined();
    expect(await detectNativeTesseract({ command: '/bin/false' })).toBeUndefined();
  });

  it.skipIf(!usable)('reads an A4 page of Vietnamese almost exactly, with boxes and lines', { timeout: 120_000 }, async () => {
    const engine = new NativeTesseract(info!);
    try {
      const read = await engine.recognize(page, ['vie']);
      expect(characterErrorRate(read.text, truth!.text)).toBeLessThan(0.01);
      expect(read.text).toBe(read.text.normalize('NFC'));
      expect([read.width, read.height]).toEqual([A4_300DPI.width, A4_300DPI.height]);
      expect(read.text.split('\n')).toHaveLength(A4_300DPI.lines);
      expect(new Set(read.words.map((w) => w.line)).size).toBe(A4_300DPI.lines);
      expect(read.words.length).toBe(truth!.text.split(/\s+/u).length);
      for (const w of read.words) {
        expect(w.x).toBeGreaterThanOrEqual(A4_300DPI.margin - 5);
        expect(w.x + w.w).toBeLessThanOrEqual(A4_300DPI.width - 100);
        expect(w.h).toBeGreaterThan(10);
        expect(w.h).toBeLessThan(A4_300DPI.lineHeight);
      }
      // Line n's words sit on the n-th printed line.
      const first = read.words.find((w) => w.line === 7)!;
      expect(Math.abs(first.y + first.h / 2 - (A4_300DPI.margin + A4_300DPI.fontSize * 0.65 + 7 * A4_300DPI.lineHeight))).toBeLessThan(A4_300DPI.lineHeight / 2);
      expect(read.confidence).toBeGreaterThan(80);
      expect(read.source?.format).toBe('hocr');
    } finally {
      await engine.close();
    }
  });

  it.skipIf(!usable)('reads the page as tesseract’s own ALTO has it', { timeout: 120_000 }, async () => {
    const run = promisify(execFile);
    const [hocr, alto] = await Promise.all([
      run('tesseract', [page, 'stdout', '-l', 'vie', '--psm', '3', '-c', 'tessedit_do_invert=0', 'hocr'], { maxBuffer: 1 << 26 }),
      run('tesseract', [page, 'stdout', '-l', 'vie', '--psm', '3', '-c', 'tessedit_do_invert=0', 'alto'], { maxBuffer: 1 << 26 }),
    ]);
    const fromHocr = parseHocr(hocr.stdout);
    const fromAlto = parseAlto(alto.stdout);
    expect(fromHocr.words.length).toBeGreaterThan(300);
    expect(fromHocr.words).toEqual(fromAlto.words);
    expect(fromHocr.text).toBe(fromAlto.text);
    expect([fromHocr.width, fromHocr.height]).toEqual([fromAlto.width, fromAlto.height]);
  });

  it.skipIf(!usable)('reads several pages at once and in any language set, each its own', { timeout: 180_000 }, async () => {
    const engine = new NativeTesseract(info!, { parallel: 2 });
    const spec = { ...A4_300DPI, height: 500, lines: 3 };
    const texts = [
      wrap(SENTENCES.slice(0, 4).join(' '), spec.lineChars).slice(0, 3),
      wrap(SENTENCES.slice(20, 24).join(' '), spec.lineChars).slice(0, 3),
      ['The library of the province of Kien Giang', 'lends books to readers in every commune', 'and keeps its old newspapers on microfilm.'],
    ];
    try {
      const files = await Promise.all(texts.map(async (lines, i) => (await renderPagePng(lines, join(dir, `small-${i}.png`), spec), join(dir, `small-${i}.png`))));
      // vie+eng reads Vietnamese as well as vie alone (on a mostly English page, though, it reads
      // a Vietnamese line with the English model and loses its marks).
      const langs = [['vie'], ['vie', 'eng'], ['eng']] as const;
      const read = await Promise.all(files.map((f, i) => engine.recognize(f, langs[i]!)));
      for (const [i, r] of read.entries()) expect(characterErrorRate(r.text, texts[i]!.join("\n"))).toBeLessThan(0.02);
    } finally {
      await engine.close();
    }
  });

  it.skipIf(!usable)('kills a page past its time limit', async () => {
    const engine = new NativeTesseract(info!, { pageTimeoutMs: 1 });
    const e = await engine.recognize(page, ['vie']).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MediaError);
    expect((e as MediaError).code).toBe('MEDIA_OCR_FAILED');
    expect((e as MediaError).params).toMatchObject({ engine: 'tesseract', timeoutMs: 1 });
    await engine.close();
  });

  it.skipIf(!usable)('fails with tesseract’s own message on an unreadable image', async () => {
    const engine = new NativeTesseract(info!);
    const junk = join(dir, 'junk.png');
    writeFileSync(junk, 'not a png at all');
    for (const path of [junk, join(dir, 'missing.png')]) {
      const e = await engine.recognize(path, ['vie']).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(MediaError);
      expect((e as MediaError).code).toBe('MEDIA_OCR_FAILED');
      expect(String((e as MediaError).params.stderr)).toMatch(/read|open|image/iu);
    }
    await engine.close();
  });

  it.skipIf(!usable)('refuses languages it does not have, and work after close', async () => {
    const engine = new NativeTesseract({ ...info!, languages: ['vie'] });
    await expect(engine.recognize(page, ['eng'])).rejects.toMatchObject({ code: 'MEDIA_OCR_FAILED', params: { language: 'eng' } });
    await expect(engine.recognize(page, ['fra' as 'eng'])).rejects.toMatchObject({ code: 'MEDIA_OCR_FAILED' });
    await expect(engine.recognize(join(dir, 'list.txt'), ['vie'])).rejects.toMatchObject({ code: 'MEDIA_OCR_FAILED' });
    await engine.close();
    await expect(engine.recognize(page, ['vie'])).rejects.toMatchObject({ code: 'MEDIA_OCR_FAILED' });
  });

  it.skipIf(!usable)('close() stops the pages still waiting for a slot', { timeout: 60_000 }, async () => {
    const engine = new NativeTesseract(info!, { parallel: 1 });
    const running = engine.recognize(page, ['vie']).catch((x: unknown) => x);
    const waiting = engine.recognize(page, ['vie']).catch((x: unknown) => x);
    await engine.close();
    expect(await waiting).toMatchObject({ code: 'MEDIA_OCR_FAILED' });
    expect(await running).toMatchObject({ code: 'MEDIA_OCR_FAILED' });
  });

  it.skipIf(!usable)('is what createOcrEngine picks by default, with one page per core', async () => {
    const engine = await createOcrEngine();
    expect(engine.name).toBe('tesseract');
    expect(engine.parallel).toBeGreaterThanOrEqual(1);
    await engine.close();
  });
});
