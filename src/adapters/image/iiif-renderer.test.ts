import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MEDIA_LIMITS } from '../../app/digital/media.js';
import { parseImageRequest, type ResolvedImageRequest } from '../../codecs/iiif/image-request.js';
import { etag, readPyramid, renderImage, renderKey, TileCache, watermarkSvg } from './iiif-renderer.js';
import { createImageTools } from './sharp-tools.js';

const tools = createImageTools();
const LIMITS = { maxWidth: 5000, maxHeight: 5000, maxArea: 25_000_000 };
/** The source: 1,100 × 900 px in four quadrants split at x = 550, y = 450. */
const SOURCE = { width: 1100, height: 900 };
const QUADRANTS = { red: [220, 30, 30], green: [30, 200, 60], blue: [30, 40, 210], white: [250, 250, 250] } as const;
type Colour = keyof typeof QUADRANTS;

let dir: string;
let pyramid: string;

function request(path: string, image = SOURCE): ResolvedImageRequest {
  const r = parseImageRequest(path, image, LIMITS);
  if (!r.ok) throw new Error(r.error.message);
  return r.request;
}

async function quadrantImage(width: number, height: number): Promise<Buffer> {
  const [r, g, b, w] = (['red', 'green', 'blue', 'white'] as const).map((c) => `rgb(${QUADRANTS[c].join(',')})`);
  const hw = Math.round(width / 2);
  const hh = Math.round(height / 2);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<rect width="${hw}" height="${hh}" fill="${r}"/><rect x="${hw}" width="${width - hw}" height="${hh}" fill="${g}"/>` +
    `<rect y="${hh}" width="${hw}" height="${height - hh}" fill="${b}"/><rect x="${hw}" y="${hh}" width="${width - hw}" height="${height - hh}" fill="${w}"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** The colour of each corner (top left, top right, bottom left, bottom right), by the nearest quadrant colour. */
async function corners(body: Buffer): Promise<Colour[]> {
  const { data, info } = await sharp(body).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): Colour => {
    const i = (y * info.width + x) * info.channels;
    const px = [data[i]!, data[i + 1]!, data[i + 2]!];
    const distance = (c: Colour) => QUADRANTS[c].reduce((sum, v, k) => sum + (v - px[k]!) ** 2, 0);
    return (Object.keys(QUADRANTS) as Colour[]).sort((a, b) => distance(a) - distance(b))[0]!;
  };
  const [w, h] = [info.width - 1, info.height - 1];
  return [at(4, 4), at(w - 4, 4), at(4, h - 4), at(w - 4, h - 4)];
}

async function pixels(body: Buffer): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  // sharp's raw output of a grey image is RGB, so channels come from the file itself.
  const { data, info } = await sharp(body).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: (await sharp(body).metadata()).channels };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lienthong-iiif-renderer-'));
  writeFileSync(join(dir, 'source.png'), await quadrantImage(SOURCE.width, SOURCE.height));
  pyramid = join(dir, 'source.tif');
  await tools.derivePyramid(join(dir, 'source.png'), 0, pyramid, DEFAULT_MEDIA_LIMITS);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('readPyramid', () => {
  it('reads every level of an access copy', async () => {
    const levels = await readPyramid(pyramid);
    expect(levels.map((l) => [l.width, l.height, l.tileWidth, l.tileOffsets.length, l.jpegTiles, l.jpegTables !== undefined])).toEqual([
      [1100, 900, 256, 20, true, true],
      [550, 450, 256, 6, true, true],
      [275, 225, 256, 2, true, true],
      [137, 112, 256, 1, true, true],
    ]);
  });

  it('takes only the pages that are levels: each half the one before', async () => {
    const pages = await Promise.all(['#ff0000', '#00ff00'].map((c) => sharp({ create: { width: 600, height: 400, channels: 3, background: c } }).png().toBuffer()));
    const same = join(dir, 'same-size-pages.tif');
    await sharp(pages, { join: { animated: true } }).tiff({ tile: true, compression: 'jpeg' }).toFile(same);
    expect((await readPyramid(same)).map((l) => [l.width, l.height])).toEqual([[600, 400]]);
  });

  it('refuses what is not a classic tiled TIFF', async () => {
    await expect(readPyramid(join(dir, 'source.png'))).rejects.toThrow('not a TIFF file');
    const stripTiff = join(dir, 'strips.tif');
    await sharp(join(dir, 'source.png')).tiff().toFile(stripTiff);
    await expect(readPyramid(stripTiff)).rejects.toThrow('not a tiled pyramid');
  });
});

