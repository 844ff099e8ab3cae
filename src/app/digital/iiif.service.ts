/**
 * IIIF for the digital library: the Image API 3.0 (level 2) over each page's pyramid, the
 * Presentation API 3.0 manifest of each object and collections per library and per collection,
 * and the Content Search API 2.0 inside an object. Every answer goes through the same access
 * decision as the pages and the API, so a tile is never more open than its manifest.
 *
 * Identifiers: an image is `<objectId>-<page>` (`/iiif/3/12-3/…`), an object `<objectId>`
 * (`/iiif/3/12/manifest`). Anything else is answered 404 before any lookup.
 */
import { AppError } from '../../domain/errors.js';
import { LICENCES } from '../../domain/digital/object.js';
import { foldToken, syllables } from '../../text/vi.js';
import { imageInfo, parseImageRequest, type ImageInfo, type ImageLimits, type ResolvedImageRequest } from '../../codecs/iiif/image-request.js';
import type { DigitalPage, Store, StoredDigitalObject } from '../ports.js';
import type { DigitalService, ViewerContext } from './digital.service.js';
import type { PageWord } from './media.js';
import type { AccessDecision } from '../../domain/digital/rights.js';
import { DC_ELEMENTS, type DcElement } from '../../domain/digital/object.js';
import { buildCollection, buildManifest, viEn, type CollectionItemInput, type JsonObject, type LabelValue } from '../../codecs/iiif/presentation.js';
import { buildSearchResponse, searchService } from '../../codecs/iiif/content-search.js';
import { writeAlto } from '../../codecs/ocr/alto.js';
import { indexable } from '../../domain/digital/rights.js';
import { rightsOf } from './digital.service.js';

const IMAGE_ID = /^(\d{1,9})-(\d{1,6})$/;
const OBJECT_ID = /^\d{1,9}$/;

export interface ImageRenderer {
  /** `storedTile`: the body is a tile copied as it is stored (cheap to make again: not worth caching). */
  render(pyramidPath: string, req: ResolvedImageRequest, opts: { watermark?: string }): Promise<{ body: Buffer; mediaType: string; storedTile?: boolean }>;
  key(sourceSha: string, req: ResolvedImageRequest, opts: { watermark?: string }): string;
  etag(key: string, sourceSha: string): string;
}

export interface RenderedCache {
  get(key: string): Promise<string | undefined>;
  put(key: string, body: Buffer): Promise<void>;
}

export interface ImageAnswer {
  /** A cached file to send, or the bytes just rendered. */
  file?: string;
  body?: Buffer;
  mediaType: string;
  etag: string;
  /** `public, …` for open objects; `private, …` for restricted ones (never kept by shared caches). */
  cacheControl: string;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxWidth: 6000, maxHeight: 6000, maxArea: 24_000_000 };

/** A hit of a search inside an object: a page and the boxes of the matched words. */
export interface InsideHit {
  page: DigitalPage;
  words: PageWord[];
  before: string;
  match: string;
  after: string;
}

export class IiifService {
  readonly #digital: DigitalService;
  readonly #store: Store;
  readonly #renderer: ImageRenderer;
  readonly #cache: RenderedCache;
  readonly limits: ImageLimits;

  constructor(deps: { digital: DigitalService; store: Store; renderer: ImageRenderer; cache: RenderedCache; limits?: ImageLimits }) {
    this.#digital = deps.digital;
    this.#store = deps.store;
    this.#renderer = deps.renderer;
    this.#cache = deps.cache;
    this.limits = deps.limits ?? DEFAULT_IMAGE_LIMITS;
  }

