/**
 * The tiles a deep-zoom viewer asks for, as the IIIF benchmark sends them: every 256 px tile of
 * every level of the image (scale factors 1, 2, 4 … as `info.json` announces them), in one seeded
 * random order, written as IIIF Image API 3.0 paths for our server and 2.1 paths for IIPImage.
 * Both servers get the same regions in the same order.
 */
import { seededRandom } from '../lib/measure.js';

export interface Tile {
  /** Scale factor: 1 is full resolution. */
  scale: number;
  /** The region in full-resolution pixels. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** The size asked for, as a viewer computes it from the region and the scale factor. */
  sw: number;
  sh: number;
}

/** Scale factors down to the one at which the whole image fits in one tile (as in `imageInfo`). */
export function scaleFactors(width: number, height: number, tile: number): number[] {
  const out = [1];
  while (Math.ceil(width / out.at(-1)!) > tile || Math.ceil(height / out.at(-1)!) > tile) out.push(out.at(-1)! * 2);
  return out;
}

/** Every tile of every level, shuffled with `seed` (Fisher–Yates). */
export function tileList(width: number, height: number, seed: number, tile = 256): Tile[] {
  const tiles: Tile[] = [];
  for (const scale of scaleFactors(width, height, tile)) {
    const step = tile * scale;
    for (let y = 0; y < height; y += step) {
      for (let x = 0; x < width; x += step) {
        const w = Math.min(step, width - x);
        const h = Math.min(step, height - y);
        tiles.push({ scale, x, y, w, h, sw: Math.ceil(w / scale), sh: Math.ceil(h / scale) });
      }
    }
  }
  const rnd = seededRandom(seed);
  for (let i = tiles.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [tiles[i], tiles[j]] = [tiles[j]!, tiles[i]!];
  }
  return tiles;
}

/** `/iiif/3/<id>/x,y,w,h/w,h/0/<quality>.jpg`: the canonical IIIF 3 form of a tile request. */
export function iiif3Path(id: string, t: Tile, quality = 'default'): string {
  return `/iiif/3/${encodeURIComponent(id)}/${t.x},${t.y},${t.w},${t.h}/${t.sw},${t.sh}/0/${quality}.jpg`;
}

/** `/iipsrv?IIIF=<file>/x,y,w,h/w,/0/default.jpg`: the IIIF 2.1 form IIPImage 1.1 speaks. */
export function iipImagePath(file: string, t: Tile): string {
  return `/iipsrv?IIIF=${file}/${t.x},${t.y},${t.w},${t.h}/${t.sw},/0/default.jpg`;
}
