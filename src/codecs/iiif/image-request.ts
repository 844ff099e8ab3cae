/**
 * IIIF Image API 3.0 (https://iiif.io/api/image/3.0/): an image request
 * `{region}/{size}/{rotation}/{quality}.{format}` resolved against one image and the server's
 * limits, and the image information document (`info.json`) of a level 2 service.
 *
 * Pure and total: no I/O, and bad input never throws. `parseImageRequest` returns either the
 * request in pixels with its canonical form, or an error with the HTTP status the spec asks for
 * and a message that names the parameter and the rule it breaks:
 *
 *     parseImageRequest('full/600,/0/default.jpg', { width: 400, height: 300 }, limits)
 *     // → { ok: false, error: { status: 400, code: 'size-upscale',
 *     //       message: 'size "600,": width 600 is larger than the region (400 px); prefix "^" to upscale' } }
 *
 * What this server offers beyond the level 2 minimum: mirroring (`!n`), upscaling (`^`), and the
 * `webp` format. Rotations other than multiples of 90 are optional in level 2 and answered 501.
 */

/** The largest image the server will produce, as announced in `info.json`. */
export interface ImageLimits {
  maxWidth: number;
  maxHeight: number;
  maxArea: number;
}

export interface ImageDimensions {
  width: number;
  height: number;
}

export const IIIF_QUALITIES = ['default', 'color', 'gray', 'bitonal'] as const;
export type IiifQuality = (typeof IIIF_QUALITIES)[number];

export const IIIF_FORMATS = ['jpg', 'png', 'webp'] as const;
export type IiifFormat = (typeof IIIF_FORMATS)[number];

export const IIIF_MEDIA_TYPES: Record<IiifFormat, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** Formats the spec defines that this server does not produce (answered 400, as the spec asks). */
const OTHER_SPEC_FORMATS = ['tif', 'gif', 'jp2', 'pdf'];

export interface PixelRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ResolvedImageRequest {
  /** The region in pixels of the full image, already cropped at the image's edges. */
  region: PixelRect;
  /** The size of the image to return, before rotation. */
  size: { w: number; h: number };
  /** Degrees clockwise, applied after mirroring. */
  rotation: 0 | 90 | 180 | 270;
  /** Mirror on the vertical axis before rotating. */
  mirror: boolean;
  quality: IiifQuality;
  format: IiifFormat;
  /** The canonical `{region}/{size}/{rotation}/{quality}.{format}` (spec 4.7): one name per image. */
  canonical: string;
}

export type ImageRequestErrorCode =
  /** Not of the shape `{region}/{size}/{rotation}/{quality}.{format}` (404: no such resource). */
  | 'path'
  | 'region-syntax'
  /** The region starts beyond the image's right or bottom edge. */
  | 'region-outside'
  /** The region is zero pixels wide or high. */
  | 'region-empty'
  | 'size-syntax'
  /** Larger than the region without the `^` prefix. */
  | 'size-upscale'
  /** The result would be zero pixels wide or high. */
  | 'size-empty'
  /** Over `maxWidth`, `maxHeight` or `maxArea`. */
  | 'size-limit'
  /** Not `n` or `!n` with n from 0 to 360. */
  | 'rotation-syntax'
  /** A valid angle that is not a multiple of 90 (501: optional in level 2). */
  | 'rotation-unsupported'
  | 'quality'
  | 'format';

export interface ImageRequestError {
  status: 400 | 404 | 501;
  code: ImageRequestErrorCode;
  message: string;
}

export type ImageRequestResult = { ok: true; request: ResolvedImageRequest } | { ok: false; error: ImageRequestError };

type Step<T> = { ok: true; value: T } | { ok: false; error: ImageRequestError };

const ok = <T>(value: T): Step<T> => ({ ok: true, value });
const fail = (code: ImageRequestErrorCode, message: string, status: 400 | 404 | 501 = 400): { ok: false; error: ImageRequestError } => ({
  ok: false,
  error: { status, code, message },
});

