/**
 * The network's portal (`/`) and its list of libraries (`/libraries`).
 *
 * The portal is a reader's way in: one big search box, the newest records of the union
 * catalogue, featured digital collections, the latest news and coming events from the libraries'
 * own websites, and the libraries (counted by type, on a map). The libraries page keeps the
 * network's tree with its "as of a date" history, and says which libraries have published their
 * own website and since when. Both work without JavaScript.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Services } from '../../../main/container.js';
import { AppError } from '../../../domain/errors.js';
import { buildForest, isIsoDate } from '../../../domain/org/history.js';
import type { UnitTypeCode } from '../../../domain/org/unit-types.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import { indexable } from '../../../domain/digital/rights.js';
import { rightsOf } from '../../../app/digital/digital.service.js';
import { SiteService } from '../../../app/sites/site.service.js';
import type { DigitalCollection, StoredDigitalObject } from '../../../app/ports.js';
import { compareVi } from '../../../text/fold.js';
import type { MessageKey } from '../../../i18n/i18n.js';
import { materialLabel } from '../../api/search.api.js';
import { IIIF_PREFIX } from '../../protocols/iiif.routes.js';
import { Layout, flashFromQuery, formatDate, pageCtx, sendPage, unitName, type PageCtx } from '../render.js';
import { UnitTree } from '../shared.js';
import { PostList, Section, formatWhen } from './site-view.js';

interface TreeUnit {
  id: number;
  parentId: number | null;
  code: string;
  nameVi: string;
  nameEn: string;
  typeCode: UnitTypeCode;
  slug: string | null;
}

const byName = (ctx: PageCtx) => (a: TreeUnit, b: TreeUnit) => compareVi(unitName(ctx, a), unitName(ctx, b));

/** Where a place is on OpenStreetMap, at a zoom level. */
export function osmUrl(lat: number, lon: number, zoom: number, marker = false): string {
  const la = lat.toFixed(5);
  const lo = lon.toFixed(5);
  return marker ? `https://www.openstreetmap.org/?mlat=${la}&mlon=${lo}#map=${zoom}/${la}/${lo}` : `https://www.openstreetmap.org/#map=${zoom}/${la}/${lo}`;
}

/** The middle of the libraries that have coordinates: where the network's map opens. */
export function networkCentre(units: readonly Pick<OrgUnit, 'latitude' | 'longitude'>[]): { lat: number; lon: number } | undefined {
  const placed = units.filter((u) => u.latitude !== null && u.longitude !== null);
  if (placed.length === 0) return undefined;
  const lat = placed.reduce((s, u) => s + u.latitude!, 0) / placed.length;
  const lon = placed.reduce((s, u) => s + u.longitude!, 0) / placed.length;
  return { lat, lon };
}

// ---------------------------------------------------------------- pieces shared with the library pages

/** A record on a "new arrivals" shelf. */
export interface Arrival {
  link: string;
  title: string;
  meta: string;
  /** The first page of an openly readable digital copy, for a picture. */
  thumbnail: string | null;
}

/**
 * The records most recently added to the catalogue with a copy at or below a library (or
 * anywhere), newest first: what "new arrivals" means to a librarian (the date added, not the year
 * printed). The same list as `/browse/new` and the Atom feeds.
 */
export async function newArrivals(services: Services, ctx: PageCtx, opts: { library?: OrgUnit; limit: number }): Promise<Arrival[]> {
  const { rows } = await services.browse.newArrivals({ unitId: opts.library?.id ?? null, limit: opts.limit });
  const today = services.org.today();
  const pictures = new Map<number, string>();
  for (const o of await services.digital.objectsOfRecords(rows.map((r) => r.id))) {
    if (o.recordId === null || pictures.has(o.recordId) || o.state !== 'published' || o.access !== 'public' || o.pageCount === 0 || !indexable(rightsOf(o), today)) continue;
    pictures.set(o.recordId, `${IIIF_PREFIX}/${o.id}-1/full/!192,256/0/default.jpg`);
  }
  return rows.map((r) => ({
    link: `/record/${r.id}`,
    title: r.display.title,
    meta: [r.display.authors[0] ?? r.display.responsibility, r.display.year ? String(r.display.year) : null, materialLabel(ctx.t, r.display.material)].filter(Boolean).join(' · '),
    thumbnail: pictures.get(r.id) ?? null,
  }));
}

export function newArrivalsLink(library?: OrgUnit): string {
  return library ? `/browse/new?${new URLSearchParams([['library', library.code]]).toString()}` : '/browse/new';
}

