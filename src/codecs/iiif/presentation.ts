/**
 * IIIF Presentation API 3.0 documents built from plain inputs: a Manifest for one digitised item
 * (a book, a map, a newspaper issue) whose pages are Canvases painted by images from a IIIF Image
 * API 3 service, and Collections that list Manifests and sub-Collections.
 *
 * ```ts
 * const manifest = buildManifest({
 *   id: 'https://thuvien.example.vn/iiif/sach-123/manifest',
 *   label: { vi: ['Truyện Kiều'], en: ['The Tale of Kiều'] },
 *   metadata: [{ label: { vi: ['Tác giả'], en: ['Author'] }, value: { none: ['Nguyễn Du'] } }],
 *   rights: 'http://creativecommons.org/publicdomain/mark/1.0/',
 *   canvases: pages.map((p, i) => ({
 *     id: `https://thuvien.example.vn/iiif/sach-123/canvas/${i + 1}`,
 *     width: p.width, height: p.height,
 *     imageServiceId: `https://thuvien.example.vn/iiif/3/${p.fileId}`,
 *   })),
 * });
 * ```
 *
 * The output validates against the official Presentation 3 JSON Schema (the IIIF presentation
 * validator's `iiif_3_0.json`). Inputs that would make an invalid document (an `id` that is not
 * an http(s) URI, a rights URI from neither Creative Commons nor RightsStatements.org, a canvas
 * without a size, a `start` that is not one of the canvases…) throw an `IiifInputError` naming
 * the field, rather than producing a document viewers would reject.
 */

export const PRESENTATION_CONTEXT = 'http://iiif.io/api/presentation/3/context.json';

/**
 * A language map: BCP 47 language code → strings (§4.2 "Language of Property Values"). We write
 * `vi` and `en`; `none` is for values that have no language, such as page numbers, call numbers
 * or personal names.
 */
export type LanguageMap = Record<string, string[]>;

/** `{ vi: [vi], en: [en] }`, or just `vi` when there is no English. */
export function viEn(vi: string, en?: string): LanguageMap {
  return en === undefined ? { vi: [vi] } : { vi: [vi], en: [en] };
}

/** `{ none: [value] }`: for numbers, codes and names, which have no language. */
export function noLanguage(value: string | number): LanguageMap {
  return { none: [String(value)] };
}

export interface LabelValue {
  label: LanguageMap;
  value: LanguageMap;
}

/** A linked resource: a web page (`homepage`), a download (`rendering`), a data file (`seeAlso`). */
export interface LinkInput {
  id: string;
  /** Default: `Text` for homepage and rendering, `Dataset` for seeAlso. */
  type?: string;
  /** Required for homepage and rendering (Presentation 3 §3.3.1), recommended for seeAlso. */
  label?: LanguageMap;
  /** MIME type: `text/html`, `application/pdf`, `application/xml`, `text/vnd.hocr+html`… */
  format?: string;
  /** What the data conforms to, e.g. ALTO's schema URI or `http://kba.cloud/hocr-spec/1.2/`. */
  profile?: string;
  /** Languages of the resource, e.g. `['vi']`. */
  language?: string[];
}

/** An image as a thumbnail or logo. */
export interface ImageInput {
  id: string;
  format?: string;
  width?: number;
  height?: number;
  /** Base URI of a IIIF Image API 3 service for this image. */
  serviceId?: string;
}

export interface ProviderInput {
  /** A URI for the institution (e.g. its ISIL or its web page). */
  id: string;
  label: LanguageMap;
  homepage?: LinkInput[];
  logo?: ImageInput[];
  seeAlso?: LinkInput[];
}

/** A service block, passed through: e.g. `searchService(...)` from `./content-search.js`. */
export interface ServiceInput {
  id: string;
  type: string;
  profile?: string;
  service?: ServiceInput[];
}

export type ImageApiLevel = 'level0' | 'level1' | 'level2';

