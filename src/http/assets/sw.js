/* global self, caches, fetch, Request, Response, Headers, setTimeout, clearTimeout */
/**
 * Liên Thông's service worker: the portal keeps working on a weak or missing connection.
 *
 * Served at `/sw.js` (so that it controls the whole site) by `src/http/pwa.routes.ts`, which puts
 * one line in front of this file: `self.LT_SW = {…}` with the version (derived from the hashes of
 * the assets, so a deploy that changes any of them installs a new worker), the shell to keep, the
 * offline page per language and the patterns of public and private pages. On its own (as an asset
 * under /assets) it does nothing.
 *
 * What it does:
 * - keeps the shell (stylesheets, icon, the offline page, the registration script) at install;
 * - hashed assets (`/assets/app.3f2a….css`): from the cache first, as they never change;
 * - navigations: network first; after a few seconds without an answer (slow 2G) the copy kept on
 *   this device is shown, else the network is awaited; with no network, the kept copy, else the
 *   offline page;
 * - keeps the public pages a reader opened (portal, library pages, search results, records,
 *   digital documents) and the images (and stylesheets outside /assets) they loaded, up to a
 *   number of entries and bytes, oldest dropped first, so they can be read again offline.
 *
 * Privacy on shared phones: a page is kept only when its URL is a public page AND the server did
 * not mark the answer `no-store`. The server sends `no-store` on every page for a signed-in
 * reader or staff member, so nothing personal is ever kept; images marked `private` (restricted
 * documents) are not kept either. Non-GET requests are never touched.
 */
'use strict';

const CONFIG = self.LT_SW || null;
const SHELL = CONFIG ? 'lt-shell-' + CONFIG.version : 'lt-shell';
const ASSETS = 'lt-assets';
// The page script (pwa.js) reads and clears these two by name.
const PAGES = 'lt-pages';
const MEDIA = 'lt-media';
const META = 'lt-meta';
const KNOWN = [SHELL, ASSETS, PAGES, MEDIA, META];
const LOCALE_KEY = '/__lt/locale';
const HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;

const publicPage = CONFIG ? new RegExp(CONFIG.publicPages) : /^$/;
const privatePath = CONFIG ? new RegExp(CONFIG.privatePaths) : /^\//;
let locale = null;

if (CONFIG) {
  self.addEventListener('install', (event) => {
    event.waitUntil(
      caches
        .open(SHELL)
        // Without cookies: the shell must be the same for everyone on this device.
        .then((cache) => cache.addAll(CONFIG.shell.map((url) => new Request(url, { credentials: 'omit' }))))
        .then(() => self.skipWaiting()),
    );
  });

  self.addEventListener('activate', (event) => {
    event.waitUntil(
      (async () => {
        for (const name of await caches.keys()) if (name.startsWith('lt-') && !KNOWN.includes(name)) await caches.delete(name);
        if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
        await self.clients.claim();
      })(),
    );
  });

  self.addEventListener('fetch', (event) => {
    const req = event.request;
    if (req.method !== 'GET') return;
    const url = new URL(req.url);
    if (url.origin !== self.location.origin) return;
    if (req.mode === 'navigate') event.respondWith(navigate(event, url));
    else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(event, url));
    else if ((req.destination === 'image' || req.destination === 'style') && !privatePath.test(url.pathname) && !fromPrivatePage(req)) event.respondWith(media(event));
  });

  self.addEventListener('message', (event) => {
    const data = event.data || {};
    // A page opened before this worker took control asks for itself (and what it showed) to be kept.
    if (data.type === 'keep' && typeof data.page === 'string') event.waitUntil(keepLater(data).catch(() => undefined));
    // A page asks whether it is a kept copy, to say so (navigator.onLine alone is often wrong).
    if (data.type === 'status' && event.ports && event.ports[0]) {
      const id = event.source && event.source.id;
      event.ports[0].postMessage((id && served.get(id)) || {});
      if (id) served.delete(id);
    }
  });
}

// ---------------------------------------------------------------------------------- pages

function isPublicPage(url) {
  return publicPage.test(url.pathname) && !privatePath.test(url.pathname);
}

/** Images shown on staff or account pages are left to the browser. */
function fromPrivatePage(req) {
  try {
    return privatePath.test(new URL(req.referrer).pathname);
  } catch {
    return false;
  }
}

/** The cache key of a page: without the fragment and the app's `source=pwa` marker. */
function pageKey(url) {
  const u = new URL(url.href);
  u.hash = '';
  u.searchParams.delete('source');
  return u.href;
}

/** Only a full, public HTML answer may be kept; `no-store` is how the server says "personal". */
function keepable(res) {
  if (!res || res.status !== 200 || res.type !== 'basic' || res.redirected) return false;
  if (/no-store/i.test(res.headers.get('cache-control') || '')) return false;
  return /^text\/html/i.test(res.headers.get('content-type') || '');
}

