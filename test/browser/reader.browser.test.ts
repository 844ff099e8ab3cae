/**
 * The digital reader in a real browser (Debian's Chromium, driven by playwright-core) against a
 * real server: a scanned book of six pages and a few other documents. Without JavaScript the page
 * image and its links work; with it, the plain image shows first and OpenSeadragon takes over
 * once it has drawn the page, turns pages in place (link, key, swipe) keeping the address in step,
 * and draws the hits of a search inside the book over the page. Nothing sticks out sideways on a
 * phone, tap targets are at least 44 px, and the Content Security Policy is never broken.
 * Screenshots (`reader-page`, `reader-text`, `reader-search`, `digital-home`) at 390 and 1280 px
 * go to test-output/screenshots.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, launchBrowser, shoot, fitsPhone } from './harness.js';
import { buildApp, type App } from '../../src/http/app.js';
import { systemActor } from '../../src/app/actor.js';
import type { PageWord } from '../../src/app/digital/media.js';
import { TestClock, smallTree, testEnv, type TestEnv } from '../factories.js';
import { processQueued, scriptedOcr, writePage } from '../digital.js';

const POEM = [
  ['Trăm năm trong cõi người ta,', 'Chữ tài chữ mệnh khéo là ghét nhau.', 'Trải qua một cuộc bể dâu,', 'Những điều trông thấy mà đau đớn lòng.'],
  ['Lạ gì bỉ sắc tư phong,', 'Trời xanh quen thói má hồng đánh ghen.', 'Cảo thơm lần giở trước đèn,', 'Phong tình cổ lục còn truyền sử xanh.'],
  ['Rằng năm Gia Tĩnh triều Minh,', 'Bốn phương phẳng lặng hai kinh vững vàng.', 'Có nhà viên ngoại họ Vương,', 'Gia tư nghĩ cũng thường thường bậc trung.'],
  ['Một trai con thứ rốt lòng,', 'Vương Quan là chữ nối dòng nho gia.', 'Đầu lòng hai ả tố nga,', 'Thúy Kiều là chị em là Thúy Vân.'],
  ['Mai cốt cách tuyết tinh thần,', 'Mỗi người một vẻ mười phân vẹn mười.', 'Vân xem trang trọng khác vời,', 'Khuôn trăng đầy đặn nét ngài nở nang.'],
  ['Kiều càng sắc sảo mặn mà,', 'So bề tài sắc lại là phần hơn.', 'Làn thu thủy nét xuân sơn,', 'Hoa ghen thua thắm liễu hờn kém xanh.'],
];

/** Word boxes roughly where `pageImage` draws its lines (40 px serif from x = 80, a line every 64 px). */
function wordsOf(lines: readonly string[]): PageWord[] {
  return lines.flatMap((line, li) => {
    let x = 80;
    return line.split(' ').map((w) => {
      const width = Math.round(w.length * 21);
      const word = { text: w, x, y: 105 + li * 64, w: width, h: 46, c: 92, line: li };
      x += width + 11;
      return word;
    });
  });
}

