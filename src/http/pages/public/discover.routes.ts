/**
 * What crawlers, feed readers and browsers read to find the catalogue: `robots.txt`, the
 * sitemaps (an index, a sitemap of pages, and the records and public digital objects in sitemaps
 * of at most 50,000 URLs cut by id range, streamed), the OpenSearch description, and Atom feeds
 * of new arrivals (the network's, each library's) and of search results.
 *
 * Every URL in them is absolute, made from the site's public address (`req.ctx.baseUrl`).
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../main/container.js';
import type { Clock, RecordStamp, SearchRow, Store } from '../../../app/ports.js';
import { AppError } from '../../../domain/errors.js';
import { MAX_SITEMAP_URLS, URLSET_CLOSE, urlEntry, urlsetOpen, writeSitemapIndex, writeUrlset, type SitemapUrl } from '../../../codecs/feeds/sitemap.js';
import { ATOM_TYPE, writeAtom, type AtomEntry, type AtomFeed } from '../../../codecs/feeds/atom.js';
import { OPENSEARCH_DESCRIPTION_TYPE, writeOpenSearchDescription } from '../../../codecs/feeds/opensearch.js';
import { writeRobotsTxt } from '../../../codecs/feeds/robots.js';
import { SEARCH_RATE_LIMIT, MAX_PAGE, materialLabel } from '../../api/search.api.js';
import { assetUrl } from '../../assets/assets.js';
import type { Translate } from '../../../i18n/i18n.js';

/** Entries in a feed of new arrivals. */
export const FEED_ENTRIES = 50;
/** Results per page of the search feed. */
export const SEARCH_FEED_PAGE = 20;

/** Pages every visitor may see, listed in the sitemap of pages. */
const STATIC_PAGES = ['/', '/browse', '/browse/subjects', '/browse/authors', '/browse/classes', '/browse/collections', '/browse/new', '/digital', '/search/help'];

/**
 * Paths crawlers are kept out of: staff and readers' private pages, the API, IIIF tiles and
 * manifests (the reader pages are what to index), search results (endless combinations; records
 * are in the sitemaps) and downloads of digital files.
 */
const DISALLOW = ['/staff', '/account', '/api/', '/iiif/', '/search?', '/search.atom', '/lang', '/digital/*/files/'];

const XML = 'application/xml; charset=utf-8';

export interface DiscoverOptions {
  services: Services;
  store: Store;
  clock: Clock;
  /** URLs per sitemap (the protocol's 50,000; tests lower it to see the split). */
  sitemapUrls?: number;
}

function wholeNumber(raw: unknown, max = 1_000_000_000): number | null {
  const s = Array.isArray(raw) ? raw[0] : raw;
  if (typeof s !== 'string' || !/^\d{1,10}$/.test(s)) return null;
  const n = Number(s);
  return n <= max ? n : null;
}

function one(v: unknown): string | undefined {
  if (Array.isArray(v)) return one(v[0]);
  return typeof v === 'string' ? v : undefined;
}

/** An entry of a feed for a catalogue record. */
function recordEntry(t: Translate, base: string, r: SearchRow): AtomEntry {
  const d = r.display;
  const url = `${base}/record/${r.id}`;
  const pub = [d.publisher, d.year].filter((x) => x !== null && x !== '').join(', ');
  const summary = [d.responsibility, pub, materialLabel(t, d.material), d.subjects.length ? d.subjects.join('; ') : null, r.holdings > 0 ? t('browse.feed.copies', { count: r.holdings }) : null]
    .filter((x): x is string => !!x)
    .join(' · ');
  const when = r.createdAt && !Number.isNaN(Date.parse(r.createdAt)) ? new Date(r.createdAt).toISOString() : new Date(0).toISOString();
  return {
    id: url,
    title: d.title || `#${r.id}`,
    updated: when,
    published: when,
    authors: d.authors.map((name) => ({ name })),
    summary,
    links: [{ rel: 'alternate', type: 'text/html', href: url }],
    categories: d.subjects.slice(0, 10).map((term) => ({ term })),
  };
}

