/**
 * tesseract.js, offline from the npm language packages, on a few rendered lines of Vietnamese
 * with known text (kept small: this engine is slow), and its failures, which must reject the page
 * and never bring the process down.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterErrorRate } from '../../codecs/ocr/cer.js';
import { A4_300DPI, renderPagePng, SENTENCES, wrap } from '../../../bench/ocr/pages.js';
import { TesseractJs } from './wasm.js';
import { createOcrEngine } from './index.js';

const SPEC = { ...A4_300DPI, height: 560, lines: 3 };
const LINES = wrap(SENTENCES.slice(16, 20).join(' '), SPEC.lineChars).slice(0, 3);

describe('TesseractJs', () => {
  let dir: string;
  let image: string;
  let engine: TesseractJs;
  const tempFolders = () => readdirSync(tmpdir()).filter((f) => f.startsWith('lienthong-tessdata-')).length;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lienthong-wasm-'));
    image = join(dir, 'lines.png');
    await renderPagePng(LINES, image, SPEC);
    engine = new TesseractJs({ parallel: 1 });
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads Vietnamese lines with their marks, offline', { timeout: 180_000 }, async () => {
    const read = await engine.recognize(image, ['vie']);
    expect(characterErrorRate(read.text, LINES.join('\n'))).toBeLessThan(0.02);
    expect(read.text).toBe(read.text.normalize('NFC'));
    expect(read.text.split('\n')).toHaveLength(3);
    expect([read.width, read.height]).toEqual([SPEC.width, SPEC.height]);
    expect(read.words.every((w) => w.w > 0 && w.h > 0 && w.c >= 0 && w.c <= 100)).toBe(true);
    expect(read.source?.format).toBe('hocr');
  });

  it('rejects an unreadable image without harm, and reads the next one with both languages', { timeout: 180_000 }, async () => {
    const junk = join(dir, 'junk.png');
    writeFileSync(junk, 'this is not an image');
    await expect(engine.recognize(junk, ['vie'])).rejects.toMatchObject({ code: 'MEDIA_OCR_FAILED' });
    await expect(engine.recognize(join(dir, 'missing.png'), ['vie'])).rejects.toMatchObject({ code: 'MEDIA_OCR_FAILED', params: { engine: 'tesseract.js' } });
    const read = await engine.recognize(image, ['vie', 'eng']);
    expect(characterErrorRate(read.text, LINES.join('\n'))).toBeLessThan(0.03);
  });

  it('writes nothing to the working directory and removes its data folder on close', { timeout: 60_000 }, async () => {
    expect(readdirSync(process.cwd()).filter((f) => f.endsWith('.traineddata'))).toEqual([]);
    const before = tempFolders();
    const other = new TesseractJs({ parallel: 1 });
    await other.recognize(image, ['eng']);
    expect(tempFolders()).toBe(before + 1);
    await other.close();
    expect(tempFolders()).toBe(before);
    await expect(other.recognize(image, ['vie'])).rejects.toMatchObject({ code: 'MEDIA_OCR_FAILED' });
  });

  it('is what createOcrEngine gives when asked for wasm', async () => {
    const e = await createOcrEngine({ prefer: 'wasm', parallel: 3 });
    expect([e.name, e.parallel]).toEqual(['tesseract.js', 3]);
    await e.close();
  });
});