export interface CanvasInput {
  /** The Canvas URI. */
  id: string;
  /** Default: the page number, as `{ none: ['12'] }`. */
  label?: LanguageMap;
  /** Pixels of the full image; the Canvas takes the same size so that word boxes in image pixels are Canvas coordinates. */
  width: number;
  height: number;
  /** Base URI of the page's IIIF Image API 3 service (without `/info.json`). */
  imageServiceId: string;
  /** Format of the image the body names (`{service}/full/max/0/default.jpg`); default `image/jpeg`. */
  imageFormat?: string;
  /** Compliance level the image service claims; default `level1` (region and size by width/height). */
  imageServiceProfile?: ImageApiLevel;
  /** A small image of the page; when absent, viewers derive one from the image service. */
  thumbnailUrl?: string;
  /** The page's OCR as data files: hOCR, ALTO. */
  seeAlso?: LinkInput[];
  /** Downloads of the page alone. */
  rendering?: LinkInput[];
  /** URLs of AnnotationPages with the page's text (e.g. OCR lines or words as `supplementing` annotations). */
  annotations?: string[];
  metadata?: LabelValue[];
}

export type Behavior =
  | 'auto-advance'
  | 'no-auto-advance'
  | 'repeat'
  | 'no-repeat'
  | 'unordered'
  | 'individuals'
  | 'continuous'
  | 'paged'
  | 'facing-pages'
  | 'non-paged'
  | 'multi-part'
  | 'together'
  | 'sequence'
  | 'thumbnail-nav'
  | 'no-nav'
  | 'hidden';

export type ViewingDirection = 'left-to-right' | 'right-to-left' | 'top-to-bottom' | 'bottom-to-top';

/** What Manifests and Collections share. */
interface DescriptiveInput {
  id: string;
  label: LanguageMap;
  summary?: LanguageMap;
  /** Pairs shown to the reader; bilingual labels (`viEn('Tác giả', 'Author')`). */
  metadata?: LabelValue[];
  /** A Creative Commons or RightsStatements.org URI; https and `/page/` forms are normalised. */
  rights?: string;
  /** Text that must be shown with the item, e.g. the attribution a licence requires. */
  requiredStatement?: LabelValue;
  provider?: ProviderInput[];
  homepage?: LinkInput[];
  thumbnail?: ImageInput[];
  seeAlso?: LinkInput[];
  /** Downloads of the whole item: a PDF, an EPUB, the plain text. */
  rendering?: LinkInput[];
  behavior?: Behavior[];
  /** Collections this belongs to. */
  partOf?: { id: string; label?: LanguageMap }[];
  service?: ServiceInput[];
  /** xsd:dateTime in UTC (`1820-01-01T00:00:00Z`): where the item sits on a timeline. */
  navDate?: string;
}

export interface ManifestInput extends DescriptiveInput {
  viewingDirection?: ViewingDirection;
  canvases: CanvasInput[];
  /** The Canvas a viewer opens first (e.g. the title page); must be one of `canvases`. */
  start?: string;
}

export interface CollectionItemInput {
  type: 'Manifest' | 'Collection';
  id: string;
  label: LanguageMap;
  thumbnail?: ImageInput[];
}

export interface CollectionInput extends DescriptiveInput {
  /** Manifests and sub-Collections, referenced (not embedded), all in one list. */
  items: CollectionItemInput[];
}

/** A JSON document, ready for `JSON.stringify`. */
export type JsonObject = { [key: string]: unknown };

/** An input that would produce an invalid document; `field` is where, e.g. `canvases[3].width`. */
export class IiifInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'IiifInputError';
    this.field = field;
  }
}

/** The Manifest for one digitised item. @throws IiifInputError */
export function buildManifest(input: ManifestInput): JsonObject {
  const canvasIds = new Set<string>();
  const items = input.canvases.map((canvas, i) => {
    const built = buildCanvas(canvas, i, `canvases[${i}]`);
    if (canvasIds.has(canvas.id)) throw new IiifInputError(`canvases[${i}].id`, `${canvas.id} is used by an earlier canvas`);
    canvasIds.add(canvas.id);
    return built;
  });
  if (input.start !== undefined && !canvasIds.has(input.start)) throw new IiifInputError('start', `${input.start} is not one of the canvases`);
  if (input.viewingDirection !== undefined && !VIEWING_DIRECTIONS.has(input.viewingDirection)) {
    throw new IiifInputError('viewingDirection', `"${String(input.viewingDirection)}" is not a viewing direction`);
  }
  return compact({
    '@context': PRESENTATION_CONTEXT,
    ...descriptive(input, 'Manifest'),
    viewingDirection: input.viewingDirection,
    start: input.start === undefined ? undefined : { id: input.start, type: 'Canvas' },
    items,
  });
}

