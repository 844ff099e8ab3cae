/**
 * The installable web app through `app.inject`: the manifest and its icons, the service worker's
 * script and settings, the offline page, and the cache headers that tell the service worker what
 * it may keep (anonymous public pages) and what never (anything for a signed-in person, restricted
 * documents). What the worker does with them is checked in a real browser
 * (test/browser/pwa.browser.test.ts).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import sharp from 'sharp';
import { describeEachDialect } from '../../test/dialects.js';
import { PASSWORD } from '../../test/factories.js';
import { Jar, get, httpEnv, login, type HttpEnv } from '../../test/http.js';
import { writePage } from '../../test/digital.js';
import { systemActor } from '../app/actor.js';
import { assetUrl } from './assets/assets.js';
import { OFFLINE_PRIVATE_PATHS, OFFLINE_PUBLIC_PAGES } from './pwa.routes.js';

const sys = systemActor('test');

describeEachDialect('installable web app', (dialect) => {
  let e: HttpEnv;
  let dir: string;
  const ids = { open: 0, onsite: 0 };

  beforeAll(async () => {
    e = await httpEnv(dialect);
    const { digital, org } = e.container.services;
    dir = await mkdtemp(join(tmpdir(), 'lt-pwa-'));
    const file = await digital.storeFile(await writePage(dir, 'p1.png', ['Trang 1'], { width: 400, height: 560 }), 'p1.png');
    const create = async (title: string, access: 'public' | 'onsite') =>
      (await digital.createWithFiles(sys, { ownerUnitId: e.tree.prov.id, source: 'test', dc: { title }, category: 'local', access, licence: 'cc-by', state: 'published' }, [file])).id;
    ids.open = await create('Địa chí mở', 'public');
    ids.onsite = await create('Sách đọc tại chỗ', 'onsite');
    // Requests from app.inject come from 127.0.0.1: "inside" the provincial library.
    await org.setSetting(sys, e.tree.prov.id, 'digital.onsite_ip_ranges', '127.0.0.0/8');
  });

  afterAll(async () => {
    await e?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves a valid manifest, linked from every page, with icons of the sizes it names', async () => {
    const res = await e.app.inject('/manifest.webmanifest');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/manifest+json; charset=utf-8');
    const m = res.json() as Record<string, unknown> & { icons: Array<{ src: string; sizes: string; type: string; purpose: string }> };
    expect(m).toMatchObject({ name: 'Liên Thông', short_name: 'Liên Thông', lang: 'vi', start_url: '/?source=pwa', scope: '/', display: 'standalone', theme_color: '#0b6e4f', background_color: '#f7f8f6' });
    expect(m.icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual(['192x192 any', '512x512 any', '512x512 maskable', 'any any']);
    for (const icon of m.icons.filter((i) => i.type === 'image/png')) {
      const png = await e.app.inject(icon.src);
      expect(png.statusCode, icon.src).toBe(200);
      expect(png.headers['content-type']).toBe('image/png');
      const meta = await sharp(png.rawPayload).metadata();
      expect(`${meta.width}x${meta.height}`).toBe(icon.sizes);
      // Maskable: full bleed, the corners are the theme colour (no transparency).
      if (icon.purpose === 'maskable') {
        const { data } = await sharp(png.rawPayload).ensureAlpha().extract({ left: 0, top: 0, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true });
        expect([...data]).toEqual([0x0b, 0x6e, 0x4f, 255]);
      }
    }
    const again = await e.app.inject({ url: m.icons[0]!.src, headers: { 'if-none-match': String((await e.app.inject(m.icons[0]!.src)).headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect((await e.app.inject(m.icons[3]!.src)).statusCode).toBe(200);
    for (const url of ['/apple-touch-icon.png', '/icons/apple-touch-icon.png']) {
      const apple = await e.app.inject(url);
      expect((await sharp(apple.rawPayload).metadata()).width, url).toBe(180);
    }
    expect((await e.app.inject('/icons/nope.png')).statusCode).toBe(404);
    for (const shortcut of m.shortcuts as Array<{ url: string }>) expect((await e.app.inject(shortcut.url)).statusCode, shortcut.url).toBe(200);
    expect((await e.app.inject('/?source=pwa')).statusCode).toBe(200);

    const home = (await e.app.inject('/')).body;
    expect(home).toContain('<link rel="manifest" href="/manifest.webmanifest"/>');
    expect(home).toContain('<link rel="apple-touch-icon" href="/icons/apple-touch-icon.png"/>');
    expect(home).toContain(`<script src="${assetUrl('pwa.js')}" defer></script>`);
  });

  it('serves the service worker from the root, never cached stale, with a version and a shell that all load', async () => {
    const res = await e.app.inject('/sw.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    // It compiles as a classic script (a syntax error would only show as a failed registration).
    expect(() => new Script(res.body, { filename: 'sw.js' })).not.toThrow();
    const first = /^self\.LT_SW = (.*);\n/.exec(res.body);
    expect(first).not.toBeNull();
    const config = JSON.parse(first![1]!) as { version: string; shell: string[]; offline: Record<string, string>; publicPages: string; privatePaths: string };
    expect(config.version).toMatch(/^[0-9a-f]{16}$/);
    expect(res.headers.etag).toBe(`"${config.version}"`);
    expect(config.shell).toEqual(expect.arrayContaining([assetUrl('app.css'), assetUrl('search.css'), assetUrl('favicon.svg'), assetUrl('pwa.js'), '/offline?lang=vi', '/offline?lang=en']));
    expect(config.offline).toEqual({ vi: '/offline?lang=vi', en: '/offline?lang=en' });
    for (const url of config.shell) expect((await e.app.inject(url)).statusCode, url).toBe(200);
    expect((await e.app.inject({ url: '/sw.js', headers: { 'if-none-match': `"${config.version}"` } })).statusCode).toBe(304);

    // Which paths are public pages the worker may keep, and which never.
    const pub = new RegExp(config.publicPages);
    const priv = new RegExp(config.privatePaths);
    expect(config.publicPages).toBe(OFFLINE_PUBLIC_PAGES);
    expect(config.privatePaths).toBe(OFFLINE_PRIVATE_PATHS);
    const kept = (path: string) => pub.test(path) && !priv.test(path);
    for (const path of ['/', '/l/thu-vien-tinh', '/record/12', '/search', '/search/help', '/digital', '/digital/3', '/digital/collections/truyen-nom', '/browse/subjects']) expect(kept(path), path).toBe(true);
    for (const path of ['/staff', '/staff/catalogue', '/account', '/account/lists', '/api/v1/records', '/offline', '/sw.js', '/lang', '/records', '/libraryx']) expect(kept(path), path).toBe(false);
  });

  it('renders the offline page in either language, the same whoever is signed in', async () => {
    const vi = await e.app.inject('/offline?lang=vi');
    expect(vi.statusCode).toBe(200);
    expect(vi.headers['cache-control']).toBe('private, no-cache');
    expect(vi.headers['content-language']).toBe('vi');
    expect(vi.body).toContain('<h1>Đọc khi không có mạng</h1>');
    expect(vi.body).toContain('data-offline-list');
    const en = await e.app.inject({ url: '/offline?lang=en', headers: { cookie: 'lt_lang=vi' } });
    expect(en.headers['content-language']).toBe('en');
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('<h1>Reading offline</h1>');
    // The language switch leads back to the plain address, not to the forced language.
    expect(en.body).toContain('name="next" value="/offline"');
    expect((await e.app.inject('/offline?lang=xx')).statusCode).toBe(200);

    const { jar } = await login(e.app, 'netadmin', PASSWORD);
    const signedIn = await get(e.app, jar, '/offline?lang=vi');
    expect(signedIn.headers['cache-control']).toBe('private, no-cache');
    expect(signedIn.body).not.toContain('/staff/logout');
    expect(signedIn.body).not.toContain('href="/staff"');
    expect(signedIn.body).not.toContain('netadmin');
  });

  it('marks anonymous pages keepable and every page of a signed-in person no-store', async () => {
    const anon = new Jar();
    for (const url of ['/', `/l/${e.tree.prov.slug}`, '/search?q=sach', `/digital/${ids.open}`]) {
      const res = await get(e.app, anon, url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('private, no-cache');
      expect(res.headers['content-language'], url).toBe('vi');
    }
    expect((await e.app.inject({ url: '/', headers: { 'accept-language': 'en' } })).headers['content-language']).toBe('en');

    const { jar } = await login(e.app, 'netadmin', PASSWORD);
    for (const url of ['/', `/l/${e.tree.prov.slug}`, '/search?q=sach', `/digital/${ids.open}`, '/staff', '/offline']) {
      const res = await get(e.app, jar, url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe(url === '/offline' ? 'private, no-cache' : 'no-store');
    }
  });

  it('never lets a restricted document be kept, even for an anonymous reader allowed to open it', async () => {
    const res = await e.app.inject(`/digital/${ids.onsite}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Sách đọc tại chỗ');
    expect(res.headers['cache-control']).toBe('no-store');
    // From outside the library it is refused (and an error is never kept either).
    const outside = await e.app.inject({ url: `/digital/${ids.onsite}`, remoteAddress: '198.51.100.7' });
    expect(outside.statusCode).toBe(403);
  });
});
