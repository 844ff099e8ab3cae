/**
 * Server-side rendering of pages: Preact components rendered to a string (text is escaped by
 * default), wrapped in the shared layout. No inline script or style: the CSP forbids them.
 */
import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Translate, Locale, MessageKey } from '../../i18n/i18n.js';
import { hasMessage } from '../../i18n/i18n.js';
import type { StaffUser } from '../../app/ports.js';
import type { Actor } from '../../app/actor.js';
import type { ReaderIdentity, RequestContext } from '../plugins/context.js';
import { assetUrl } from '../assets/assets.js';
import { allowsAnywhere, type Permission } from '../../domain/access/permissions.js';

export interface PageCtx {
  t: Translate;
  locale: Locale;
  user: StaffUser | null;
  /** The signed-in reader, if any. */
  reader: ReaderIdentity | null;
  actor: Actor;
  csrf: string;
  /** Path and query of this request, for the language switch and `next` links. */
  url: string;
  path: string;
  /** The public address of the site, no trailing slash (`https://thuvien.kiengiang.gov.vn`). */
  baseUrl: string;
}

export function pageCtx(req: FastifyRequest): PageCtx {
  const url = req.url.length > 500 ? req.url.slice(0, 500) : req.url;
  return {
    t: req.ctx.t,
    locale: req.ctx.locale,
    user: req.ctx.user,
    reader: req.ctx.reader,
    actor: req.ctx.actor,
    csrf: req.ctx.csrfToken(),
    url,
    path: url.split('?')[0] ?? '/',
    baseUrl: req.ctx.baseUrl,
  };
}

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

/** A success message named in the `ok` query parameter after a redirect (message keys only). */
export function flashFromQuery(ctx: PageCtx, query: unknown): Flash | undefined {
  const key = (query as Record<string, unknown> | undefined)?.ok;
  if (typeof key === 'string' && hasMessage(key)) return { kind: 'ok', text: ctx.t(key) };
  return undefined;
}

export function Csrf({ ctx }: { ctx: PageCtx }) {
  return <input type="hidden" name="_csrf" value={ctx.csrf} />;
}

function LangSwitch({ ctx }: { ctx: PageCtx }) {
  const other: Locale = ctx.locale === 'vi' ? 'en' : 'vi';
  return (
    <form method="post" action="/lang" class="lang-switch">
      <Csrf ctx={ctx} />
      <input type="hidden" name="next" value={ctx.url} />
      {/* The name starts with the visible "EN" (WCAG 2.5.3, label in name), for voice control. */}
      <button type="submit" name="lang" value={other} lang={other} title={`${ctx.t('nav.language')}: ${ctx.t(`lang.${other}`)}`}>
        {other === 'en' ? 'EN' : 'VI'}
        <span class="visually-hidden">{` – ${ctx.t(`lang.${other}`)}`}</span>
      </button>
    </form>
  );
}

const STAFF_NAV: Array<{ href: string; key: MessageKey; permission?: Permission }> = [
  { href: '/staff', key: 'staff.home.title' },
  { href: '/staff/org', key: 'staff.nav.tree', permission: 'org.unit.view' },
  { href: '/staff/groups', key: 'staff.nav.groups', permission: 'org.unit.view' },
  { href: '/staff/catalogue', key: 'staff.nav.catalogue', permission: 'catalog.record.create' },
  { href: '/staff/catalogue/imports', key: 'staff.nav.imports', permission: 'catalog.import' },
  { href: '/staff/harvest', key: 'harvest.nav', permission: 'interop.manage' },
  { href: '/staff/digital', key: 'dstaff.nav.digital', permission: 'digital.object.manage' },
  { href: '/staff/sites', key: 'sites.staff.nav', permission: 'site.manage' },
  { href: '/staff/jobs', key: 'jobs.nav', permission: 'jobs.manage' },
  { href: '/staff/readers', key: 'readers.staff.nav', permission: 'reader.manage' },
  { href: '/staff/users', key: 'staff.nav.users', permission: 'staff.user.view' },
  { href: '/staff/audit', key: 'staff.nav.audit', permission: 'audit.view' },
  { href: '/staff/account', key: 'staff.nav.account' },
];