describe('renderImage: stored tiles', () => {
  async function storedJpegLength(level: number, index: number): Promise<number> {
    const l = (await readPyramid(pyramid))[level]!;
    return 2 + 18 + (l.jpegTables!.length - 4) + (l.tileByteCounts[index]! - 2);
  }

  it.each([
    ['0,0,256,256/256,256/0/default.jpg', 0, 0, 0],
    ['768,512,256,256/256,256/0/color.jpg', 0, 2 * 5 + 3, 0],
    ['0,0,512,512/256,256/0/default.jpg', 1, 0, 1],
    ['512,0,512,512/256,256/0/default.jpg', 1, 1, 1],
  ])('sends %s as stored, pixel for pixel what the decoder makes of it', async (path, level, index, page) => {
    const req = request(path);
    const out = await renderImage(pyramid, req);
    expect([out.mediaType, out.storedTile]).toEqual(['image/jpeg', true]);
    expect(out.body.length).toBe(await storedJpegLength(level, index));
    expect(out.body.subarray(0, 11).equals(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]))).toBe(true);
    const s = 2 ** page;
    const decoded = await sharp(pyramid, { page, sequentialRead: false })
      .extract({ left: req.region.x / s, top: req.region.y / s, width: 256, height: 256 })
      .raw()
      .toBuffer();
    expect((await pixels(out.body)).data.equals(decoded)).toBe(true);
  });

  it('decodes tiles that are padded in the file (right and bottom edges)', async () => {
    const right = await renderImage(pyramid, request('1024,0,76,256/76,256/0/default.jpg'));
    expect(right.storedTile).toBe(false);
    expect(await pixels(right.body)).toMatchObject({ width: 76, height: 256 });
    expect(await corners(right.body)).toEqual(['green', 'green', 'green', 'green']);
    const corner = await renderImage(pyramid, request('1024,768,76,132/76,132/0/default.jpg'));
    expect(await pixels(corner.body)).toMatchObject({ width: 76, height: 132 });
    const top = await renderImage(pyramid, request('0,0,1100,900/137,112/0/default.jpg'));
    expect(await corners(top.body)).toEqual(['red', 'green', 'blue', 'white']);
  });
});

