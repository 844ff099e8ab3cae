/**
 * Every library's own website:
 * - `/l/:slug` — its home page. While its staff have not published the website, the basic facts
 *   only (name, address, hours, contact, the units below it, its history). Once published: its
 *   banner, logo and accent colour, introduction, news and coming events, new arrivals, digital
 *   collections, and a search box that looks in this library first, with one click to widen it
 *   to the whole network;
 * - `/l/:slug/news`, `/l/:slug/news/:id` — its news and events;
 * - `/l/:slug/site.css` — its palette, made from its validated accent colour (no inline styles:
 *   the CSP forbids them);
 * - `/site-media/<sha>-<width>.<webp|jpg>` — the resized copies of website images, cached for a
 *   year (an address never changes content);
 * - `/site-palette.css?c=<hex>` — a palette for the staff editor's preview.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Services } from '../../../main/container.js';
import { AppError } from '../../../domain/errors.js';
import { UNIT_TYPES } from '../../../domain/org/unit-types.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import { accentPalette, parseHexColour } from '../../../domain/sites/colour.js';
import { excerpt, parseBody } from '../../../domain/sites/post-body.js';
import { isPostKind } from '../../../domain/sites/post.js';
import type { SiteView } from '../../../app/sites/site.service.js';
import { compareVi } from '../../../text/fold.js';
import type { MessageKey } from '../../../i18n/i18n.js';
import { Breadcrumbs, Layout, formatDate, pageCtx, sendPage, unitName, type PageCtx } from '../render.js';
import { HistoryList } from '../shared.js';
import { ArrivalList, CollectionCards, collectionCards, newArrivals, newArrivalsLink, osmUrl, postsContext } from './portal.pages.js';
import { EventFacts, KindBadge, Picture, PostBody, PostList, Section, formatWhen, libraryCss, libraryCssUrl, mediaUrl, paletteCss, postUrl } from './site-view.js';

const NEWS_PAGE = 12;
const MEDIA_FILE = /^([0-9a-f]{64})-(\d{2,5})\.(webp|jpg)$/;

/** A library by its address, or NOT_FOUND. */
async function unitBySlug(services: Services, slug: string): Promise<OrgUnit> {
  const unit = await services.org.getBySlug(slug.toLowerCase());
  if (!unit) throw new AppError('NOT_FOUND');
  return unit;
}

/** A library's website when it is published; NOT_FOUND otherwise (its news pages do not exist yet). */
async function publishedSite(services: Services, slug: string): Promise<SiteView> {
  const view = await services.sites.view(await unitBySlug(services, slug));
  if (!view.published) throw new AppError('NOT_FOUND');
  return view;
}

function intro(ctx: PageCtx, view: SiteView): string | null {
  return ctx.locale === 'en' ? (view.introEn ?? view.introVi) : (view.introVi ?? view.introEn);
}

function description(ctx: PageCtx, unit: OrgUnit): string | null {
  return ctx.locale === 'en' ? (unit.descriptionEn ?? unit.descriptionVi) : (unit.descriptionVi ?? unit.descriptionEn);
}

