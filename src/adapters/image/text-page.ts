/**
 * A page of printed text as an image, like a clean scan: used to make the demo network's
 * digitised documents on first start (nothing is downloaded and no image is kept in git).
 */
import sharp from 'sharp';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Writes a PNG of `lines` (a heading first) on an off-white A5-like page, 1240 × 1754 px (150 dpi). */
export async function writeTextPage(out: string, heading: string, lines: readonly string[], footer: string): Promise<void> {
  const width = 1240;
  const height = 1754;
  const body = lines.map((l, i) => `<text x="110" y="${330 + i * 58}" font-family="DejaVu Serif" font-size="34" fill="#1d1b18">${esc(l)}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<rect width="100%" height="100%" fill="#f6f1e4"/>
<rect x="60" y="60" width="${width - 120}" height="${height - 120}" fill="none" stroke="#c9bfa6" stroke-width="3"/>
<text x="${width / 2}" y="210" font-family="DejaVu Serif" font-size="46" font-weight="bold" fill="#1d1b18" text-anchor="middle">${esc(heading)}</text>
${body}
<text x="${width / 2}" y="${height - 110}" font-family="DejaVu Serif" font-size="28" fill="#5d5647" text-anchor="middle">${esc(footer)}</text>
</svg>`;
  await sharp(Buffer.from(svg)).png({ compressionLevel: 6 }).toFile(out);
}
