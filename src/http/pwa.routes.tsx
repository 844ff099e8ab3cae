/**
 * The installable web app: the manifest (`/manifest.webmanifest`), its icons (rendered once at
 * start from the site's SVG icon), the service worker (`/sw.js`, at the root so that it controls
 * every page) and the offline page (`/offline`), which lists the pages kept on the device.
 *
 * What is kept offline and why nothing personal is: see `src/http/assets/sw.js` and
 * docs/offline.md.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { renderAppIcons, type AppIcons } from '../adapters/image/app-icons.js';
import { LOCALES, isLocale, translator, type Locale } from '../i18n/i18n.js';
import { en, vi } from '../i18n/messages.js';
import { assetUrl } from './assets/assets.js';
import { Layout, pageCtx, sendPage, type PageCtx } from './pages/render.js';

const ASSET_DIR = fileURLToPath(new URL('./assets/', import.meta.url));

/**
 * Public pages the service worker may keep for offline reading (a regular expression over the
 * path). Only answers the server did not mark `no-store` are kept, whatever the path: pages of a
 * signed-in reader or staff member never are. Add new public page types here.
 */
export const OFFLINE_PUBLIC_PAGES = String.raw`^/(?:$|l/|libraries(?:/|$)|record/|search(?:/|$)|digital(?:/|$)|browse(?:/|$)|news(?:/|$)|events(?:/|$))`;

/** Paths the service worker never keeps, nor the images shown on them, even if listed above. */
export const OFFLINE_PRIVATE_PATHS = String.raw`^/(?:staff|account|accounts|api|lists|history|register|login|logout|me|reader|readers|lang)(?:/|$)`;

/** How long a navigation waits for the network before the copy kept on the device is shown. */
export const NAVIGATION_TIMEOUT_MS = 3000;