function StaffNav({ ctx }: { ctx: PageCtx }) {
  const items = STAFF_NAV.filter((i) => !i.permission || allowsAnywhere(ctx.actor.grants, i.permission));
  return (
    <nav class="staff-nav" aria-label={ctx.t('nav.staff')}>
      <ul class="wrap">
        {items.map((i) => {
          // The longest entry the path is under is the current one (/staff/catalogue/imports, not /staff/catalogue).
          const current = i.href === '/staff' ? ctx.path === '/staff' : ctx.path.startsWith(i.href) && !items.some((o) => o.href.length > i.href.length && ctx.path.startsWith(o.href));
          return (
            <li>
              <a href={i.href} aria-current={current ? 'page' : undefined}>
                {ctx.t(i.key)}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

export interface LayoutProps {
  ctx: PageCtx;
  title: string;
  /** Staff pages get the staff navigation. */
  staff?: boolean;
  flash?: Flash | undefined;
  description?: string;
  /** The page's canonical path or URL (`/record/12`); made absolute with the site's address. */
  canonical?: string;
  /** Open Graph: the kind of thing shown (default `website`) and an image path or URL for link previews. */
  og?: { type?: string; image?: string };
  /** Extra stylesheets by asset name (`portal.css`), after the shared ones. */
  styles?: readonly string[];
  /** Atom feeds offered by this page, as `[title, path]`. */
  feeds?: ReadonlyArray<readonly [string, string]>;
  /** Extra elements for <head>: JSON-LD, citation meta tags. Rendered after the shared ones. */
  head?: ComponentChildren;
  children: ComponentChildren;
}

/** An absolute URL on this site for a path (or the URL itself when it already is absolute). */
export function absoluteUrl(ctx: PageCtx, pathOrUrl: string): string {
  return /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : ctx.baseUrl + (pathOrUrl.startsWith('/') ? pathOrUrl : `/${pathOrUrl}`);
}

export function Layout({ ctx, title, staff, flash, description, canonical, og, styles, feeds, head, children }: LayoutProps) {
  const { t } = ctx;
  const fullTitle = `${title} · ${t('app.name')}`;
  const desc = description ?? t('app.tagline');
  const canonicalUrl = canonical ? absoluteUrl(ctx, canonical) : undefined;
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <meta name="description" content={desc} />
        <meta name="theme-color" content="#0b6e4f" />
        <link rel="stylesheet" href={assetUrl('app.css')} />
        <link rel="stylesheet" href={assetUrl('search.css')} />
        {(styles ?? []).map((s) => (
          <link rel="stylesheet" href={assetUrl(s)} />
        ))}
        <link rel="icon" href={assetUrl('favicon.svg')} type="image/svg+xml" />
        <link rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml" title={t('app.name')} />
        <link rel="manifest" href="/manifest.webmanifest" />
        <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />
        <script src={assetUrl('pwa.js')} defer />
        {canonicalUrl ? <link rel="canonical" href={canonicalUrl} /> : null}
        <meta property="og:site_name" content={t('app.name')} />
        <meta property="og:title" content={title} />
        <meta property="og:description" content={desc} />
        <meta property="og:type" content={og?.type ?? 'website'} />
        <meta property="og:locale" content={ctx.locale === 'vi' ? 'vi_VN' : 'en_GB'} />
        {canonicalUrl ? <meta property="og:url" content={canonicalUrl} /> : null}
        {og?.image ? <meta property="og:image" content={absoluteUrl(ctx, og.image)} /> : null}
        {(feeds ?? []).map(([feedTitle, href]) => (
          <link rel="alternate" type="application/atom+xml" title={feedTitle} href={href} />
        ))}
        {head}
      </head>
      <body class={staff ? 'is-staff' : undefined}>
        <a class="skip-link" href="#main">
          {t('nav.skip')}
        </a>
        <header class="site-header">
          <div class="wrap header-row">
            <a class="brand" href="/">
              <img src={assetUrl('favicon.svg')} alt="" width={28} height={28} />
              <span>{t('app.name')}</span>
            </a>
            {ctx.path === '/search' ? null : (
              <form method="get" action="/search" class="site-search" role="search" aria-label={t('search.header.label')}>
                <label for="site-q" class="visually-hidden">
                  {t('search.header.label')}
                </label>
                <input type="search" id="site-q" name="q" maxLength={500} placeholder={t('search.header.placeholder')} />
                <button type="submit">{t('search.box.submit')}</button>
              </form>
            )}
            <nav class="site-nav" aria-label={t('nav.menu')}>
              <a href="/libraries">{t('nav.libraries')}</a>
              <a href="/browse" aria-current={ctx.path === '/browse' || ctx.path.startsWith('/browse/') ? 'page' : undefined}>
                {t('browse.nav')}
              </a>
              <a href="/digital">{t('digital.title')}</a>
              {ctx.user ? (
                <>
                  <a href="/staff">{t('nav.staff')}</a>
                  <form method="post" action="/staff/logout" class="inline">
                    <Csrf ctx={ctx} />
                    <button type="submit" class="link">
                      {t('nav.logout')}
                    </button>
                  </form>
                </>
              ) : null}
              {/* Readers (the public) sign in here; staff sign in at /staff/login, linked from that page. */}
              {ctx.reader ? (
                <>
                  <a href="/account">{t('readers.nav.account')}</a>
                  {ctx.user ? null : (
                    <form method="post" action="/account/logout" class="inline">
                      <Csrf ctx={ctx} />
                      <button type="submit" class="link">
                        {t('readers.nav.logout')}
                      </button>
                    </form>
                  )}
                </>
              ) : ctx.user ? null : (
                <a href="/account/login">{t('readers.nav.login')}</a>
              )}
            </nav>
            <LangSwitch ctx={ctx} />
          </div>
        </header>
        {staff && ctx.user ? <StaffNav ctx={ctx} /> : null}
        <div class="offline-status" role="status">
          <p class="offline-banner" data-offline-banner data-offline-copy={t('pwa.offline.copy')} data-offline-slow={t('pwa.offline.slowCopy')} hidden>
            <span class="wrap">
              <span data-offline-text>{t('pwa.offline.banner')}</span> <a href="/offline">{t('pwa.offline.bannerLink')}</a>
            </span>
          </p>
        </div>
        <main id="main" class="wrap" tabIndex={-1}>
          {flash ? (
            <p class={`flash flash-${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>
              {flash.text}
            </p>
          ) : null}
          {children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>{t('footer.about')}</p>
            <p>
              <a href="/api/v1/docs">{t('footer.api')}</a>
            </p>
            <p>
              <a href="/offline">{t('pwa.footer.offline')}</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}

export function renderHtml(vnode: VNode): string {
  return '<!doctype html>' + renderToString(vnode);
}

export function sendPage(reply: FastifyReply, vnode: VNode, status = 200): FastifyReply {
  const ctx = reply.request.ctx as RequestContext | undefined;
  if (ctx && !reply.hasHeader('content-language')) reply.header('content-language', ctx.locale);
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', pageCacheControl(reply, ctx)).send(renderHtml(vnode));
}

/**
 * Pages for a signed-in reader or staff member are `no-store`: neither the browser's cache nor the
 * service worker (src/http/assets/sw.js) keeps them, so the next person on a shared phone never
 * sees them. Anonymous pages are `private, no-cache`: the browser may keep them for the back
 * button and the service worker for offline reading, and asks again before reusing them. A route
 * may set its own value first (`no-store` for a restricted document).
 */
function pageCacheControl(reply: FastifyReply, ctx: RequestContext | undefined): string {
  const own = reply.getHeader('cache-control');
  if (typeof own === 'string' && own) return own;
  return ctx && ctx.via === 'anonymous' && !ctx.user && !ctx.reader ? 'private, no-cache' : 'no-store';
}

/** Formats an ISO timestamp for people, in the network's time zone. */
export function formatTime(ctx: PageCtx, iso: string | null): string {
  if (!iso) return ctx.t('common.none');
  return new Intl.DateTimeFormat(ctx.locale === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(iso));
}

/** Formats a `YYYY-MM-DD` date for people. */
export function formatDate(ctx: PageCtx, date: string | null): string {
  if (!date) return ctx.t('common.none');
  const [y, m, d] = date.split('-');
  return ctx.locale === 'vi' ? `${d}/${m}/${y}` : `${d}/${m}/${y}`;
}

/** The name of a unit in the reader's language. */
export function unitName(ctx: PageCtx, u: { nameVi: string; nameEn: string }): string {
  return ctx.locale === 'en' ? u.nameEn : u.nameVi;
}

export function ErrorList({ ctx, problems }: { ctx: PageCtx; problems: ReadonlyArray<{ field: string; code: string; row?: number; params?: Record<string, string | number> }> | undefined }) {
  if (!problems?.length) return null;
  return (
    <ul class="field-errors">
      {problems.map((p) => (
        <li>{`${p.row !== undefined ? `#${p.row} ` : ''}${p.field}: ${errorText(ctx.t, p.code, p.params)}`}</li>
      ))}
    </ul>
  );
}

export function errorText(t: Translate, code: string, params?: Record<string, string | number>): string {
  const key = `error.${code}`;
  return hasMessage(key) ? t(key, params) : code;
}

/** The trail of links above a page's heading: `items` are `[href, text]`, outermost first. */
export function Breadcrumbs({ label, items }: { label: string; items: ReadonlyArray<readonly [string, string]> }) {
  return (
    <nav aria-label={label}>
      <ol class="breadcrumbs">
        {items.map(([href, text]) => (
          <li>
            <a href={href}>{text}</a>
          </li>
        ))}
      </ol>
    </nav>
  );
}
