/**
 * A generated page scan for the IIIF benchmark: mottled, grainy paper with lines of Vietnamese
 * text, saved as a scanner would (JPEG, quality 90). Flat colour would make every tile a few
 * hundred bytes and JPEG decoding trivial; paper grain and print are what real scans cost.
 * Seeded, so every run serves the same image.
 */
import sharp from 'sharp';
import { pick, seededRandom } from '../lib/measure.js';
import { TITLE_CONNECTORS, TITLE_TERMS } from '../search/vocabulary.js';

/** One line of running text, about `chars` characters long. */
function textLine(rnd: () => number, chars: number): string {
  const words: string[] = [];
  let length = 0;
  while (length < chars) {
    const w = rnd() < 0.25 ? pick(rnd, TITLE_CONNECTORS) : pick(rnd, TITLE_TERMS).toLowerCase();
    words.push(w);
    length += w.length + 1;
  }
  const line = words.join(' ');
  return line.charAt(0).toUpperCase() + line.slice(1);
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The printed text as an SVG the size of the page: a heading, lines of text, a page number. */
function textSvg(width: number, height: number, seed: number): Buffer {
  const rnd = seededRandom(seed);
  const margin = Math.round(width * 0.09);
  const size = Math.round(width / 60);
  const lineHeight = Math.round(size * 1.55);
  // DejaVu Serif sets Vietnamese text at about 0.56 em a character: lines end ragged, inside the margin.
  const charsPerLine = Math.round((width - 2 * margin) / (size * 0.56));
  const lines: string[] = [];
  let y = margin + size * 2;
  lines.push(`<text x="${width / 2}" y="${y}" text-anchor="middle" font-size="${size * 1.6}" font-weight="bold">${escape(textLine(rnd, 28).toUpperCase())}</text>`);
  y += lineHeight * 2;
  while (y < height - margin) {
    const indent = rnd() < 0.12 ? size * 2 : 0;
    lines.push(`<text x="${margin + indent}" y="${y}">${escape(textLine(rnd, charsPerLine - indent / (size * 0.56)))}</text>`);
    y += lineHeight;
  }
  lines.push(`<text x="${width / 2}" y="${height - margin / 2}" text-anchor="middle">— ${1 + Math.floor(rnd() * 300)} —</text>`);
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<g font-family="DejaVu Serif, serif" font-size="${size}" fill="#231c14" fill-opacity="0.92">${lines.join('')}</g></svg>`,
  );
}

/** Paper: a low-frequency mottle in a warm off-white, with fine grain on top. */
async function paper(width: number, height: number): Promise<Buffer> {
  const small = { width: Math.ceil(width / 24), height: Math.ceil(height / 24) };
  const mottle = await sharp({ create: { ...small, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .toColourspace('b-w')
    .resize(width, height, { kernel: 'cubic' })
    .toColourspace('srgb')
    .linear([0.1, 0.1, 0.12], [223, 215, 188])
    .raw()
    .toBuffer();
  const grain = await sharp({ create: { width, height, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 14 } } })
    .toColourspace('b-w')
    .png({ compressionLevel: 0 })
    .toBuffer();
  return sharp(mottle, { raw: { width, height, channels: 3 } })
    .composite([{ input: grain, blend: 'soft-light' }])
    .raw()
    .toBuffer();
}

/** Writes the scan as a JPEG (quality 90) at `path`. */
export async function writeScan(path: string, width: number, height: number, seed: number): Promise<void> {
  const page = await paper(width, height);
  // librsvg refuses very large canvases unless told the input is trusted; this one is ours.
  const print = await sharp(textSvg(width, height, seed), { limitInputPixels: false, unlimited: true }).png({ compressionLevel: 1 }).toBuffer();
  await sharp(page, { raw: { width, height, channels: 3 }, limitInputPixels: false })
    .composite([{ input: print, blend: 'multiply', limitInputPixels: false }])
    .jpeg({ quality: 90 })
    .toFile(path);
}