/** A Collection of Manifests and sub-Collections, unpaged. @throws IiifInputError */
export function buildCollection(input: CollectionInput): JsonObject {
  const items = input.items.map((item, i) => {
    const field = `items[${i}]`;
    if (item.type !== 'Manifest' && item.type !== 'Collection') throw new IiifInputError(`${field}.type`, `"${String(item.type)}" is neither Manifest nor Collection`);
    return compact({
      id: uri(item.id, `${field}.id`),
      type: item.type,
      label: languageMap(item.label, `${field}.label`),
      thumbnail: item.thumbnail && images(item.thumbnail, `${field}.thumbnail`),
    });
  });
  return compact({ '@context': PRESENTATION_CONTEXT, ...descriptive(input, 'Collection'), items });
}

// ---------------------------------------------------------------------------------------------

const VIEWING_DIRECTIONS = new Set<string>(['left-to-right', 'right-to-left', 'top-to-bottom', 'bottom-to-top']);
const BEHAVIORS = new Set<string>([
  'auto-advance',
  'no-auto-advance',
  'repeat',
  'no-repeat',
  'unordered',
  'individuals',
  'continuous',
  'paged',
  'facing-pages',
  'non-paged',
  'multi-part',
  'together',
  'sequence',
  'thumbnail-nav',
  'no-nav',
  'hidden',
]);

function descriptive(input: DescriptiveInput, type: 'Manifest' | 'Collection'): JsonObject {
  if (input.behavior) {
    input.behavior.forEach((b, i) => {
      if (!BEHAVIORS.has(b)) throw new IiifInputError(`behavior[${i}]`, `"${b}" is not a Presentation 3 behavior`);
    });
  }
  return {
    id: uri(input.id, 'id'),
    type,
    label: languageMap(input.label, 'label'),
    summary: input.summary && languageMap(input.summary, 'summary'),
    metadata: input.metadata && labelValues(input.metadata, 'metadata'),
    requiredStatement: input.requiredStatement && labelValue(input.requiredStatement, 'requiredStatement'),
    rights: input.rights === undefined ? undefined : rightsUri(input.rights),
    navDate: input.navDate === undefined ? undefined : navDate(input.navDate),
    provider: input.provider?.map((p, i) => provider(p, `provider[${i}]`)),
    homepage: input.homepage && links(input.homepage, 'homepage', 'Text', true),
    thumbnail: input.thumbnail && images(input.thumbnail, 'thumbnail'),
    seeAlso: input.seeAlso && links(input.seeAlso, 'seeAlso', 'Dataset', false),
    rendering: input.rendering && links(input.rendering, 'rendering', 'Text', true),
    behavior: input.behavior && [...input.behavior],
    partOf: input.partOf?.map((p, i) => compact({ id: uri(p.id, `partOf[${i}].id`), type: 'Collection', label: p.label && languageMap(p.label, `partOf[${i}].label`) })),
    service: input.service && services(input.service, 'service'),
  };
}

/**
 * One page: the Canvas, its one AnnotationPage and the `painting` Annotation whose body is the
 * full image with its image service. The AnnotationPage and Annotation ids hang off the Canvas id:
 * they need to be unique URIs, not resolvable ones.
 */