export async function discoverRoutes(app: FastifyInstance, opts: DiscoverOptions): Promise<void> {
  const { browse, sitemaps, org, search } = opts.services;
  const perSitemap = Math.max(1, Math.min(opts.sitemapUrls ?? MAX_SITEMAP_URLS, MAX_SITEMAP_URLS));

  const base = (req: FastifyRequest) => req.ctx.baseUrl;

  // ------------------------------------------------------------------------------ robots.txt

  app.get('/robots.txt', { schema: { hide: true } }, async (req, reply) => {
    const body = writeRobotsTxt([{ userAgents: ['*'], allow: ['/'], disallow: DISALLOW }], [`${base(req)}/sitemap.xml`]);
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(body);
  });

  // ------------------------------------------------------------------------------ sitemaps

  app.get('/sitemap.xml', { schema: { hide: true } }, async (req, reply) => {
    const b = base(req);
    const [records, objects] = await Promise.all([sitemaps.recordSitemaps(perSitemap), sitemaps.digitalSitemaps(perSitemap)]);
    const refs = [{ loc: `${b}/sitemap-pages.xml` }, ...records.map((n) => ({ loc: `${b}/sitemap-records-${n}.xml` })), ...objects.map((n) => ({ loc: `${b}/sitemap-digital-${n}.xml` }))];
    return reply.type(XML).header('cache-control', 'public, max-age=3600').send(writeSitemapIndex(refs));
  });

  app.get('/sitemap-pages.xml', { schema: { hide: true } }, async (req, reply) => {
    const b = base(req);
    const { libraries, collections } = await sitemaps.pages();
    const urls: SitemapUrl[] = [
      ...STATIC_PAGES.map((p) => ({ loc: `${b}${p}`, changefreq: 'daily' as const })),
      ...libraries.map((l) => ({ loc: `${b}/l/${encodeURIComponent(l.slug)}`, lastmod: l.updatedAt })),
      ...collections.map((c) => ({ loc: `${b}/digital/collections/${encodeURIComponent(c.code)}`, lastmod: c.updatedAt })),
    ];
    // The pages are few (libraries and collections number in the hundreds), but stay within the limit.
    return reply.type(XML).header('cache-control', 'public, max-age=3600').send(writeUrlset(urls.slice(0, MAX_SITEMAP_URLS)));
  });

  /** Streams a urlset from slices of stamps; 404 when the range holds nothing (an empty urlset is not valid). */
  async function streamUrlset(reply: FastifyReply, slices: AsyncGenerator<RecordStamp[]>, loc: (id: number) => string): Promise<FastifyReply> {
    const first = await slices.next();
    if (first.done) throw new AppError('NOT_FOUND');
    async function* body(): AsyncGenerator<string> {
      yield urlsetOpen();
      let slice: RecordStamp[] | undefined = first.value;
      while (slice) {
        yield slice.map((s) => urlEntry({ loc: loc(s.id), lastmod: s.updatedAt })).join('');
        const next = await slices.next();
        slice = next.done ? undefined : next.value;
      }
      yield URLSET_CLOSE;
    }
    return reply.type(XML).header('cache-control', 'public, max-age=3600').send(Readable.from(body()));
  }

  app.get<{ Params: { n: string } }>('/sitemap-records-:n.xml', { schema: { hide: true } }, async (req, reply) => {
    const n = wholeNumber(req.params.n, Math.floor(2 ** 31 / perSitemap));
    if (n === null) throw new AppError('NOT_FOUND');
    const b = base(req);
    return streamUrlset(reply, sitemaps.records(n, perSitemap), (id) => `${b}/record/${id}`);
  });

  app.get<{ Params: { n: string } }>('/sitemap-digital-:n.xml', { schema: { hide: true } }, async (req, reply) => {
    const n = wholeNumber(req.params.n, Math.floor(2 ** 31 / perSitemap));
    if (n === null) throw new AppError('NOT_FOUND');
    const b = base(req);
    return streamUrlset(reply, sitemaps.digitalObjects(n, perSitemap), (id) => `${b}/digital/${id}`);
  });

  // ------------------------------------------------------------------------------ OpenSearch

  app.get('/opensearch.xml', { schema: { hide: true } }, async (req, reply) => {
    const { t } = req.ctx;
    const b = base(req);
    const site = t('app.name');
    const xml = writeOpenSearchDescription({
      shortName: t('browse.opensearch.short'),
      longName: site,
      description: t('browse.opensearch.description', { site }),
      urls: [
        { type: 'text/html', template: `${b}/search?q={searchTerms}&page={startPage?}` },
        { type: ATOM_TYPE, template: `${b}/search.atom?q={searchTerms}&page={startPage?}` },
        { type: OPENSEARCH_DESCRIPTION_TYPE, rel: 'self', template: `${b}/opensearch.xml` },
      ],
      image: { url: `${b}${assetUrl('favicon.svg')}`, width: 64, height: 64, type: 'image/svg+xml' },
      languages: [req.ctx.locale, req.ctx.locale === 'vi' ? 'en' : 'vi'],
    });
    return reply.type(`${OPENSEARCH_DESCRIPTION_TYPE}; charset=utf-8`).header('cache-control', 'public, max-age=86400').header('vary', 'accept-language, cookie').send(xml);
  });

  // ------------------------------------------------------------------------------ Atom feeds

  async function sendFeed(req: FastifyRequest, reply: FastifyReply, f: Omit<AtomFeed, 'updated' | 'authors' | 'generator' | 'icon' | 'lang'>): Promise<FastifyReply> {
    const b = base(req);
    const newest = f.entries.reduce<string | null>((m, e) => (m === null || e.updated > m ? e.updated : m), null);
    const feed: AtomFeed = {
      ...f,
      updated: newest ?? opts.clock.now().toISOString(),
      lang: req.ctx.locale,
      authors: [{ name: req.ctx.t('app.name'), uri: `${b}/` }],
      icon: `${b}${assetUrl('favicon.svg')}`,
      generator: { name: 'Liên Thông', uri: `${b}/` },
    };
    return reply.type(`${ATOM_TYPE}; charset=utf-8`).header('cache-control', 'public, max-age=600').header('vary', 'accept-language, cookie').send(writeAtom(feed));
  }

  async function arrivalsFeed(req: FastifyRequest, reply: FastifyReply, unit: { id: number; code: string; name: string; slug: string } | null): Promise<FastifyReply> {
    const { t } = req.ctx;
    const b = base(req);
    const root = (await org.list({ activeOnly: true })).find((u) => u.parentId === null);
    const arrivals = await browse.newArrivals({ unitId: unit?.id ?? root?.id ?? null, limit: FEED_ENTRIES });
    const self = unit ? `${b}/l/${encodeURIComponent(unit.slug)}/new.atom` : `${b}/feeds/new.atom`;
    const page = unit ? `${b}/browse/new?library=${encodeURIComponent(unit.code)}` : `${b}/browse/new`;
    return sendFeed(req, reply, {
      id: self,
      title: unit ? t('browse.feed.library', { library: unit.name }) : t('browse.feed.network', { site: t('app.name') }),
      subtitle: unit ? t('browse.new.introAt', { library: unit.name }) : t('browse.new.intro'),
      links: [
        { rel: 'self', type: ATOM_TYPE, href: self },
        { rel: 'alternate', type: 'text/html', href: page },
      ],
      entries: arrivals.rows.map((r) => recordEntry(t, b, r)),
    });
  }

  app.get('/feeds/new.atom', { schema: { hide: true } }, (req, reply) => arrivalsFeed(req, reply, null));

  app.get<{ Params: { slug: string } }>('/l/:slug/new.atom', { schema: { hide: true } }, async (req, reply) => {
    const slug = req.params.slug.toLowerCase();
    if (slug.length > 100) throw new AppError('NOT_FOUND');
    const unit = await opts.services.org.getBySlug(slug);
    if (!unit) throw new AppError('NOT_FOUND');
    const name = req.ctx.locale === 'en' ? unit.nameEn : unit.nameVi;
    return arrivalsFeed(req, reply, { id: unit.id, code: unit.code, name, slug: unit.slug });
  });

  app.get('/search.atom', { schema: { hide: true }, config: { rateLimit: { max: SEARCH_RATE_LIMIT, timeWindow: '1 minute' } } }, async (req, reply) => {
    const { t } = req.ctx;
    const b = base(req);
    const query = (req.query ?? {}) as Record<string, unknown>;
    const q = (one(query.q) ?? '').normalize('NFC').slice(0, 500);
    const pageRaw = one(query.page);
    const page = pageRaw === undefined || pageRaw === '' ? 1 : wholeNumber(pageRaw, MAX_PAGE);
    if (page === null || page < 1) throw new AppError('VALIDATION', {}, [{ field: 'page', code: 'VALIDATION', params: { detail: `page: 1–${MAX_PAGE}` } }]);
    const out = await search.search({ q, page, pageSize: SEARCH_FEED_PAGE, facets: false });
    const rows = new Map((await opts.store.search.rows(out.results.map((r) => r.id))).map((r) => [r.id, r]));
    const qs = (p: number) => new URLSearchParams([['q', q], ...(p > 1 ? [['page', String(p)]] : [])] as Array<[string, string]>).toString();
    const self = `${b}/search.atom?${qs(page)}`;
    const pages = Math.ceil(out.total / SEARCH_FEED_PAGE);
    const links = [
      { rel: 'self', type: ATOM_TYPE, href: self },
      { rel: 'alternate', type: 'text/html', href: `${b}/search?${qs(page)}` },
      { rel: 'search', type: OPENSEARCH_DESCRIPTION_TYPE, href: `${b}/opensearch.xml` },
      ...(page > 1 ? [{ rel: 'previous', type: ATOM_TYPE, href: `${b}/search.atom?${qs(page - 1)}` }] : []),
      ...(page < Math.min(pages, MAX_PAGE) ? [{ rel: 'next', type: ATOM_TYPE, href: `${b}/search.atom?${qs(page + 1)}` }] : []),
    ];
    return sendFeed(req, reply, {
      id: self,
      title: q.trim() ? t('browse.feed.search', { q: q.trim(), site: t('app.name') }) : t('browse.feed.searchAll', { site: t('app.name') }),
      links,
      openSearch: { totalResults: out.total, startIndex: (out.page - 1) * out.pageSize + 1, itemsPerPage: out.pageSize, query: { searchTerms: q, startPage: out.page } },
      entries: out.results.flatMap((r) => {
        const row = rows.get(r.id);
        return row ? [recordEntry(t, b, row)] : [];
      }),
    });
  });
}