export function ArrivalList({ results }: { ctx: PageCtx; results: readonly Arrival[] }) {
  return (
    <ul class="arrivals">
      {results.map((r) => (
        <li>
          <a href={r.link} class="arrival">
            {r.thumbnail ? (
              <img class="arrival-cover" src={r.thumbnail} alt="" width={96} height={128} loading="lazy" decoding="async" />
            ) : (
              <span class="arrival-cover arrival-blank" aria-hidden="true">
                {r.title.trim().slice(0, 1).toUpperCase()}
              </span>
            )}
            <span class="arrival-title">{r.title}</span>
          </a>
          <span class="arrival-meta">{r.meta}</span>
        </li>
      ))}
    </ul>
  );
}

export interface CollectionCard {
  collection: DigitalCollection;
  owner: OrgUnit | undefined;
  /** A published, openly readable document of the collection with pages, for its picture. */
  cover: StoredDigitalObject | undefined;
}

/** Collections with a picture each (the first page of a document anyone may read). */
export async function collectionCards(services: Services, collections: readonly DigitalCollection[], units: ReadonlyMap<number, OrgUnit>, limit: number): Promise<CollectionCard[]> {
  const today = services.org.today();
  const out: CollectionCard[] = [];
  // A few looks past the limit, so collections with nothing published yet do not cost a query each.
  for (const c of collections.slice(0, limit * 3)) {
    if (out.length >= limit) break;
    const objects = await services.digital.publicList({ collectionId: c.id, limit: 20 });
    const visible = objects.filter((o) => indexable(rightsOf(o), today));
    // A collection with nothing published yet is not shown to readers.
    if (visible.length === 0) continue;
    out.push({ collection: c, owner: units.get(c.ownerUnitId), cover: visible.find((o) => o.access === 'public' && o.pageCount > 0) });
  }
  return out;
}