function buildCanvas(canvas: CanvasInput, index: number, field: string): JsonObject {
  const id = uri(canvas.id, `${field}.id`);
  const width = dimension(canvas.width, `${field}.width`);
  const height = dimension(canvas.height, `${field}.height`);
  const service = uri(canvas.imageServiceId, `${field}.imageServiceId`).replace(/\/+$/, '');
  const format = canvas.imageFormat ?? 'image/jpeg';
  if (!/^image\/[a-z0-9.+-]+$/.test(format)) throw new IiifInputError(`${field}.imageFormat`, `"${format}" is not an image MIME type`);
  const profile = canvas.imageServiceProfile ?? 'level1';
  if (!['level0', 'level1', 'level2'].includes(profile)) throw new IiifInputError(`${field}.imageServiceProfile`, `"${profile}" is not level0, level1 or level2`);
  return compact({
    id,
    type: 'Canvas',
    label: canvas.label ? languageMap(canvas.label, `${field}.label`) : noLanguage(index + 1),
    width,
    height,
    metadata: canvas.metadata && labelValues(canvas.metadata, `${field}.metadata`),
    thumbnail: canvas.thumbnailUrl === undefined ? undefined : images([{ id: canvas.thumbnailUrl, format: formatFromUrl(canvas.thumbnailUrl) }], `${field}.thumbnailUrl`),
    seeAlso: canvas.seeAlso && links(canvas.seeAlso, `${field}.seeAlso`, 'Dataset', false),
    rendering: canvas.rendering && links(canvas.rendering, `${field}.rendering`, 'Text', true),
    items: [
      {
        id: `${id}/page/1`,
        type: 'AnnotationPage',
        items: [
          {
            id: `${id}/annotation/image`,
            type: 'Annotation',
            motivation: 'painting',
            body: {
              // Image API 3: the whole image at its largest size, in the format given.
              id: `${service}/full/max/0/default.${extensionOf(format)}`,
              type: 'Image',
              format,
              width,
              height,
              service: [{ id: service, type: 'ImageService3', profile }],
            },
            target: id,
          },
        ],
      },
    ],
    annotations: canvas.annotations?.map((page, i) => ({ id: uri(page, `${field}.annotations[${i}]`), type: 'AnnotationPage' })),
  });
}

/** The image MIME type a URL's extension names, if it names one. */
function formatFromUrl(url: string): string | undefined {
  const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(url)?.[1]?.toLowerCase();
  const known: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', tif: 'image/tiff', tiff: 'image/tiff', jp2: 'image/jp2' };
  return ext === undefined ? undefined : known[ext];
}

/** Image API 3 format extensions (§4.5) for the MIME types it lists. */
function extensionOf(format: string): string {
  const known: Record<string, string> = {
    'image/jpeg': 'jpg',
    'image/png': 'png',
    'image/tiff': 'tif',
    'image/gif': 'gif',
    'image/webp': 'webp',
    'image/jp2': 'jp2',
    'application/pdf': 'pdf',
  };
  return known[format] ?? format.slice(format.indexOf('/') + 1);
}

function provider(p: ProviderInput, field: string): JsonObject {
  return compact({
    id: uri(p.id, `${field}.id`),
    type: 'Agent',
    label: languageMap(p.label, `${field}.label`),
    homepage: p.homepage && links(p.homepage, `${field}.homepage`, 'Text', true),
    logo: p.logo && images(p.logo, `${field}.logo`),
    seeAlso: p.seeAlso && links(p.seeAlso, `${field}.seeAlso`, 'Dataset', false),
  });
}

function links(list: LinkInput[], field: string, defaultType: string, labelRequired: boolean): JsonObject[] {
  return list.map((link, i) => {
    const f = `${field}[${i}]`;
    if (labelRequired && link.label === undefined) throw new IiifInputError(`${f}.label`, 'is required: Presentation 3 says homepage and rendering resources MUST have a label');
    if (link.format !== undefined) mimeType(link.format, `${f}.format`);
    link.language?.forEach((l, j) => languageCode(l, `${f}.language[${j}]`));
    return compact({
      id: uri(link.id, `${f}.id`),
      type: link.type ?? defaultType,
      label: link.label && languageMap(link.label, `${f}.label`),
      format: link.format,
      profile: link.profile,
      language: link.language && [...link.language],
    });
  });
}

