import { describe, expect, it } from 'vitest';
import { imageInfo, parseImageRequest, type ImageLimits, type ImageRequestResult } from './image-request.js';

/** The spec's example image (Image API 3.0, section 4) is 300 × 200 px. */
const IMAGE = { width: 300, height: 200 };
const WIDE_OPEN: ImageLimits = { maxWidth: 10_000, maxHeight: 10_000, maxArea: 100_000_000 };

/** A result as one line: `region | size | rotation | canonical`, or `status code`. */
function line(r: ImageRequestResult): string {
  if (!r.ok) return `${r.error.status} ${r.error.code}`;
  const q = r.request;
  return `${q.region.x},${q.region.y},${q.region.w},${q.region.h} | ${q.size.w}x${q.size.h} | ${q.mirror ? '!' : ''}${q.rotation} | ${q.canonical}`;
}
const parse = (path: string, limits: ImageLimits = WIDE_OPEN, image = IMAGE) => line(parseImageRequest(path, image, limits));

describe('region (spec 4.1)', () => {
  it.each([
    ['full/max/0/default.jpg', '0,0,300,200 | 300x200 | 0 | full/max/0/default.jpg'],
    ['square/max/0/default.jpg', '50,0,200,200 | 200x200 | 0 | 50,0,200,200/max/0/default.jpg'],
    ['125,15,120,140/max/0/default.jpg', '125,15,120,140 | 120x140 | 0 | 125,15,120,140/max/0/default.jpg'],
    ['pct:41.6,7.5,40,70/max/0/default.jpg', '125,15,120,140 | 120x140 | 0 | 125,15,120,140/max/0/default.jpg'],
    // Cropped at the edge: the spec's example 5 and 6 both return 175 × 185 px.
    ['125,15,200,200/max/0/default.jpg', '125,15,175,185 | 175x185 | 0 | 125,15,175,185/max/0/default.jpg'],
    ['pct:41.6,7.5,66.6,100/max/0/default.jpg', '125,15,175,185 | 175x185 | 0 | 125,15,175,185/max/0/default.jpg'],
    ['0,0,300,200/max/0/default.jpg', '0,0,300,200 | 300x200 | 0 | full/max/0/default.jpg'],
    ['0,0,99999,99999/max/0/default.jpg', '0,0,300,200 | 300x200 | 0 | full/max/0/default.jpg'],
    ['pct:0,0,100,100/max/0/default.jpg', '0,0,300,200 | 300x200 | 0 | full/max/0/default.jpg'],
    ['pct:0,0,200,200/max/0/default.jpg', '0,0,300,200 | 300x200 | 0 | full/max/0/default.jpg'],
    ['pct:50,50,50,50/max/0/default.jpg', '150,100,150,100 | 150x100 | 0 | 150,100,150,100/max/0/default.jpg'],
    ['pct:.5,0.,10,10/max/0/default.jpg', '2,0,30,20 | 30x20 | 0 | 2,0,30,20/max/0/default.jpg'],
    ['299,199,1,1/max/0/default.jpg', '299,199,1,1 | 1x1 | 0 | 299,199,1,1/max/0/default.jpg'],
    ['007,0,10,10/max/0/default.jpg', '7,0,10,10 | 10x10 | 0 | 7,0,10,10/max/0/default.jpg'],
  ])('%s', (path, expected) => {
    expect(parse(path)).toBe(expected);
  });

  it('takes the middle of the longer side for square, for tall images too', () => {
    expect(parse('square/max/0/default.jpg', WIDE_OPEN, { width: 100, height: 301 })).toBe('0,100,100,100 | 100x100 | 0 | 0,100,100,100/max/0/default.jpg');
    expect(parse('square/max/0/default.jpg', WIDE_OPEN, { width: 64, height: 64 })).toBe('0,0,64,64 | 64x64 | 0 | full/max/0/default.jpg');
  });

  it.each([
    ['300,0,10,10', '400 region-outside'],
    ['0,200,10,10', '400 region-outside'],
    ['99999,99999,1,1', '400 region-outside'],
    ['pct:100,0,10,10', '400 region-outside'],
    ['0,0,0,10', '400 region-empty'],
    ['0,0,10,0', '400 region-empty'],
    ['pct:0,0,0.1,10', '400 region-empty'],
    ['pct:10,10,0,0', '400 region-empty'],
  ])('%s → %s', (region, expected) => {
    expect(parse(`${region}/max/0/default.jpg`)).toBe(expected);
  });

  it('says where the region is and why', () => {
    expect(parseImageRequest('300,0,10,10/max/0/default.jpg', IMAGE, WIDE_OPEN)).toEqual({
      ok: false,
      error: { status: 400, code: 'region-outside', message: 'region "300,0,10,10": starts at 300,0, outside the 300 × 200 px image' },
    });
    expect(parseImageRequest('0,0,0,10/max/0/default.jpg', IMAGE, WIDE_OPEN)).toEqual({
      ok: false,
      error: { status: 400, code: 'region-empty', message: 'region "0,0,0,10": the region is 0 × 10 px; it must be at least 1 px wide and high' },
    });
  });
});

