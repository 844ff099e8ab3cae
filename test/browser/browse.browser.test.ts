/**
 * Browsing in a real browser (Debian's Chromium, driven by playwright-core) against a real server
 * with the demo network and its catalogue: the index, a letter of the subject list (Đ, in
 * Vietnamese order), jumping to a prefix, the class outline and new arrivals, with no JavaScript
 * needed. Screenshots (`browse-*`) at phone (390 px) and desktop (1280 px) width are saved under
 * test-output/screenshots; every page is checked with axe-core and for sideways overflow on a phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumPath, expectAccessible, launchBrowser, shoot } from './harness.js';
import { buildApp, type App } from '../../src/http/app.js';
import { firstStart } from '../../src/app/setup.service.js';
import { TestClock, testEnv, type TestEnv } from '../factories.js';
import { addBooks } from '../books.js';

describe.skipIf(!chromiumPath)('browsing in a real browser', () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** A browser with JavaScript turned off: everything here must work without it. */
  let plainContext: BrowserContext;
  let plain: Page;
  let base: string;

  beforeAll(async () => {
    env = await testEnv('sqlite', { clock: new TestClock('2026-11-24T03:00:00.000Z') });
    const c = env.container;
    await firstStart({ store: c.store, org: c.services.org, staff: c.services.staff, catalog: c.services.catalog }, { demo: true });
    // A few more Đ subjects and a long heading, to see how a letter page wraps.
    const tvkg = await c.services.org.getByCode('TVKG');
    await addBooks(c, tvkg, [
      { title: 'Đồng bằng sông Cửu Long: đất và người', authors: ['Đặng Thị Thu Trang'], subjects: ['Đồng bằng sông Cửu Long -- Lịch sử -- Thế kỷ XIX-XX -- Tư liệu', 'Địa chí'], year: 2021, ddc: '959.78', copies: [['TVKG', 'Kho địa chí']] },
      { title: 'Đờn ca tài tử Nam Bộ', authors: ['Đỗ Văn Hoà'], subjects: ['Đờn ca tài tử', 'Âm nhạc dân gian'], year: 2019, ddc: '781.62', copies: [['TVKG', 'Kho mượn']] },
      { title: 'Dân ca Nam Bộ', authors: ['Dương Văn Lưu'], subjects: ['Dân ca'], year: 2018, ddc: '782.42', copies: [['TVKG', 'Kho mượn']] },
    ]);
    app = await buildApp({ services: c.services, store: c.store, clock: env.clock, sessionSecret: 'browser-test-secret-0123456789abcdefghij', baseUrl: 'http://127.0.0.1' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'vi-VN', serviceWorkers: 'block' });
    page = await context.newPage();
    plainContext = await browser.newContext({ locale: 'vi-VN', serviceWorkers: 'block', javaScriptEnabled: false });
    plain = await plainContext.newPage();
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await plainContext?.close();
    await browser?.close();
    await app?.close();
    await env?.dispose();
  });

  /** Nothing may stick out sideways on a phone. */
  async function fitsPhone(): Promise<void> {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, page.url()).toBeLessThanOrEqual(0);
  }

  async function visit(path: string, shot: string): Promise<void> {
    const res = await page.goto(`${base}${path}`);
    expect(res?.status(), path).toBe(200);
    await fitsPhone();
    await expectAccessible(page, shot);
    await shoot(page, shot);
    await page.setViewportSize({ width: 1280, height: 900 });
    await expectAccessible(page, `${shot} (1280 px)`);
  }

  it('reaches the browse index from the header and shows every way in', async () => {
    await plain.goto(`${base}/`);
    await plain.getByRole('navigation', { name: 'Trình đơn' }).getByRole('link', { name: 'Duyệt' }).click();
    await plain.waitForURL(`${base}/browse`);
    expect(await plain.locator('h1').textContent()).toBe('Duyệt tài liệu');
    expect(await plain.locator('.browse-card h2').allTextContents()).toEqual(['Chủ đề', 'Tác giả', 'Môn loại', 'Bộ sưu tập', 'Tài liệu mới']);
    await visit('/browse', 'browse-index');
  }, 60_000);

  it('lists the subjects of Đ in Vietnamese order, none of them under D, and links each to its records', async () => {
    await visit(`/browse/subjects?letter=${encodeURIComponent('Đ')}`, 'browse-subjects-dd');
    await page.setViewportSize({ width: 390, height: 844 });
    const headings = await page.locator('.heading-list li a').allTextContents();
    expect(headings.length).toBeGreaterThan(0);
    for (const h of headings) expect(h.startsWith('Đ')).toBe(true);
    expect(headings).toEqual([...headings].sort((a, b) => new Intl.Collator('vi').compare(a, b)));
    await page.goto(`${base}/browse/subjects?letter=D`);
    for (const h of await page.locator('.heading-list li a').allTextContents()) expect(h.startsWith('Đ')).toBe(false);
    // The first Đ subject opens a search for its records.
    await plain.goto(`${base}/browse/subjects?letter=${encodeURIComponent('Đ')}`);
    const first = plain.locator('.heading-list li a').first();
    const name = (await first.textContent())!;
    await first.click();
    await plain.waitForURL(/\/search\?q=subject/);
    expect(await plain.locator('#search-q').inputValue()).toBe(`subject:"${name}"`);
    expect(await plain.locator('.result').count()).toBeGreaterThan(0);
  }, 60_000);

  it('jumps to a prefix typed without marks, with the form alone', async () => {
    await plain.goto(`${base}/browse/authors`);
    await plain.getByLabel('Đến tác giả bắt đầu bằng').fill('do van');
    await plain.getByRole('button', { name: 'Đến', exact: true }).click();
    await plain.waitForURL(/\/browse\/authors\?from=do\+van/);
    expect(await plain.locator('.heading-list li a').first().textContent()).toBe('Đỗ Văn Hoà');
    expect(await plain.locator('.az-current').textContent()).toBe('Đ');
  }, 60_000);

  it('shows the class outline and opens a class without JavaScript', async () => {
    await visit('/browse/classes', 'browse-classes');
    await plain.goto(`${base}/browse/classes`);
    const ddc = plain.locator('details.ddc-class').filter({ has: plain.locator('summary', { hasText: '800' }) });
    expect(await ddc.locator('.ddc-divisions a').first().isVisible()).toBe(false);
    await ddc.locator('summary').click();
    expect(await ddc.locator('.ddc-divisions a').first().isVisible()).toBe(true);
    await plain.setViewportSize({ width: 390, height: 844 });
    await shoot(plain, 'browse-classes-open');
  }, 60_000);

  it('lists new arrivals, newest first, for the network and for one library', async () => {
    await visit('/browse/new', 'browse-new');
    expect(await page.locator('link[rel="alternate"][type="application/atom+xml"]').getAttribute('href')).toBe('/feeds/new.atom');
    expect(await page.locator('.arrival-title').first().textContent()).toBe('Dân ca Nam Bộ');
    await plain.goto(`${base}/browse/new`);
    await plain.selectOption('#new-library', 'TVKG');
    await plain.getByRole('button', { name: 'Xem' }).click();
    await plain.waitForURL(/library=TVKG/);
    expect(await plain.locator('h1').textContent()).toContain('Tài liệu mới ở');
  }, 60_000);

  it('shows collections', async () => {
    await visit('/browse/collections', 'browse-collections');
    expect(await page.locator('.shelf-list li').count()).toBeGreaterThan(0);
  }, 60_000);
});
