/**
 * `SiteImageTools` on sharp: the logos, banners and photographs of library websites.
 *
 * An upload is admitted the same careful way as a digitised page (see `sharp-tools.ts`): the byte
 * limit from `stat`, the kind from the first bytes (only JPEG, PNG and WebP: an SVG, which can
 * carry script, or a text file renamed `.png` never reaches a decoder), the size in pixels from
 * the header alone, and only then decoding, with a pixel limit, `failOn: 'error'` and a time limit.
 * Copies are written to a temporary name and renamed when complete; they keep no metadata.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { MEDIA_TYPES, MediaError } from '../../app/digital/media.js';
import type { SiteImageKind, SiteImageLimits, SiteImageTools } from '../../app/sites/ports.js';
import { kindOf } from './sharp-tools.js';

const ACCEPTED: readonly SiteImageKind[] = ['jpeg', 'png', 'webp'];

async function head(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const buf = new Uint8Array(16);
    const { bytesRead } = await file.read(buf, 0, 16, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** What sharp says about a bad file, as a `MediaError`; failures to write (a full disk) pass through. */
function failure(e: unknown): unknown {
  if (e instanceof MediaError || !(e instanceof Error)) return e;
  if ('code' in e && typeof e.code === 'string') return e;
  const detail = (e.message.split('\n')[0] ?? '').slice(0, 200);
  if (/exceeds pixel limit/i.test(detail)) return new MediaError('MEDIA_TOO_MANY_PIXELS', { detail });
  if (/timeout/i.test(detail)) return new MediaError('MEDIA_TOO_COMPLEX', { detail });
  if (/save|write|no space|permission denied|read-only/i.test(detail)) return e;
  return new MediaError('MEDIA_CORRUPT', { detail });
}

function decoder(path: string, limits: SiteImageLimits): Sharp {
  return sharp(path, { limitInputPixels: limits.maxPixels, failOn: 'error', autoOrient: true }).timeout({ seconds: Math.max(1, Math.ceil(limits.timeoutMs / 1000)) });
}

async function inspect(path: string, limits: SiteImageLimits): Promise<{ kind: SiteImageKind; mediaType: string; width: number; height: number }> {
  const { size } = await stat(path);
  if (size > limits.maxBytes) throw new MediaError('MEDIA_TOO_LARGE', { bytes: size, maxBytes: limits.maxBytes });
  const kind = kindOf(await head(path));
  if (!(ACCEPTED as readonly string[]).includes(kind)) throw new MediaError('MEDIA_TYPE_UNSUPPORTED', { kind });
  let meta: Metadata;
  try {
    meta = await sharp(path, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw failure(e);
  }
  const { width, height } = meta;
  if (!(width > 0 && height > 0)) throw new MediaError('MEDIA_CORRUPT', { width, height });
  if (width > limits.maxSide || height > limits.maxSide || width * height > limits.maxPixels) {
    throw new MediaError('MEDIA_TOO_MANY_PIXELS', { width, height, maxPixels: limits.maxPixels });
  }
  try {
    // Decoding a small version reads all the compressed data, so a truncated file shows here.
    await decoder(path, limits).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
  } catch (e) {
    throw failure(e);
  }
  const shown = meta.autoOrient ?? { width, height };
  return { kind: kind as SiteImageKind, mediaType: MEDIA_TYPES[kind as SiteImageKind], width: shown.width, height: shown.height };
}

async function resize(source: string, out: string, opts: { width: number; format: 'webp' | 'jpeg' }, limits: SiteImageLimits): Promise<{ width: number; height: number }> {
  const tmp = `${out}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    let image = decoder(source, limits).resize({ width: opts.width, withoutEnlargement: true }).toColourspace('srgb');
    // JPEG has no transparency: a logo's clear background becomes white, as the pages show it.
    image = opts.format === 'jpeg' ? image.flatten({ background: '#ffffff' }).jpeg({ quality: 82, progressive: true, mozjpeg: true }) : image.webp({ quality: 80, effort: 4 });
    const info = await image.toFile(tmp);
    await rename(tmp, out);
    return { width: info.width, height: info.height };
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw failure(e);
  }
}

export function createSiteImageTools(): SiteImageTools {
  return { inspect, resize };
}

/** Renders an SVG drawing to a PNG file: the demo network's logos, banners and photographs. */
export async function svgToPng(svg: string, out: string): Promise<void> {
  await sharp(Buffer.from(svg)).png({ compressionLevel: 6 }).toFile(out);
}