async function navigate(event, url) {
  const req = event.request;
  const kept = isPublicPage(url);
  const network = Promise.resolve(event.preloadResponse)
    .catch(() => undefined)
    .then((preloaded) => preloaded || fetch(req))
    .then((res) => {
      noteLocale(res);
      // Cloned before anyone reads the body.
      return { res, copy: kept && keepable(res) ? res.clone() : null };
    });
  event.waitUntil(network.then(({ copy }) => (copy ? savePage(url, copy) : undefined)).catch(() => undefined));

  if (!kept) {
    // Staff, account and other pages: the network or, without it, the offline page.
    try {
      return (await network).res;
    } catch {
      noteServed(event, { served: 'offline' });
      return offlinePage();
    }
  }

  let timer;
  const slow = new Promise((resolve) => {
    timer = setTimeout(resolve, CONFIG.navigationTimeoutMs, 'slow');
  });
  const first = await Promise.race([network.catch(() => 'failed'), slow]);
  clearTimeout(timer);
  if (first !== 'slow' && first !== 'failed') return first.res;

  const copy = await caches.open(PAGES).then((c) => c.match(pageKey(url), { ignoreVary: true }));
  if (copy) {
    noteServed(event, { served: first === 'slow' ? 'slow' : 'offline', saved: copy.headers.get('x-lt-saved') });
    return copy;
  }
  if (first === 'slow') {
    try {
      return (await network).res;
    } catch {
      // No network after all: the offline page below.
    }
  }
  noteServed(event, { served: 'offline' });
  return offlinePage();
}

/** What each new page was given instead of the network's answer, until the page asks (a few seconds at most). */
const served = new Map();
function noteServed(event, info) {
  const id = event.resultingClientId;
  if (!id) return;
  const now = Date.now();
  for (const [key, old] of served) if (now - old.at > 60_000) served.delete(key);
  served.set(id, { ...info, at: now });
}

