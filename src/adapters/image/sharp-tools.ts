/**
 * `ImageTools` on sharp (libvips): recognises uploads by their magic numbers, measures them from
 * their headers, and writes the access copies: a tiled pyramidal TIFF for the tile server and a
 * grey PNG for OCR.
 *
 * Untrusted files are handled in this order, so a hostile one costs almost nothing:
 *   1. the byte limit, from `stat`;
 *   2. the kind, from the first 16 bytes: only the kinds we accept ever reach a decoder (an SVG,
 *      a ZIP or an executable renamed `.jpg` never does);
 *   3. the size in pixels, from the header alone (`metadata()` reads no pixel data): a PNG that
 *      declares 100,000 × 100,000 px is refused before anything is allocated;
 *   4. only then decoding, with `limitInputPixels` as a second guard, `failOn: 'error'` so a
 *      truncated or damaged file fails instead of yielding grey rows, and the page time limit.
 *
 * Outputs are written to `<out>.tmp-<random>` and renamed into place when complete.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { MEDIA_TYPES, MediaError, type ImageTools, type MediaKind, type MediaLimits, type ProbeResult } from '../../app/digital/media.js';

/** Long side of the OCR image: enough for 300 dpi on A4, and what Tesseract reads comfortably. */
const OCR_MAX_SIDE = 4000;
const TILE_SIZE = 256;
const PYRAMID_QUALITY = 85;
const SNIFF_BYTES = 16;