describe('size (spec 4.2)', () => {
  it.each([
    ['max', '300x200 | full/max/0/default.jpg'],
    ['150,', '150x100 | full/150,100/0/default.jpg'],
    [',150', '225x150 | full/225,150/0/default.jpg'],
    ['pct:50', '150x100 | full/150,100/0/default.jpg'],
    ['225,100', '225x100 | full/225,100/0/default.jpg'],
    ['!225,100', '150x100 | full/150,100/0/default.jpg'],
    ['!1000,1000', '300x200 | full/max/0/default.jpg'],
    ['300,200', '300x200 | full/max/0/default.jpg'],
    ['300,', '300x200 | full/max/0/default.jpg'],
    ['pct:100', '300x200 | full/max/0/default.jpg'],
    ['pct:33.3', '100x67 | full/100,67/0/default.jpg'],
    ['1,', '1x1 | full/1,1/0/default.jpg'],
    // Upscaling with ^.
    ['^max', '10000x6667 | full/^max/0/default.jpg'],
    ['^600,', '600x400 | full/^600,400/0/default.jpg'],
    ['^,400', '600x400 | full/^600,400/0/default.jpg'],
    ['^pct:200', '600x400 | full/^600,400/0/default.jpg'],
    ['^600,250', '600x250 | full/^600,250/0/default.jpg'],
    ['^!600,250', '375x250 | full/^375,250/0/default.jpg'],
    // ^ is allowed where no upscaling happens, and then dropped from the canonical form.
    ['^150,', '150x100 | full/150,100/0/default.jpg'],
    ['^!225,100', '150x100 | full/150,100/0/default.jpg'],
  ])('full/%s/0/default.jpg', (size, expected) => {
    expect(parse(`full/${size}/0/default.jpg`).replace(/^0,0,300,200 \| /, '').replace(/ \| 0 \| /, ' | ')).toBe(expected);
  });

  it.each([
    ['600,', '400 size-upscale'],
    [',201', '400 size-upscale'],
    ['pct:101', '400 size-upscale'],
    ['301,200', '400 size-upscale'],
    ['300,201', '400 size-upscale'],
    ['99999999,', '400 size-upscale'],
    ['0,', '400 size-empty'],
    [',0', '400 size-empty'],
    ['0,0', '400 size-empty'],
    ['pct:0', '400 size-empty'],
    ['pct:0.1', '400 size-empty'],
    ['!0,100', '400 size-empty'],
    ['^!0,0', '400 size-empty'],
    ['^99999999,', '400 size-limit'],
    ['^pct:10000', '400 size-limit'],
    ['full', '400 size-syntax'],
    [',', '400 size-syntax'],
    ['', '400 size-syntax'],
    ['!150,', '400 size-syntax'],
    ['!,150', '400 size-syntax'],
    ['^^150,', '400 size-syntax'],
    ['150,100,50', '400 size-syntax'],
    ['-150,', '400 size-syntax'],
    ['150.5,', '400 size-syntax'],
    ['1e2,', '400 size-syntax'],
    ['pct:-5', '400 size-syntax'],
    ['pct:NaN', '400 size-syntax'],
    ['pct:Infinity', '400 size-syntax'],
    ['pct:', '400 size-syntax'],
    ['max,', '400 size-syntax'],
    ['MAX', '400 size-syntax'],
  ])('full/%s/0/default.jpg → %s', (size, expected) => {
    expect(parse(`full/${size}/0/default.jpg`)).toBe(expected);
  });

  it('explains an upscale without ^', () => {
    const r = parseImageRequest('full/600,/0/default.jpg', { width: 400, height: 300 }, WIDE_OPEN);
    expect(r).toEqual({
      ok: false,
      error: { status: 400, code: 'size-upscale', message: 'size "600,": width 600 is larger than the region (400 px); prefix "^" to upscale' },
    });
  });

  it('rounds the computed side to the nearest pixel, as in the spec example w, = 50 of 64 × 56 → 50 × 44', () => {
    expect(parse('full/50,/0/default.jpg', WIDE_OPEN, { width: 64, height: 56 })).toBe('0,0,64,56 | 50x44 | 0 | full/50,44/0/default.jpg');
  });
});