describe.skipIf(!chromiumPath)('the digital reader in a real browser', () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let base: string;
  let dir: string;
  let book = 0;

  beforeAll(async () => {
    env = await testEnv('sqlite', { clock: new TestClock('2026-11-24T03:00:00.000Z'), container: { ocr: async () => scriptedOcr('Trang sách') } });
    const c = env.container;
    const t = await smallTree(c);
    const sys = systemActor('test');
    const { digital } = c.services;
    dir = await mkdtemp(join(tmpdir(), 'lt-reader-browser-'));
    const coll = await digital.createCollection(sys, { ownerUnitId: t.prov.id, code: 'truyen-nom', nameVi: 'Truyện thơ Nôm', nameEn: 'Nôm verse tales' });
    await digital.createCollection(sys, { ownerUnitId: t.distA.id, code: 'dia-chi', nameVi: 'Địa chí Kiên Giang và vùng đồng bằng sông Cửu Long', nameEn: 'Local studies of the Mekong Delta' });
    const pages: Array<{ sha256: string; size: number; name: string }> = [];
    for (let i = 0; i < POEM.length; i++) pages.push(await digital.storeFile(await writePage(dir, `kieu-${i + 1}.png`, [`— ${i + 1} —`, '', ...POEM[i]!]), `Truyện Kiều – tờ ${i + 1}.png`));
    const made = await digital.createWithFiles(
      sys,
      { ownerUnitId: t.prov.id, source: 'test', dc: { title: 'Truyện Kiều (Đoạn trường tân thanh), bản khắc gỗ Liễu Văn Đường 1871', creator: ['Nguyễn Du'], date: '1871', subject: ['Truyện thơ', 'Văn học Việt Nam'], description: 'Bản khắc gỗ, chữ Nôm, phiên âm kèm theo.' }, category: 'han_nom', licence: 'public-domain', state: 'published', collectionIds: [coll.id] },
      pages,
    );
    book = made.id;
    const others: Array<[string, string, string, string]> = [
      ['Địa chí Kiên Giang', 'local', 'public', 'Kiên Giang'],
      ['Luận văn: Thư viện công cộng ở Đồng bằng sông Cửu Long', 'thesis', 'registered', 'Luận văn'],
      ['Bản đồ tỉnh Rạch Giá năm 1930', 'old_rare', 'public', 'Rạch Giá 1930'],
      ['Giáo trình tin học cơ bản cho thư viện xã', 'learning', 'public', 'Tin học'],
      ['Tạp chí Văn hoá Kiên Giang số 12', 'reference', 'onsite', 'Văn hoá'],
    ];
    for (const [title, category, access, line] of others) {
      const f = await digital.storeFile(await writePage(dir, `${category}.png`, [line], { width: 800, height: 1100 }), `${category}.png`);
      await digital.createWithFiles(sys, { ownerUnitId: t.distA.id, source: 'test', dc: { title, creator: ['Nhiều tác giả'], date: '2019' }, category, access, licence: 'cc-by', state: 'published' }, [f]);
    }
    await processQueued(c);
    for (const p of await c.store.digital.pagesOf(book)) {
      const lines = POEM[p.seq - 1]!;
      await c.store.digital.setPageText(p.id, { text: lines.join('\n'), words: wordsOf(['', '', ...lines]).filter((w) => w.line >= 2), textSource: 'ocr', confidence: 92, engine: 'scripted' }, c.clock.now().toISOString());
    }
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


  /** Every control of ours a finger has to hit is at least 44 × 44 px (text links inside sentences aside). */
  async function bigTargets(page: Page): Promise<void> {
    await page.setViewportSize({ width: 390, height: 844 });
    const small = await page.evaluate(() => {
      const sel = [
        '.reader-bar a',
        '.reader-bar input',
        '.reader-bar button',
        '.reader-views a',
        '.zoom-bar button',
        '.thumb-strip a',
        '.inside-form input',
        '.inside-form button',
        '.inside-hits > li > a',
        '.download-list a',
        '.share-row input',
        '.share-row button',
        '.iiif-link',
        '.dl-title a',
        '.dl-collections a',
        '.dl-filters summary',
        '.dl-filters select',
        '.dl-filters button',
        '.pager a',
      ].join(', ');
      return [...document.querySelectorAll<HTMLElement>(sel)]
        .filter((el) => el.offsetParent !== null)
        .map((el) => ({ el: `${el.tagName.toLowerCase()}.${el.className} ${el.textContent?.trim().slice(0, 30)}`, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.width < 43.5 || r.height < 43.5)
        .map(({ el, r }) => `${el}: ${Math.round(r.width)}×${Math.round(r.height)}`);
    });
    expect(small, page.url()).toEqual([]);
  }

  function watch(page: Page): string[] {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    return errors;
  }

  const viewerShown = (page: Page) => page.waitForSelector('.reader.osd-on .osd .openseadragon-canvas canvas', { state: 'visible', timeout: 20_000 });

  it('works without JavaScript: the page image, its links and the text', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${base}/digital/${book}`);
    const img = page.locator('img.page-image');
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
    expect(await img.isVisible()).toBe(true);
    expect(await page.locator('.osd').count()).toBe(0);
    await page.locator('.reader-bar-top [data-next]').click();
    await page.waitForURL(/page=2$/);
    expect(await page.locator('.reader-bar-top [data-page-of-text]').textContent()).toBe('Trang 2 / 6');
    await page.locator('#jump-top').fill('5');
    await page.locator('.reader-bar-top .reader-jump button').click();
    await page.waitForURL(/page=5$/);
    await page.getByRole('link', { name: 'Văn bản', exact: true }).click();
    await page.waitForURL(/page=5&view=text/);
    expect(await page.locator('article.page-text').textContent()).toContain('Mai cốt cách tuyết tinh thần, Mỗi người một vẻ mười phân vẹn mười.');
    await fitsPhone(page);
    await context.close();
  });

  it('shows the page image first, then deep zoom; turns pages in place by link, key and swipe', async () => {
    const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 390, height: 844 }, hasTouch: true });
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto(`${base}/digital/${book}`);
    // The plain image is there (and loaded) before the viewer replaces it.
    const img = page.locator('img.page-image');
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
    await viewerShown(page);
    expect(await page.locator('.page-box').isVisible()).toBe(false);
    expect(await page.locator('.zoom-bar').isVisible()).toBe(true);
    // The viewer's tiles come from the page's IIIF image service.
    const tiles = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => /\/iiif\/3\/\d+-1\/(info\.json|\d+,\d+,\d+,\d+\/)/.test(n)));
    expect(tiles.some((n) => n.endsWith('/info.json'))).toBe(true);
    expect(tiles.some((n) => /\/\d+,\d+,\d+,\d+\/\d*,\d*\/0\/default\.jpg$/.test(n))).toBe(true);
    await page.waitForTimeout(300);
    await shoot(page, 'reader-page');
    await fitsPhone(page);
    await bigTargets(page);

    // Next page without reloading the document.
    await page.evaluate(() => ((window as unknown as { stay: number }).stay = 1));
    await page.locator('.reader-bar-top [data-next]').click();
    await page.waitForFunction(() => location.search === '?page=2');
    expect(await page.locator('.reader-bar-top [data-page-of-text]').textContent()).toBe('Trang 2 / 6');
    expect(await page.locator('#jump-top').inputValue()).toBe('2');
    expect(await page.locator('[data-thumb="2"]').getAttribute('aria-current')).toBe('page');
    expect(await page.locator('#share-url').inputValue()).toBe('http://127.0.0.1/digital/' + book + '?page=2');
    expect(await page.locator('.reader-bar-top [data-prev]').getAttribute('href')).toBe(`/digital/${book}?page=1`);
    await page.waitForFunction(() => [...performance.getEntriesByType('resource')].some((r) => /\/iiif\/3\/\d+-2\/info\.json$/.test(r.name)));
    // A key turns the page too, and a swipe back.
    await page.locator('h1').click();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => location.search === '?page=3');
    await page.evaluate(() => {
      const stage = document.querySelector('[data-stage]')!;
      const touch = (x: number) => new Touch({ identifier: 1, target: stage, clientX: x, clientY: 300 });
      stage.dispatchEvent(new TouchEvent('touchstart', { touches: [touch(100)], changedTouches: [touch(100)], bubbles: true }));
      stage.dispatchEvent(new TouchEvent('touchmove', { touches: [touch(220)], changedTouches: [touch(220)], bubbles: true }));
      stage.dispatchEvent(new TouchEvent('touchend', { touches: [], changedTouches: [touch(300)], bubbles: true }));
    });
    await page.waitForFunction(() => location.search === '?page=2');
    expect(await page.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(1);
    expect(await page.title()).toContain('Trang 2');
    // Zooming in with our button (44 px, translated) drives the viewer.
    const zoom = () => page.evaluate(() => Number(new URLSearchParams(location.search).get('page')) && document.querySelector('.osd')!.getAttribute('aria-label'));
    expect(await zoom()).toBe('Trang 2 của “Truyện Kiều (Đoạn trường tân thanh), bản khắc gỗ Liễu Văn Đường 1871”');
    await page.locator('[data-zoom="in"]').click();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps the page image when a tile cannot be had before the page is drawn', async () => {
    // (No service worker: its requests would not pass through the page's routes.)
    const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    // The tiles (a region in pixels) fail, as on a connection lost mid-load; info.json and the page image do not.
    let refused = 0;
    await page.route(/\/iiif\/3\/\d+-\d+\/\d+,\d+,\d+,\d+\//, (route) => {
      refused++;
      return route.abort('internetdisconnected');
    });
    await page.goto(`${base}/digital/${book}`);
    await page.waitForFunction(() => [...performance.getEntriesByType('resource')].some((r) => /\/iiif\/3\/\d+-1\/info\.json$/.test(r.name)));
    await expect.poll(() => page.locator('[data-zoom-status]').textContent(), { timeout: 20_000 }).toBe('Không mở được trình xem phóng to; ảnh trang vẫn xem được bên dưới.');
    expect(refused).toBeGreaterThan(0);
    expect(await page.locator('.osd').count()).toBe(0);
    expect(await page.locator('[data-reader]').getAttribute('class')).not.toContain('osd-on');
    const img = page.locator('img.page-image');
    expect(await img.isVisible()).toBe(true);
    expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
    expect(await page.locator('.zoom-bar').isVisible()).toBe(false);
    await shoot(page, 'reader-zoom-failed');
    await context.close();
  });

  it('draws the hits of a search inside the book over the page', async () => {
    const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto(`${base}/digital/${book}?q=kieu`);
    // Opened at the first page with a hit (page 4: "Thúy Kiều là chị…").
    expect(await page.locator('.reader-bar-top [data-page-of-text]').textContent()).toBe('Trang 4 / 6');
    expect(await page.locator('ol.inside-hits mark').allTextContents()).toEqual(['Kiều', 'Kiều']);
    // Without the viewer the hit is drawn over the image; with it, as an overlay in image coordinates.
    expect(await page.locator('svg.page-hits-layer rect').count()).toBe(1);
    await viewerShown(page);
    await page.waitForSelector('.osd .hit-overlay', { state: 'attached', timeout: 10_000 });
    const box = await page.locator('.osd .hit-overlay').first().boundingBox();
    expect(box && box.width > 5 && box.height > 3).toBe(true);
    await page.waitForTimeout(300);
    await shoot(page, 'reader-search');
    await fitsPhone(page);
    await bigTargets(page);
    // The next page with a hit, in place; its overlay follows.
    await page.locator('.reader-bar-top [data-next]').click();
    await page.waitForFunction(() => location.search.startsWith('?page=5'));
    await page.locator('.reader-bar-top [data-next]').click();
    await page.waitForFunction(() => location.search === '?page=6&q=kieu');
    await page.waitForFunction(() => document.querySelectorAll('.osd .hit-overlay').length === 1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the text of a page for reading on a phone', async () => {
    const page = await browser.newPage({ locale: 'vi-VN', viewport: { width: 390, height: 844 } });
    const errors = watch(page);
    await page.goto(`${base}/digital/${book}?page=1&view=text`);
    const size = await page.locator('article.page-text p').first().evaluate((p) => parseFloat(getComputedStyle(p).fontSize));
    expect(size).toBeGreaterThanOrEqual(17);
    await shoot(page, 'reader-text');
    await fitsPhone(page);
    await bigTargets(page);
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(/page=2&view=text/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists the digital library on its landing page', async () => {
    const page = await browser.newPage({ locale: 'vi-VN', viewport: { width: 390, height: 844 } });
    const errors = watch(page);
    await page.goto(`${base}/digital`);
    expect(await page.locator('.dl-card').count()).toBe(6);
    expect(await page.locator('.dl-collections a').count()).toBe(2);
    await page.waitForTimeout(200);
    await shoot(page, 'digital-home');
    await fitsPhone(page);
    await bigTargets(page);
    await page.locator('details.dl-filters > summary').click();
    await page.locator('#dl-category').selectOption('han_nom');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.waitForURL(/category=han_nom/);
    expect(await page.locator('.dl-card').count()).toBe(1);
    await page.locator('.dl-title a').click();
    await page.waitForURL(new RegExp(`/digital/${book}$`));
    expect(errors).toEqual([]);
    await page.close();
  });
});
