import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MEDIA_LIMITS, MediaError, type MediaLimits } from '../../app/digital/media.js';
import { readPyramid } from './iiif-renderer.js';
import { createImageTools, kindOf } from './sharp-tools.js';

const tools = createImageTools();
let dir: string;
const at = (name: string) => join(dir, name);
const limits = (over: Partial<MediaLimits> = {}): MediaLimits => ({ ...DEFAULT_MEDIA_LIMITS, ...over });

// ------------------------------------------------------------------ hand-made files

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid PNG header (correct CRCs) declaring width × height RGB, with a token of pixel data. */
function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const idat = Buffer.from([0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A little-endian classic TIFF, one uncompressed grey strip, declaring width × height. */
function tiffDeclaring(width: number, height: number): Buffer {
  const entries: [number, number, number][] = [
    [256, 4, width],
    [257, 4, height],
    [258, 3, 8],
    [259, 3, 1],
    [262, 3, 1],
    [273, 4, 8 + 2 + 9 * 12 + 4],
    [277, 3, 1],
    [278, 4, height],
    [279, 4, 16],
  ];
  const ifd = Buffer.alloc(2 + entries.length * 12 + 4);
  ifd.writeUInt16LE(entries.length, 0);
  entries.forEach(([tag, type, value], i) => {
    const e = 2 + i * 12;
    ifd.writeUInt16LE(tag, e);
    ifd.writeUInt16LE(type, e + 2);
    ifd.writeUInt32LE(1, e + 4);
    if (type === 3) ifd.writeUInt16LE(value, e + 8);
    else ifd.writeUInt32LE(value, e + 8);
  });
  return Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]), ifd, Buffer.alloc(16, 0x80)]);
}

/** A real JPEG whose SOF0 header is rewritten to declare width × height. */
function jpegDeclaring(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  const sof = out.indexOf(Buffer.from([0xff, 0xc0]));
  out.writeUInt16BE(height, sof + 5);
  out.writeUInt16BE(width, sof + 7);
  return out;
}

const noisy = (width: number, height: number, background = '#d8cfb8') =>
  sharp({ create: { width, height, channels: 3, background, noise: { type: 'gaussian', mean: 180, sigma: 30 } } });
const plain = (width: number, height: number, background: string | { r: number; g: number; b: number; alpha: number }) =>
  sharp({ create: { width, height, channels: 4, background } });

async function mediaError(p: Promise<unknown>): Promise<MediaError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MediaError) return e;
    throw e;
  }
  throw new Error('expected a MediaError');
}