/** A kind and the bytes its files start with. */
type Magic = { kind: Exclude<MediaKind, 'unknown'>; bytes: number[] };

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const MAGIC: Magic[] = [
  { kind: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
  { kind: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { kind: 'tiff', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { kind: 'tiff', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  // BigTIFF (version 43).
  { kind: 'tiff', bytes: [0x49, 0x49, 0x2b, 0x00] },
  { kind: 'tiff', bytes: [0x4d, 0x4d, 0x00, 0x2b] },
  // JP2 signature box, then a raw JPEG 2000 codestream (SOC + SIZ markers).
  { kind: 'jp2', bytes: [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a] },
  { kind: 'jp2', bytes: [0xff, 0x4f, 0xff, 0x51] },
  { kind: 'pdf', bytes: ascii('%PDF-') },
  { kind: 'gif', bytes: ascii('GIF87a') },
  { kind: 'gif', bytes: ascii('GIF89a') },
];

/** RIFF container whose form type is WEBP: `RIFF` size(4) `WEBP`. */
function isWebp(head: Uint8Array): boolean {
  const riff = ascii('RIFF').every((b, i) => head[i] === b);
  return riff && ascii('WEBP').every((b, i) => head[8 + i] === b);
}

/** The kind of a file from its first bytes. */
export function kindOf(head: Uint8Array): MediaKind {
  if (isWebp(head)) return 'webp';
  const hit = MAGIC.find((m) => m.bytes.every((b, i) => head[i] === b));
  return hit?.kind ?? 'unknown';
}

async function sniff(path: string): Promise<MediaKind> {
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await file.read(head, 0, SNIFF_BYTES, 0);
    return kindOf(head.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
}

/** Whether this build of libvips can read JPEG 2000 (sharp's prebuilt binaries cannot). */
function canDecodeJp2(): boolean {
  const formats = sharp.format as unknown as Record<string, { input?: { file?: boolean } } | undefined>;
  return formats.jp2k?.input?.file === true;
}

/** Refuses kinds this adapter does not decode; returns the kind otherwise. */
function decodableKind(kind: MediaKind): Exclude<MediaKind, 'unknown' | 'pdf'> {
  if (kind === 'unknown') throw new MediaError('MEDIA_TYPE_UNSUPPORTED', { kind }, 'not an image or PDF this library accepts (judged by its first bytes)');
  if (kind === 'pdf') throw new MediaError('MEDIA_TYPE_UNSUPPORTED', { kind, reason: 'pdf-tools' }, 'PDFs are read by PdfTools, not ImageTools');
  if (kind === 'jp2' && !canDecodeJp2()) {
    throw new MediaError('MEDIA_TYPE_UNSUPPORTED', { kind, reason: 'no-jpeg2000-decoder' }, 'this build cannot decode JPEG 2000: its libvips has no OpenJPEG');
  }
  return kind;
}

/**
 * What sharp says about bad input, as a `MediaError`. Failures to write the output (a full disk,
 * a missing folder) are not the file's fault and pass through unchanged.
 */
function mediaFailure(e: unknown): unknown {
  if (e instanceof MediaError || !(e instanceof Error)) return e;
  if ('code' in e && typeof e.code === 'string') return e;
  // libvips lists the cause first, then what failed because of it ("unable to write to target").
  const detail = (e.message.split('\n')[0] ?? '').slice(0, 200);
  if (/exceeds pixel limit/i.test(detail)) return new MediaError('MEDIA_TOO_MANY_PIXELS', { detail });
  if (/timeout/i.test(detail)) return new MediaError('MEDIA_TOO_COMPLEX', { detail });
  if (/save|write|no space|permission denied|read-only/i.test(detail)) return e;
  return new MediaError('MEDIA_CORRUPT', { detail });
}

/** The header of one page, read without decoding any pixels. */
async function header(path: string, page: number): Promise<Metadata> {
  try {
    return await sharp(path, { page, limitInputPixels: false }).metadata();
  } catch (e) {
    throw mediaFailure(e);
  }
}

/** Pages in the file: frames of a TIFF; 1 for every other kind (a GIF's frames are not pages). */
function pageCount(kind: MediaKind, meta: Metadata): number {
  return kind === 'tiff' ? (meta.pages ?? 1) : 1;
}

/** Size as displayed, after the EXIF orientation. */
function displaySize(meta: Metadata): { width: number; height: number } {
  return meta.autoOrient ?? { width: meta.width, height: meta.height };
}

function checkPixels(meta: Metadata, limits: MediaLimits): void {
  const { width, height } = meta;
  if (!(width > 0 && height > 0)) throw new MediaError('MEDIA_CORRUPT', { width, height }, `the header declares ${width} × ${height} px`);
  if (width > limits.maxSide || height > limits.maxSide) {
    throw new MediaError('MEDIA_TOO_MANY_PIXELS', { width, height, maxSide: limits.maxSide }, `${width} × ${height} px: a side is over ${limits.maxSide} px`);
  }
  if (width * height > limits.maxPixels) {
    throw new MediaError('MEDIA_TOO_MANY_PIXELS', { width, height, maxPixels: limits.maxPixels }, `${width} × ${height} px is over ${limits.maxPixels} pixels`);
  }
}

function checkPage(page: number, pages: number): void {
  if (!Number.isInteger(page) || page < 0 || page >= pages) throw new RangeError(`page ${page} does not exist: the file has ${pages} page(s)`);
}

/** A decoder for one page of an untrusted file, with every guard on. */
function decoder(path: string, page: number, limits: MediaLimits): Sharp {
  return sharp(path, { page, limitInputPixels: limits.maxPixels, failOn: 'error', autoOrient: true }).timeout({
    seconds: Math.max(1, Math.ceil(limits.pageTimeoutMs / 1000)),
  });
}

/**
 * The checks every reader of an upload makes before decoding: byte limit, kind, page, and the
 * page's size from its header.
 */
async function admit(path: string, page: number, limits: MediaLimits): Promise<{ kind: Exclude<MediaKind, 'unknown' | 'pdf'>; pages: number; meta: Metadata }> {
  const { size } = await stat(path);
  if (size > limits.maxBytes) throw new MediaError('MEDIA_TOO_LARGE', { bytes: size, maxBytes: limits.maxBytes });
  const kind = decodableKind(await sniff(path));
  const first = await header(path, 0);
  const pages = pageCount(kind, first);
  if (pages > limits.maxPages) throw new MediaError('MEDIA_TOO_MANY_PAGES', { pages, maxPages: limits.maxPages });
  checkPage(page, pages);
  const meta = page === 0 ? first : await header(path, page);
  checkPixels(meta, limits);
  return { kind, pages, meta };
}

/** Writes through a temporary name beside `out`, renamed into place only when complete. */
async function writeAtomically<T>(out: string, write: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = `${out}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    const result = await write(tmp);
    await rename(tmp, out);
    return result;
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw mediaFailure(e);
  }
}

/**
 * Displayable 8-bit sRGB: EXIF orientation applied (by the decoder), transparency on white, CMYK
 * and embedded profiles converted, 16-bit reduced.
 */
function toSrgb8(image: Sharp): Sharp {
  return image.flatten({ background: '#ffffff' }).toColourspace('srgb');
}

async function probe(path: string, limits: MediaLimits): Promise<ProbeResult> {
  const { kind, pages, meta } = await admit(path, 0, limits);
  // Decoding a small version reads all the compressed data (so truncation shows) at a fraction
  // of the cost: JPEG shrinks while decoding, and nothing is kept but a thumbnail.
  try {
    await decoder(path, 0, limits).resize(TILE_SIZE, TILE_SIZE, { fit: 'inside' }).raw().toBuffer();
  } catch (e) {
    throw mediaFailure(e);
  }
  return { kind, mediaType: MEDIA_TYPES[kind], pages, ...displaySize(meta) };
}

async function derivePyramid(source: string, page: number, out: string, limits: MediaLimits): Promise<{ width: number; height: number }> {
  await admit(source, page, limits);
  return writeAtomically(out, async (tmp) => {
    const info = await toSrgb8(decoder(source, page, limits))
      .tiff({ tile: true, tileWidth: TILE_SIZE, tileHeight: TILE_SIZE, pyramid: true, compression: 'jpeg', quality: PYRAMID_QUALITY })
      .toFile(tmp);
    return { width: info.width, height: info.height };
  });
}

async function deriveOcrImage(source: string, page: number, out: string, limits: MediaLimits): Promise<{ width: number; height: number }> {
  await admit(source, page, limits);
  const side = Math.min(OCR_MAX_SIDE, limits.maxSide);
  return writeAtomically(out, async (tmp) => {
    const info = await toSrgb8(decoder(source, page, limits))
      .resize(side, side, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('b-w')
      .png({ compressionLevel: 4 })
      .toFile(tmp);
    return { width: info.width, height: info.height };
  });
}

export function createImageTools(): ImageTools {
  return { sniff, probe, derivePyramid, deriveOcrImage };
}
