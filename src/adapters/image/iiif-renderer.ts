/**
 * Renders IIIF Image API requests (already resolved by `codecs/iiif/image-request.ts`) from the
 * access copies `derivePyramid` writes: tiled pyramidal TIFFs whose pages are the levels, each
 * half the size of the one before, in 256 px JPEG-compressed tiles.
 *
 * How a request is answered, cheapest first:
 *   - A request for exactly one stored tile as it is (a viewer's tile at any zoom level, default
 *     or color quality, jpg, no rotation, no watermark) is answered with that tile's JPEG data,
 *     copied out of the TIFF without decoding: JPEG tiles in a TIFF are JPEG streams that share
 *     their tables in the JPEGTables tag, so the tables plus the tile make a complete JPEG file,
 *     pixel for pixel what a decoder would have produced from the TIFF.
 *   - Anything else goes through sharp on the smallest level that still has at least as many
 *     pixels as the output, reading only the tiles under the region (random access).
 *
 * The TIFF's layout (level sizes, tile offsets) is read once per file and kept, checked against
 * the file's identity (inode, size, modification time) on every request, so a re-derived file is
 * never served from a stale layout.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { IIIF_MEDIA_TYPES, type ResolvedImageRequest } from '../../codecs/iiif/image-request.js';

// One libvips worker thread per image. A tile is small, so splitting one across threads buys
// little and costs synchronisation; with many requests in flight, libuv's pool already keeps
// every core busy with whole images. Measured on 2 cores, 16 connections, random tiles of a
// 10,000 × 14,000 scan decoded and re-encoded (gray.jpg), median of 3 runs: 709 tiles/s with 1
// thread, 578 with 2 (the default here), and p99 33 ms against 56. Process-wide: it also makes
// sharp work in this process (derivatives too) use one thread per image.
sharp.concurrency(1);

export interface RenderOptions {
  /** Text drawn semi-transparently and diagonally across the image (e.g. the library's name and "restricted"). */
  watermark?: string;
}

export interface RenderedImage {
  body: Buffer;
  mediaType: string;
  /**
   * The body is a tile of the pyramid copied as it is: as cheap to make again as to read back
   * from a cache, so not worth a place in one.
   */
  storedTile: boolean;
}

const JPEG_QUALITY = 80;
const WEBP_QUALITY = 80;
const BITONAL_THRESHOLD = 128;

// ------------------------------------------------------------------------------ TIFF layout

/** One level of the pyramid: a page of the TIFF. */
export interface PyramidLevel {
  width: number;
  height: number;
  tileWidth: number;
  tileHeight: number;
  /** Where each tile's bytes are, row by row. */
  tileOffsets: number[];
  tileByteCounts: number[];
  /** The JPEG tables shared by the tiles (a JPEG stream of DQT/DHT), when the tiles are JPEG. */
  jpegTables: Buffer | undefined;
  /** Tiles are baseline 8-bit JPEG in YCbCr or min-is-black grey: they can be sent as they are. */
  jpegTiles: boolean;
}

const TAG = {
  width: 256,
  height: 257,
  bitsPerSample: 258,
  compression: 259,
  photometric: 262,
  samplesPerPixel: 277,
  planarConfig: 284,
  tileWidth: 322,
  tileHeight: 323,
  tileOffsets: 324,
  tileByteCounts: 325,
  jpegTables: 347,
} as const;

const TIFF_TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 6: 1, 7: 1, 8: 2, 9: 4 };
const COMPRESSION_JPEG = 7;
const PHOTOMETRIC_MIN_IS_BLACK = 1;
const PHOTOMETRIC_YCBCR = 6;
// Bounds that no pyramid we write comes near, so a damaged file cannot make us read forever.
const MAX_LEVELS = 64;
const MAX_ENTRIES = 512;
const MAX_VALUES = 16_000_000;

class TiffReader {
  readonly #file: FileHandle;
  readonly #little: boolean;

  private constructor(file: FileHandle, little: boolean) {
    this.#file = file;
    this.#little = little;
  }