  /** The object and page an image identifier names, if the viewer may see them. */
  async #image(ctx: ViewerContext, imageId: string): Promise<{ object: StoredDigitalObject; page: DigitalPage; access: AccessDecision }> {
    const m = IMAGE_ID.exec(imageId);
    if (!m) throw new AppError('NOT_FOUND');
    const { object, access } = await this.#digital.viewable(ctx, Number(m[1]));
    const page = await this.#store.digital.getPage(object.id, Number(m[2]));
    if (!page?.pyramidSha256 || !page.width || !page.height) throw new AppError('DIGITAL_PAGE_NOT_FOUND', { object: object.id, page: Number(m[2]) });
    return { object, page, access };
  }

  async info(ctx: ViewerContext, imageId: string, serviceBase: string): Promise<{ info: ImageInfo; cacheControl: string }> {
    const { object, page, access } = await this.#image(ctx, imageId);
    const info = imageInfo({ id: `${serviceBase}/${imageId}`, width: page.width!, height: page.height!, limits: this.limits, rights: LICENCES[object.licence].uri });
    return { info, cacheControl: cacheControl(object, access) };
  }

  /** Renders (or finds in the cache) one image request; IIIF errors come back as 400/404/501. */
  async image(ctx: ViewerContext, imageId: string, params: string): Promise<ImageAnswer> {
    const { object, page, access } = await this.#image(ctx, imageId);
    const parsed = parseImageRequest(params, { width: page.width!, height: page.height! }, this.limits);
    if (!parsed.ok) {
      if (parsed.error.status === 404) throw new AppError('NOT_FOUND');
      throw new AppError(parsed.error.status === 501 ? 'IIIF_NOT_IMPLEMENTED' : 'IIIF_BAD_REQUEST', { reason: parsed.error.message });
    }
    const opts = access.watermark ? { watermark: await this.#watermark(object) } : {};
    const sha = page.pyramidSha256!;
    const key = this.#renderer.key(sha, parsed.request, opts);
    const etag = this.#renderer.etag(key, sha);
    const cc = cacheControl(object, access);
    const mediaType = parsed.request.format === 'jpg' ? 'image/jpeg' : `image/${parsed.request.format}`;
    const cached = await this.#cache.get(key);
    if (cached) return { file: cached, mediaType, etag, cacheControl: cc };
    const out = await this.#renderer.render(this.#digital.blobPath(sha), parsed.request, opts);
    // Stored cache writes happen after the answer, and a failed one is only a later miss.
    if (!out.storedTile) void this.#cache.put(key, out.body).catch(() => undefined);
    return { body: out.body, mediaType: out.mediaType, etag, cacheControl: cc };
  }

  /** The visible mark on derived images of restricted objects: the library's name. */
  async #watermark(o: StoredDigitalObject): Promise<string> {
    const unit = await this.#store.org.getById(o.ownerUnitId);
    return `${unit?.nameVi ?? ''} · Hạn chế / Restricted`;
  }

  /** The Presentation 3.0 manifest of an object the viewer may see. */
  async manifest(ctx: ViewerContext, objectId: string, base: IiifBase): Promise<{ doc: JsonObject; cacheControl: string }> {
    const { object: o, access, pages } = await this.object(ctx, objectId);
    const unit = await this.#store.org.getById(o.ownerUnitId);
    const files = access.download ? await this.#store.digital.filesOf(o.id) : [];
    const collections = await this.#store.digital.collectionsOf(o.id);
    const metadata: LabelValue[] = [];
    for (const el of DC_ELEMENTS) {
      const values = o.dc[el];
      if (values?.length) metadata.push({ label: viEn(...DC_LABELS[el]), value: { none: values } });
    }
    metadata.push({ label: viEn('Loại tài liệu số hoá', 'Digitisation category'), value: viEn(...categoryLabel(o.category)) });
    if (unit) metadata.push({ label: viEn('Thư viện', 'Library'), value: viEn(unit.nameVi, unit.nameEn) });
    const objectBase = `${base.iiif}/${o.id}`;
    const doc = buildManifest({
      id: `${objectBase}/manifest`,
      label: { none: [o.title] },
      summary: o.dc.description?.length ? { none: [o.dc.description.join(' ')] } : undefined,
      metadata,
      rights: LICENCES[o.licence].uri,
      requiredStatement: unit ? { label: viEn('Nguồn', 'Attribution'), value: viEn(`${unit.nameVi} — ${LICENCES[o.licence].label}`, `${unit.nameEn} — ${LICENCES[o.licence].label}`) } : undefined,
      provider: unit ? [{ id: `${base.site}/l/${unit.slug}`, label: viEn(unit.nameVi, unit.nameEn), homepage: [{ id: `${base.site}/l/${unit.slug}`, type: 'Text', format: 'text/html', label: viEn(unit.nameVi, unit.nameEn) }] }] : undefined,
      homepage: [{ id: `${base.site}/digital/${o.id}`, type: 'Text', format: 'text/html', label: { none: [o.title] } }],
      thumbnail: pages[0] ? [{ id: `${base.iiif}/${o.id}-${pages[0].seq}/full/!300,300/0/default.jpg`, format: 'image/jpeg', serviceId: `${base.iiif}/${o.id}-${pages[0].seq}` }] : undefined,
      seeAlso: o.recordId ? [{ id: `${base.site}/api/v1/records/${o.recordId}?format=marcxml`, type: 'Dataset', format: 'application/marcxml+xml', profile: 'http://www.loc.gov/MARC21/slim' }] : undefined,
      rendering: files.map((f) => ({ id: `${base.site}/digital/${o.id}/files/${f.id}`, type: f.mediaType === 'application/pdf' ? 'Text' : 'Image', format: f.mediaType, label: { none: [f.name] } })),
      partOf: collections.map((c) => ({ id: `${base.iiif}/collection/${c.code}`, label: viEn(c.nameVi, c.nameEn) })),
      service: [searchService(`${objectBase}/search`)],
      canvases: pages.map((p) => ({
        id: `${objectBase}/canvas/${p.seq}`,
        label: p.label ? { none: [p.label] } : viEn(`Trang ${p.seq}`, `Page ${p.seq}`),
        width: p.width!,
        height: p.height!,
        imageServiceId: `${base.iiif}/${o.id}-${p.seq}`,
        imageFormat: 'image/jpeg',
        imageServiceProfile: 'level2',
        thumbnailUrl: `${base.iiif}/${o.id}-${p.seq}/full/!200,200/0/default.jpg`,
        seeAlso: p.textAt ? [{ id: `${objectBase}/page/${p.seq}/alto`, type: 'Dataset', format: 'application/xml', profile: 'http://www.loc.gov/standards/alto/v4/alto.xsd', label: viEn('Văn bản (ALTO)', 'Text (ALTO)') }] : undefined,
        rendering: p.textAt ? [{ id: `${objectBase}/page/${p.seq}/text`, type: 'Text', format: 'text/plain', label: viEn('Văn bản', 'Text') }] : undefined,
      })),
    });
    return { doc, cacheControl: cacheControl(o, access) };
  }

  /** Content Search 2.0 inside an object: hits with word boxes, 50 a page. */
  async search(ctx: ViewerContext, objectId: string, q: string, page: number, base: IiifBase): Promise<JsonObject> {
    const pageSize = 50;
    const { object: o, hits, total } = await this.searchInside(ctx, objectId, q, 5000);
    const last = Math.max(1, Math.ceil(Math.min(total, hits.length) / pageSize));
    const p = Math.min(Math.max(1, Number.isInteger(page) ? page : 1), last);
    const slice = hits.slice((p - 1) * pageSize, p * pageSize);
    return buildSearchResponse({
      searchUrl: `${base.iiif}/${o.id}/search`,
      q,
      page: p,
      pageSize,
      total: Math.min(total, hits.length),
      language: 'vi',
      hits: slice.map((h) => ({ canvasId: `${base.iiif}/${o.id}/canvas/${h.page.seq}`, words: h.words.map((w) => ({ text: w.text, x: w.x, y: w.y, w: w.w, h: w.h })), before: h.before, match: h.match, after: h.after })),
    });
  }

  /** A page's text: plain, or ALTO 4 with the word boxes. */
  async pageText(ctx: ViewerContext, objectId: string, seq: number, format: 'text' | 'alto'): Promise<{ body: string; mediaType: string; cacheControl: string }> {
    const { object: o, access, pages } = await this.object(ctx, objectId);
    const p = pages.find((x) => x.seq === seq);
    if (!p?.textAt) throw new AppError('DIGITAL_PAGE_NOT_FOUND', { object: o.id, page: seq });
    const cc = cacheControl(o, access);
    if (format === 'text') return { body: p.text ?? '', mediaType: 'text/plain; charset=utf-8', cacheControl: cc };
    const words = await this.#store.digital.pageWords(p.id);
    const body = writeAlto({ text: p.text ?? '', words, confidence: p.confidence ?? 0, width: p.width ?? 0, height: p.height ?? 0 }, { fileName: `${o.id}-${p.seq}`, software: { name: p.engine ?? 'ocr' } });
    return { body, mediaType: 'application/xml; charset=utf-8', cacheControl: cc };
  }

  /**
   * Collections: `top` lists the libraries with published objects; a library's lists its
   * objects and its collections; a collection lists its objects. Objects only staff may see
   * (staff-only, under embargo) are left out; restricted ones are listed and checked when opened.
   */
  async collection(kind: 'top' | 'library' | 'collection', code: string, base: IiifBase): Promise<JsonObject> {
    const day = new Date().toISOString().slice(0, 10);
    const listed = (objects: StoredDigitalObject[]): CollectionItemInput[] =>
      objects.filter((o) => indexable(rightsOf(o), day)).map((o) => ({ type: 'Manifest', id: `${base.iiif}/${o.id}/manifest`, label: { none: [o.title] } }));
    if (kind === 'top') {
      const units = await this.#store.org.list();
      const counts = await this.#store.digital.publishedCounts();
      const withObjects = new Set(counts.map((c) => c.unitId));
      return buildCollection({
        id: `${base.iiif}/collection/top`,
        label: viEn('Thư viện số của mạng lưới', 'The network\'s digital library'),
        items: units.filter((u) => withObjects.has(u.id)).map((u) => ({ type: 'Collection', id: `${base.iiif}/collection/library/${encodeURIComponent(u.code)}`, label: viEn(u.nameVi, u.nameEn) })),
      });
    }
    if (kind === 'library') {
      const unit = await this.#store.org.getByCode(code);
      if (!unit) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: code });
      const objects = await this.#store.digital.listObjects({ unitIds: [unit.id], states: ['published'], limit: 5000 });
      const collections = await this.#store.digital.listCollections({ unitIds: [unit.id] });
      return buildCollection({
        id: `${base.iiif}/collection/library/${encodeURIComponent(unit.code)}`,
        label: viEn(unit.nameVi, unit.nameEn),
        homepage: [{ id: `${base.site}/l/${unit.slug}`, type: 'Text', format: 'text/html', label: viEn(unit.nameVi, unit.nameEn) }],
        items: [
          ...collections.map((c): CollectionItemInput => ({ type: 'Collection', id: `${base.iiif}/collection/${c.code}`, label: viEn(c.nameVi, c.nameEn) })),
          ...listed(objects),
        ],
      });
    }
    const c = await this.#store.digital.getCollectionByCode(code);
    if (!c) throw new AppError('DIGITAL_COLLECTION_NOT_FOUND', { collection: code });
    const objects = await this.#store.digital.listObjects({ collectionId: c.id, states: ['published'], limit: 5000 });
    return buildCollection({
      id: `${base.iiif}/collection/${c.code}`,
      label: viEn(c.nameVi, c.nameEn),
      summary: c.description ? { none: [c.description] } : undefined,
      items: listed(objects),
    });
  }

  /** A viewable object with its pages, for manifests and the reader. */
  async object(ctx: ViewerContext, objectId: string | number): Promise<{ object: StoredDigitalObject; access: AccessDecision; pages: DigitalPage[] }> {
    if (!OBJECT_ID.test(String(objectId))) throw new AppError('NOT_FOUND');
    const { object, access } = await this.#digital.viewable(ctx, Number(objectId));
    const pages = (await this.#store.digital.pagesOf(object.id)).filter((p) => p.pyramidSha256 && p.width && p.height);
    return { object, access, pages };
  }

  /**
   * Search inside an object: every page whose text holds all the query's words (tone marks
   * ignored, as in the catalogue search), with the boxes of the matching words for highlighting.
   */
  async searchInside(ctx: ViewerContext, objectId: string | number, q: string, limit = 500): Promise<{ object: StoredDigitalObject; hits: InsideHit[]; total: number }> {
    const { object, pages } = await this.object(ctx, objectId);
    const wanted = [...new Set(syllables(q.slice(0, 200)).map(foldToken))].filter(Boolean).slice(0, 12);
    if (wanted.length === 0) return { object, hits: [], total: 0 };
    const candidates = pages.filter((p) => {
      if (!p.text) return false;
      const have = new Set(syllables(p.text).map(foldToken));
      return wanted.every((w) => have.has(w));
    });
    const words = await this.#store.digital.wordsOfPages(candidates.map((p) => p.id));
    const hits: InsideHit[] = [];
    let total = 0;
    for (const page of candidates) {
      const list = words.get(page.id) ?? [];
      const folded = list.map((w) => syllables(w.text).map(foldToken));
      for (let i = 0; i < list.length; i++) {
        if (!folded[i]!.some((t) => wanted.includes(t))) continue;
        total++;
        if (hits.length >= limit) continue;
        hits.push({
          page,
          words: [list[i]!],
          before: list.slice(Math.max(0, i - 6), i).map((w) => w.text).join(' '),
          match: list[i]!.text,
          after: list.slice(i + 1, i + 7).map((w) => w.text).join(' '),
        });
      }
    }
    return { object, hits, total };
  }
}