describe('renderImage: through the decoder', () => {
  it.each([
    ['full/max/0/default.jpg', 1100, 900],
    ['full/!400,400/0/default.jpg', 400, 327],
    ['full/^1400,/0/default.jpg', 1400, 1145],
    ['100,100,700,500/350,250/0/default.jpg', 350, 250],
    ['square/300,300/0/default.jpg', 300, 300],
    ['pct:25,25,50,50/max/0/default.jpg', 550, 450],
    ['full/200,100/0/default.jpg', 200, 100],
    ['full/!400,400/90/default.jpg', 327, 400],
  ])('%s → %i × %i', async (path, width, height) => {
    const out = await renderImage(pyramid, request(path));
    expect(await pixels(out.body)).toMatchObject({ width, height, channels: 3 });
  });

  it.each([
    ['0', ['red', 'green', 'blue', 'white']],
    ['90', ['blue', 'red', 'white', 'green']],
    ['180', ['white', 'blue', 'green', 'red']],
    ['270', ['green', 'white', 'red', 'blue']],
    ['!0', ['green', 'red', 'white', 'blue']],
    ['!90', ['white', 'green', 'blue', 'red']],
    ['!180', ['blue', 'white', 'red', 'green']],
    ['!270', ['red', 'blue', 'green', 'white']],
  ])('mirrors, then turns clockwise: rotation %s', async (rotation, expected) => {
    const out = await renderImage(pyramid, request(`full/!300,300/${rotation}/default.png`));
    expect(await corners(out.body)).toEqual(expected);
  });

  it('keeps the region: the top-left quadrant only', async () => {
    const out = await renderImage(pyramid, request('0,0,540,440/270,220/0/default.jpg'));
    expect(await corners(out.body)).toEqual(['red', 'red', 'red', 'red']);
  });

  it.each([
    ['jpg', 'image/jpeg', 'jpeg'],
    ['png', 'image/png', 'png'],
    ['webp', 'image/webp', 'webp'],
  ])('encodes %s', async (format, mediaType, sharpFormat) => {
    const out = await renderImage(pyramid, request(`full/200,/0/default.${format}`));
    expect(out.mediaType).toBe(mediaType);
    expect((await sharp(out.body).metadata()).format).toBe(sharpFormat);
  });

  it('makes gray one channel and bitonal only black and white', async () => {
    const gray = await pixels((await renderImage(pyramid, request('full/200,/0/gray.png'))).body);
    expect(gray.channels).toBe(1);
    expect(new Set(gray.data).size).toBeGreaterThan(2);
    const bitonal = await pixels((await renderImage(pyramid, request('full/200,/0/bitonal.png'))).body);
    expect(bitonal.channels).toBe(1);
    expect([...new Set(bitonal.data)].sort((a, b) => a - b)).toEqual([0, 255]);
    const grayJpeg = await sharp((await renderImage(pyramid, request('0,0,256,256/256,256/0/gray.jpg'))).body).metadata();
    expect(grayJpeg.channels).toBe(1);
  });

  it('reads a pyramid again when its file is replaced', async () => {
    const path = join(dir, 'replaced.tif');
    await tools.derivePyramid(join(dir, 'source.png'), 0, path, DEFAULT_MEDIA_LIMITS);
    expect(await pixels((await renderImage(path, request('full/max/0/default.jpg'))).body)).toMatchObject({ width: 1100, height: 900 });
    writeFileSync(join(dir, 'small.png'), await quadrantImage(600, 400));
    await tools.derivePyramid(join(dir, 'small.png'), 0, path, DEFAULT_MEDIA_LIMITS);
    const small = { width: 600, height: 400 };
    expect(await pixels((await renderImage(path, request('full/max/0/default.jpg', small))).body)).toMatchObject({ width: 600, height: 400 });
  });

  it('fails plainly on a missing file or one that is not a pyramid', async () => {
    await expect(renderImage(join(dir, 'missing.tif'), request('full/max/0/default.jpg'))).rejects.toThrow(/ENOENT/);
    await expect(renderImage(join(dir, 'source.png'), request('full/max/0/default.jpg'))).rejects.toThrow('not a TIFF file');
  });
});

