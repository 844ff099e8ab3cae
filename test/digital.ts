/**
 * What the digital library's tests share: page images with known Vietnamese text made with sharp,
 * a small OCR engine that reads back the words it was told (for tests about everything around
 * OCR; the engines themselves are tested against real images in src/adapters/ocr), and running
 * the processing jobs a test queued.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Container } from '../src/main/container.js';
import { DIGITAL_PROCESS_JOB } from '../src/app/digital/digital.service.js';
import type { OcrEngine, PageText } from '../src/app/digital/media.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A white page (default 1200 × 1700 px) with lines of black text, as PNG (or JPEG/TIFF by `format`). */
export async function pageImage(lines: readonly string[], opts: { width?: number; height?: number; format?: 'png' | 'jpeg' | 'tiff' } = {}): Promise<Buffer> {
  const width = opts.width ?? 1200;
  const height = opts.height ?? 1700;
  const text = lines.map((l, i) => `<text x="80" y="${140 + i * 64}" font-family="DejaVu Serif" font-size="40" fill="#111">${esc(l)}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${text}</svg>`;
  const img = sharp(Buffer.from(svg));
  return opts.format === 'jpeg' ? img.jpeg({ quality: 90 }).toBuffer() : opts.format === 'tiff' ? img.tiff().toBuffer() : img.png().toBuffer();
}

export async function writePage(dir: string, name: string, lines: readonly string[], opts: Parameters<typeof pageImage>[1] = {}): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, await pageImage(lines, opts));
  return path;
}

/**
 * An OCR engine that "reads" the next page's text from a list (or the same text every time),
 * laying the words out on lines with boxes, as a real engine reports them.
 */
export function scriptedOcr(pages: readonly string[] | string): OcrEngine & { calls: number } {
  let calls = 0;
  return {
    name: 'scripted',
    parallel: 2,
    get calls() {
      return calls;
    },
    async recognize(): Promise<PageText> {
      const text = typeof pages === 'string' ? pages : (pages[calls % pages.length] ?? '');
      calls++;
      const words = text.split('\n').flatMap((line, li) => line.split(/\s+/).filter(Boolean).map((w, wi) => ({ text: w, x: 80 + wi * 120, y: 100 + li * 64, w: 110, h: 44, c: 95, line: li })));
      return { text, words, confidence: 95, width: 1200, height: 1700 };
    },
    async close() {},
  };
}

/** Runs every queued processing job now, in this process; returns how many ran. */
export async function processQueued(c: Container): Promise<number> {
  const owner = 'test';
  let n = 0;
  for (const j of await c.store.jobs.list({ kind: DIGITAL_PROCESS_JOB, status: 'queued', limit: 100 })) {
    const now = c.clock.now();
    const claimed = await c.store.jobs.claimById(j.id, owner, new Date(now.getTime() + 600_000).toISOString(), now.toISOString());
    if (!claimed) continue;
    await c.processor.process(claimed, owner);
    n++;
  }
  return n;
}
