/**
 * The IIIF benchmark's request list: every tile once, in a seeded order, each a valid request
 * that asks for the size a viewer would, and the same region in both URL forms.
 */
import { describe, expect, it } from 'vitest';
import { imageInfo, parseImageRequest } from '../../src/codecs/iiif/image-request.js';
import { iiif3Path, iipImagePath, scaleFactors, tileList } from './tiles.js';

const LIMITS = { maxWidth: 20_000, maxHeight: 20_000, maxArea: 400_000_000 };

describe('tileList', () => {
  it('has every tile of every level once, in the same order for the same seed', () => {
    const tiles = tileList(2000, 2800, 1);
    // 8 × 11 + 4 × 6 + 2 × 3 + 1 × 2 + 1
    expect(tiles).toHaveLength(88 + 24 + 6 + 2 + 1);
    expect(new Set(tiles.map((t) => `${t.scale}/${t.x},${t.y}`)).size).toBe(tiles.length);
    expect(tileList(2000, 2800, 1)).toEqual(tiles);
    expect(tileList(2000, 2800, 2)).not.toEqual(tiles);
  });

  it('uses the scale factors info.json announces', () => {
    for (const [w, h] of [[10_000, 14_000], [2000, 2800], [256, 256], [257, 100]] as const) {
      expect(scaleFactors(w, h, 256)).toEqual(imageInfo({ id: 'x', width: w, height: h, limits: LIMITS }).tiles[0]!.scaleFactors);
    }
  });

  it('asks only for valid tiles of the size the viewer computes', () => {
    const image = { width: 2000, height: 2800 };
    for (const t of tileList(image.width, image.height, 3)) {
      const path = iiif3Path('scan', t).split('/').slice(4).join('/');
      const r = parseImageRequest(path, image, LIMITS);
      if (!r.ok) throw new Error(`${path}: ${r.error.message}`);
      expect(r.request.size).toEqual({ w: t.sw, h: t.sh });
    }
  });

  it('writes the same region in both URL forms', () => {
    const t = { scale: 2, x: 512, y: 1024, w: 512, h: 488, sw: 256, sh: 244 };
    expect(iiif3Path('scan page', t)).toBe('/iiif/3/scan%20page/512,1024,512,488/256,244/0/default.jpg');
    expect(iiif3Path('scan', t, 'gray')).toBe('/iiif/3/scan/512,1024,512,488/256,244/0/gray.jpg');
    expect(iipImagePath('scan.tif', t)).toBe('/iipsrv?IIIF=scan.tif/512,1024,512,488/256,/0/default.jpg');
  });
});