let jpeg: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lienthong-sharp-tools-'));
  jpeg = await noisy(640, 480).jpeg({ quality: 90 }).toBuffer();
  writeFileSync(at('photo.jpg'), jpeg);
  writeFileSync(at('photo.png'), await noisy(300, 200).png().toBuffer());
  writeFileSync(at('photo.webp'), await noisy(300, 200).webp().toBuffer());
  writeFileSync(at('photo.gif'), await noisy(120, 90).gif().toBuffer());
  writeFileSync(at('photo.tif'), await noisy(320, 240).tiff({ compression: 'lzw' }).toBuffer());
  const pages = await Promise.all(['#ff0000', '#00ff00', '#0000ff'].map((c) => plain(120, 80, c).png().toBuffer()));
  writeFileSync(at('three-pages.tif'), await sharp(pages, { join: { animated: true } }).tiff().toBuffer());
  // Stored 40 × 20, left half black; EXIF orientation 6 says "turn 90° clockwise to display".
  const halves = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#ffffff' } })
    .composite([{ input: { create: { width: 20, height: 20, channels: 3, background: '#000000' } }, left: 0, top: 0 }])
    .png()
    .toBuffer();
  writeFileSync(at('rotated.jpg'), await sharp(halves).jpeg().withMetadata({ orientation: 6 }).toBuffer());
  writeFileSync(at('cmyk.jpg'), await plain(64, 64, '#c03020').removeAlpha().toColourspace('cmyk').jpeg().toBuffer());
  writeFileSync(at('sixteen.png'), await plain(64, 64, '#c03020').removeAlpha().toColourspace('rgb16').png().toBuffer());
  writeFileSync(at('transparent.png'), await plain(64, 64, { r: 0, g: 0, b: 0, alpha: 0 }).png().toBuffer());
  writeFileSync(at('large.png'), await plain(5000, 3000, '#808080').removeAlpha().png().toBuffer());

  writeFileSync(at('truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
  const png = await noisy(200, 100).png().toBuffer();
  writeFileSync(at('truncated.png'), png.subarray(0, png.length - 40));
  writeFileSync(at('garbage.jpg'), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 0x5a)]));
  writeFileSync(at('bomb.png'), pngDeclaring(100_000, 100_000));
  writeFileSync(at('bomb.jpg'), jpegDeclaring(jpeg, 65_000, 65_000));
  writeFileSync(at('bomb.tif'), tiffDeclaring(100_000, 100_000));
  writeFileSync(at('wide.png'), pngDeclaring(70_000, 10));
  writeFileSync(at('elf.jpg'), Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(64)]));
  writeFileSync(at('archive.jpg'), Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64)]));
  writeFileSync(at('notes.jpg'), 'Đây là một tệp văn bản, không phải ảnh.\n');
  writeFileSync(at('drawing.jpg'), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
  writeFileSync(at('empty.jpg'), Buffer.alloc(0));
  writeFileSync(at('scan.jp2'), Buffer.concat([Buffer.from([0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]), Buffer.alloc(64)]));
  writeFileSync(at('scan.j2k'), Buffer.concat([Buffer.from([0xff, 0x4f, 0xff, 0x51]), Buffer.alloc(64)]));
  writeFileSync(at('book.pdf'), '%PDF-1.7\n%âãÏÓ\n');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('kindOf: magic numbers', () => {
  const bytes = (...xs: (number | string)[]) => new Uint8Array(xs.flatMap((x) => (typeof x === 'string' ? [...x].map((c) => c.charCodeAt(0)) : [x])));
  it.each([
    ['JPEG', bytes(0xff, 0xd8, 0xff, 0xe0), 'jpeg'],
    ['PNG', bytes(0x89, 'PNG\r\n', 0x1a, '\n'), 'png'],
    ['WebP', bytes('RIFF', 0x10, 0, 0, 0, 'WEBPVP8 '), 'webp'],
    ['TIFF II', bytes('II', 0x2a, 0), 'tiff'],
    ['TIFF MM', bytes('MM', 0, 0x2a), 'tiff'],
    ['BigTIFF II', bytes('II', 0x2b, 0, 8, 0, 0, 0), 'tiff'],
    ['BigTIFF MM', bytes('MM', 0, 0x2b, 0, 8, 0, 0), 'tiff'],
    ['JP2', bytes(0, 0, 0, 0x0c, 'jP  ', 0x0d, 0x0a, 0x87, 0x0a), 'jp2'],
    ['J2K codestream', bytes(0xff, 0x4f, 0xff, 0x51), 'jp2'],
    ['PDF', bytes('%PDF-1.4'), 'pdf'],
    ['GIF87a', bytes('GIF87a'), 'gif'],
    ['GIF89a', bytes('GIF89a'), 'gif'],
    ['RIFF WAVE', bytes('RIFF', 0x10, 0, 0, 0, 'WAVEfmt '), 'unknown'],
    ['ELF', bytes(0x7f, 'ELF', 2, 1, 1), 'unknown'],
    ['ZIP', bytes('PK', 3, 4), 'unknown'],
    ['SVG', bytes('<svg xmlns='), 'unknown'],
    ['JPEG cut after 2 bytes', bytes(0xff, 0xd8), 'unknown'],
    ['TIFF with a wrong version', bytes('II', 0x2c, 0), 'unknown'],
    ['nothing', bytes(), 'unknown'],
  ])('%s → %s', (_name, head, kind) => {
    expect(kindOf(head)).toBe(kind);
  });
});

describe('sniff', () => {
  it.each([
    ['photo.jpg', 'jpeg'],
    ['photo.png', 'png'],
    ['photo.webp', 'webp'],
    ['photo.gif', 'gif'],
    ['photo.tif', 'tiff'],
    ['scan.jp2', 'jp2'],
    ['scan.j2k', 'jp2'],
    ['book.pdf', 'pdf'],
    ['elf.jpg', 'unknown'],
    ['archive.jpg', 'unknown'],
    ['notes.jpg', 'unknown'],
    ['empty.jpg', 'unknown'],
  ])('%s → %s', async (name, kind) => {
    expect(await tools.sniff(at(name))).toBe(kind);
  });
});

describe('probe', () => {
  it.each([
    ['photo.jpg', { kind: 'jpeg', mediaType: 'image/jpeg', pages: 1, width: 640, height: 480 }],
    ['photo.png', { kind: 'png', mediaType: 'image/png', pages: 1, width: 300, height: 200 }],
    ['photo.webp', { kind: 'webp', mediaType: 'image/webp', pages: 1, width: 300, height: 200 }],
    ['photo.gif', { kind: 'gif', mediaType: 'image/gif', pages: 1, width: 120, height: 90 }],
    ['photo.tif', { kind: 'tiff', mediaType: 'image/tiff', pages: 1, width: 320, height: 240 }],
    ['three-pages.tif', { kind: 'tiff', mediaType: 'image/tiff', pages: 3, width: 120, height: 80 }],
    // Measured as displayed: EXIF orientation 6 turns 40 × 20 into 20 × 40.
    ['rotated.jpg', { kind: 'jpeg', mediaType: 'image/jpeg', pages: 1, width: 20, height: 40 }],
  ])('%s', async (name, expected) => {
    expect(await tools.probe(at(name), limits())).toEqual(expected);
  });

  it.each([
    ['bomb.png', { width: 100_000, height: 100_000, maxSide: 65_000 }],
    ['bomb.tif', { width: 100_000, height: 100_000, maxSide: 65_000 }],
    ['bomb.jpg', { width: 65_000, height: 65_000, maxPixels: 300_000_000 }],
    ['wide.png', { width: 70_000, height: 10, maxSide: 65_000 }],
  ])('refuses %s by its header alone: MEDIA_TOO_MANY_PIXELS', async (name, params) => {
    const e = await mediaError(tools.probe(at(name), limits()));
    expect([e.code, e.params]).toEqual(['MEDIA_TOO_MANY_PIXELS', params]);
  });

  it('refuses a decompression bomb under the side limit by its pixel count', async () => {
    const e = await mediaError(tools.probe(at('bomb.png'), limits({ maxSide: 200_000 })));
    expect([e.code, e.params]).toEqual(['MEDIA_TOO_MANY_PIXELS', { width: 100_000, height: 100_000, maxPixels: 300_000_000 }]);
  });

  it('applies the pixel limit it is given', async () => {
    const e = await mediaError(tools.probe(at('photo.jpg'), limits({ maxPixels: 640 * 480 - 1 })));
    expect(e.code).toBe('MEDIA_TOO_MANY_PIXELS');
    await expect(tools.probe(at('photo.jpg'), limits({ maxPixels: 640 * 480 }))).resolves.toMatchObject({ width: 640 });
  });

  it.each(['truncated.jpg', 'truncated.png', 'garbage.jpg'])('finds %s corrupt', async (name) => {
    const e = await mediaError(tools.probe(at(name), limits()));
    expect(e.code).toBe('MEDIA_CORRUPT');
    expect(typeof e.params.detail).toBe('string');
  });

  it.each(['elf.jpg', 'archive.jpg', 'notes.jpg', 'drawing.jpg', 'empty.jpg'])('refuses %s as not an accepted kind', async (name) => {
    const e = await mediaError(tools.probe(at(name), limits()));
    expect([e.code, e.params]).toEqual(['MEDIA_TYPE_UNSUPPORTED', { kind: 'unknown' }]);
  });

  it.each(['scan.jp2', 'scan.j2k'])('refuses JPEG 2000 (%s): this build has no decoder for it', async (name) => {
    const e = await mediaError(tools.probe(at(name), limits()));
    expect([e.code, e.params]).toEqual(['MEDIA_TYPE_UNSUPPORTED', { kind: 'jp2', reason: 'no-jpeg2000-decoder' }]);
    expect(e.message).toContain('cannot decode JPEG 2000');
  });

  it('leaves PDFs to PdfTools', async () => {
    const e = await mediaError(tools.probe(at('book.pdf'), limits()));
    expect([e.code, e.params]).toEqual(['MEDIA_TYPE_UNSUPPORTED', { kind: 'pdf', reason: 'pdf-tools' }]);
  });

  it('refuses a file over the byte limit before reading it', async () => {
    const e = await mediaError(tools.probe(at('photo.jpg'), limits({ maxBytes: 1000 })));
    expect([e.code, e.params]).toEqual(['MEDIA_TOO_LARGE', { bytes: jpeg.length, maxBytes: 1000 }]);
  });

  it('refuses more pages than the page limit', async () => {
    const e = await mediaError(tools.probe(at('three-pages.tif'), limits({ maxPages: 2 })));
    expect([e.code, e.params]).toEqual(['MEDIA_TOO_MANY_PAGES', { pages: 3, maxPages: 2 }]);
  });
});

describe('derivePyramid', () => {
  const out = (name: string) => at(`out-${name}.tif`);
  const leftovers = () => readdirSync(dir).filter((f) => f.includes('.tmp-'));

  it('writes a tiled pyramid of 256 px JPEG tiles, one page per level', async () => {
    expect(await tools.derivePyramid(at('photo.jpg'), 0, out('photo'), limits())).toEqual({ width: 640, height: 480 });
    const levels = await readPyramid(out('photo'));
    expect(levels.map((l) => [l.width, l.height, l.tileWidth, l.tileHeight, l.jpegTiles])).toEqual([
      [640, 480, 256, 256, true],
      [320, 240, 256, 256, true],
      [160, 120, 256, 256, true],
    ]);
    const meta = await sharp(out('photo')).metadata();
    expect([meta.format, meta.space, meta.channels, meta.depth, meta.pages]).toEqual(['tiff', 'srgb', 3, 'uchar', 3]);
    expect(leftovers()).toEqual([]);
  });

  it('turns the image as its EXIF orientation says', async () => {
    expect(await tools.derivePyramid(at('rotated.jpg'), 0, out('rotated'), limits())).toEqual({ width: 20, height: 40 });
    const half = async (top: number) => sharp(await sharp(out('rotated')).extract({ left: 0, top, width: 20, height: 18 }).png().toBuffer()).stats();
    const top = await half(0);
    const bottom = await half(22);
    expect(top.channels[0]!.mean).toBeLessThan(40);
    expect(bottom.channels[0]!.mean).toBeGreaterThan(215);
  });

  it.each([
    // Without an embedded profile, CMYK goes through libvips' default profiles: a little darker.
    ['cmyk.jpg', [193, 35, 7]],
    ['sixteen.png', [192, 48, 32]],
    ['transparent.png', [255, 255, 255]],
  ])('makes %s 8-bit sRGB', async (name, rgb) => {
    await tools.derivePyramid(at(name), 0, out(name), limits());
    const meta = await sharp(out(name)).metadata();
    expect([meta.space, meta.channels, meta.depth]).toEqual(['srgb', 3, 'uchar']);
    const { channels } = await sharp(out(name)).stats();
    channels.forEach((c, i) => expect(Math.abs(c.mean - rgb[i]!)).toBeLessThan(6));
  });

  it('takes the page asked for from a multi-page TIFF', async () => {
    await tools.derivePyramid(at('three-pages.tif'), 1, out('page1'), limits());
    const { channels } = await sharp(out('page1')).stats();
    expect(channels.map((c) => Math.round(c.mean / 64))).toEqual([0, 4, 0]);
    await expect(tools.derivePyramid(at('three-pages.tif'), 3, out('page3'), limits())).rejects.toThrow(RangeError);
  });

  it.each([
    ['truncated.jpg', 'MEDIA_CORRUPT'],
    ['bomb.png', 'MEDIA_TOO_MANY_PIXELS'],
    ['elf.jpg', 'MEDIA_TYPE_UNSUPPORTED'],
    ['scan.jp2', 'MEDIA_TYPE_UNSUPPORTED'],
  ])('leaves nothing behind when %s fails (%s)', async (name, code) => {
    const e = await mediaError(tools.derivePyramid(at(name), 0, out(`bad-${name}`), limits()));
    expect(e.code).toBe(code);
    expect(readdirSync(dir).filter((f) => f.startsWith(`out-bad-${name}`))).toEqual([]);
  });

  it('reports a failure to write as what it is, not as bad input', async () => {
    const err = await tools.derivePyramid(at('photo.jpg'), 0, join(dir, 'no-such-folder', 'x.tif'), limits()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(MediaError);
  });
});

describe('deriveOcrImage', () => {
  it('writes a grey PNG at most 4,000 px on the long side', async () => {
    expect(await tools.deriveOcrImage(at('large.png'), 0, at('ocr-large.png'), limits())).toEqual({ width: 4000, height: 2400 });
    const meta = await sharp(at('ocr-large.png')).metadata();
    expect([meta.format, meta.channels, meta.width, meta.height]).toEqual(['png', 1, 4000, 2400]);
  });

  it('keeps a smaller page at its size, turned as displayed', async () => {
    expect(await tools.deriveOcrImage(at('photo.jpg'), 0, at('ocr-photo.png'), limits())).toEqual({ width: 640, height: 480 });
    expect(await tools.deriveOcrImage(at('rotated.jpg'), 0, at('ocr-rotated.png'), limits())).toEqual({ width: 20, height: 40 });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('refuses what probe refuses', async () => {
    expect((await mediaError(tools.deriveOcrImage(at('bomb.jpg'), 0, at('ocr-bomb.png'), limits()))).code).toBe('MEDIA_TOO_MANY_PIXELS');
    expect((await mediaError(tools.deriveOcrImage(at('truncated.png'), 0, at('ocr-bad.png'), limits()))).code).toBe('MEDIA_CORRUPT');
  });
});
