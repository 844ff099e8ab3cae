/**
 * The digital library's public pages:
 *
 * - `/digital` — the landing page: published documents newest first (paged), filters by library,
 *   collection and category, and the list of collections;
 * - `/digital/collections/:code` — one collection's documents;
 * - `/digital/:id` — the reader (`?page=N`, `?view=text`, `?q=` to search inside);
 * - `/digital/:id/files/:fileId` — a master file, when the viewer may download it.
 *
 * Phone first, and complete without JavaScript: the page is an `<img>` sized for the screen from
 * IIIF sizes, with links to the previous and next pages, a page-jump form, a strip of thumbnails,
 * the page's text reflowed for small screens, and search inside the document with the hits drawn
 * on the page (an SVG over the image, so no inline style is needed). `reader.js` adds deep zoom
 * with OpenSeadragon over the page's IIIF image service, swipes and keys to turn pages without
 * reloading, and highlights from the IIIF Content Search service.
 *
 * Access goes through `IiifService.object`, the same decision as tiles and manifests: an
 * unpublished document is absent (404); one the viewer may not open says why (sign in, the
 * library's reading room, an embargo) without a single image address in the page.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Services } from '../../../main/container.js';
import type { Clock, DigitalCollection, DigitalFile, DigitalObjectFilter, DigitalPage, Store, StoredDigitalObject } from '../../../app/ports.js';
import type { ViewerContext } from '../../../app/digital/digital.service.js';
import { rightsOf } from '../../../app/digital/digital.service.js';
import { categoryLabel, type InsideHit } from '../../../app/digital/iiif.service.js';
import { AppError } from '../../../domain/errors.js';
import { LICENCES, PLAN_CATEGORIES, isPlanCategory, type DcElement } from '../../../domain/digital/object.js';
import { indexable } from '../../../domain/digital/rights.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import type { MessageKey } from '../../../i18n/i18n.js';
import { compareVi } from '../../../text/fold.js';
import { foldToken, syllables } from '../../../text/vi.js';
import { assetUrl } from '../../assets/assets.js';
import { IIIF_PREFIX, viewerOf } from '../../protocols/iiif.routes.js';
import { Breadcrumbs, Layout, formatDate, pageCtx, sendPage, unitName, type PageCtx } from '../render.js';
import { Message } from '../shared.js';

export interface DigitalPageDeps {
  services: Services;
  store: Store;
  clock: Clock;
  baseUrl: string;
}

/** Thumbnails in the reader's strip: enough to browse, few enough for a small first paint. */
export const STRIP_SIZE = 24;
/** Documents per page of the landing and collection lists. */
export const LIST_SIZE = 24;
/** Longest query searched inside a document (the service reads no more). */
const MAX_Q = 200;
/** Pages listed with hits; past that the reader is asked to narrow the search. */
const MAX_HIT_PAGES = 100;
/** Snippets shown per page with hits. */
const SNIPPETS_PER_PAGE = 3;

/** The sizes of the page image offered to the browser (IIIF `!w,h`: fit inside, never enlarged). */
const PAGE_SIZES: ReadonlyArray<readonly [number, number]> = [
  [600, 900],
  [1000, 1400],
  [1600, 2200],
];
const THUMB_BOX = [120, 160] as const;
const CARD_BOX = [200, 200] as const;

// =============================================================================================
// Reading the query leniently: what cannot be read falls back to the default, never a 500.

type Query = Record<string, unknown>;

function firstString(v: unknown): string | undefined {
  const x = Array.isArray(v) ? v.find((s) => typeof s === 'string') : v;
  return typeof x === 'string' ? x : undefined;
}

/** A whole number from the query, or undefined (huge values are kept huge, and clamped by the caller). */
function wholeNumber(v: unknown): number | undefined {
  const s = firstString(v)?.trim();
  if (!s || !/^\d{1,15}$/.test(s)) return undefined;
  return Number(s);
}

function queryText(v: unknown): string {
  // eslint-disable-next-line no-control-regex
  return (firstString(v) ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_Q);
}

const ID = /^\d{1,9}$/;

function idParam(v: string | undefined): number {
  if (!v || !ID.test(v) || Number(v) < 1) throw new AppError('NOT_FOUND');
  return Number(v);
}

// =============================================================================================
// Small helpers

const imageBase = (objectId: number, seq: number) => `${IIIF_PREFIX}/${objectId}-${seq}`;
const imageUrl = (objectId: number, seq: number, size: string) => `${imageBase(objectId, seq)}/full/${size}/0/default.jpg`;

/** The size an IIIF `!w,h` request gives for an image of `w` × `h` (fit inside the box, never enlarged). */
export function fitBox(w: number, h: number, bw: number, bh: number): { width: number; height: number } {
  const scale = Math.min(bw / w, bh / h, 1);
  return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

function fmtNumber(ctx: PageCtx, n: number): string {
  return n.toLocaleString(ctx.locale === 'vi' ? 'vi-VN' : 'en-GB');
}

function fmtBytes(ctx: PageCtx, n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 || v >= 100 ? 0 : 1;
  return `${v.toLocaleString(ctx.locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: digits })} ${units[i]}`;
}

function categoryName(ctx: PageCtx, c: string): string {
  const [vi, en] = categoryLabel(c);
  return ctx.locale === 'en' ? en : vi;
}

function collectionName(ctx: PageCtx, c: { nameVi: string; nameEn: string }): string {
  return ctx.locale === 'en' ? c.nameEn || c.nameVi : c.nameVi;
}

/** Pages' sequence numbers as compact ranges for the script: `1-120` or `1-4,6-9`. */
export function seqRanges(seqs: readonly number[]): string {
  const out: string[] = [];
  let start: number | undefined;
  let prev: number | undefined;
  for (const s of seqs) {
    if (start !== undefined && prev !== undefined && s === prev + 1) {
      prev = s;
      continue;
    }
    if (start !== undefined) out.push(start === prev ? String(start) : `${start}-${prev}`);
    start = prev = s;
  }
  if (start !== undefined) out.push(start === prev ? String(start) : `${start}-${prev}`);
  return out.join(',');
}

/**
 * A page's text for reading on a small screen: paragraphs (kept where the text has a blank line),
 * each one line that the browser wraps; a word broken by a hyphen at a line's end is joined again.
 */
export function paragraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) =>
      p
        .replace(/(\p{Ll})-\n[ \t]*(\p{Ll})/gu, '$1$2')
        .replace(/\s*\n\s*/g, ' ')
        .replace(/[ \t]+/g, ' ')
        .trim(),
    )
    .filter((p) => p !== '');
}