describe('size against the server limits (spec 5.2)', () => {
  const LIMITS: ImageLimits = { maxWidth: 200, maxHeight: 150, maxArea: 25_000 };

  it.each([
    // max and !w,h shrink to the limits instead of failing.
    ['full/max/0/default.jpg', '0,0,300,200 | 193x129 | 0 | full/max/0/default.jpg'],
    ['0,0,200,100/max/0/default.jpg', '0,0,200,100 | 200x100 | 0 | 0,0,200,100/max/0/default.jpg'],
    ['0,0,300,100/max/0/default.jpg', '0,0,300,100 | 200x67 | 0 | 0,0,300,100/max/0/default.jpg'],
    ['0,0,180,180/max/0/default.jpg', '0,0,180,180 | 150x150 | 0 | 0,0,180,180/max/0/default.jpg'],
    ['0,0,160,160/max/0/default.jpg', '0,0,160,160 | 150x150 | 0 | 0,0,160,160/max/0/default.jpg'],
    ['0,0,200,140/max/0/default.jpg', '0,0,200,140 | 188x132 | 0 | 0,0,200,140/max/0/default.jpg'],
    ['0,0,100,100/max/0/default.jpg', '0,0,100,100 | 100x100 | 0 | 0,0,100,100/max/0/default.jpg'],
    ['0,0,10,10/^max/0/default.jpg', '0,0,10,10 | 150x150 | 0 | 0,0,10,10/^max/0/default.jpg'],
    ['full/!1000,1000/0/default.jpg', '0,0,300,200 | 193x129 | 0 | full/max/0/default.jpg'],
    ['full/150,100/0/default.jpg', '0,0,300,200 | 150x100 | 0 | full/150,100/0/default.jpg'],
  ])('%s', (path, expected) => {
    expect(parse(path, LIMITS)).toBe(expected);
  });

  it.each([
    ['full/201,/0/default.jpg', 'width 201 is over this server\'s maximum of 200 px'],
    ['0,0,100,200/,151/0/default.jpg', 'height 151 is over this server\'s maximum of 150 px'],
    ['full/200,150/0/default.jpg', '200 × 150 = 30000 px is over this server\'s maximum area of 25000 px'],
    ['full/^pct:1000/0/default.jpg', 'width 3000 is over this server\'s maximum of 200 px'],
  ])('%s → 400 size-limit', (path, message) => {
    const r = parseImageRequest(path, IMAGE, LIMITS);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.status).toBe(400);
      expect(r.error.code).toBe('size-limit');
      expect(r.error.message).toContain(message);
    }
  });

  it('never returns a size over the limits, whatever the region and the form', () => {
    const limits: ImageLimits = { maxWidth: 997, maxHeight: 613, maxArea: 333_333 };
    const image = { width: 7919, height: 5333 };
    const forms = ['max', '^max', '!900,900', '^!5000,5000', '!1,5000', '!5000,1'];
    const regions = ['full', 'square', '0,0,7919,1', '0,0,1,5333', '100,100,3000,7', 'pct:10,10,33.3,66.7'];
    for (const region of regions) {
      for (const size of forms) {
        const r = parseImageRequest(`${region}/${size}/0/default.jpg`, image, limits);
        if (!r.ok) throw new Error(`${region}/${size}: ${r.error.message}`);
        const { w, h } = r.request.size;
        expect(w <= limits.maxWidth && h <= limits.maxHeight && w * h <= limits.maxArea && w >= 1 && h >= 1, `${region}/${size} → ${w}x${h}`).toBe(true);
      }
    }
  });

  it('gives canonical forms that resolve to the same image', () => {
    const limits: ImageLimits = { maxWidth: 900, maxHeight: 900, maxArea: 500_000 };
    const image = { width: 1234, height: 987 };
    for (const path of ['full/max/0/gray.png', 'square/^max/!90/default.jpg', 'pct:10,20,30,40/!500,500/180/bitonal.webp', '5,5,10,10/^pct:500/270/color.jpg', 'full/,400/360/default.jpg']) {
      const first = parseImageRequest(path, image, limits);
      if (!first.ok) throw new Error(first.error.message);
      const again = parseImageRequest(first.request.canonical, image, limits);
      if (!again.ok) throw new Error(again.error.message);
      expect(again.request).toEqual(first.request);
    }
  });
});