describe('watermark', () => {
  const TEXT = 'Thư viện tỉnh Kiên Giang — hạn chế';

  it('draws over the image, keeping its size, on every path', async () => {
    for (const path of ['0,0,256,256/256,256/0/default.jpg', 'full/!400,400/90/default.png', 'full/!400,400/0/gray.jpg', 'full/!400,400/0/bitonal.png']) {
      const req = request(path);
      const plain = await pixels((await renderImage(pyramid, req)).body);
      const marked = await pixels((await renderImage(pyramid, req, { watermark: TEXT })).body);
      expect([marked.width, marked.height, marked.channels]).toEqual([plain.width, plain.height, plain.channels]);
      let changed = 0;
      for (let i = 0; i < plain.data.length; i++) if (Math.abs(plain.data[i]! - marked.data[i]!) > 24) changed++;
      expect(changed / plain.data.length, path).toBeGreaterThan(0.005);
      expect(changed / plain.data.length, path).toBeLessThan(0.5);
    }
  });

  it('keeps bitonal black and white', async () => {
    const marked = await pixels((await renderImage(pyramid, request('full/!400,400/0/bitonal.png'), { watermark: TEXT })).body);
    expect([...new Set(marked.data)].sort((a, b) => a - b)).toEqual([0, 255]);
  });

  it('escapes the text for XML', () => {
    const svg = watermarkSvg(256, 256, `<script>&"'\u0000\n</text>`).toString('utf8');
    expect(svg).toContain('>&lt;script&gt;&amp;&quot;&apos;  &lt;/text&gt;</text></svg>');
    expect(svg.match(/<text/g)).toHaveLength(1);
  });

  it('renders hostile text without failing', async () => {
    const out = await renderImage(pyramid, request('full/200,/0/default.jpg'), { watermark: '<!DOCTYPE x [<!ENTITY a "b">]>&a;\u0007\ud800' });
    expect(await pixels(out.body)).toMatchObject({ width: 200 });
  });

  it('draws Vietnamese letters, not boxes: each marked letter covers its plain letter', async () => {
    const ink = async (text: string) => {
      const { data } = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#000000' } })
        .composite([{ input: watermarkSvg(400, 400, text) }])
        .toColourspace('b-w')
        .raw()
        .toBuffer({ resolveWithObject: true });
      return data.map((v) => (v > 50 ? 1 : 0));
    };
    for (const [marked, base] of [['ư', 'u'], ['ệ', 'e'], ['Đ', 'D'], ['ỗ', 'o']] as const) {
      const [m, b] = [await ink(marked), await ink(base)];
      const inBase = b.reduce((n, v) => n + v, 0);
      const covered = b.reduce((n, v, i) => n + (v && m[i] ? 1 : 0), 0);
      const inMarked = m.reduce((n, v) => n + v, 0);
      expect(covered / inBase, `${marked} over ${base}`).toBeGreaterThan(0.8);
      expect(inMarked, `${marked} has more ink than ${base}`).toBeGreaterThan(inBase);
    }
  });
});