/** Marks the words of a text that match the query's words (tone marks ignored, as the search does). */
function Marked({ text, wanted }: { text: string; wanted: ReadonlySet<string> }) {
  if (wanted.size === 0) return <>{text}</>;
  const parts: ComponentChildren[] = [];
  const re = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
  let last = 0;
  for (const m of text.matchAll(re)) {
    const word = m[0];
    const folded = syllables(word).map(foldToken);
    if (folded.length > 0 && folded.every((f) => wanted.has(f))) {
      parts.push(text.slice(last, m.index));
      parts.push(<mark>{word}</mark>);
      last = m.index + word.length;
    }
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

function wantedWords(q: string): Set<string> {
  return new Set(syllables(q).map(foldToken).filter(Boolean).slice(0, 12));
}

/** `Content-Disposition` for a download: an ASCII fallback name and the real one (RFC 6266, RFC 5987). */
export function contentDisposition(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '').trim() || 'file';
  const ascii =
    clean
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .replace(/[^\x20-\x7e]/g, '_')
      .replace(/["\\]/g, '_') || 'file';
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A single byte range of `size` bytes (RFC 9110 §14.1.2); undefined means "send it all". */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return undefined; // several ranges or something else: the whole file is a valid answer
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const n = Number(b);
    if (!Number.isSafeInteger(n)) return undefined;
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const last = b === '' ? Number.MAX_SAFE_INTEGER : Number(b);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(last)) return undefined;
  if (last < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(last, size - 1) };
}

// =============================================================================================
// The routes

export async function digitalPageRoutes(app: FastifyInstance, deps: DigitalPageDeps): Promise<void> {
  const { services, store, clock } = deps;
  const { iiif, digital, org } = services;
  const site = deps.baseUrl.replace(/\/$/, '');
  const today = () => clock.now().toISOString().slice(0, 10);

  /** Published documents anyone outside the staff may find (not staff-only, not under embargo), newest first, paged by id. */
  async function listPublic(filter: Omit<DigitalObjectFilter, 'states' | 'limit' | 'beforeId'>, before: number | undefined): Promise<{ items: StoredDigitalObject[]; next?: number }> {
    const batchSize = 100;
    const found: StoredDigitalObject[] = [];
    let cursor = before;
    let more = false;
    for (let round = 0; round < 5; round++) {
      const batch = await digital.publicList({ ...filter, limit: batchSize, ...(cursor !== undefined ? { beforeId: cursor } : {}) });
      const day = today();
      for (const o of batch) if (indexable(rightsOf(o), day)) found.push(o);
      if (found.length > LIST_SIZE) break;
      if (batch.length < batchSize) break;
      cursor = batch.at(-1)!.id;
      more = round === 4;
    }
    const items = found.slice(0, LIST_SIZE);
    const next = found.length > LIST_SIZE || more ? (more && found.length <= LIST_SIZE ? cursor : items.at(-1)?.id) : undefined;
    return { items, ...(next !== undefined ? { next } : {}) };
  }

  /** Which listed documents this viewer may open (their thumbnails are shown). */
  async function openable(ctx: ViewerContext, objects: readonly StoredDigitalObject[]): Promise<Set<number>> {
    const out = new Set<number>();
    for (const o of objects) {
      if (o.pageCount === 0) continue;
      if (o.access === 'public') out.add(o.id);
      else if ((await digital.decide(ctx, o)).view) out.add(o.id);
    }
    return out;
  }

  // ------------------------------------------------------------------------------ /digital

  app.get('/digital', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const q = (req.query ?? {}) as Query;
    const units = await org.list();
    const byId = new Map(units.map((u) => [u.id, u]));
    const counts = await store.digital.publishedCounts();
    const withObjects = new Set(counts.map((c) => c.unitId));
    const libraries = units.filter((u) => withObjects.has(u.id)).sort((a, b) => compareVi(unitName(ctx, a), unitName(ctx, b)));
    const collections = await digital.collections();

    const libraryCode = (firstString(q.library) ?? '').trim().slice(0, 32);
    const library = libraryCode ? units.find((u) => u.code.toUpperCase() === libraryCode.toUpperCase()) : undefined;
    const collectionCode = (firstString(q.collection) ?? '').trim().toLowerCase().slice(0, 64);
    const collection = collectionCode ? collections.find((c) => c.code === collectionCode) : undefined;
    const categoryRaw = (firstString(q.category) ?? '').trim().slice(0, 32);
    const category = isPlanCategory(categoryRaw) ? categoryRaw : undefined;
    const before = wholeNumber(q.before);

    const filter: Omit<DigitalObjectFilter, 'states' | 'limit' | 'beforeId'> = {
      ...(library ? { unitIds: units.filter((u) => u.path.startsWith(library.path)).map((u) => u.id) } : {}),
      ...(collection ? { collectionId: collection.id } : {}),
      ...(category ? { category } : {}),
    };
    // An unknown library or collection matches nothing rather than everything.
    const unknown = (libraryCode && !library) || (collectionCode && !collection);
    const { items, next } = unknown ? { items: [], next: undefined } : await listPublic(filter, before);
    const open = await openable(viewerOf(req), items);
    const filtered = !!(library || collection || category || unknown);
    const keep: Array<[string, string]> = [
      ...(library ? ([['library', library.code]] as Array<[string, string]>) : []),
      ...(collection ? ([['collection', collection.code]] as Array<[string, string]>) : []),
      ...(category ? ([['category', category]] as Array<[string, string]>) : []),
    ];
    const pageLink = (b?: number) => {
      const qs = new URLSearchParams([...keep, ...(b !== undefined ? ([['before', String(b)]] as Array<[string, string]>) : [])]).toString();
      return qs ? `/digital?${qs}` : '/digital';
    };

    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('digital.title')} description={t('digital.intro')}>
        <link rel="stylesheet" href={assetUrl('reader.css')} />
        <Breadcrumbs label={t('a11y.breadcrumbs')} items={[['/', t('nav.home')]]} />
        <h1>{t('digital.title')}</h1>
        <p class="lead">{t('digital.intro')}</p>
        <details class="dl-filters" open={filtered}>
          <summary>{t('digital.filter.title')}</summary>
          <form method="get" action="/digital" class="filters">
            <div class="field">
              <label for="dl-library">{t('digital.filter.library')}</label>
              <select id="dl-library" name="library">
                <option value="">{t('digital.filter.allLibraries')}</option>
                {libraries.map((u) => (
                  <option value={u.code} selected={library?.id === u.id}>
                    {unitName(ctx, u)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="dl-collection">{t('digital.filter.collection')}</label>
              <select id="dl-collection" name="collection">
                <option value="">{t('digital.filter.allCollections')}</option>
                {collections.map((c) => (
                  <option value={c.code} selected={collection?.id === c.id}>
                    {collectionName(ctx, c)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="dl-category">{t('digital.filter.category')}</label>
              <select id="dl-category" name="category">
                <option value="">{t('digital.filter.allCategories')}</option>
                {PLAN_CATEGORIES.map((c) => (
                  <option value={c} selected={category === c}>
                    {categoryName(ctx, c)}
                  </option>
                ))}
              </select>
            </div>
            <div class="actions">
              <button type="submit">{t('digital.filter.apply')}</button>
              {filtered ? <a href="/digital">{t('digital.filter.clear')}</a> : null}
            </div>
          </form>
        </details>
        <section aria-labelledby="dl-objects-heading">
          <h2 id="dl-objects-heading">{filtered ? t('digital.objects.filtered') : t('digital.objects.title')}</h2>
          <ObjectGrid ctx={ctx} objects={items} units={byId} open={open} />
          <ListPager ctx={ctx} first={before !== undefined ? pageLink() : undefined} next={next !== undefined ? pageLink(next) : undefined} />
        </section>
        <section aria-labelledby="dl-collections-heading">
          <h2 id="dl-collections-heading">{t('digital.collections.title')}</h2>
          <CollectionList ctx={ctx} collections={collections} units={byId} />
        </section>
      </Layout>,
    );
  });

  // ------------------------------------------------------------------------------ /digital/collections/:code

  app.get<{ Params: { code: string } }>('/digital/collections/:code', { schema: { hide: true } }, async (req, reply) => {
    const code = req.params.code.toLowerCase();
    if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(code)) throw new AppError('NOT_FOUND');
    const c = await digital.collectionByCode(code);
    const ctx = pageCtx(req);
    const { t } = ctx;
    const q = (req.query ?? {}) as Query;
    const before = wholeNumber(q.before);
    const units = await org.list();
    const byId = new Map(units.map((u) => [u.id, u]));
    const owner = byId.get(c.ownerUnitId);
    const { items, next } = await listPublic({ collectionId: c.id }, before);
    const open = await openable(viewerOf(req), items);
    const name = collectionName(ctx, c);
    const base = `/digital/collections/${encodeURIComponent(c.code)}`;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={name} description={c.description ?? undefined}>
        <link rel="stylesheet" href={assetUrl('reader.css')} />
        <Breadcrumbs label={t('a11y.breadcrumbs')} items={[['/', t('nav.home')], ['/digital', t('digital.title')]]} />
        <h1 class="dl-heading">{name}</h1>
        {owner ? (
          <p class="muted">
            <Message ctx={ctx} k="digital.collection.owner" slot="library">
              <a href={`/l/${owner.slug}`}>{unitName(ctx, owner)}</a>
            </Message>
          </p>
        ) : null}
        {c.description ? <p class="lead">{c.description}</p> : null}
        <p class="small">
          <a class="iiif-link" href={`${IIIF_PREFIX}/collection/${encodeURIComponent(c.code)}`} type="application/ld+json">
            <span class="iiif-badge">IIIF</span> {t('digital.collection.iiif')}
          </a>
        </p>
        <section aria-label={t('digital.objects.label')}>
          <ObjectGrid ctx={ctx} objects={items} units={byId} open={open} />
          <ListPager ctx={ctx} first={before !== undefined ? base : undefined} next={next !== undefined ? `${base}?before=${next}` : undefined} />
        </section>
      </Layout>,
    );
  });

  // ------------------------------------------------------------------------------ /digital/:id (the reader)

  app.get<{ Params: { id: string } }>('/digital/:id', { schema: { hide: true } }, async (req, reply) => {
    const id = idParam(req.params.id);
    const ctx = pageCtx(req);
    const viewer = viewerOf(req);
    let opened: Awaited<ReturnType<typeof iiif.object>>;
    try {
      opened = await iiif.object(viewer, id);
    } catch (e) {
      if (e instanceof AppError && (e.code === 'DIGITAL_ACCESS_LOGIN' || e.code === 'DIGITAL_ACCESS_DENIED')) return refusalPage(req, reply, ctx, id, e);
      throw e;
    }
    const { object: o, access } = opened;
    // A restricted document (sign-in, on-site, watermarked) is never kept for offline reading: its text is in the page.
    if (!(o.access === 'public' && !access.watermark && o.state === 'published')) reply.header('cache-control', 'no-store');
    const pages = [...opened.pages].sort((a, b) => a.seq - b.seq);
    const q = (req.query ?? {}) as Query;
    const text = queryText(q.q);
    const view: 'image' | 'text' = firstString(q.view) === 'text' ? 'text' : 'image';
    const unit = await store.org.getById(o.ownerUnitId);
    const collections = await digital.collectionsOf(o.id);
    const files = access.download ? await digital.files(o.id) : [];

    // Search inside: the pages with hits, in page order, with a few snippets each.
    let hits: InsideHit[] = [];
    let hitTotal = 0;
    if (text) {
      const found = await iiif.searchInside(viewer, o.id, text, 2000);
      hits = found.hits;
      hitTotal = found.total;
    }
    const hitPages = new Map<number, InsideHit[]>();
    for (const h of hits) {
      const list = hitPages.get(h.page.seq);
      if (list) list.push(h);
      else hitPages.set(h.page.seq, [h]);
    }

    // The page: the one asked for (or the nearest that exists); with a query and no page, the first hit.
    const asked = wholeNumber(q.page);
    let index = 0;
    if (pages.length > 0) {
      if (asked === undefined && hitPages.size > 0) index = pages.findIndex((p) => p.seq === hitPages.keys().next().value);
      else if (asked !== undefined) {
        const at = pages.findIndex((p) => p.seq >= asked);
        index = at < 0 ? pages.length - 1 : at;
      }
      if (index < 0) index = 0;
    }
    const page = pages[index];
    const title = page ? `${o.title} · ${ctx.t('reader.page', { page: page.label ?? page.seq })}` : o.title;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} description={o.dc.description?.[0] ?? o.title}>
        <link rel="stylesheet" href={assetUrl('reader.css')} />
        <Reader
          ctx={ctx}
          o={o}
          pages={pages}
          index={index}
          view={view}
          q={text}
          hitPages={hitPages}
          hitTotal={hitTotal}
          unit={unit}
          collections={collections}
          files={files}
          site={site}
        />
        {page ? <script src={assetUrl('reader.js')} defer /> : null}
      </Layout>,
    );
  });

  /** Why the viewer cannot open the document, with what to do about it; never an image address. */
  async function refusalPage(req: FastifyRequest, reply: FastifyReply, ctx: PageCtx, id: number, e: AppError): Promise<FastifyReply> {
    const { t } = ctx;
    const o = await digital.get(id);
    const unit = await store.org.getById(o.ownerUnitId);
    const reason = e.code === 'DIGITAL_ACCESS_LOGIN' ? 'login' : String(e.params?.reason ?? 'staff');
    const library = unit ? unitName(ctx, unit) : '';
    // Staff-only documents are not named; the others are in the catalogue anyway.
    const named = reason !== 'staff';
    const next = encodeURIComponent(req.url.slice(0, 400));
    return sendPage(
      reply,
      <Layout ctx={ctx} title={named ? o.title : t('reader.denied.title')}>
        <link rel="stylesheet" href={assetUrl('reader.css')} />
        <Breadcrumbs label={t('a11y.breadcrumbs')} items={[['/', t('nav.home')], ['/digital', t('digital.title')]]} />
        <h1 class="reader-title">{named ? o.title : t('reader.denied.title')}</h1>
        <div class="card reader-denied" role="status">
          {named ? <h2>{t('reader.denied.title')}</h2> : null}
          {reason === 'login' ? (
            <p>
              <Message ctx={ctx} k="reader.denied.login" slot="link">
                <a href={`/account/login?next=${next}`}>{t('reader.denied.loginLink')}</a>
              </Message>
            </p>
          ) : reason === 'onsite' ? (
            <>
              <p>
                <Message ctx={ctx} k="reader.denied.onsite" slot="library">
                  {unit ? <a href={`/l/${unit.slug}`}>{library}</a> : library}
                </Message>
              </p>
              <p class="muted">{t('reader.denied.onsiteHint')}</p>
            </>
          ) : reason === 'embargo' ? (
            <p>{t('reader.denied.embargo', { date: formatDate(ctx, o.embargoUntil) })}</p>
          ) : (
            <p>{t('reader.denied.staff')}</p>
          )}
          {named && o.recordId ? (
            <p>
              <a href={`/record/${o.recordId}`}>{t('reader.record.link')}</a>
            </p>
          ) : null}
        </div>
      </Layout>,
      e.status,
    );
  }

  // ------------------------------------------------------------------------------ /digital/:id/files/:fileId

  app.get<{ Params: { id: string; fileId: string } }>('/digital/:id/files/:fileId', { schema: { hide: true }, compress: false }, async (req, reply) => {
    const id = idParam(req.params.id);
    const fileId = idParam(req.params.fileId);
    const { object: o, access } = await iiif.object(viewerOf(req), id);
    const file = (await digital.files(o.id)).find((f) => f.id === fileId);
    if (!file) throw new AppError('DIGITAL_FILE_NOT_FOUND', { file: fileId });
    if (!access.download) throw new AppError('DIGITAL_DOWNLOAD_DENIED');
    const path = digital.blobPath(file.sha256);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (err) {
      req.log.error({ err, sha256: file.sha256 }, 'a master file is missing from the file store');
      throw new AppError('DIGITAL_FILE_NOT_FOUND', { file: fileId });
    }
    const etag = `"${file.sha256}"`;
    const open = o.access === 'public' && !access.watermark && o.state === 'published';
    reply
      .header('content-type', file.mediaType)
      .header('content-disposition', contentDisposition(file.name))
      .header('accept-ranges', 'bytes')
      .header('etag', etag)
      .header('cache-control', open ? 'public, max-age=86400' : 'private, max-age=3600')
      .header('vary', 'Cookie, Authorization')
      .header('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    const ifRange = req.headers['if-range'];
    const range = ifRange === undefined || ifRange === etag ? parseRange(req.headers.range, size) : undefined;
    if (range === 'unsatisfiable') {
      return reply.code(416).header('content-range', `bytes */${size}`).header('content-length', '0').send('');
    }
    if (range) {
      reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`).header('content-length', String(range.end - range.start + 1));
      return reply.send(createReadStream(path, { start: range.start, end: range.end }));
    }
    reply.header('content-length', String(size));
    return reply.send(createReadStream(path));
  });
}

// =============================================================================================
// The reader

interface ReaderProps {
  ctx: PageCtx;
  o: StoredDigitalObject;
  pages: DigitalPage[];
  index: number;
  view: 'image' | 'text';
  q: string;
  hitPages: ReadonlyMap<number, InsideHit[]>;
  hitTotal: number;
  unit: OrgUnit | undefined;
  collections: DigitalCollection[];
  files: DigitalFile[];
  site: string;
}

function Reader(p: ReaderProps) {
  const { ctx, o, pages, index, view, q } = p;
  const { t } = ctx;
  const page = pages[index];
  const href = (seq: number, v: 'image' | 'text' = view) => {
    const qs = new URLSearchParams([['page', String(seq)]]);
    if (v === 'text') qs.set('view', 'text');
    if (q) qs.set('q', q);
    return `/digital/${o.id}?${qs.toString()}`;
  };
  const prev = index > 0 ? pages[index - 1] : undefined;
  const next = index < pages.length - 1 ? pages[index + 1] : undefined;
  const total = pages.length;
  const lastSeq = pages.at(-1)?.seq ?? 1;
  const pageOf = (pg: DigitalPage) => (pg.label ? t('reader.pageLabelled', { page: pg.seq, label: pg.label, total: lastSeq }) : t('reader.pageOf', { page: pg.seq, total: lastSeq }));

  return (
    <>
      <Breadcrumbs label={t('a11y.breadcrumbs')} items={[['/', t('nav.home')], ['/digital', t('digital.title')]]} />
      <h1 class="reader-title">{o.title}</h1>
      <Byline ctx={ctx} o={o} unit={p.unit} />
      {!page ? (
        <p class="card">{t('reader.noPages')}</p>
      ) : (
        <section
          class={`reader reader-${view}`}
          aria-label={o.title}
          data-reader=""
          data-object={String(o.id)}
          data-seq={String(page.seq)}
          data-seqs={seqRanges(pages.map((x) => x.seq))}
          data-view={view}
          data-q={q}
          data-page-of={t('reader.pageOf', { page: '{page}', total: lastSeq })}
          data-page-title={`${o.title} · ${t('reader.page', { page: '{page}' })} · ${t('app.name')}`}
          data-osd={assetUrl('openseadragon.min.js')}
          data-osd-prefix="/assets/openseadragon-"
          data-copied={t('reader.share.copied')}
          data-alt={t('reader.image.alt', { page: '{page}', title: o.title })}
          data-hint-touch={t('reader.zoom.hintTouch')}
          data-hint-scroll={t('reader.zoom.hintScroll')}
        >
          <PageBar ctx={ctx} o={o} page={page} prev={prev} next={next} href={href} pageOf={pageOf(page)} lastSeq={lastSeq} view={view} q={q} where="top" />
          <div class="reader-views" role="group" aria-label={t('reader.view.label')}>
            <a href={href(page.seq, 'image')} aria-current={view === 'image' ? 'page' : undefined} data-view-link="image">
              {t('reader.view.image')}
            </a>
            <a href={href(page.seq, 'text')} aria-current={view === 'text' ? 'page' : undefined} data-view-link="text">
              {t('reader.view.text')}
            </a>
          </div>
          {view === 'image' ? <PageImage ctx={ctx} o={o} page={page} hits={p.hitPages.get(page.seq) ?? []} /> : <PageText ctx={ctx} o={o} page={page} q={q} />}
          <PageBar ctx={ctx} o={o} page={page} prev={prev} next={next} href={href} pageOf={pageOf(page)} lastSeq={lastSeq} view={view} q={q} where="bottom" />
        </section>
      )}
      <div class="reader-more">
        {page ? <InsideSearch ctx={ctx} o={o} q={q} view={view} hitPages={p.hitPages} hitTotal={p.hitTotal} current={page.seq} href={href} hasText={o.textPages > 0 || pages.some((x) => x.text)} /> : null}
        {page && total > 1 ? <Thumbnails ctx={ctx} o={o} pages={pages} index={index} href={href} /> : null}
        <About ctx={ctx} o={o} unit={p.unit} collections={p.collections} files={p.files} site={p.site} seq={page?.seq} />
      </div>
    </>
  );
}

function Byline({ ctx, o, unit }: { ctx: PageCtx; o: StoredDigitalObject; unit: OrgUnit | undefined }) {
  const bits = [o.dc.creator?.join('; '), o.dc.date?.[0], unit ? unitName(ctx, unit) : undefined].filter((x): x is string => !!x);
  if (bits.length === 0) return null;
  return <p class="reader-by muted">{bits.join(' · ')}</p>;
}

interface PageBarProps {
  ctx: PageCtx;
  o: StoredDigitalObject;
  page: DigitalPage;
  prev: DigitalPage | undefined;
  next: DigitalPage | undefined;
  href: (seq: number) => string;
  pageOf: string;
  lastSeq: number;
  view: 'image' | 'text';
  q: string;
  where: 'top' | 'bottom';
}

/** Previous, where we are (a page-jump form), next. */
function PageBar({ ctx, o, page, prev, next, href, pageOf, lastSeq, view, q, where }: PageBarProps) {
  const { t } = ctx;
  const jumpId = `jump-${where}`;
  return (
    <nav class={`reader-bar reader-bar-${where}`} aria-label={t('reader.nav')}>
      {/* Without a page to go to the link has no address (and is not focusable), so the script can give it one. */}
      <a class="button secondary reader-prev" href={prev ? href(prev.seq) : undefined} rel={prev ? 'prev' : undefined} aria-disabled={prev ? undefined : 'true'} data-prev="">
        <span aria-hidden="true">‹</span> <span class="label">{t('reader.prev')}</span>
      </a>
      <form method="get" action={`/digital/${o.id}`} class="reader-jump">
        <label for={jumpId} class="visually-hidden">
          {t('reader.jump.label')}
        </label>
        <span class="reader-pageof" data-page-of-text="" aria-live={where === 'top' ? 'polite' : undefined}>
          {pageOf}
        </span>
        <input type="number" id={jumpId} name="page" min={1} max={lastSeq} value={page.seq} inputMode="numeric" data-jump="" />
        {view === 'text' ? <input type="hidden" name="view" value="text" /> : null}
        {q ? <input type="hidden" name="q" value={q} /> : null}
        <button type="submit" class="secondary">
          {t('reader.jump.submit')}
        </button>
      </form>
      <a class="button secondary reader-next" href={next ? href(next.seq) : undefined} rel={next ? 'next' : undefined} aria-disabled={next ? undefined : 'true'} data-next="">
        <span class="label">{t('reader.next')}</span> <span aria-hidden="true">›</span>
      </a>
    </nav>
  );
}

/** The page as an image sized for the screen, with the search's hits drawn over it. */
function PageImage({ ctx, o, page, hits }: { ctx: PageCtx; o: StoredDigitalObject; page: DigitalPage; hits: readonly InsideHit[] }) {
  const { t } = ctx;
  const w = page.width!;
  const h = page.height!;
  const candidates = new Map<number, string>();
  for (const [bw, bh] of PAGE_SIZES) {
    const size = fitBox(w, h, bw, bh);
    if (!candidates.has(size.width)) candidates.set(size.width, `${imageUrl(o.id, page.seq, `!${bw},${bh}`)} ${size.width}w`);
  }
  const shown = fitBox(w, h, PAGE_SIZES[0]![0], PAGE_SIZES[0]![1]);
  const boxes = hits.flatMap((hit) => hit.words);
  return (
    <div class="reader-stage" data-stage="">
      <div class="page-box" data-page-box="">
        <img
          class="page-image"
          src={imageUrl(o.id, page.seq, `!${PAGE_SIZES[0]![0]},${PAGE_SIZES[0]![1]}`)}
          srcset={[...candidates.values()].join(', ')}
          sizes={`(min-width: 40rem) ${shown.width}px, 100vw`}
          width={shown.width}
          height={shown.height}
          alt={t('reader.image.alt', { page: page.label ?? page.seq, title: o.title })}
          data-page-image=""
          data-width={String(w)}
          data-height={String(h)}
        />
        {boxes.length > 0 ? (
          <svg class="page-hits-layer" viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="xMidYMid meet" aria-hidden="true" focusable="false">
            {boxes.map((b) => (
              <rect class="page-hit" x={b.x} y={b.y} width={b.w} height={b.h} />
            ))}
          </svg>
        ) : null}
      </div>
      <div class="zoom-bar" role="group" aria-label={t('reader.zoom.label')} data-zoom-bar="" hidden>
        <button type="button" class="secondary" data-zoom="in" aria-label={t('reader.zoom.in')} title={t('reader.zoom.in')}>
          <Icon d="M12 5v14M5 12h14" />
        </button>
        <button type="button" class="secondary" data-zoom="out" aria-label={t('reader.zoom.out')} title={t('reader.zoom.out')}>
          <Icon d="M5 12h14" />
        </button>
        <button type="button" class="secondary" data-zoom="home" aria-label={t('reader.zoom.home')} title={t('reader.zoom.home')}>
          <Icon d="M7 3h10v18H7zM10 8h4M10 12h4M10 16h2" />
        </button>
        <button type="button" class="secondary" data-zoom="full" aria-label={t('reader.zoom.full')} title={t('reader.zoom.full')}>
          <Icon d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" />
        </button>
      </div>
      <p class="zoom-start" data-zoom-start="" hidden>
        <button type="button" class="secondary">
          {t('reader.zoom.start')}
        </button>
      </p>
      <p class="zoom-status small muted" data-zoom-status="" data-failed={t('reader.zoom.failed')} role="status" />
      {boxes.length > 0 ? <p class="small muted">{t('reader.search.highlighted')}</p> : null}
    </div>
  );
}

/** A small line icon of the zoom bar (drawn by reader.css: no fill, the text colour as stroke). */
function Icon({ d }: { d: string }) {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path d={d} />
    </svg>
  );
}

function PageText({ ctx, o, page, q }: { ctx: PageCtx; o: StoredDigitalObject; page: DigitalPage; q: string }) {
  const { t } = ctx;
  const lang = o.ocrLanguages === 'vie' ? 'vi' : o.ocrLanguages === 'eng' ? 'en' : undefined;
  const paras = page.text ? paragraphs(page.text) : [];
  const wanted = q ? wantedWords(q) : new Set<string>();
  return (
    <article class="page-text" aria-label={t('reader.text.title', { page: page.label ?? page.seq })} lang={lang}>
      {paras.length === 0 ? (
        <p class="muted">{t('reader.text.none')}</p>
      ) : (
        <>
          {paras.map((para) => (
            <p>
              <Marked text={para} wanted={wanted} />
            </p>
          ))}
          {page.textSource === 'ocr' ? <p class="page-text-note small muted">{t('reader.text.ocrNote')}</p> : null}
        </>
      )}
    </article>
  );
}

interface InsideSearchProps {
  ctx: PageCtx;
  o: StoredDigitalObject;
  q: string;
  view: 'image' | 'text';
  hitPages: ReadonlyMap<number, InsideHit[]>;
  hitTotal: number;
  current: number;
  href: (seq: number) => string;
  hasText: boolean;
}

function InsideSearch({ ctx, o, q, view, hitPages, hitTotal, current, href, hasText }: InsideSearchProps) {
  const { t } = ctx;
  const listed = [...hitPages.entries()].slice(0, MAX_HIT_PAGES);
  return (
    <section class="card inside-search" aria-labelledby="inside-heading">
      <h2 id="inside-heading">{t('reader.search.title')}</h2>
      <form method="get" action={`/digital/${o.id}`} role="search" class="inside-form" aria-label={t('reader.search.title')}>
        <label for="inside-q" class="visually-hidden">
          {t('reader.search.label')}
        </label>
        <div class="search-box">
          <input type="search" id="inside-q" name="q" value={q} maxLength={MAX_Q} placeholder={t('reader.search.label')} />
          {view === 'text' ? <input type="hidden" name="view" value="text" /> : null}
          <button type="submit">{t('reader.search.submit')}</button>
        </div>
      </form>
      {!hasText ? <p class="muted small">{t('reader.search.noText')}</p> : null}
      {q && hasText ? (
        hitPages.size === 0 ? (
          <p>{t('reader.search.none', { q })}</p>
        ) : (
          <>
            <p>
              {t('reader.search.results', { count: fmtNumber(ctx, hitTotal), pages: fmtNumber(ctx, hitPages.size) })}{' '}
              <a href={`/digital/${o.id}?page=${current}${view === 'text' ? '&view=text' : ''}`}>{t('reader.search.clear')}</a>
            </p>
            <ol class="inside-hits">
              {listed.map(([seq, list]) => (
                <li aria-current={seq === current ? 'page' : undefined} data-hit-page={String(seq)}>
                  <a href={href(seq)}>
                    <span class="page-no">{t('reader.page', { page: list[0]!.page.label ?? seq })}</span>
                    {list.length > 1 ? <span class="hit-count">{t('reader.search.onPage', { count: list.length })}</span> : null}
                  </a>
                  <ul class="snippets">
                    {list.slice(0, SNIPPETS_PER_PAGE).map((h) => (
                      <li>
                        {h.before ? `…${h.before} ` : ''}
                        <mark>{h.match}</mark>
                        {h.after ? ` ${h.after}…` : ''}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
            {hitPages.size > listed.length ? <p class="muted small">{t('reader.search.morePages', { count: hitPages.size - listed.length })}</p> : null}
          </>
        )
      ) : null}
    </section>
  );
}

/** A strip of small page images around the current page; earlier and later pages are a link away. */
function Thumbnails({ ctx, o, pages, index, href }: { ctx: PageCtx; o: StoredDigitalObject; pages: DigitalPage[]; index: number; href: (seq: number) => string }) {
  const { t } = ctx;
  const start = Math.max(0, Math.min(index - Math.floor(STRIP_SIZE / 2), pages.length - STRIP_SIZE));
  const shown = pages.slice(start, start + STRIP_SIZE);
  const earlier = start > 0 ? pages[Math.max(0, start - Math.ceil(STRIP_SIZE / 2))] : undefined;
  const later = start + STRIP_SIZE < pages.length ? pages[Math.min(pages.length - 1, start + STRIP_SIZE + Math.floor(STRIP_SIZE / 2) - 1)] : undefined;
  return (
    <nav class="thumbs" aria-labelledby="thumbs-heading">
      <h2 id="thumbs-heading">{t('reader.thumbs.title')}</h2>
      <ol class="thumb-strip">
        {earlier ? (
          <li class="thumb-more">
            <a href={href(earlier.seq)}>
              <span aria-hidden="true">‹</span> {t('reader.thumbs.earlier')}
            </a>
          </li>
        ) : null}
        {shown.map((pg, i) => {
          const size = fitBox(pg.width!, pg.height!, THUMB_BOX[0], THUMB_BOX[1]);
          const current = start + i === index;
          return (
            <li>
              <a href={href(pg.seq)} aria-current={current ? 'page' : undefined} aria-label={t('reader.page', { page: pg.label ?? pg.seq })} data-thumb={String(pg.seq)}>
                <img src={imageUrl(o.id, pg.seq, `!${THUMB_BOX[0]},${THUMB_BOX[1]}`)} loading="lazy" decoding="async" width={size.width} height={size.height} alt="" />
                <span class="thumb-no">{pg.label ?? String(pg.seq)}</span>
              </a>
            </li>
          );
        })}
        {later ? (
          <li class="thumb-more">
            <a href={href(later.seq)}>
              {t('reader.thumbs.later')} <span aria-hidden="true">›</span>
            </a>
          </li>
        ) : null}
      </ol>
    </nav>
  );
}

const DC_SHOWN: ReadonlyArray<[DcElement, MessageKey]> = [
  ['creator', 'reader.dc.creator'],
  ['date', 'reader.dc.date'],
  ['publisher', 'reader.dc.publisher'],
  ['subject', 'reader.dc.subject'],
  ['language', 'reader.dc.language'],
  ['description', 'reader.dc.description'],
];

function About({ ctx, o, unit, collections, files, site, seq }: { ctx: PageCtx; o: StoredDigitalObject; unit: OrgUnit | undefined; collections: DigitalCollection[]; files: DigitalFile[]; site: string; seq: number | undefined }) {
  const { t } = ctx;
  const licence = LICENCES[o.licence];
  const share = `${site}/digital/${o.id}${seq !== undefined ? `?page=${seq}` : ''}`;
  const manifest = `${IIIF_PREFIX}/${o.id}/manifest`;
  const rows: Array<[string, ComponentChildren]> = [];
  for (const [el, key] of DC_SHOWN) {
    const values = o.dc[el];
    if (values?.length) rows.push([t(key), values.join(el === 'description' ? '\n' : '; ')]);
  }
  rows.push([t('reader.category'), categoryName(ctx, o.category)]);
  rows.push([t('reader.pageCount'), fmtNumber(ctx, o.pageCount)]);
  if (unit) rows.push([t('reader.library'), <a href={`/l/${unit.slug}`}>{unitName(ctx, unit)}</a>]);
  if (collections.length)
    rows.push([
      t('reader.collections'),
      <ul class="plain">
        {collections.map((c) => (
          <li>
            <a href={`/digital/collections/${encodeURIComponent(c.code)}`}>{collectionName(ctx, c)}</a>
          </li>
        ))}
      </ul>,
    ]);
  rows.push([
    t('reader.licence'),
    <a href={licence.uri} rel="license noopener">
      {licence.label}
    </a>,
  ]);
  if (o.recordId) rows.push([t('reader.record'), <a href={`/record/${o.recordId}`}>{t('reader.record.link')}</a>]);
  return (
    <>
      {files.length > 0 ? (
        <section class="card downloads" aria-labelledby="downloads-heading">
          <h2 id="downloads-heading">{t('reader.download.title')}</h2>
          <ul class="plain download-list">
            {files.map((f) => (
              <li>
                <a class="button secondary" href={`/digital/${o.id}/files/${f.id}`} download={f.name}>
                  {t('reader.download.file', { name: f.name, size: fmtBytes(ctx, f.size) })}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section class="card about" aria-labelledby="about-heading">
        <h2 id="about-heading">{t('reader.about')}</h2>
        <dl class="facts">
          {rows.map(([label, value]) => (
            <>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </>
          ))}
        </dl>
        {seq !== undefined ? (
          <div class="share">
            <label for="share-url">{t('reader.share.label')}</label>
            <div class="share-row">
              <input type="url" id="share-url" value={share} readOnly data-share="" data-site={site} />
              <button type="button" class="secondary" data-copy="" hidden>
                {t('reader.share.copy')}
              </button>
            </div>
            <p class="small muted" data-copy-status="" role="status" />
          </div>
        ) : null}
        <p class="iiif">
          <a class="iiif-link" href={manifest} type="application/ld+json">
            <span class="iiif-badge">IIIF</span> {t('reader.manifest.link')}
          </a>
          <span class="small muted"> {t('reader.manifest.help')}</span>
        </p>
      </section>
    </>
  );
}

// =============================================================================================
// Lists of documents

function ObjectGrid({ ctx, objects, units, open }: { ctx: PageCtx; objects: readonly StoredDigitalObject[]; units: ReadonlyMap<number, OrgUnit>; open: ReadonlySet<number> }) {
  const { t } = ctx;
  if (objects.length === 0) return <p class="muted">{t('digital.objects.none')}</p>;
  return (
    <ul class="dl-grid">
      {objects.map((o) => {
        const unit = units.get(o.ownerUnitId);
        const by = [o.dc.creator?.[0], o.dc.date?.[0]].filter(Boolean).join(' · ');
        return (
          <li class="dl-card">
            <a class="dl-thumb" href={`/digital/${o.id}`} tabIndex={-1} aria-hidden="true">
              {open.has(o.id) ? (
                <img src={imageUrl(o.id, 1, `!${CARD_BOX[0]},${CARD_BOX[1]}`)} loading="lazy" decoding="async" width={CARD_BOX[0]} height={CARD_BOX[1]} alt="" />
              ) : (
                <span class="dl-nothumb">{o.access !== 'public' ? t(`digital.access.${o.access}` as MessageKey) : t('digital.noThumb')}</span>
              )}
            </a>
            <div class="dl-body">
              <h3 class="dl-title">
                <a href={`/digital/${o.id}`}>{o.title}</a>
              </h3>
              {by ? <p class="dl-by">{by}</p> : null}
              {unit ? <p class="dl-lib">{unitName(ctx, unit)}</p> : null}
              <p class="dl-facts">
                <span class="badge">{categoryName(ctx, o.category)}</span> <span class="nowrap">{t('reader.pages', { count: o.pageCount })}</span>
                {o.access !== 'public' ? (
                  <>
                    {' '}
                    <span class="badge badge-restricted">{t(`digital.access.${o.access}` as MessageKey)}</span>
                  </>
                ) : null}
              </p>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

function ListPager({ ctx, first, next }: { ctx: PageCtx; first: string | undefined; next: string | undefined }) {
  if (!first && !next) return null;
  return (
    <nav class="pager" aria-label={ctx.t('digital.objects.label')}>
      <ul>
        {first ? (
          <li>
            <a href={first}>{`« ${ctx.t('digital.objects.first')}`}</a>
          </li>
        ) : null}
        {next ? (
          <li>
            <a href={next} rel="next">{`${ctx.t('digital.objects.more')} ›`}</a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/** The collections, by name. (Their object counts include unpublished documents, so they are not shown.) */
function CollectionList({ ctx, collections, units }: { ctx: PageCtx; collections: readonly DigitalCollection[]; units: ReadonlyMap<number, OrgUnit> }) {
  const { t } = ctx;
  if (collections.length === 0) return <p class="muted">{t('digital.collections.none')}</p>;
  const sorted = [...collections].sort((a, b) => compareVi(collectionName(ctx, a), collectionName(ctx, b)));
  return (
    <ul class="dl-collections">
      {sorted.map((c) => {
        const owner = units.get(c.ownerUnitId);
        return (
          <li>
            <a href={`/digital/collections/${encodeURIComponent(c.code)}`}>
              <span class="dl-coll-name">{collectionName(ctx, c)}</span>
              {owner ? <span class="dl-coll-meta">{unitName(ctx, owner)}</span> : null}
            </a>
          </li>
        );
      })}
    </ul>
  );
}