/** Where documents live: the IIIF prefix (`…/iiif/3`) and the site (`https://…`). */
export interface IiifBase {
  iiif: string;
  site: string;
}

const DC_LABELS: Record<DcElement, [string, string]> = {
  title: ['Nhan đề', 'Title'],
  creator: ['Tác giả', 'Creator'],
  subject: ['Chủ đề', 'Subject'],
  description: ['Mô tả', 'Description'],
  publisher: ['Nhà xuất bản', 'Publisher'],
  contributor: ['Người đóng góp', 'Contributor'],
  date: ['Thời gian', 'Date'],
  type: ['Loại hình', 'Type'],
  format: ['Định dạng', 'Format'],
  identifier: ['Định danh', 'Identifier'],
  source: ['Nguồn', 'Source'],
  language: ['Ngôn ngữ', 'Language'],
  relation: ['Liên quan', 'Relation'],
  coverage: ['Phạm vi', 'Coverage'],
  rights: ['Bản quyền', 'Rights'],
};

const CATEGORY_LABELS: Record<string, [string, string]> = {
  local: ['Tài liệu địa chí', 'Local studies'],
  old_rare: ['Tài liệu cổ, quý hiếm', 'Old and rare'],
  han_nom: ['Tài liệu Hán Nôm', 'Hán Nôm'],
  thesis: ['Tài liệu nội sinh, luận văn, luận án', 'Internal documents and theses'],
  research: ['Công trình nghiên cứu', 'Research works'],
  reference: ['Tài liệu tra cứu', 'Reference'],
  learning: ['Học liệu, tài nguyên giáo dục mở', 'Learning materials and OER'],
  military_history: ['Lịch sử quân sự, an ninh', 'Military and security history'],
  other: ['Tài liệu khác', 'Other'],
};

export function categoryLabel(c: string): [string, string] {
  return CATEGORY_LABELS[c] ?? [c, c];
}

function cacheControl(o: StoredDigitalObject, a: AccessDecision): string {
  const open = o.access === 'public' && !a.watermark && o.state === 'published';
  return open ? 'public, max-age=86400' : 'private, max-age=3600';
}