/** The facts every library page shows: type, address and directions, hours, contact. */
function Facts({ ctx, unit, full }: { ctx: PageCtx; unit: OrgUnit; full: boolean }) {
  const { t } = ctx;
  const type = UNIT_TYPES[unit.typeCode];
  return (
    <dl class="facts">
      <dt>{t('library.type')}</dt>
      <dd>{t(`unitType.${unit.typeCode}` as MessageKey)}</dd>
      <dt>{t('library.address')}</dt>
      <dd>{unit.address ?? t('library.notProvided')}</dd>
      {unit.latitude !== null && unit.longitude !== null ? (
        <>
          <dt>{t('library.directions')}</dt>
          <dd>
            <a href={osmUrl(unit.latitude, unit.longitude, 17, true)} rel="noopener">
              {t('sites.library.directionsLink')}
            </a>
          </dd>
        </>
      ) : null}
      <dt>{t('library.hours')}</dt>
      <dd>{unit.openingHours ?? t('library.notProvided')}</dd>
      {unit.phone ? (
        <>
          <dt>{t('library.phone')}</dt>
          <dd>
            <a href={`tel:${unit.phone.replace(/[^\d+]/g, '')}`}>{unit.phone}</a>
          </dd>
        </>
      ) : null}
      {unit.email ? (
        <>
          <dt>{t('library.email')}</dt>
          <dd>
            <a href={`mailto:${unit.email}`}>{unit.email}</a>
          </dd>
        </>
      ) : null}
      {unit.website ? (
        <>
          <dt>{t('library.website')}</dt>
          <dd>
            <a href={unit.website} rel="noopener">
              {unit.website}
            </a>
          </dd>
        </>
      ) : null}
      {full ? (
        <>
          <dt>{t('library.opened')}</dt>
          <dd>{formatDate(ctx, unit.openedOn)}</dd>
          <dt>{t('unit.holds')}</dt>
          <dd>{[type.holdsItems ? t('unit.holds.items') : null, type.holdsReaders ? t('unit.holds.readers') : null, type.holdsStaff ? t('unit.holds.staff') : null].filter(Boolean).join(', ') || t('common.none')}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** The search box of a library's home page: this library first, the whole network one click away. */
function LibrarySearch({ ctx, unit }: { ctx: PageCtx; unit: OrgUnit }) {
  const { t } = ctx;
  const name = unitName(ctx, unit);
  return (
    <form method="get" action="/search" class="library-search" role="search">
      <label for="library-q">{t('sites.library.searchLabel', { library: name })}</label>
      <input type="search" id="library-q" name="q" maxLength={500} placeholder={t('sites.library.searchPlaceholder')} autoComplete="off" />
      <div class="library-search-buttons">
        {/* The first button is the one Enter presses: this library. */}
        <button type="submit" name="library" value={unit.code}>
          {t('sites.library.searchHere')}
        </button>
        <button type="submit" class="secondary">
          {t('sites.library.searchNetwork')}
        </button>
      </div>
    </form>
  );
}

export async function libraryPages(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { services } = opts;
  const { org, sites } = services;

  const siblings = async (ctx: PageCtx, unit: OrgUnit) => {
    const all = await org.list();
    const byId = new Map(all.map((u) => [u.id, u]));
    const children = all.filter((u) => u.parentId === unit.id && u.status === 'active').sort((a, b) => compareVi(unitName(ctx, a), unitName(ctx, b)));
    return { all, byId, children, ancestors: await org.ancestors(unit), groups: await org.groupsOfUnit(unit.id), history: await org.history(unit.id) };
  };

  app.get('/l/:slug', { schema: { hide: true, params: Type.Object({ slug: Type.String({ maxLength: 100 }) }) } }, async (req, reply) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const unit = await unitBySlug(services, (req.params as { slug: string }).slug);
    const view = await sites.view(unit);
    const tree = await siblings(ctx, unit);
    const merged = unit.mergedIntoId === null ? undefined : tree.byId.get(unit.mergedIntoId);
    const name = unitName(ctx, unit);
    const about = intro(ctx, view);
    const desc = description(ctx, unit);
    const crumbs: Array<[string, string]> = [['/', t('nav.home')], ...tree.ancestors.map((a): [string, string] => [`/l/${a.slug}`, unitName(ctx, a)])];

    const Lower = () => (
      <>
        <div class="grid halves">
          <section class="card" aria-labelledby="children-heading">
            <h2 id="children-heading">{t('library.children')}</h2>
            {tree.children.length === 0 ? (
              <p class="muted">{t('library.noChildren')}</p>
            ) : (
              <ul>
                {tree.children.map((c) => (
                  <li>
                    <a href={`/l/${c.slug}`}>{unitName(ctx, c)}</a>
                  </li>
                ))}
              </ul>
            )}
          </section>
          {tree.groups.length > 0 ? (
            <section class="card" aria-labelledby="groups-heading">
              <h2 id="groups-heading">{t('library.groups')}</h2>
              <ul>
                {tree.groups.map((g) => (
                  <li>{ctx.locale === 'en' ? g.nameEn : g.nameVi}</li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>
        <section class="card" aria-labelledby="history-heading">
          <h2 id="history-heading">{t('library.history')}</h2>
          <HistoryList ctx={ctx} history={tree.history} units={tree.byId} />
        </section>
      </>
    );

    if (!view.published) {
      // The basic facts, as every library has them before its staff publish its website.
      return sendPage(
        reply,
        <Layout ctx={ctx} title={name} description={desc ?? undefined} canonical={`/l/${unit.slug}`} styles={['site.css']}>
          <Breadcrumbs label={t('library.parent')} items={crumbs} />
          <h1>
            {name} <span class={`badge badge-${unit.status}`}>{t(`status.${unit.status}` as MessageKey)}</span>
          </h1>
          {unit.status === 'merged' && merged ? (
            <p class="flash flash-error">
              {t('library.mergedNotice', { target: unitName(ctx, merged), date: formatDate(ctx, unit.endedOn) })} <a href={`/l/${merged.slug}`}>{unitName(ctx, merged)}</a>
            </p>
          ) : null}
          {unit.status === 'closed' ? <p class="flash flash-error">{t('library.closedNotice', { date: formatDate(ctx, unit.endedOn) })}</p> : null}
          {desc ? <p class="lead">{desc}</p> : null}
          {unit.status === 'active' && unit.typeCode !== 'network' ? <LibrarySearch ctx={ctx} unit={unit} /> : null}
          <section class="card" aria-labelledby="facts-heading">
            <h2 id="facts-heading">{t('sites.library.facts')}</h2>
            <Facts ctx={ctx} unit={unit} full />
          </section>
          <Lower />
        </Layout>,
      );
    }

    const [news, events, arrivals, ownCollections] = await Promise.all([
      sites.latestPosts({ unitIds: [unit.id], limit: 3, kind: 'news' }),
      sites.upcomingEvents({ unitIds: [unit.id], limit: 3 }),
      newArrivals(services, ctx, { library: unit, limit: 6 }),
      services.digital.collections({ unitIds: tree.all.filter((u) => u.path.startsWith(unit.path)).map((u) => u.id) }),
    ]);
    const latest = news;
    const cards = await collectionCards(services, [...ownCollections].sort((a, b) => compareVi(a.nameVi, b.nameVi)), tree.byId, 6);
    const postCtx = await postsContext(services, [...latest, ...events], tree.all);
    const introImages = await sites.imagesById(parseBody(about ?? '').images);
    const ownIntroImages = new Map([...introImages].filter(([, i]) => i.unitId === unit.id));
    const ogImage = view.banner ? mediaUrl(view.banner, 1200, 'jpeg') : view.logo ? mediaUrl(view.logo, 400, 'jpeg') : undefined;

    return sendPage(
      reply,
      <Layout
        ctx={ctx}
        title={name}
        description={(about ? excerpt(parseBody(about), 200) : '') || desc || undefined}
        canonical={`/l/${unit.slug}`}
        og={ogImage ? { image: ogImage } : undefined}
        styles={['site.css']}
        head={<link rel="stylesheet" href={libraryCssUrl(view)} />}
      >
        <Breadcrumbs label={t('library.parent')} items={crumbs} />
        <header class={`library-head${view.banner ? ' has-banner' : ''}`}>
          {view.banner ? <Picture image={view.banner} alt="" sizes="(min-width: 72rem) 70rem, 100vw" class="library-banner" eager /> : null}
          <div class="library-title">
            {view.logo ? <Picture image={view.logo} alt={t('sites.library.logoAlt', { library: name })} sizes="6rem" class="library-logo" eager /> : null}
            <div>
              <h1>{name}</h1>
              <p class="library-type">{t(`unitType.${unit.typeCode}` as MessageKey)}</p>
            </div>
          </div>
        </header>
        {about ? (
          <div class="library-intro">
            <PostBody ctx={ctx} body={about} images={ownIntroImages} headingLevel={3} />
          </div>
        ) : desc ? (
          <p class="lead">{desc}</p>
        ) : null}
        <LibrarySearch ctx={ctx} unit={unit} />
        <div class="library-layout">
          <div class="library-main">
            {events.length > 0 ? (
              <Section id="events-heading" title={t('sites.library.events')} more={{ href: `/l/${unit.slug}/news?kind=event`, text: t('sites.library.allEvents') }}>
                <PostList ctx={ctx} posts={events} units={postCtx.units} images={postCtx.images} />
              </Section>
            ) : null}
            <Section id="news-heading" title={t('sites.library.news')} more={latest.length > 0 ? { href: `/l/${unit.slug}/news`, text: t('sites.library.allNews') } : undefined}>
              <PostList ctx={ctx} posts={latest} units={postCtx.units} images={postCtx.images} empty={t('sites.library.noNews')} />
            </Section>
            {arrivals.length > 0 ? (
              <Section id="arrivals-heading" title={t('sites.arrivals.library')} more={{ href: newArrivalsLink(unit), text: t('sites.arrivals.allHere') }}>
                <ArrivalList ctx={ctx} results={arrivals} />
              </Section>
            ) : null}
            {cards.length > 0 ? (
              <Section id="collections-heading" title={t('sites.library.collections')} more={{ href: `/digital?library=${encodeURIComponent(unit.code)}`, text: t('sites.library.allDigital') }}>
                <CollectionCards ctx={ctx} cards={cards} showOwner={false} />
              </Section>
            ) : null}
          </div>
          <aside class="library-aside" aria-labelledby="facts-heading">
            <section class="card library-facts">
              <h2 id="facts-heading">{t('sites.library.facts')}</h2>
              <Facts ctx={ctx} unit={unit} full={false} />
            </section>
          </aside>
        </div>
        <Lower />
      </Layout>,
    );
  });

  app.get('/l/:slug/news', { schema: { hide: true, params: Type.Object({ slug: Type.String({ maxLength: 100 }) }) } }, async (req, reply) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const view = await publishedSite(services, (req.params as { slug: string }).slug);
    const unit = view.unit;
    const q = (req.query ?? {}) as Record<string, unknown>;
    const kind = isPostKind(q.kind) ? q.kind : undefined;
    const pageRaw = typeof q.page === 'string' && /^\d{1,4}$/.test(q.page) ? Number(q.page) : 1;
    const page = Math.max(1, pageRaw);
    const { posts, total } = await sites.publicPosts(unit, { limit: NEWS_PAGE, offset: (page - 1) * NEWS_PAGE, ...(kind ? { kind } : {}) });
    const pages = Math.max(1, Math.ceil(total / NEWS_PAGE));
    const postCtx = await postsContext(services, posts, [unit]);
    const name = unitName(ctx, unit);
    const link = (k: string | undefined, p = 1) => {
      const params = new URLSearchParams([...(k ? [['kind', k]] : []), ...(p > 1 ? [['page', String(p)]] : [])]);
      return `/l/${unit.slug}/news${params.size ? `?${params.toString()}` : ''}`;
    };
    const title = t('sites.news.title', { library: name });
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} canonical={link(kind, page)} styles={['site.css']} head={<link rel="stylesheet" href={libraryCssUrl(view)} />}>
        <Breadcrumbs
          label={t('library.parent')}
          items={[
            ['/', t('nav.home')],
            [`/l/${unit.slug}`, name],
          ]}
        />
        <h1>{title}</h1>
        <div class="news-page">
          <nav class="outcome-filter" aria-label={t('sites.news.filter')}>
            <ul>
              {([undefined, 'news', 'event'] as const).map((k) => (
                <li>
                  <a href={link(k)} aria-current={kind === k ? 'page' : undefined}>
                    {k ? t(`sites.news.tab.${k}` as MessageKey) : t('sites.news.all')}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <PostList ctx={ctx} posts={posts} units={postCtx.units} images={postCtx.images} empty={t('sites.library.noNews')} headingLevel={2} />
          {pages > 1 ? (
            <nav class="pager" aria-label={t('sites.news.pages')}>
              {page > 1 ? (
                <a href={link(kind, page - 1)} rel="prev">
                  {t('sites.news.newer')}
                </a>
              ) : null}
              <span>{t('sites.news.pageOf', { page, pages })}</span>
              {page < pages ? (
                <a href={link(kind, page + 1)} rel="next">
                  {t('sites.news.older')}
                </a>
              ) : null}
            </nav>
          ) : null}
        </div>
      </Layout>,
    );
  });

  app.get('/l/:slug/news/:id', { schema: { hide: true, params: Type.Object({ slug: Type.String({ maxLength: 100 }), id: Type.String({ maxLength: 12 }) }) } }, async (req, reply) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const params = req.params as { slug: string; id: string };
    if (!/^\d{1,9}$/.test(params.id)) throw new AppError('NOT_FOUND');
    const view = await publishedSite(services, params.slug);
    const unit = view.unit;
    const post = await sites.publicPost(unit, Number(params.id));
    const parsed = parseBody(post.body);
    const images = new Map([...(await sites.imagesById([...parsed.images, ...(post.leadImageId ? [post.leadImageId] : [])]))].filter(([, i]) => i.unitId === unit.id));
    const lead = post.leadImageId ? images.get(post.leadImageId) : undefined;
    const name = unitName(ctx, unit);
    return sendPage(
      reply,
      <Layout
        ctx={ctx}
        title={post.title}
        description={excerpt(parsed, 200) || undefined}
        canonical={postUrl(unit, post)}
        og={{ type: 'article', ...(lead ? { image: mediaUrl(lead, 1200, 'jpeg') } : {}) }}
        styles={['site.css']}
        head={<link rel="stylesheet" href={libraryCssUrl(view)} />}
      >
        <Breadcrumbs
          label={t('library.parent')}
          items={[
            ['/', t('nav.home')],
            [`/l/${unit.slug}`, name],
            [`/l/${unit.slug}/news`, t('sites.library.news')],
          ]}
        />
        <article class="post">
          <header>
            <h1>{post.title}</h1>
            <p class="post-meta">
              <KindBadge ctx={ctx} kind={post.kind} /> {post.publishedAt ? <time dateTime={post.publishedAt}>{t('sites.post.published', { date: formatWhen(ctx, post.publishedAt, false) })}</time> : null}
              {' · '}
              <a href={`/l/${unit.slug}`}>{name}</a>
            </p>
          </header>
          <EventFacts ctx={ctx} post={post} />
          {lead ? <Picture image={lead} alt="" sizes="(min-width: 48rem) 44rem, 100vw" class="post-lead" eager /> : null}
          <PostBody ctx={ctx} body={parsed} images={images} />
        </article>
        <p class="actions">
          <a class="button secondary" href={`/l/${unit.slug}/news`}>
            {t('sites.post.back')}
          </a>
        </p>
      </Layout>,
    );
  });

  // ---------------------------------------------------------------- stylesheets and images

  app.get('/l/:slug/site.css', { schema: { hide: true, params: Type.Object({ slug: Type.String({ maxLength: 100 }) }) } }, async (req, reply) => {
    const unit = await unitBySlug(services, (req.params as { slug: string }).slug);
    const view = await sites.view(unit);
    const wanted = libraryCssUrl(view).split('?v=')[1];
    const sent = (req.query as { v?: unknown }).v;
    // The address names the settings' version and colour: when it matches, it never changes.
    reply.header('cache-control', sent === wanted ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    return reply.type('text/css; charset=utf-8').send(libraryCss(view));
  });

  app.get('/site-palette.css', { schema: { hide: true } }, async (req, reply) => {
    const raw = (req.query as { c?: unknown }).c;
    const colour = typeof raw === 'string' ? parseHexColour(raw) : undefined;
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    return reply.type('text/css; charset=utf-8').send(paletteCss(accentPalette(colour), '.site-preview'));
  });

  app.get('/site-media/:file', { schema: { hide: true, params: Type.Object({ file: Type.String({ maxLength: 100 }) }) }, compress: false }, async (req, reply) => {
    const m = MEDIA_FILE.exec((req.params as { file: string }).file);
    if (!m) throw new AppError('NOT_FOUND');
    const file = await sites.imageFile(m[1]!, Number(m[2]), m[3] === 'webp' ? 'webp' : 'jpeg');
    if (!file || !(await stat(file.path).catch(() => undefined))) throw new AppError('NOT_FOUND');
    reply.header('cache-control', 'public, max-age=31536000, immutable').header('etag', file.etag).header('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === file.etag) return reply.code(304).send();
    return reply.type(file.mediaType).header('content-length', file.size).send(createReadStream(file.path));
  });
}