export function CollectionCards({ ctx, cards, showOwner = true }: { ctx: PageCtx; cards: readonly CollectionCard[]; showOwner?: boolean }) {
  const name = (c: DigitalCollection) => (ctx.locale === 'en' ? c.nameEn || c.nameVi : c.nameVi);
  return (
    <ul class="collection-cards">
      {cards.map(({ collection, owner, cover }) => (
        <li>
          <a href={`/digital/collections/${encodeURIComponent(collection.code)}`} class="collection-card">
            {cover ? (
              <img src={`${IIIF_PREFIX}/${cover.id}-1/full/!240,240/0/default.jpg`} alt="" width={120} height={120} loading="lazy" decoding="async" class="collection-cover" />
            ) : (
              <span class="collection-cover collection-blank" aria-hidden="true" />
            )}
            <span class="collection-name">{name(collection)}</span>
          </a>
          {showOwner && owner ? <span class="collection-owner">{unitName(ctx, owner)}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** The news and events lists of the portal or of a library: the units they name, and their images. */
export async function postsContext(services: Services, posts: readonly { unitId: number; leadImageId: number | null; body: string }[], units: readonly OrgUnit[]) {
  const byId = new Map(units.map((u) => [u.id, u]));
  const images = await services.sites.imagesById(SiteService.imageIdsOf(posts));
  return { units: byId, images };
}

// ---------------------------------------------------------------- routes

export async function portalPages(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { services } = opts;
  const { org, sites } = services;

  app.get('/', { schema: { hide: true, querystring: Type.Object({ asOf: Type.Optional(Type.String({ maxLength: 20 })), ok: Type.Optional(Type.String({ maxLength: 100 })) }) } }, async (req, reply) => {
    // The network's tree "as of a date" moved to /libraries; old links still work.
    const asOfRaw = (req.query as { asOf?: string }).asOf;
    if (asOfRaw !== undefined && asOfRaw !== '') {
      if (!isIsoDate(asOfRaw)) throw new AppError('ORG_DATE_INVALID', { date: asOfRaw.slice(0, 20) });
      return reply.redirect(`/libraries?asOf=${asOfRaw}`, 301);
    }
    const ctx = pageCtx(req);
    const { t } = ctx;
    const units = await org.list({ activeOnly: true });
    const libraries = units.filter((u) => u.typeCode !== 'network');
    const counts = new Map<UnitTypeCode, number>();
    for (const u of libraries) counts.set(u.typeCode, (counts.get(u.typeCode) ?? 0) + 1);
    const allUnits = await org.list();
    const byId = new Map(allUnits.map((u) => [u.id, u]));
    const [news, events, published, arrivals, collections] = await Promise.all([
      sites.latestPosts({ limit: 4, kind: 'news' }),
      sites.upcomingEvents({ limit: 4 }),
      sites.publishedSites(),
      newArrivals(services, ctx, { limit: 8 }),
      services.digital.collections().then((cs) => [...cs].sort((a, b) => compareVi(a.nameVi, b.nameVi))),
    ]);
    const cards = await collectionCards(services, collections, byId, 6);
    const postCtx = await postsContext(services, [...news, ...events], allUnits);
    const centre = networkCentre(libraries);
    const publishedActive = published.filter((p) => byId.get(p.unitId)?.status === 'active').length;
    const title = t('portal.title');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} description={t('sites.portal.description')} canonical="/" styles={['site.css']} flash={flashFromQuery(ctx, req.query)}>
        <section class="portal-hero" aria-labelledby="portal-title">
          <h1 id="portal-title">{title}</h1>
          <p class="lead">{t('portal.intro')}</p>
          <form method="get" action="/search" class="portal-search" role="search">
            <label for="portal-q">{t('sites.portal.searchLabel')}</label>
            <div class="portal-search-row">
              <input type="search" id="portal-q" name="q" maxLength={500} placeholder={t('sites.portal.searchPlaceholder')} autoComplete="off" />
              <button type="submit">{t('search.box.submit')}</button>
            </div>
            <p class="portal-search-links small">
              <a href="/search/help">{t('sites.portal.searchHelp')}</a>
              <a href="/digital">{t('digital.title')}</a>
              <a href={newArrivalsLink()}>{t('sites.arrivals.all')}</a>
            </p>
          </form>
        </section>

        {news.length > 0 || events.length > 0 ? (
          <div class="portal-columns">
            {news.length > 0 ? (
              <Section id="news-heading" title={t('sites.portal.news')}>
                <PostList ctx={ctx} posts={news} units={postCtx.units} images={postCtx.images} showLibrary />
              </Section>
            ) : null}
            {events.length > 0 ? (
              <Section id="events-heading" title={t('sites.portal.events')}>
                <PostList ctx={ctx} posts={events} units={postCtx.units} images={postCtx.images} showLibrary />
              </Section>
            ) : null}
          </div>
        ) : null}

        {arrivals.length > 0 ? (
          <Section id="arrivals-heading" title={t('sites.arrivals.network')} more={{ href: newArrivalsLink(), text: t('sites.arrivals.all') }}>
            <ArrivalList ctx={ctx} results={arrivals} />
          </Section>
        ) : null}

        {cards.length > 0 ? (
          <Section id="collections-heading" title={t('sites.portal.collections')} more={{ href: '/digital', text: t('sites.portal.allCollections') }}>
            <CollectionCards ctx={ctx} cards={cards} />
          </Section>
        ) : null}

        <Section id="libraries" title={t('nav.libraries')} class="portal-libraries">
          <p>
            <strong>{t('portal.stats.libraries', { count: libraries.length })}</strong>
            {publishedActive > 0 ? ` · ${t('sites.libraries.publishedCount', { count: publishedActive })}` : ''}
          </p>
          <ul class="stats">
            {[...counts.entries()]
              .sort((a, b) => b[1] - a[1])
              .map(([type, n]) => (
                <li>
                  <span class="num">{n}</span>
                  {t(`unitType.${type}` as MessageKey)}
                </li>
              ))}
          </ul>
          <p class="actions">
            <a class="button" href="/libraries">
              {t('sites.libraries.seeAll')}
            </a>
            {centre ? (
              <a class="button secondary" href={osmUrl(centre.lat, centre.lon, 9)} rel="noopener">
                {t('sites.libraries.map')}
              </a>
            ) : null}
          </p>
        </Section>
      </Layout>,
    );
  });

  app.get('/libraries', { schema: { hide: true, querystring: Type.Object({ asOf: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (req, reply) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const asOfRaw = (req.query as { asOf?: string }).asOf;
    const asOf = asOfRaw && isIsoDate(asOfRaw) ? asOfRaw : undefined;
    if (asOfRaw && !asOf) throw new AppError('ORG_DATE_INVALID', { date: asOfRaw.slice(0, 20) });
    const units: TreeUnit[] = asOf ? await org.treeAsOf(asOf) : await org.list({ activeOnly: true });
    const forest = buildForest(units, byName(ctx));
    const libraries = units.filter((u) => u.typeCode !== 'network');
    const counts = new Map<UnitTypeCode, number>();
    for (const u of libraries) counts.set(u.typeCode, (counts.get(u.typeCode) ?? 0) + 1);
    const groups = asOf ? [] : await org.listGroups();
    const current = new Map((await org.list()).map((u) => [u.id, u]));
    const publishedSince = new Map((await sites.publishedSites()).filter((p) => current.get(p.unitId)?.status === 'active').map((p) => [p.unitId, p.publishedAt]));
    const publishedList = [...publishedSince.entries()].map(([id, since]) => ({ unit: current.get(id)!, since })).sort((a, b) => compareVi(unitName(ctx, a.unit), unitName(ctx, b.unit)));
    const centre = networkCentre([...current.values()].filter((u) => u.status === 'active'));
    const title = asOf ? t('portal.historic', { date: formatDate(ctx, asOf) }) : t('nav.libraries');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} canonical={asOf ? undefined : '/libraries'} styles={['site.css']}>
        <section class="hero">
          <h1>{title}</h1>
          <p>{t('portal.intro')}</p>
          <p>
            <strong>{t('portal.stats.libraries', { count: libraries.length })}</strong>
          </p>
          {centre ? (
            <p>
              <a href={osmUrl(centre.lat, centre.lon, 9)} rel="noopener">
                {t('sites.libraries.map')}
              </a>
            </p>
          ) : null}
        </section>
        <h2>{t('portal.stats.byType')}</h2>
        <ul class="stats">
          {[...counts.entries()]
            .sort((a, b) => b[1] - a[1])
            .map(([type, n]) => (
              <li>
                <span class="num">{n}</span>
                {t(`unitType.${type}` as MessageKey)}
              </li>
            ))}
        </ul>
        <div class="grid two">
          <section id="libraries" aria-labelledby="tree-heading">
            <h2 id="tree-heading">{t('portal.network')}</h2>
            <form method="get" action="/libraries" class="filters">
              <div class="field">
                <label for="asOf">{t('portal.asOf')}</label>
                <input type="date" id="asOf" name="asOf" value={asOf ?? ''} max={org.today()} />
              </div>
              <div class="actions">
                <button type="submit" class="secondary">
                  {t('portal.show')}
                </button>
                {asOf ? <a href="/libraries">{t('portal.backToToday')}</a> : null}
              </div>
            </form>
            <div class="card">
              <UnitTree
                nodes={forest}
                label={(u) => {
                  const now = current.get(u.id);
                  const placed = now && now.latitude !== null && now.longitude !== null ? now : undefined;
                  return (
                    <>
                      {u.slug ? <a href={`/l/${u.slug}`}>{unitName(ctx, u)}</a> : <span>{unitName(ctx, u)}</span>}
                      <span class="badge">{t(`unitType.${u.typeCode}` as MessageKey)}</span>
                      {publishedSince.has(u.id) ? <span class="badge badge-site">{t('sites.libraries.hasSite')}</span> : null}
                      {placed ? (
                        <a class="map-link small" href={osmUrl(placed.latitude!, placed.longitude!, 17, true)} rel="noopener" aria-label={t('sites.libraries.mapOf', { name: unitName(ctx, u) })}>
                          {t('sites.libraries.mapShort')}
                        </a>
                      ) : null}
                    </>
                  );
                }}
              />
            </div>
          </section>
          <div>
            <section class="card" aria-labelledby="sites-heading">
              <h2 id="sites-heading">{t('sites.libraries.published')}</h2>
              <p>{t('sites.libraries.publishedOf', { count: publishedList.length, total: [...current.values()].filter((u) => u.status === 'active' && u.typeCode !== 'network').length })}</p>
              {publishedList.length === 0 ? (
                <p class="muted">{t('sites.libraries.noneYet')}</p>
              ) : (
                <ul class="published-sites">
                  {publishedList.map(({ unit, since }) => (
                    <li>
                      <a href={`/l/${unit.slug}`}>{unitName(ctx, unit)}</a> <span class="muted small">{t('sites.libraries.since', { date: formatWhen(ctx, since, false) })}</span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            {groups.length > 0 ? (
              <section class="card" aria-labelledby="groups-heading">
                <h2 id="groups-heading">{t('portal.groups')}</h2>
                <ul>
                  {groups.map((g) => (
                    <li>
                      {ctx.locale === 'en' ? g.nameEn : g.nameVi} <span class="muted small">{t('portal.members', { count: g.memberCount })}</span>
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
          </div>
        </div>
      </Layout>,
    );
  });
}