describe('rotation (spec 4.3)', () => {
  it.each([
    ['0', '0'],
    ['90', '90'],
    ['180', '180'],
    ['270', '270'],
    ['360', '0'],
    ['90.0', '90'],
    ['!0', '!0'],
    ['!90', '!90'],
    ['!360', '!0'],
    ['0090', '90'],
  ])('%s', (rotation, expected) => {
    const r = parseImageRequest(`full/max/${rotation}/default.jpg`, IMAGE, WIDE_OPEN);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.request.canonical).toBe(`full/max/${expected}/default.jpg`);
    expect(r.request.mirror).toBe(rotation.startsWith('!'));
  });

  it.each([
    ['22.5', '501 rotation-unsupported'],
    ['!45', '501 rotation-unsupported'],
    ['359.9999', '501 rotation-unsupported'],
    ['360.5', '400 rotation-syntax'],
    ['361', '400 rotation-syntax'],
    ['-90', '400 rotation-syntax'],
    ['+90', '400 rotation-syntax'],
    ['1e2', '400 rotation-syntax'],
    ['NaN', '400 rotation-syntax'],
    ['Infinity', '400 rotation-syntax'],
    ['!!90', '400 rotation-syntax'],
    ['90!', '400 rotation-syntax'],
    ['', '400 rotation-syntax'],
    [' 90', '400 rotation-syntax'],
    ['99999999999999999999', '400 rotation-syntax'],
  ])('%s → %s', (rotation, expected) => {
    expect(parse(`full/max/${rotation}/default.jpg`)).toBe(expected);
  });
});

describe('quality and format (spec 4.4, 4.5)', () => {
  it.each([
    ['default.jpg', 'default', 'jpg'],
    ['color.png', 'color', 'png'],
    ['gray.webp', 'gray', 'webp'],
    ['bitonal.jpg', 'bitonal', 'jpg'],
  ])('%s', (file, quality, format) => {
    const r = parseImageRequest(`full/max/0/${file}`, IMAGE, WIDE_OPEN);
    if (!r.ok) throw new Error(r.error.message);
    expect([r.request.quality, r.request.format, r.request.canonical]).toEqual([quality, format, `full/max/0/${file}`]);
  });

  it.each([
    ['default.tif', 'format "tif" is not offered by this server; use one of jpg, png, webp'],
    ['default.jp2', 'format "jp2" is not offered by this server; use one of jpg, png, webp'],
    ['default.pdf', 'format "pdf" is not offered by this server; use one of jpg, png, webp'],
    ['default.gif', 'format "gif" is not offered by this server; use one of jpg, png, webp'],
    ['default.JPG', 'format "JPG" is not an image format; use one of jpg, png, webp'],
    ['default.jpeg', 'format "jpeg" is not an image format; use one of jpg, png, webp'],
    ['default', 'format "" is not an image format; use one of jpg, png, webp'],
    ['default.', 'format "" is not an image format; use one of jpg, png, webp'],
    ['default.jpg%00', 'format "jpg%00" is not an image format; use one of jpg, png, webp'],
    ['default.jpg\u0000', 'format "jpg\\u0000" is not an image format; use one of jpg, png, webp'],
    ['grey.jpg', 'quality "grey": expected one of default, color, gray, bitonal'],
    ['.jpg', 'quality "": expected one of default, color, gray, bitonal'],
    ['default.jpg.jpg', 'quality "default.jpg": expected one of default, color, gray, bitonal'],
  ])('%s → 400', (file, message) => {
    const r = parseImageRequest(`full/max/0/${file}`, IMAGE, WIDE_OPEN);
    expect(r).toEqual({ ok: false, error: { status: 400, code: message.startsWith('quality') ? 'quality' : 'format', message } });
  });
});