async function offlinePage() {
  const lang = locale || (await readLocale()) || 'vi';
  const shell = await caches.open(SHELL);
  const page = (await shell.match(CONFIG.offline[lang] || CONFIG.offline.vi)) || (await shell.match(CONFIG.offline.vi));
  return page || new Response('Offline', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** The language of the last page the server sent, for the offline page. */
function noteLocale(res) {
  const lang = (res.headers.get('content-language') || '').slice(0, 2);
  if (!CONFIG.offline[lang] || lang === locale) return;
  locale = lang;
  caches.open(META).then((c) => c.put(LOCALE_KEY, new Response(lang))).catch(() => undefined);
}

async function readLocale() {
  const hit = await caches.open(META).then((c) => c.match(LOCALE_KEY));
  return hit ? (await hit.text()).slice(0, 2) : null;
}

async function savePage(url, res) {
  const html = await res.text();
  const headers = new Headers(res.headers);
  // The body is kept decoded: its old encoding and length no longer apply.
  headers.delete('content-encoding');
  headers.delete('content-length');
  headers.set('x-lt-saved', new Date().toISOString());
  headers.set('x-lt-title', encodeURIComponent(pageTitle(html) || url.pathname));
  const cache = await caches.open(PAGES);
  const key = pageKey(url);
  // Deleted first so the key moves to the end: the cache's key order is then least recently opened first.
  await cache.delete(key, { ignoreVary: true });
  await cache.put(key, new Response(html, { status: 200, statusText: 'OK', headers }));
  trimLater(PAGES, CONFIG.pageLimit, Infinity);
}

/** The page's <title> without the site's name after the last " · ". */
function pageTitle(html) {
  const m = /<title>([^<]{0,400})<\/title>/i.exec(html);
  if (!m) return '';
  const text = m[1]
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;/g, "'")
    .replace(/&amp;/g, '&');
  const cut = text.lastIndexOf(' · ');
  return (cut > 0 ? text.slice(0, cut) : text).trim();
}

// --------------------------------------------------------------------------------- assets

async function asset(event, url) {
  const req = event.request;
  if (HASHED.test(url.pathname)) {
    const hit = await caches.match(req, { ignoreVary: true });
    if (hit) return hit;
    let res;
    try {
      res = await fetch(req);
    } catch {
      // A page kept from an older version names an asset that is not here: the current one will do.
      const other = await sameAssetAnyVersion(url.pathname);
      if (other) return other;
      return unavailable();
    }
    if (res.ok) event.waitUntil(putAsset(req, res.clone()));
    else if (res.status === 404) return (await sameAssetAnyVersion(url.pathname)) || res;
    return res;
  }
  // Plain names (/assets/openseadragon-home_rest.png) may change: network first.
  try {
    const res = await fetch(req);
    if (res.ok) event.waitUntil(putAsset(req, res.clone()));
    return res;
  } catch {
    const hit = await caches.match(req, { ignoreVary: true });
    if (hit) return hit;
    return unavailable();
  }
}

/** No network and no copy: a plain 503 rather than a failed promise (which browsers report as an error). */
function unavailable() {
  return new Response('', { status: 503, statusText: 'Offline', headers: { 'content-type': 'text/plain' } });
}

async function putAsset(req, res) {
  const cache = await caches.open(ASSETS);
  await cache.put(req, res);
  trimLater(ASSETS, CONFIG.assetLimit, Infinity);
}

async function sameAssetAnyVersion(path) {
  const plain = path.replace(HASHED, (m) => m.slice(13));
  for (const name of [SHELL, ASSETS]) {
    const cache = await caches.open(name);
    // Newest first: keys come in the order they were put.
    for (const key of (await cache.keys()).reverse()) {
      const p = new URL(key.url).pathname;
      if (p.replace(HASHED, (m) => m.slice(13)) === plain) return cache.match(key);
    }
  }
  return undefined;
}

// --------------------------------------------------------------------------------- images

/**
 * Page images, tiles, covers, and stylesheets outside /assets (a library's own colours, for
 * instance): network first (the HTTP cache makes it quick), the kept copy offline.
 */
async function media(event) {
  const req = event.request;
  try {
    const res = await fetch(req);
    if (keepableImage(res)) event.waitUntil(saveImage(req, res.clone()).catch(() => undefined));
    return res;
  } catch {
    const hit = await caches.open(MEDIA).then((c) => c.match(req, { ignoreVary: true }));
    if (hit) return hit;
    return unavailable();
  }
}

function keepableImage(res) {
  if (!res || res.status !== 200 || res.type !== 'basic') return false;
  // Restricted documents answer `private`: they stay off this device.
  return !/no-store|private/i.test(res.headers.get('cache-control') || '');
}

async function saveImage(req, res) {
  const body = await res.blob();
  if (body.size > CONFIG.imageMaxBytes) return;
  const headers = new Headers(res.headers);
  headers.delete('content-encoding');
  headers.set('content-length', String(body.size));
  headers.set('x-lt-size', String(body.size));
  const cache = await caches.open(MEDIA);
  await cache.delete(req, { ignoreVary: true });
  await cache.put(req, new Response(body, { status: 200, statusText: 'OK', headers }));
  trimLater(MEDIA, CONFIG.imageLimit, CONFIG.imageBytes);
}

// ------------------------------------------------------------------------ keep on request

/** Keeps a page that was loaded before this worker controlled it, with its assets and images. */
async function keepLater({ page, assets, images }) {
  const own = (list) =>
    (Array.isArray(list) ? list : [])
      .slice(0, 60)
      .map((href) => {
        try {
          return new URL(href);
        } catch {
          return null;
        }
      })
      .filter((u) => u && u.origin === self.location.origin);
  const [url] = own([page]);
  if (!url || !isPublicPage(url)) return;
  const res = await fetch(url.href, { credentials: 'same-origin' });
  // Signed in: the answer is `no-store` and nothing is kept, the images included.
  if (!keepable(res)) return;
  await savePage(url, res);
  for (const u of own(assets)) {
    if (u.pathname.startsWith('/assets/')) {
      if (await caches.match(u.href)) continue;
      const res = await fetch(u.href);
      if (res.ok) await putAsset(new Request(u.href), res);
    } else if (!privatePath.test(u.pathname)) {
      const res = await fetch(u.href, { credentials: 'same-origin' });
      if (keepableImage(res) && /^text\/css/.test(res.headers.get('content-type') || '')) await saveImage(new Request(u.href), res);
    }
  }
  for (const u of own(images)) {
    if (privatePath.test(u.pathname) || u.pathname.startsWith('/assets/')) continue;
    const res = await fetch(u.href, { credentials: 'same-origin' });
    if (keepableImage(res) && /^image\//.test(res.headers.get('content-type') || '')) await saveImage(new Request(u.href), res);
  }
}

// -------------------------------------------------------------------------------- limits

const trims = new Map();

/** Drops the oldest entries beyond `entries` or `bytes` (x-lt-size), a moment after the last write. */
function trimLater(name, entries, bytes) {
  clearTimeout(trims.get(name));
  trims.set(
    name,
    setTimeout(() => {
      trims.delete(name);
      trim(name, entries, bytes).catch(() => undefined);
    }, 1500),
  );
}

async function trim(name, entries, bytes) {
  const cache = await caches.open(name);
  const keys = await cache.keys();
  let extra = keys.length - entries;
  let total = 0;
  const sizes = [];
  if (Number.isFinite(bytes)) {
    for (const key of keys) {
      const hit = await cache.match(key);
      const size = Number((hit && hit.headers.get('x-lt-size')) || 0);
      sizes.push(size);
      total += size;
    }
  }
  // Oldest first: keys come in the order they were put.
  for (let i = 0; i < keys.length && (extra > 0 || total > bytes); i++) {
    await cache.delete(keys[i]);
    extra--;
    total -= sizes[i] || 0;
  }
}
