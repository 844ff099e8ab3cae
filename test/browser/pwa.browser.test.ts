/**
 * The installable, offline-capable portal in a real browser (Debian's Chromium, driven by
 * playwright-core) against a real server with the demo network, its catalogue and one digitised
 * book: the manifest is valid for Chromium itself and linked; the service worker registers and
 * controls the page; a reader opens the portal, a search, a record, a library page and a page of
 * the book, then loses the connection — all of them can still be read (the book's page image
 * too), a page never opened gives the offline page, and the offline page lists what was kept.
 * Pages of a signed-in staff member are never kept, and signing out forgets what was.
 * Screenshots: `offline-record`, `offline-reader`, `offline-page`, `offline-list` at 390 and 1280 px.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumPath, launchBrowser, shoot, signIn } from './harness.js';
import { buildApp, type App } from '../../src/http/app.js';
import { firstStart } from '../../src/app/setup.service.js';
import { systemActor } from '../../src/app/actor.js';
import { TestClock, testEnv, type TestEnv } from '../factories.js';
import { processQueued, scriptedOcr, writePage } from '../digital.js';

describe.skipIf(!chromiumPath)('installable and offline in a real browser', () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let base: string;
  let dir: string;
  let adminPassword: string;
  let book = 0;

  beforeAll(async () => {
    env = await testEnv('sqlite', { clock: new TestClock('2026-11-24T03:00:00.000Z'), container: { ocr: async () => scriptedOcr('Trang sách') } });
    const c = env.container;
    const accounts = await firstStart({ store: c.store, org: c.services.org, staff: c.services.staff, catalog: c.services.catalog }, { demo: true });
    adminPassword = accounts.find((a) => a.username === 'admin')!.password;
    dir = await mkdtemp(join(tmpdir(), 'lt-pwa-browser-'));
    const tvkg = await c.services.org.getByCode('TVKG');
    const pages = [];
    for (let i = 1; i <= 2; i++) pages.push(await c.services.digital.storeFile(await writePage(dir, `p${i}.png`, [`Trang ${i}`, 'Địa chí Kiên Giang'], { width: 800, height: 1100 }), `p${i}.png`));
    const made = await c.services.digital.createWithFiles(
      systemActor('test'),
      { ownerUnitId: tvkg.id, source: 'test', dc: { title: 'Địa chí Kiên Giang, tập 1', creator: ['Nhiều tác giả'], date: '2002' }, category: 'local', licence: 'cc-by', state: 'published' },
      pages,
    );
    book = made.id;
    await processQueued(c);
    app = await buildApp({ services: c.services, store: c.store, clock: env.clock, sessionSecret: 'browser-test-secret-0123456789abcdefghij', baseUrl: 'http://127.0.0.1' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await env?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The paths (with query) kept in one of the service worker's caches. */
  const kept = (page: Page, cache: string) =>
    page.evaluate(async (name) => {
      const c = await caches.open(name);
      return (await c.keys()).map((r) => {
        const u = new URL(r.url);
        return u.pathname + u.search;
      });
    }, cache);

  /** Waits until the page kept at `path` is in the cache (it is written just after the page is shown). */
  async function waitKept(page: Page, path: string): Promise<void> {
    await page.waitForFunction(
      async (want) => {
        const c = await caches.open('lt-pages');
        return (await c.keys()).some((r) => {
          const u = new URL(r.url);
          return u.pathname + u.search === want;
        });
      },
      path,
      { timeout: 10_000, polling: 100 },
    );
  }

  it('installs, keeps what the reader opened, and shows it without a connection', async () => {
    const context: BrowserContext = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(m.text())) errors.push(m.text());
    });

    // The manifest is linked, and Chromium itself finds nothing wrong with it.
    await page.goto(`${base}/`);
    expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe('/manifest.webmanifest');
    const cdp = await context.newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: Array<{ message: string }>; data?: string };
    expect(manifest.url).toBe(`${base}/manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    expect(JSON.parse(manifest.data!)).toMatchObject({ name: 'Liên Thông', start_url: '/?source=pwa', display: 'standalone' });
    const installability = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: Array<{ errorId: string }> };
    // Nothing the site could fix (a test browser's profile is "incognito", which no site can change).
    expect(installability.installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);

    // The service worker registers at the root and takes control of this very page.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope)).toBe(`${base}/`);
    // The portal was loaded before the worker existed: it asked to be kept anyway.
    await waitKept(page, '/');
    expect(await kept(page, (await page.evaluate(() => caches.keys())).find((n) => n.startsWith('lt-shell-'))!)).toEqual(
      expect.arrayContaining(['/offline?lang=vi', '/offline?lang=en']),
    );

    // A search, a record from it, a library's page and a page of the digitised book.
    await page.goto(`${base}/search?q=truyen+kieu`);
    await waitKept(page, '/search?q=truyen+kieu');
    await page.locator('ol.results .result-title a').first().click();
    await page.waitForURL(/\/record\/\d+$/);
    const recordPath = new URL(page.url()).pathname;
    const recordTitle = (await page.locator('h1').textContent())!;
    expect(recordTitle).toContain('Truyện Kiều');
    const docTitle = async () => (await page.title()).replace(/ · Liên Thông$/, '');
    const recordDocTitle = await docTitle();
    await waitKept(page, recordPath);
    await page.goto(`${base}/l/thu-vien-tinh`);
    const libraryHeading = await page.locator('h1').textContent();
    const libraryDocTitle = await docTitle();
    await waitKept(page, '/l/thu-vien-tinh');
    await page.goto(`${base}/digital/${book}?page=2`);
    expect(await page.locator('html').getAttribute('data-page-source')).not.toBe('copy');
    await page.locator('[data-page-image]').waitFor();
    await page.waitForFunction(() => (document.querySelector('[data-page-image]') as HTMLImageElement).naturalWidth > 0);
    await waitKept(page, `/digital/${book}?page=2`);
    const pageImage = await page.locator('[data-page-image]').getAttribute('src');
    await page.waitForFunction(
      async (src) => {
        const c = await caches.open('lt-media');
        return (await c.keys()).some((r) => r.url.endsWith(src!));
      },
      pageImage,
      { timeout: 10_000, polling: 100 },
    );
    expect(await page.locator('[data-offline-banner]').isHidden()).toBe(true);
    // A kept page from an older version names a stylesheet the server no longer has: the current one is given.
    expect(await page.evaluate(async () => {
      const res = await fetch('/assets/app.000000000000.css');
      return [res.status, (await res.text()).includes('--green')];
    })).toEqual([200, true]);

    // Deep zoom took the page image's place once it had drawn the page (no tile left loading).
    await page.locator('[data-reader].osd-on').waitFor({ timeout: 20_000 });

    // No connection from here (the book's viewer is left first: tiles cut off mid-load are not what this test is about).
    await page.goto('about:blank');
    await context.setOffline(true);
    await page.goto(`${base}${recordPath}`);
    expect(await page.locator('h1').textContent()).toBe(recordTitle);
    expect(await page.locator('#holdings-heading').textContent()).toBe('Nơi có tài liệu');
    // Styled from the kept stylesheet, with the offline line shown.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')!).backgroundColor)).toBe('rgb(11, 110, 79)');
    await page.locator('[data-offline-banner]').waitFor();
    expect(await page.locator('[data-offline-banner]').textContent()).toMatch(/^Không có kết nối mạng: đây là bản đã lưu trên máy lúc \d\d:\d\d \d\d\/\d\d\/\d{4}\. Xem các trang đã lưu$/);
    await shoot(page, 'offline-record');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.reload();
    expect(await page.locator('h1').textContent()).toBe(recordTitle);
    await page.goto(`${base}/l/thu-vien-tinh`);
    expect(await page.locator('h1').textContent()).toBe(libraryHeading);
    await page.goto(`${base}/search?q=truyen+kieu`);
    expect(await page.locator('ol.results .result-title').first().textContent()).toContain('Truyện Kiều');
    await page.goto(`${base}/?source=pwa`);
    expect(await page.locator('h1').textContent()).toBe('Mạng lưới thư viện');
    // The book's page, with its image; deep zoom (most of its tiles never loaded) is not started
    // on the kept copy: the reader is offered it instead.
    await page.goto(`${base}/digital/${book}?page=2`);
    await page.waitForFunction(() => (document.querySelector('[data-page-image]') as HTMLImageElement | null)?.complete === true);
    expect(await page.evaluate(() => (document.querySelector('[data-page-image]') as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await page.locator('[data-reader][data-zoom-state="offline"]').waitFor({ state: 'attached' });
    expect(await page.locator('html').getAttribute('data-page-source')).toBe('copy');
    expect(await page.locator('[data-reader] .osd').count()).toBe(0);
    expect(await page.locator('[data-page-image]').isVisible()).toBe(true);
    const zoomStart = page.locator('[data-zoom-start] button');
    expect(await zoomStart.textContent()).toBe('Phóng to ảnh');
    await shoot(page, 'offline-reader');
    await page.setViewportSize({ width: 1280, height: 900 });
    // With the connection back, asked for, it starts and shows the page once drawn; then offline again.
    await context.setOffline(false);
    await zoomStart.click();
    await page.locator('[data-reader].osd-on').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-reader]').getAttribute('data-zoom-state')).toBeNull();
    expect(await zoomStart.isHidden()).toBe(true);
    await context.setOffline(true);

    // A page never opened: the offline page, saying which page could not be shown.
    await page.goto(`${base}/record/999999`);
    expect(await page.locator('h1').textContent()).toBe('Đọc khi không có mạng');
    expect(await page.locator('[data-offline-missed]').isVisible()).toBe(true);
    expect(await page.locator('[data-offline-url]').textContent()).toBe('/record/999999');
    await page.locator('[data-offline-list] li').first().waitFor();
    await shoot(page, 'offline-page');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The list of what was kept, newest first, by title.
    await page.goto(`${base}/offline`);
    await page.locator('[data-offline-list] li').first().waitFor();
    expect(await page.locator('[data-offline-missed]').isHidden()).toBe(true);
    expect(await page.locator('[data-offline-list] li a').allTextContents()).toEqual(['Địa chí Kiên Giang, tập 1 · Trang 2', libraryDocTitle, recordDocTitle, 'truyen kieu · Tìm tài liệu', 'Mạng lưới thư viện']);
    expect(await page.locator('[data-offline-list] li .offline-meta').first().textContent()).toMatch(new RegExp(`^/digital/${book}\\?page=2 · Lưu lúc \\d\\d:\\d\\d \\d\\d/\\d\\d/\\d{4}$`));
    await shoot(page, 'offline-list');
    await page.setViewportSize({ width: 1280, height: 900 });
    // A kept page opens from the list.
    await page.locator('[data-offline-list] li a', { hasText: recordDocTitle }).click();
    await page.waitForURL(`${base}${recordPath}`);
    expect(await page.locator('h1').textContent()).toBe(recordTitle);

    // Back online, the banner goes.
    await context.setOffline(false);
    await page.goto(`${base}/`);
    expect(await page.locator('[data-offline-banner]').isHidden()).toBe(true);
    expect(errors, errors.join("\n")).toEqual([]);
    await context.close();
  }, 180_000);

  it('never keeps the pages of a signed-in staff member, and forgets everything at sign-out', async () => {
    const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/search?q=de+men`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
    await page.reload();
    await waitKept(page, '/search?q=de+men');
    const anonymousRecord = new URL(await page.locator('ol.results .result-title a').first().evaluate((a) => (a as HTMLAnchorElement).href)).pathname;
    await page.goto(`${base}${anonymousRecord}`);
    await waitKept(page, anonymousRecord);

    await signIn(page, base, 'admin', adminPassword, '/staff/org');
    for (const path of ['/staff', '/staff/catalogue', '/staff/users', '/search?q=tat+den', '/digital']) {
      const res = await page.goto(`${base}${path}`);
      expect(page.url()).toBe(`${base}${path}`);
      // What tells the worker not to keep it.
      expect(res!.headers()['cache-control'], path).toBe('no-store');
    }
    // Give the worker a moment in which it would have written them, had it been allowed.
    await page.goto(`${base}/`);
    await page.waitForFunction(() => document.readyState === 'complete');
    const pages = await kept(page, 'lt-pages');
    expect(pages).toContain(anonymousRecord);
    for (const p of pages) expect(p, 'kept while signed in').not.toMatch(/^\/staff|tat\+den|^\/digital$/);
    for (const name of await page.evaluate(() => caches.keys())) {
      for (const p of await kept(page, name)) expect(p, name).not.toMatch(/^\/staff/);
    }

    // Signing out forgets the pages kept on this device.
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(/\/staff\/login\?ok=/);
    const after = await kept(page, 'lt-pages');
    expect(after).not.toContain(anonymousRecord);
    expect(after).not.toContain('/search?q=de+men');
    await context.close();
  }, 120_000);
});