/** The installed app's colours: the header's green and the page background of app.css. */
function themeColours(): { theme: string; background: string } {
  const css = readFileSync(`${ASSET_DIR}app.css`, 'utf8');
  return {
    theme: /--green:\s*(#[0-9a-f]{3,8})\s*;/i.exec(css)?.[1] ?? '#0b6e4f',
    background: /--bg:\s*(#[0-9a-f]{3,8})\s*;/i.exec(css)?.[1] ?? '#f7f8f6',
  };
}

interface Icon {
  body: Buffer;
  etag: string;
}

// Rendering takes a moment; done once per process, whatever the number of apps built (tests build many).
let rendered: Promise<AppIcons> | undefined;
function appIcons(background: string): Promise<AppIcons> {
  rendered ??= renderAppIcons(readFileSync(`${ASSET_DIR}favicon.svg`), background);
  return rendered;
}

/** The offline page's address per language; the service worker keeps both. */
export const offlineUrl = (locale: Locale) => `/offline?lang=${locale}`;

/** The service worker with its settings in front; the version changes whenever an asset, a setting or a message does. */
function serviceWorker(): { body: string; etag: string } {
  const template = readFileSync(`${ASSET_DIR}sw.js`, 'utf8');
  const shell = [assetUrl('app.css'), assetUrl('search.css'), assetUrl('favicon.svg'), assetUrl('pwa.js'), ...LOCALES.map(offlineUrl)];
  // Every asset's hashed name: a deploy that changes any of them changes the worker, so browsers install it.
  const assets = readdirSync(ASSET_DIR)
    .flatMap((name) => {
      try {
        return [assetUrl(name)];
      } catch {
        return [];
      }
    })
    .sort();
  const settings = {
    shell,
    offline: Object.fromEntries(LOCALES.map((l) => [l, offlineUrl(l)])),
    publicPages: OFFLINE_PUBLIC_PAGES,
    privatePaths: OFFLINE_PRIVATE_PATHS,
    navigationTimeoutMs: NAVIGATION_TIMEOUT_MS,
    pageLimit: 200,
    assetLimit: 80,
    imageLimit: 400,
    imageBytes: 60 * 1024 * 1024,
    imageMaxBytes: 5 * 1024 * 1024,
  };
  // The kept offline page shows the catalogue's words: a change of wording is a new version too.
  const version = createHash('sha256').update(template).update(JSON.stringify(settings)).update(assets.join('\n')).update(JSON.stringify([vi, en])).digest('hex').slice(0, 16);
  const body = `self.LT_SW = ${JSON.stringify({ version, ...settings })};\n${template}`;
  return { body, etag: `"${version}"` };
}

function sendCached(req: FastifyRequest, reply: FastifyReply, type: string, cacheControl: string, item: { body: Buffer | string; etag: string }): FastifyReply {
  reply.type(type).header('cache-control', cacheControl).header('etag', item.etag);
  if (req.headers['if-none-match'] === item.etag) return reply.code(304).send();
  return reply.send(item.body);
}

const etagOf = (body: Buffer | string) => `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;

export async function pwaRoutes(app: FastifyInstance): Promise<void> {
  const colours = themeColours();
  const rendered = await appIcons(colours.theme);
  const icons = new Map<string, Icon>(
    Object.entries({
      'icon-192.png': rendered.any192,
      'icon-512.png': rendered.any512,
      'icon-maskable-512.png': rendered.maskable512,
      'apple-touch-icon.png': rendered.appleTouch180,
    }).map(([name, body]) => [name, { body, etag: etagOf(body) }]),
  );
  const worker = serviceWorker();

  // The manifest is in Vietnamese, the network's language: browsers fetch it without cookies, so it cannot follow the reader's choice.
  const t = translator('vi');
  const manifestBody = JSON.stringify({
    id: '/',
    name: t('app.name'),
    short_name: t('app.name'),
    description: t('pwa.manifest.description'),
    lang: 'vi',
    dir: 'ltr',
    start_url: '/?source=pwa',
    scope: '/',
    display: 'standalone',
    orientation: 'any',
    theme_color: colours.theme,
    background_color: colours.background,
    categories: ['books', 'education'],
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      { src: assetUrl('favicon.svg'), sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    ],
    shortcuts: [
      { name: t('search.title'), url: '/search?source=pwa', icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }] },
      { name: t('digital.title'), url: '/digital?source=pwa', icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }] },
      { name: t('pwa.offline.title'), url: '/offline', icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }] },
    ],
  });
  const manifest = { body: manifestBody, etag: etagOf(manifestBody) };

  app.get('/manifest.webmanifest', { schema: { hide: true } }, async (req, reply) => sendCached(req, reply, 'application/manifest+json; charset=utf-8', 'public, max-age=3600', manifest));

  app.get<{ Params: { file: string } }>('/icons/:file', { schema: { hide: true } }, async (req, reply) => {
    const icon = icons.get(req.params.file);
    if (!icon) return reply.callNotFound();
    return sendCached(req, reply, 'image/png', 'public, max-age=86400', icon);
  });
  // iOS asks for this address at the root whatever the page says.
  app.get('/apple-touch-icon.png', { schema: { hide: true } }, async (req, reply) => sendCached(req, reply, 'image/png', 'public, max-age=86400', icons.get('apple-touch-icon.png')!));

  app.get('/sw.js', { schema: { hide: true } }, async (req, reply) => {
    // `no-cache`: the browser asks every time, so a deploy reaches readers at their next visit.
    return sendCached(req, reply, 'text/javascript; charset=utf-8', 'no-cache', worker);
  });

  app.get(
    '/offline',
    { schema: { hide: true, querystring: Type.Object({ lang: Type.Optional(Type.String({ maxLength: 5 })) }) } },
    async (req, reply) => {
      const lang = (req.query as { lang?: string }).lang;
      const base = pageCtx(req);
      const locale = isLocale(lang) ? lang : base.locale;
      // The same for everyone: the service worker keeps it, so it must never show who is signed in.
      const ctx = { ...base, locale, t: translator(locale), user: null, reader: null, url: '/offline', path: '/offline' };
      reply.header('cache-control', 'private, no-cache').header('content-language', locale);
      return sendPage(reply, <OfflinePage ctx={ctx} />);
    },
  );
}

function OfflinePage({ ctx }: { ctx: PageCtx }) {
  const { t } = ctx;
  const title = t('pwa.offline.title');
  return (
    <Layout ctx={ctx} title={title} canonical="/offline">
      <div class="offline-page" data-offline-page>
        <h1>{title}</h1>
        <div class="flash flash-error" data-offline-missed hidden>
          <p>
            {t('pwa.offline.missed')} <span class="offline-url" data-offline-url />
          </p>
          <p>
            <a href="/offline" data-offline-retry>
              {t('pwa.offline.retry')}
            </a>
          </p>
        </div>
        <p class="lead">{t('pwa.offline.intro')}</p>
        <section aria-labelledby="offline-list-heading">
          <h2 id="offline-list-heading">{t('pwa.offline.listTitle')}</h2>
          <p class="muted" data-offline-unsupported>
            {t('pwa.offline.unsupported')}
          </p>
          <p class="muted" data-offline-none hidden>
            {t('pwa.offline.none')}
          </p>
          <ul class="offline-list" data-offline-list data-saved={t('pwa.offline.savedOn')} hidden />
          <div class="offline-tools" data-offline-tools hidden>
            <p class="muted">{t('pwa.offline.shared')}</p>
            <button type="button" class="secondary" data-offline-clear data-done={t('pwa.offline.cleared')}>
              {t('pwa.offline.clear')}
            </button>
            <p role="status" class="offline-cleared" data-offline-status />
          </div>
        </section>
      </div>
    </Layout>
  );
}