/** Echoes a piece of the request in a message: quoted, escaped and short, whatever it holds. */
function quote(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

// Pixel values are whole numbers (spec 4: "non-negative integers"); ten digits is far beyond any
// image and keeps every value exact. Percentages and angles are decimals made only of digits and
// ".": no sign, exponent, NaN or Infinity.
const INT = /^\d{1,10}$/;
const DECIMAL = /^(?:\d{1,10}(?:\.\d{0,10})?|\.\d{1,10})$/;

function numbers(list: string, count: number, pattern: RegExp): number[] | undefined {
  const parts = list.split(',');
  if (parts.length !== count || !parts.every((p) => pattern.test(p))) return undefined;
  return parts.map(Number);
}

function resolveRegion(text: string, image: ImageDimensions): Step<PixelRect> {
  const { width: W, height: H } = image;
  if (text === 'full') return ok({ x: 0, y: 0, w: W, h: H });
  if (text === 'square') {
    const side = Math.min(W, H);
    return ok({ x: Math.floor((W - side) / 2), y: Math.floor((H - side) / 2), w: side, h: side });
  }
  let edges: [number, number, number, number] | undefined;
  if (text.startsWith('pct:')) {
    const p = numbers(text.slice(4), 4, DECIMAL);
    // Rounding the edges rather than the width keeps adjacent percentage regions seamless.
    if (p) edges = [Math.round((p[0]! * W) / 100), Math.round((p[1]! * H) / 100), Math.round(((p[0]! + p[2]!) * W) / 100), Math.round(((p[1]! + p[3]!) * H) / 100)];
  } else {
    const p = numbers(text, 4, INT);
    if (p) edges = [p[0]!, p[1]!, p[0]! + p[2]!, p[1]! + p[3]!];
  }
  if (!edges) return fail('region-syntax', `region ${quote(text)}: expected full, square, x,y,w,h (whole pixels) or pct:x,y,w,h (percentages)`);
  const [x0, y0, x1, y1] = edges;
  if (x1 <= x0 || y1 <= y0) return fail('region-empty', `region ${quote(text)}: the region is ${x1 - x0} × ${y1 - y0} px; it must be at least 1 px wide and high`);
  if (x0 >= W || y0 >= H) return fail('region-outside', `region ${quote(text)}: starts at ${x0},${y0}, outside the ${W} × ${H} px image`);
  return ok({ x: x0, y: y0, w: Math.min(x1, W) - x0, h: Math.min(y1, H) - y0 });
}

/**
 * The largest size with the region's aspect ratio inside a box and an area. Each side is an
 * integer, so a side computed by rounding never passes the box side it was compared against.
 */
function confine(rw: number, rh: number, boxW: number, boxH: number, maxArea: number): { w: number; h: number } {
  let w: number;
  let h: number;
  if (rw * boxH >= rh * boxW) {
    w = boxW;
    h = Math.max(1, Math.round((rh * boxW) / rw));
  } else {
    h = boxH;
    w = Math.max(1, Math.round((rw * boxH) / rh));
  }
  if (w * h > maxArea) {
    w = Math.min(boxW, Math.max(1, Math.floor(Math.sqrt((maxArea * rw) / rh))));
    h = Math.min(boxH, Math.max(1, Math.round((w * rh) / rw)));
    // Rounding can leave the product a pixel over; trim the longer side.
    while (w * h > maxArea && w + h > 2) {
      if (w >= h) w--;
      else h--;
    }
  }
  return { w, h };
}

/** `max` (spec 4.2): the region itself unless over a limit; `^max`: as large as the limits allow. */
function maxSize(rw: number, rh: number, limits: ImageLimits, upscale: boolean): { w: number; h: number } {
  const within = rw <= limits.maxWidth && rh <= limits.maxHeight && rw * rh <= limits.maxArea;
  if (within && !upscale) return { w: rw, h: rh };
  if (upscale) return confine(rw, rh, limits.maxWidth, limits.maxHeight, limits.maxArea);
  return confine(rw, rh, Math.min(rw, limits.maxWidth), Math.min(rh, limits.maxHeight), limits.maxArea);
}

type SizeForm =
  | { kind: 'max' }
  | { kind: 'pct'; n: number }
  | { kind: 'confined'; w: number; h: number }
  | { kind: 'exact'; w: number | undefined; h: number | undefined };

function parseSizeForm(body: string): SizeForm | undefined {
  if (body === 'max') return { kind: 'max' };
  if (body.startsWith('pct:')) {
    const n = body.slice(4);
    return DECIMAL.test(n) ? { kind: 'pct', n: Number(n) } : undefined;
  }
  if (body.startsWith('!')) {
    const p = numbers(body.slice(1), 2, INT);
    return p ? { kind: 'confined', w: p[0]!, h: p[1]! } : undefined;
  }
  const parts = body.split(',');
  if (parts.length !== 2) return undefined;
  const [ws, hs] = parts as [string, string];
  if ((ws !== '' && !INT.test(ws)) || (hs !== '' && !INT.test(hs)) || (ws === '' && hs === '')) return undefined;
  return { kind: 'exact', w: ws === '' ? undefined : Number(ws), h: hs === '' ? undefined : Number(hs) };
}

function scaledSize(form: SizeForm, region: PixelRect, limits: ImageLimits, upscale: boolean): { w: number; h: number } {
  const { w: rw, h: rh } = region;
  switch (form.kind) {
    case 'max':
      return maxSize(rw, rh, limits, upscale);
    case 'pct':
      return { w: Math.round((rw * form.n) / 100), h: Math.round((rh * form.n) / 100) };
    case 'confined': {
      const boxW = Math.min(form.w, limits.maxWidth, upscale ? Infinity : rw);
      const boxH = Math.min(form.h, limits.maxHeight, upscale ? Infinity : rh);
      if (boxW < 1 || boxH < 1) return { w: 0, h: 0 };
      return confine(rw, rh, boxW, boxH, limits.maxArea);
    }
    case 'exact': {
      const w = form.w ?? Math.round((rw * form.h!) / rh);
      const h = form.h ?? Math.round((rh * form.w!) / rw);
      return { w, h };
    }
  }
}

function resolveSize(text: string, region: PixelRect, limits: ImageLimits): Step<{ size: { w: number; h: number }; canonical: string }> {
  const upscale = text.startsWith('^');
  const form = parseSizeForm(upscale ? text.slice(1) : text);
  if (!form) return fail('size-syntax', `size ${quote(text)}: expected max, w, ,h, pct:n, w,h or !w,h, each optionally prefixed with "^"`);
  const size = scaledSize(form, region, limits, upscale);
  const where = `size ${quote(text)}`;
  if (size.w < 1 || size.h < 1) return fail('size-empty', `${where}: the image would be ${size.w} × ${size.h} px; it must be at least 1 px wide and high`);
  if (!upscale) {
    if (size.w > region.w) return fail('size-upscale', `${where}: width ${size.w} is larger than the region (${region.w} px); prefix "^" to upscale`);
    if (size.h > region.h) return fail('size-upscale', `${where}: height ${size.h} is larger than the region (${region.h} px); prefix "^" to upscale`);
  }
  if (size.w > limits.maxWidth) return fail('size-limit', `${where}: width ${size.w} is over this server's maximum of ${limits.maxWidth} px`);
  if (size.h > limits.maxHeight) return fail('size-limit', `${where}: height ${size.h} is over this server's maximum of ${limits.maxHeight} px`);
  if (size.w * size.h > limits.maxArea) {
    return fail('size-limit', `${where}: ${size.w} × ${size.h} = ${size.w * size.h} px is over this server's maximum area of ${limits.maxArea} px`);
  }
  return ok({ size, canonical: canonicalSize(size, region, limits) });
}

/** Spec 4.7: `max` when the result is the maximum size, otherwise `w,h` (`^` kept when upscaled). */
function canonicalSize(size: { w: number; h: number }, region: PixelRect, limits: ImageLimits): string {
  const same = (a: { w: number; h: number }) => a.w === size.w && a.h === size.h;
  if (same(maxSize(region.w, region.h, limits, false))) return 'max';
  if (size.w <= region.w && size.h <= region.h) return `${size.w},${size.h}`;
  return same(maxSize(region.w, region.h, limits, true)) ? '^max' : `^${size.w},${size.h}`;
}

function resolveRotation(text: string): Step<{ rotation: 0 | 90 | 180 | 270; mirror: boolean }> {
  const mirror = text.startsWith('!');
  const n = mirror ? text.slice(1) : text;
  if (!DECIMAL.test(n) || Number(n) > 360) return fail('rotation-syntax', `rotation ${quote(text)}: expected n or !n, with n in degrees from 0 to 360`);
  const degrees = Number(n);
  if (degrees % 90 !== 0) return fail('rotation-unsupported', `rotation ${quote(text)}: this server rotates by multiples of 90 degrees only`, 501);
  return ok({ rotation: (degrees % 360) as 0 | 90 | 180 | 270, mirror });
}

function resolveQualityFormat(text: string): Step<{ quality: IiifQuality; format: IiifFormat }> {
  const dot = text.lastIndexOf('.');
  const quality = dot < 0 ? text : text.slice(0, dot);
  const format = dot < 0 ? '' : text.slice(dot + 1);
  if (!(IIIF_QUALITIES as readonly string[]).includes(quality)) {
    return fail('quality', `quality ${quote(quality)}: expected one of ${IIIF_QUALITIES.join(', ')}`);
  }
  if (!(IIIF_FORMATS as readonly string[]).includes(format)) {
    const known = OTHER_SPEC_FORMATS.includes(format) ? 'is not offered by this server' : 'is not an image format';
    return fail('format', `format ${quote(format)} ${known}; use one of ${IIIF_FORMATS.join(', ')}`);
  }
  return ok({ quality: quality as IiifQuality, format: format as IiifFormat });
}

/**
 * Resolves `{region}/{size}/{rotation}/{quality}.{format}` (the path after the identifier, its
 * segments already percent-decoded) for an image of the given size. Parameters are checked in the
 * spec's order and the first problem is reported.
 */
export function parseImageRequest(path: string, image: ImageDimensions, limits: ImageLimits): ImageRequestResult {
  const segments = path.split('/');
  if (segments.length !== 4) {
    return fail('path', `${quote(path)} is not an image request: expected {region}/{size}/{rotation}/{quality}.{format}`, 404);
  }
  const [regionText, sizeText, rotationText, fileText] = segments as [string, string, string, string];
  const region = resolveRegion(regionText, image);
  if (!region.ok) return region;
  const size = resolveSize(sizeText, region.value, limits);
  if (!size.ok) return size;
  const rotation = resolveRotation(rotationText);
  if (!rotation.ok) return rotation;
  const qf = resolveQualityFormat(fileText);
  if (!qf.ok) return qf;

  const r = region.value;
  const whole = r.x === 0 && r.y === 0 && r.w === image.width && r.h === image.height;
  const canonical = [
    whole ? 'full' : `${r.x},${r.y},${r.w},${r.h}`,
    size.value.canonical,
    `${rotation.value.mirror ? '!' : ''}${rotation.value.rotation}`,
    `${qf.value.quality}.${qf.value.format}`,
  ].join('/');
  return { ok: true, request: { region: r, size: size.value.size, ...rotation.value, ...qf.value, canonical } };
}

// ------------------------------------------------------------------------------------- info.json

export const IIIF_IMAGE_CONTEXT = 'http://iiif.io/api/image/3/context.json';

/** The image parameter features this server supports (spec 5.6, compliance 3.1–3.3). */
const FEATURES = [
  'mirroring',
  'regionByPct',
  'regionByPx',
  'regionSquare',
  'rotationBy90s',
  'sizeByConfinedWh',
  'sizeByH',
  'sizeByPct',
  'sizeByW',
  'sizeByWh',
  'sizeUpscaling',
] as const;

export interface ImageInfo {
  '@context': typeof IIIF_IMAGE_CONTEXT;
  id: string;
  type: 'ImageService3';
  protocol: 'http://iiif.io/api/image';
  profile: 'level2';
  width: number;
  height: number;
  maxWidth: number;
  maxHeight: number;
  maxArea: number;
  tiles: { width: number; height: number; scaleFactors: number[] }[];
  sizes: { width: number; height: number }[];
  extraQualities: IiifQuality[];
  extraFormats: IiifFormat[];
  extraFeatures: string[];
  rights?: string;
}

export interface ImageInfoOptions {
  /** The image's base URI: scheme, server, prefix and identifier, without a trailing slash. */
  id: string;
  width: number;
  height: number;
  limits: ImageLimits;
  /** Side of the square tiles to announce; match the access copy's tiles (256, the default). */
  tileSize?: number;
  /** A Creative Commons or RightsStatements.org URI (spec 5.5). */
  rights?: string;
}

/** Whole-image sizes offered in `sizes`: from this long side down to `SIZES_MIN_SIDE`. */
const SIZES_MAX_SIDE = 1024;
const SIZES_MIN_SIDE = 64;

/**
 * The image information document of a level 2 service. Tiles use scale factors 1, 2, 4 … up to
 * the first at which the whole image fits in one tile, which are the levels of the access copy's
 * pyramid; `sizes` are the smaller of those levels (at most 1,024 px on the long side), which
 * viewers use for thumbnails. All of them lie within the limits.
 *
 * The routes must also do what level 2 requires over HTTP: redirect the base URI to `info.json`,
 * send CORS headers, and answer `Accept: application/ld+json` with that media type.
 */
export function imageInfo(o: ImageInfoOptions): ImageInfo {
  const tile = o.tileSize ?? 256;
  const scaleFactors = [1];
  while (Math.ceil(o.width / scaleFactors.at(-1)!) > tile || Math.ceil(o.height / scaleFactors.at(-1)!) > tile) {
    scaleFactors.push(scaleFactors.at(-1)! * 2);
  }
  const sizes: { width: number; height: number }[] = [];
  for (let f = 1; Math.max(o.width, o.height) / f >= SIZES_MIN_SIDE; f *= 2) {
    const width = Math.ceil(o.width / f);
    const height = Math.ceil(o.height / f);
    const fits = width <= o.limits.maxWidth && height <= o.limits.maxHeight && width * height <= o.limits.maxArea;
    if (Math.max(width, height) <= SIZES_MAX_SIDE && fits) sizes.unshift({ width, height });
  }
  return {
    '@context': IIIF_IMAGE_CONTEXT,
    id: o.id,
    type: 'ImageService3',
    protocol: 'http://iiif.io/api/image',
    profile: 'level2',
    width: o.width,
    height: o.height,
    maxWidth: o.limits.maxWidth,
    maxHeight: o.limits.maxHeight,
    maxArea: o.limits.maxArea,
    tiles: [{ width: tile, height: tile, scaleFactors }],
    sizes,
    extraQualities: ['color', 'gray', 'bitonal'],
    extraFormats: ['png', 'webp'],
    // Level 2 implies all but mirroring and sizeUpscaling; listing them all helps clients that
    // look for a feature by name rather than knowing what each level includes.
    extraFeatures: [...FEATURES],
    ...(o.rights === undefined ? {} : { rights: o.rights }),
  };
}