describe('TileCache', () => {
  const cacheDir = () => join(dir, `cache-${Math.random().toString(36).slice(2)}`);
  const allFiles = (root: string): string[] =>
    existsSync(root) ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)) : [];

  it('stores under the hash of the key in two levels of folders', async () => {
    const root = cacheDir();
    const cache = new TileCache({ dir: root, maxBytes: 1_000_000 });
    expect(await cache.get('a/full/max/0/default.jpg')).toBeUndefined();
    await cache.put('a/full/max/0/default.jpg', Buffer.from('first'));
    await cache.put('a/full/max/0/default.jpg', Buffer.from('second'));
    const path = await cache.get('a/full/max/0/default.jpg');
    expect(path).toMatch(/[/\\]([0-9a-f]{2})[/\\]([0-9a-f]{2})[/\\]\1\2[0-9a-f]{60}$/);
    expect(readFileSync(path!, 'utf8')).toBe('second');
    expect(allFiles(root)).toEqual([path]);
  });

  it('sweeps the least recently written files when over budget', async () => {
    const root = cacheDir();
    const cache = new TileCache({ dir: root, maxBytes: 10_000, sweepEvery: 1_000 });
    const base = Date.now() / 1000 - 1000;
    for (let i = 0; i < 20; i++) {
      await cache.put(`k${i}`, Buffer.alloc(1000, i));
      utimesSync((await cache.get(`k${i}`))!, base + i, base + i);
    }
    expect(await cache.sweep()).toEqual({ files: 9, bytes: 9000, removed: 11 });
    for (let i = 0; i < 20; i++) expect(await cache.get(`k${i}`), `k${i}`).toEqual(i < 11 ? undefined : expect.any(String));
    expect(await cache.sweep()).toEqual({ files: 9, bytes: 9000, removed: 0 });
  });

  it('sweeps by itself every N writes, one sweep at a time', async () => {
    const root = cacheDir();
    const cache = new TileCache({ dir: root, maxBytes: 2500, sweepEvery: 5 });
    for (let i = 0; i < 5; i++) await cache.put(`k${i}`, Buffer.alloc(1000));
    const [a, b] = [cache.sweep(), cache.sweep()];
    expect(a).toBe(b);
    await a;
    const left = allFiles(root).length;
    expect(left).toBeLessThanOrEqual(2);
    expect(left).toBeGreaterThan(0);
  });

  it('removes temporary files left by a crash, but not ones being written', async () => {
    const root = cacheDir();
    const cache = new TileCache({ dir: root, maxBytes: 1_000_000 });
    await cache.put('k', Buffer.from('x'));
    const folder = join((await cache.get('k'))!, '..');
    const stale = join(folder, 'deadbeef.tmp-000000000000');
    const fresh = join(folder, 'deadbeef.tmp-111111111111');
    writeFileSync(stale, 'half');
    writeFileSync(fresh, 'half');
    const old = Date.now() / 1000 - 3600;
    utimesSync(stale, old, old);
    expect(await cache.sweep()).toEqual({ files: 1, bytes: 1, removed: 0 });
    expect([existsSync(stale), existsSync(fresh)]).toEqual([false, true]);
  });

  it('writes again after its folders are removed behind its back', async () => {
    const root = cacheDir();
    const cache = new TileCache({ dir: root, maxBytes: 1_000_000 });
    await cache.put('k', Buffer.from('x'));
    rmSync(root, { recursive: true });
    await cache.put('k', Buffer.from('y'));
    expect(readFileSync((await cache.get('k'))!, 'utf8')).toBe('y');
  });

  it('leaves no temporary file when a write fails', async () => {
    const root = cacheDir();
    mkdirSync(root);
    const cache = new TileCache({ dir: root, maxBytes: 1_000_000 });
    await cache.put('k', Buffer.from('x'));
    const path = (await cache.get('k'))!;
    rmSync(path);
    mkdirSync(path);
    await expect(cache.put('k', Buffer.from('y'))).rejects.toThrow();
    expect(allFiles(root)).toEqual([]);
  });
});

describe('keys and entity tags', () => {
  const req = request('0,0,256,256/256,256/0/default.jpg');

  it('keys a rendering by source, canonical request and watermark', () => {
    expect(renderKey('abc', req)).toBe('v1/abc/0,0,256,256/max/0/default.jpg');
    expect(renderKey('abc', req, { watermark: 'A' })).toMatch(/^v1\/abc\/0,0,256,256\/max\/0\/default\.jpg#wm:[0-9a-f]{64}$/);
    expect(renderKey('abc', req, { watermark: 'A' })).not.toBe(renderKey('abc', req, { watermark: 'B' }));
    expect(renderKey('abc', req)).toBe(renderKey('abc', request('0,0,256,256/256,/0/default.jpg')));
  });

  it('gives a strong, quoted tag that changes with the key and the source', () => {
    const tag = etag('k', 'sha1');
    expect(tag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(etag('k', 'sha1')).toBe(tag);
    expect(etag('k2', 'sha1')).not.toBe(tag);
    expect(etag('k', 'sha2')).not.toBe(tag);
  });
});

describe('stored tile bytes', () => {
  it('are the JPEG data libtiff wrote, whole', async () => {
    const level = (await readPyramid(pyramid))[0]!;
    const file = await open(pyramid, 'r');
    try {
      const tile = Buffer.alloc(level.tileByteCounts[0]!);
      await file.read(tile, 0, tile.length, level.tileOffsets[0]!);
      expect([tile[0], tile[1], tile.at(-2), tile.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    } finally {
      await file.close();
    }
  });
});