describe('hostile input', () => {
  it.each([
    ['../../../etc/passwd', '404 path'],
    ['full/max/0/../../etc/passwd', '404 path'],
    ['', '404 path'],
    ['full/max/0', '404 path'],
    ['full/max/0/default.jpg/', '404 path'],
    ['/full/max/0/default.jpg', '404 path'],
    ['full/max/0/default.jpg/info.json', '404 path'],
    ['../../etc/passwd', '400 region-syntax'],
    ['..%2F..%2Fetc/max/0/default.jpg', '400 region-syntax'],
    ['%00/max/0/default.jpg', '400 region-syntax'],
    ['\u0000/max/0/default.jpg', '400 region-syntax'],
    ['full\u0000/max/0/default.jpg', '400 region-syntax'],
    ['FULL/max/0/default.jpg', '400 region-syntax'],
    ['NaN,0,10,10/max/0/default.jpg', '400 region-syntax'],
    ['-1,0,10,10/max/0/default.jpg', '400 region-syntax'],
    ['0,-0,10,10/max/0/default.jpg', '400 region-syntax'],
    ['1e3,0,10,10/max/0/default.jpg', '400 region-syntax'],
    ['0x10,0,10,10/max/0/default.jpg', '400 region-syntax'],
    [' 1,2,3,4/max/0/default.jpg', '400 region-syntax'],
    ['1,2,3/max/0/default.jpg', '400 region-syntax'],
    ['1,2,3,4,5/max/0/default.jpg', '400 region-syntax'],
    ['1,,3,4/max/0/default.jpg', '400 region-syntax'],
    ['1.5,2,3,4/max/0/default.jpg', '400 region-syntax'],
    ['１,2,3,4/max/0/default.jpg', '400 region-syntax'],
    ['99999999999,0,10,10/max/0/default.jpg', '400 region-syntax'],
    [`${'9'.repeat(400)},0,10,10/max/0/default.jpg`, '400 region-syntax'],
    ['pct:1e2,0,10,10/max/0/default.jpg', '400 region-syntax'],
    ['pct:Infinity,0,10,10/max/0/default.jpg', '400 region-syntax'],
    ['pct:-1,0,10,10/max/0/default.jpg', '400 region-syntax'],
    ['pct:1..2,0,10,10/max/0/default.jpg', '400 region-syntax'],
    ['pct:.,0,10,10/max/0/default.jpg', '400 region-syntax'],
    ['pct:0,0,10/max/0/default.jpg', '400 region-syntax'],
    ['square,0,0,1/max/0/default.jpg', '400 region-syntax'],
    ['9999999999,9999999999,9999999999,9999999999/max/0/default.jpg', '400 region-outside'],
    ['0,0,9999999999,9999999999/^9999999999,9999999999/0/default.jpg', '400 size-limit'],
    ['full/max/0/default.jpg?x=1', '400 format'],
  ])('%j → %s', (path, expected) => {
    expect(parse(path)).toBe(expected);
  });

  it('echoes input in messages quoted, escaped and cut short', () => {
    const r = parseImageRequest(`<script>${'x'.repeat(100)}/max/0/default.jpg`, IMAGE, WIDE_OPEN);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe(`region "<script>${'x'.repeat(32)}…": expected full, square, x,y,w,h (whole pixels) or pct:x,y,w,h (percentages)`);
    const nul = parseImageRequest('a\u0000b/max/0/default.jpg', IMAGE, WIDE_OPEN);
    if (!nul.ok) expect(nul.error.message).toContain('"a\\u0000b"');
  });

  it('reports the first bad parameter in the spec order', () => {
    expect(parse('x/y/z/w.v')).toBe('400 region-syntax');
    expect(parse('full/y/z/w.v')).toBe('400 size-syntax');
    expect(parse('full/max/z/w.v')).toBe('400 rotation-syntax');
    expect(parse('full/max/45/w.v')).toBe('501 rotation-unsupported');
    expect(parse('full/max/0/w.v')).toBe('400 quality');
  });
});