  static async open(file: FileHandle, path: string): Promise<{ reader: TiffReader; firstIfd: number }> {
    const head = await readAt(file, 0, 8);
    const order = head.toString('latin1', 0, 2);
    const little = order === 'II';
    if (!little && order !== 'MM') throw new Error(`${path}: not a TIFF file`);
    const reader = new TiffReader(file, little);
    if (reader.u16(head, 2) !== 42) throw new Error(`${path}: not a classic TIFF (BigTIFF pyramids are not read here)`);
    return { reader, firstIfd: reader.u32(head, 4) };
  }

  u16(b: Buffer, at: number): number {
    return this.#little ? b.readUInt16LE(at) : b.readUInt16BE(at);
  }

  u32(b: Buffer, at: number): number {
    return this.#little ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }

  /** The tags of the IFD at `offset` as arrays of numbers (or raw bytes), and the next IFD's offset. */
  async ifd(offset: number): Promise<{ tags: Map<number, number[] | Buffer>; next: number }> {
    const count = this.u16(await readAt(this.#file, offset, 2), 0);
    if (count > MAX_ENTRIES) throw new Error(`IFD at ${offset} claims ${count} entries`);
    const entries = await readAt(this.#file, offset + 2, count * 12 + 4);
    const tags = new Map<number, number[] | Buffer>();
    for (let i = 0; i < count; i++) {
      const e = i * 12;
      const tag = this.u16(entries, e);
      if (!(Object.values(TAG) as number[]).includes(tag)) continue;
      tags.set(tag, await this.#value(entries, e));
    }
    return { tags, next: this.u32(entries, count * 12) };
  }

  async #value(entries: Buffer, e: number): Promise<number[] | Buffer> {
    const type = this.u16(entries, e + 2);
    const n = this.u32(entries, e + 4);
    const size = TIFF_TYPE_SIZE[type];
    if (size === undefined || n > MAX_VALUES) throw new Error(`tag ${this.u16(entries, e)}: type ${type}, ${n} values`);
    const bytes = n * size;
    const data = bytes <= 4 ? entries.subarray(e + 8, e + 8 + bytes) : await readAt(this.#file, this.u32(entries, e + 8), bytes);
    if (size === 1) return Buffer.from(data);
    const values: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) values[i] = size === 2 ? this.u16(data, i * 2) : this.u32(data, i * 4);
    return values;
  }
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await file.read(buf, 0, length, position);
  if (bytesRead !== length) throw new Error(`unexpected end of file at byte ${position + bytesRead}`);
  return buf;
}

function levelFrom(tags: Map<number, number[] | Buffer>, path: string, index: number): PyramidLevel {
  const num = (tag: number, fallback?: number): number => {
    const v = tags.get(tag);
    const n = Array.isArray(v) ? v[0] : fallback;
    if (n === undefined) throw new Error(`${path}: page ${index} has no tag ${tag}; not a tiled pyramid`);
    return n;
  };
  const list = (tag: number): number[] => {
    const v = tags.get(tag);
    if (!Array.isArray(v)) throw new Error(`${path}: page ${index} has no tag ${tag}; not a tiled pyramid`);
    return v;
  };
  const width = num(TAG.width);
  const height = num(TAG.height);
  const tileWidth = num(TAG.tileWidth);
  const tileHeight = num(TAG.tileHeight);
  const tileOffsets = list(TAG.tileOffsets);
  const tileByteCounts = list(TAG.tileByteCounts);
  const tiles = Math.ceil(width / tileWidth) * Math.ceil(height / tileHeight);
  if (tileOffsets.length !== tiles || tileByteCounts.length !== tiles) throw new Error(`${path}: page ${index} lists ${tileOffsets.length} tiles, expected ${tiles}`);
  const tables = tags.get(TAG.jpegTables);
  const photometric = num(TAG.photometric, -1);
  const jpegTiles =
    num(TAG.compression, 1) === COMPRESSION_JPEG &&
    num(TAG.planarConfig, 1) === 1 &&
    num(TAG.bitsPerSample, 1) === 8 &&
    ((photometric === PHOTOMETRIC_YCBCR && num(TAG.samplesPerPixel, 1) === 3) || (photometric === PHOTOMETRIC_MIN_IS_BLACK && num(TAG.samplesPerPixel, 1) === 1));
  return { width, height, tileWidth, tileHeight, tileOffsets, tileByteCounts, jpegTables: Buffer.isBuffer(tables) ? tables : undefined, jpegTiles };
}

/** Whether a page is the next level of the pyramid: half the size of the first, to a pixel. */
function isLevel(first: PyramidLevel, page: PyramidLevel, index: number): boolean {
  const close = (full: number, got: number) => Math.abs(full / 2 ** index - got) <= 1;
  return close(first.width, page.width) && close(first.height, page.height);
}

/**
 * Reads the levels of a tiled pyramidal TIFF (classic TIFF, one page per level, each half the
 * size of the one before). Reading stops at the first page that is not the next level, so other
 * pages (a thumbnail, a label) are never taken for one.
 */
export async function readPyramid(path: string): Promise<PyramidLevel[]> {
  const file = await open(path, 'r');
  try {
    const { reader, firstIfd } = await TiffReader.open(file, path);
    const levels: PyramidLevel[] = [];
    const seen = new Set<number>();
    for (let offset = firstIfd; offset !== 0; ) {
      if (seen.has(offset) || levels.length >= MAX_LEVELS) throw new Error(`${path}: the chain of pages loops or is too long`);
      seen.add(offset);
      const { tags, next } = await reader.ifd(offset);
      let level: PyramidLevel;
      try {
        level = levelFrom(tags, path, levels.length);
      } catch (e) {
        if (levels.length === 0) throw e;
        break;
      }
      if (levels.length > 0 && !isLevel(levels[0]!, level, levels.length)) break;
      levels.push(level);
      offset = next;
    }
    if (levels.length === 0) throw new Error(`${path}: no pages`);
    return levels;
  } finally {
    await file.close();
  }
}

interface KnownPyramid {
  identity: string;
  levels: PyramidLevel[];
}

/** Layouts of the pyramids served recently; bounded, least recently used first out. */
const layouts = new Map<string, KnownPyramid>();
const MAX_LAYOUTS = 256;

async function pyramidLevels(path: string): Promise<PyramidLevel[]> {
  const s = await stat(path);
  const identity = `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
  const known = layouts.get(path);
  layouts.delete(path);
  if (known?.identity === identity) {
    layouts.set(path, known);
    return known.levels;
  }
  const levels = await readPyramid(path);
  layouts.set(path, { identity, levels });
  if (layouts.size > MAX_LAYOUTS) layouts.delete(layouts.keys().next().value!);
  return levels;
}

// ------------------------------------------------------------------------------ rendering

/** The smallest level with at least as many pixels as the output, in both directions. */
function chooseLevel(levels: readonly PyramidLevel[], req: ResolvedImageRequest): number {
  const ratio = Math.min(req.region.w / req.size.w, req.region.h / req.size.h);
  let k = 0;
  while (k + 1 < levels.length && 2 ** (k + 1) <= ratio) k++;
  return k;
}

/** The region in the pixels of level `k` (half the size per level), inside that level. */
function regionOnLevel(level: PyramidLevel, k: number, req: ResolvedImageRequest): { left: number; top: number; width: number; height: number } {
  const s = 2 ** k;
  const { x, y, w, h } = req.region;
  const left = Math.min(level.width - 1, Math.floor(x / s));
  const top = Math.min(level.height - 1, Math.floor(y / s));
  const right = Math.max(left + 1, Math.min(level.width, Math.ceil((x + w) / s)));
  const bottom = Math.max(top + 1, Math.min(level.height, Math.ceil((y + h) / s)));
  return { left, top, width: right - left, height: bottom - top };
}

/** The index of the stored tile the request asks for exactly as it is, if it does. */
function storedTile(level: PyramidLevel, k: number, req: ResolvedImageRequest, opts: RenderOptions): number | undefined {
  const plain = req.format === 'jpg' && (req.quality === 'default' || req.quality === 'color') && req.rotation === 0 && !req.mirror && !opts.watermark;
  if (!plain || !level.jpegTiles) return undefined;
  const s = 2 ** k;
  const { tileWidth: tw, tileHeight: th } = level;
  const { x, y, w, h } = req.region;
  if (req.size.w !== tw || req.size.h !== th || w !== tw * s || h !== th * s || x % (tw * s) !== 0 || y % (th * s) !== 0) return undefined;
  const col = x / (tw * s);
  const row = y / (th * s);
  // Tiles on the right and bottom edges are padded in the file: those go through the decoder.
  if ((col + 1) * tw > level.width || (row + 1) * th > level.height) return undefined;
  return row * Math.ceil(level.width / tw) + col;
}

const SOI = Buffer.from([0xff, 0xd8]);
const EOI = Buffer.from([0xff, 0xd9]);
// A JFIF APP0 segment (version 1.01, no density, no thumbnail). Tiles in a TIFF carry none; with
// it, every decoder takes the three components for YCbCr instead of guessing.
const JFIF = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);

/** A stored tile as a complete JPEG file: SOI, JFIF, the shared tables, then the tile's own segments. */
async function copyTile(path: string, level: PyramidLevel, index: number): Promise<Buffer | undefined> {
  const file = await open(path, 'r');
  let tile: Buffer;
  try {
    tile = await readAt(file, level.tileOffsets[index]!, level.tileByteCounts[index]!);
  } finally {
    await file.close();
  }
  const tables = level.jpegTables;
  const framed = (b: Buffer | undefined) => b !== undefined && b.length >= 4 && b.subarray(0, 2).equals(SOI) && b.subarray(-2).equals(EOI);
  if (!framed(tile)) return undefined;
  if (tables === undefined) return Buffer.concat([SOI, JFIF, tile.subarray(2)]);
  if (!framed(tables)) return undefined;
  return Buffer.concat([SOI, JFIF, tables.subarray(2, -2), tile.subarray(2)]);
}

/** Region, size, mirror and rotation on one level, as a sharp pipeline not yet encoded. */
function geometry(path: string, level: PyramidLevel, k: number, req: ResolvedImageRequest): Sharp {
  const area = regionOnLevel(level, k, req);
  // The pyramid is ours, already checked when it was made; random access reads only the tiles
  // under the region instead of decoding the page from the top.
  let image = sharp(path, { page: k, sequentialRead: false, limitInputPixels: false }).extract(area);
  if (area.width !== req.size.w || area.height !== req.size.h) image = image.resize(req.size.w, req.size.h, { fit: 'fill' });
  if (req.mirror) image = image.flop();
  if (req.rotation !== 0) image = image.rotate(req.rotation);
  return image;
}

function withQuality(image: Sharp, quality: ResolvedImageRequest['quality']): Sharp {
  if (quality === 'gray') return image.toColourspace('b-w');
  if (quality === 'bitonal') return image.threshold(BITONAL_THRESHOLD).toColourspace('b-w');
  return image;
}

function encode(image: Sharp, format: ResolvedImageRequest['format']): Promise<Buffer> {
  if (format === 'png') return image.png({ compressionLevel: 6 }).toBuffer();
  if (format === 'webp') return image.webp({ quality: WEBP_QUALITY, effort: 2 }).toBuffer();
  // Huffman optimisation and mozjpeg's trellis cost a second pass for a few percent of bytes.
  return image.jpeg({ quality: JPEG_QUALITY, mozjpeg: false, optimiseCoding: false }).toBuffer();
}

function escapeXml(text: string): string {
  const map: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
  // XML 1.0 forbids most control characters; line breaks would end the single line of text.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\ufffe\uffff]/g, ' ').replace(/[&<>"']/g, (c) => map[c]!);
}

/**
 * The watermark as an SVG the size of the image: the text once along the diagonal from bottom
 * left to top right, scaled to about 80% of the diagonal, white with a dark outline so it reads
 * on light paper and dark plates alike, at `opacity`. DejaVu Sans has every Vietnamese letter.
 */
export function watermarkSvg(width: number, height: number, text: string, opacity = 0.4): Buffer {
  const chars = Math.max([...text].length, 1);
  const diagonal = Math.hypot(width, height);
  // DejaVu Sans Bold advances about 0.7 em per character on average.
  const fontSize = Math.max(6, Math.min(diagonal / 6, (0.8 * diagonal) / (0.7 * chars)));
  const angle = (-Math.atan2(height, width) * 180) / Math.PI;
  const cx = width / 2;
  const cy = height / 2;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<text x="${cx}" y="${cy}" transform="rotate(${angle.toFixed(2)} ${cx} ${cy})" text-anchor="middle" dominant-baseline="middle" ` +
    `font-family="DejaVu Sans, sans-serif" font-weight="bold" font-size="${fontSize.toFixed(1)}" ` +
    `fill="#ffffff" fill-opacity="${opacity}" stroke="#000000" stroke-opacity="${opacity}" stroke-width="${Math.max(0.5, fontSize / 30).toFixed(2)}">` +
    `${escapeXml(text)}</text></svg>`;
  return Buffer.from(svg, 'utf8');
}

async function withWatermark(image: Sharp, req: ResolvedImageRequest, text: string): Promise<Sharp> {
  const turned = req.rotation === 90 || req.rotation === 270;
  const width = turned ? req.size.h : req.size.w;
  const height = turned ? req.size.w : req.size.h;
  // sharp composites after its colour conversions, so the watermark goes onto the colour image in
  // a first pass and grey or bitonal is made from the result in a second. Thresholding would wipe
  // out a faint watermark: for bitonal it is drawn strong enough to come out white on black.
  const opacity = req.quality === 'bitonal' ? 0.75 : 0.4;
  const { data, info } = await image
    .composite([{ input: watermarkSvg(width, height, text, opacity), top: 0, left: 0 }])
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
}

/**
 * Renders one resolved request from a pyramid written by `derivePyramid`. Throws a plain `Error`
 * when the file is missing or is not such a pyramid (a server fault, not the client's).
 */
export async function renderImage(pyramidPath: string, req: ResolvedImageRequest, opts: RenderOptions = {}): Promise<RenderedImage> {
  const mediaType = IIIF_MEDIA_TYPES[req.format];
  const levels = await pyramidLevels(pyramidPath);
  const k = chooseLevel(levels, req);
  const level = levels[k]!;
  const index = storedTile(level, k, req, opts);
  if (index !== undefined) {
    const body = await copyTile(pyramidPath, level, index);
    if (body) return { body, mediaType, storedTile: true };
  }
  let image = geometry(pyramidPath, level, k, req);
  if (opts.watermark) image = await withWatermark(image, req, opts.watermark);
  return { body: await encode(withQuality(image, req.quality), req.format), mediaType, storedTile: false };
}

// ------------------------------------------------------------------------------ cache

/** Changes whenever the rendering changes, so cached images made the old way are not served. */
const RENDER_VERSION = 1;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The cache key of a rendered image: everything that decides its bytes. `sourceSha` identifies
 * the access copy (e.g. the SHA-256 of the original), so a re-derived image gets new keys.
 */
export function renderKey(sourceSha: string, req: ResolvedImageRequest, opts: RenderOptions = {}): string {
  const mark = opts.watermark ? `#wm:${sha256(opts.watermark)}` : '';
  return `v${RENDER_VERSION}/${sourceSha}/${req.canonical}${mark}`;
}

/** A strong HTTP entity tag (quotes included) for the image `key` renders from `sourceSha`. */
export function etag(key: string, sourceSha: string): string {
  return `"${sha256(`${key}\n${sourceSha}`).slice(0, 32)}"`;
}

export interface TileCacheOptions {
  /** The cache folder; created when needed. */
  dir: string;
  /** Byte budget; a sweep removes the oldest files until the cache is under 90% of it. */
  maxBytes: number;
  /** Sweep after every this many writes (default 200). */
  sweepEvery?: number;
}

export interface SweepResult {
  files: number;
  bytes: number;
  removed: number;
}

const TMP_MARK = '.tmp-';
/** Temporary files older than this are left over from a crash and swept away. */
const STALE_TMP_MS = 10 * 60_000;

/**
 * Rendered images on disk, named by the SHA-256 of their key in two levels of folders
 * (`ab/cd/abcd…`) so no folder grows too large. Files are written to a temporary name and
 * renamed, so a reader never sees half a file. The total size is kept under a byte budget by a
 * sweep every N writes that removes the least recently written files; a sweep runs in the
 * background and only one at a time. A file `get` returned may be swept before it is read: treat
 * a missing file as a miss.
 */
export class TileCache {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #sweepEvery: number;
  #writes = 0;
  #sweeping: Promise<SweepResult> | undefined;
  /** Folders known to exist, so most writes skip `mkdir` (at most 65,536 of them). */
  readonly #folders = new Set<string>();

  constructor(opts: TileCacheOptions) {
    this.#dir = opts.dir;
    this.#maxBytes = opts.maxBytes;
    this.#sweepEvery = opts.sweepEvery ?? 200;
  }

  #path(key: string): string {
    const h = sha256(key);
    return join(this.#dir, h.slice(0, 2), h.slice(2, 4), h);
  }

  /** The path of the cached file for `key`, or `undefined`. */
  async get(key: string): Promise<string | undefined> {
    const path = this.#path(key);
    try {
      return (await stat(path)).isFile() ? path : undefined;
    } catch {
      return undefined;
    }
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.#path(key);
    const tmp = `${path}${TMP_MARK}${randomBytes(6).toString('hex')}`;
    const folder = join(path, '..');
    if (!this.#folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.#folders.add(folder);
    }
    try {
      await writeFile(tmp, body).catch(async (e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
        // The folder was removed behind our back (by hand, or the whole cache): make it again.
        await mkdir(folder, { recursive: true });
        await writeFile(tmp, body);
      });
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    if (++this.#writes % this.#sweepEvery === 0) void this.sweep().catch(() => undefined);
  }

  /** Removes the oldest files while the cache is over budget; joins a sweep already running. */
  sweep(): Promise<SweepResult> {
    this.#sweeping ??= this.#sweep().finally(() => {
      this.#sweeping = undefined;
    });
    return this.#sweeping;
  }

  async #sweep(): Promise<SweepResult> {
    const files = await this.#files();
    let bytes = files.reduce((sum, f) => sum + f.size, 0);
    let removed = 0;
    if (bytes > this.#maxBytes) {
      files.sort((a, b) => a.mtimeMs - b.mtimeMs);
      const target = this.#maxBytes * 0.9;
      for (const f of files) {
        if (bytes <= target) break;
        await rm(f.path, { force: true });
        bytes -= f.size;
        removed++;
      }
    }
    return { files: files.length - removed, bytes, removed };
  }

  /** Every cached file with its size and time; stale temporary files are removed on the way. */
  async #files(): Promise<{ path: string; size: number; mtimeMs: number }[]> {
    const out: { path: string; size: number; mtimeMs: number }[] = [];
    const now = Date.now();
    for (const a of await listDir(this.#dir)) {
      for (const b of await listDir(join(this.#dir, a))) {
        const folder = join(this.#dir, a, b);
        for (const name of await listDir(folder)) {
          const path = join(folder, name);
          const s = await stat(path).catch(() => undefined);
          if (!s?.isFile()) continue;
          if (!name.includes(TMP_MARK)) out.push({ path, size: s.size, mtimeMs: s.mtimeMs });
          else if (now - s.mtimeMs > STALE_TMP_MS) await rm(path, { force: true });
        }
      }
    }
    return out;
  }
}

async function listDir(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch {
    return [];
  }
}