function images(list: ImageInput[], field: string): JsonObject[] {
  return list.map((image, i) => {
    const f = `${field}[${i}]`;
    if (image.format !== undefined) mimeType(image.format, `${f}.format`);
    return compact({
      id: uri(image.id, `${f}.id`),
      type: 'Image',
      format: image.format,
      width: image.width === undefined ? undefined : dimension(image.width, `${f}.width`),
      height: image.height === undefined ? undefined : dimension(image.height, `${f}.height`),
      service: image.serviceId === undefined ? undefined : [{ id: uri(image.serviceId, `${f}.serviceId`).replace(/\/+$/, ''), type: 'ImageService3', profile: 'level1' }],
    });
  });
}

function services(list: ServiceInput[], field: string): JsonObject[] {
  return list.map((s, i) =>
    compact({
      id: uri(s.id, `${field}[${i}].id`),
      type: s.type,
      profile: s.profile,
      service: s.service && services(s.service, `${field}[${i}].service`),
    }),
  );
}

function labelValues(list: LabelValue[], field: string): JsonObject[] {
  return list.map((pair, i) => labelValue(pair, `${field}[${i}]`));
}

function labelValue(pair: LabelValue, field: string): JsonObject {
  return { label: languageMap(pair.label, `${field}.label`), value: languageMap(pair.value, `${field}.value`) };
}

/** A language map with at least one non-empty string, keys BCP 47 codes or `none`; copied. */
function languageMap(map: LanguageMap, field: string): LanguageMap {
  const out: LanguageMap = {};
  for (const [language, values] of Object.entries(map)) {
    languageCode(language, `${field}.${language}`);
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) throw new IiifInputError(`${field}.${language}`, 'must be an array of strings');
    const kept = values.filter((v) => v.trim() !== '');
    if (kept.length > 0) out[language] = kept;
  }
  if (Object.keys(out).length === 0) throw new IiifInputError(field, 'has no text in any language');
  return out;
}

function languageCode(code: string, field: string): void {
  // BCP 47 in outline (language, then subtags of letters and digits), or the IIIF "none".
  if (code !== 'none' && !/^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$/.test(code)) throw new IiifInputError(field, `"${code}" is not a BCP 47 language code`);
}

function mimeType(format: string, field: string): void {
  if (!/^[a-z]+\/[a-zA-Z0-9.+-]+$/.test(format)) throw new IiifInputError(field, `"${format}" is not a MIME type`);
}

/** An absolute http(s) URI (the validator's schema insists on http). */
function uri(value: string, field: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new IiifInputError(field, `"${value}" is not an absolute URI`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new IiifInputError(field, `"${value}" is not an http or https URI`);
  return value;
}

function dimension(value: number, field: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new IiifInputError(field, `${value} is not a positive whole number of pixels`);
  return value;
}

/**
 * Presentation 3 §3.3.1 `rights`: a Creative Commons licence or RightsStatements.org statement,
 * as the `http:` URI those vocabularies define. What people copy from the browser is turned into
 * that URI: the `https:` form, Creative Commons' deed and legal-code pages (`…/4.0/deed.vi`), and
 * RightsStatements' human-readable `/page/` URLs.
 */
export function rightsUri(value: string): string {
  const m = /^https?:\/\/(?:www\.)?(creativecommons\.org\/(?:licenses|publicdomain)\/|rightsstatements\.org\/(?:vocab|page)\/)([^?#]+)/.exec(value.trim());
  if (!m) throw new IiifInputError('rights', `"${value}" is neither a Creative Commons nor a RightsStatements.org URI`);
  const base = (m[1] ?? '').replace('rightsstatements.org/page/', 'rightsstatements.org/vocab/');
  let path = (m[2] ?? '').replace(/(deed|legalcode)(\.[A-Za-z-]+)?$/, '');
  if (!path.endsWith('/')) path += '/';
  return `http://${base}${path}`;
}

function navDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new IiifInputError('navDate', `"${value}" is not an xsd:dateTime in UTC (e.g. 1820-01-01T00:00:00Z)`);
  }
  return value;
}

/** Drops undefined properties, so that optional inputs leave no `"x": undefined` behind. */
function compact(object: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(object)) if (v !== undefined) out[k] = v;
  return out;
}