describe('tile requests a viewer makes from info.json', () => {
  it('are all valid and keep the size the viewer asked for', () => {
    const image = { width: 1000, height: 701 };
    const info = imageInfo({ id: 'https://x.test/iiif/3/a', ...image, limits: WIDE_OPEN });
    const tile = info.tiles[0]!;
    let count = 0;
    for (const sf of tile.scaleFactors) {
      const step = tile.width * sf;
      for (let y = 0; y < image.height; y += step) {
        for (let x = 0; x < image.width; x += step) {
          const w = Math.min(step, image.width - x);
          const h = Math.min(step, image.height - y);
          const size = `${Math.ceil(w / sf)},${Math.ceil(h / sf)}`;
          const r = parseImageRequest(`${x},${y},${w},${h}/${size}/0/default.jpg`, image, WIDE_OPEN);
          if (!r.ok) throw new Error(r.error.message);
          expect(`${r.request.size.w},${r.request.size.h}`).toBe(size);
          count++;
        }
      }
    }
    expect(count).toBe(12 + 4 + 1);
  });
});

describe('imageInfo (spec 5)', () => {
  const limits: ImageLimits = { maxWidth: 10_000, maxHeight: 14_000, maxArea: 50_000_000 };

  it('describes a level 2 service with tiles down to one tile for the whole image', () => {
    const info = imageInfo({ id: 'https://lib.test/iiif/3/obj1%2Fp1', width: 10_000, height: 14_000, limits, rights: 'http://rightsstatements.org/vocab/InC/1.0/' });
    expect(info).toEqual({
      '@context': 'http://iiif.io/api/image/3/context.json',
      id: 'https://lib.test/iiif/3/obj1%2Fp1',
      type: 'ImageService3',
      protocol: 'http://iiif.io/api/image',
      profile: 'level2',
      width: 10_000,
      height: 14_000,
      maxWidth: 10_000,
      maxHeight: 14_000,
      maxArea: 50_000_000,
      tiles: [{ width: 256, height: 256, scaleFactors: [1, 2, 4, 8, 16, 32, 64] }],
      sizes: [
        { width: 79, height: 110 },
        { width: 157, height: 219 },
        { width: 313, height: 438 },
        { width: 625, height: 875 },
      ],
      extraQualities: ['color', 'gray', 'bitonal'],
      extraFormats: ['png', 'webp'],
      extraFeatures: ['mirroring', 'regionByPct', 'regionByPx', 'regionSquare', 'rotationBy90s', 'sizeByConfinedWh', 'sizeByH', 'sizeByPct', 'sizeByW', 'sizeByWh', 'sizeUpscaling'],
      rights: 'http://rightsstatements.org/vocab/InC/1.0/',
    });
    expect(Object.keys(info)[0]).toBe('@context');
  });

  it.each([
    [{ width: 200, height: 100 }, 256, [1], [{ width: 100, height: 50 }, { width: 200, height: 100 }]],
    [{ width: 256, height: 256 }, 256, [1], [{ width: 64, height: 64 }, { width: 128, height: 128 }, { width: 256, height: 256 }]],
    [{ width: 257, height: 10 }, 256, [1, 2], [{ width: 65, height: 3 }, { width: 129, height: 5 }, { width: 257, height: 10 }]],
    [{ width: 3000, height: 2000 }, 512, [1, 2, 4, 8], [{ width: 94, height: 63 }, { width: 188, height: 125 }, { width: 375, height: 250 }, { width: 750, height: 500 }]],
    [{ width: 40, height: 30 }, 256, [1], []],
  ])('%j with %i px tiles', (image, tileSize, scaleFactors, sizes) => {
    const info = imageInfo({ id: 'x', ...image, limits, tileSize });
    expect(info.tiles).toEqual([{ width: tileSize, height: tileSize, scaleFactors }]);
    expect(info.sizes).toEqual(sizes);
    expect(info).not.toHaveProperty('rights');
  });

  it('offers only sizes within the limits', () => {
    const info = imageInfo({ id: 'x', width: 2000, height: 2000, limits: { maxWidth: 300, maxHeight: 300, maxArea: 90_000 } });
    expect(info.sizes).toEqual([
      { width: 125, height: 125 },
      { width: 250, height: 250 },
    ]);
  });
});
