/**
 * The installed web app's icons, rendered from the site's SVG icon with sharp (libvips), so no
 * binary image is kept in the repository and a new logo needs no manual export.
 */
import sharp from 'sharp';

export interface AppIcons {
  /** The icon as drawn (transparent rounded corners), for `purpose: "any"`. */
  any192: Buffer;
  any512: Buffer;
  /** Full-bleed square with the drawing inside the central safe circle, for `purpose: "maskable"`. */
  maskable512: Buffer;
  /** iOS home screen: square, no transparency (iOS fills transparency with black). */
  appleTouch180: Buffer;
}

/**
 * Renders the PNG icons an installable web app needs from an SVG.
 *
 * Maskable icons are cropped by the launcher to any shape that contains the circle of 80 % of
 * the icon's width (W3C Web App Manifest, "icon masks"); the drawing is shrunk to fit inside it
 * on a square of `background`.
 *
 * @example renderAppIcons(readFileSync('favicon.svg'), '#0b6e4f')
 */
export async function renderAppIcons(svg: Buffer, background: string): Promise<AppIcons> {
  // Rasterised at twice the size, then scaled down: smoother edges than librsvg's own output.
  const drawn = (await sharp(svg).metadata()).width ?? 64;
  const png = (size: number) =>
    sharp(svg, { density: Math.min(2400, Math.ceil((72 * size * 2) / drawn)) })
      .resize(size, size)
      .png({ compressionLevel: 9 })
      .toBuffer();
  const onSquare = async (size: number, scale: number) => {
    const inner = Math.round(size * scale);
    const offset = Math.round((size - inner) / 2);
    return sharp({ create: { width: size, height: size, channels: 4, background } })
      .composite([{ input: await png(inner), left: offset, top: offset }])
      .flatten({ background })
      .png({ compressionLevel: 9 })
      .toBuffer();
  };
  const [any192, any512, maskable512, appleTouch180] = await Promise.all([png(192), png(512), onSquare(512, 0.8), onSquare(180, 0.9)]);
  return { any192, any512, maskable512, appleTouch180 };
}
