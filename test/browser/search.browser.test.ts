/**
 * The reader's search in a real browser (Debian's Chromium, driven by playwright-core) against a
 * real server with the demo network and its catalogue, plus one record with a very long title:
 * searching with and without tones, a facet, autocomplete with the keyboard, the record page and
 * the help page. Screenshots (`search-*`) at phone (390 px) and desktop (1280 px) width are saved
 * under test-output/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, launchBrowser, shoot, fitsPhone } from './harness.js';
import { buildApp, type App } from '../../src/http/app.js';
import { firstStart } from '../../src/app/setup.service.js';
import { systemActor } from '../../src/app/actor.js';
import { TestClock, testEnv, type TestEnv } from '../factories.js';

const LONG_TITLE =
  'Nghiên cứu tổng hợp về lịch sử hình thành, phát triển và bảo tồn hệ thống thư viện công cộng vùng Đồng bằng sông Cửu Long từ thế kỷ XIX đến nay, kèm theo phụ lục tư liệu https://thuvien.example.vn/tu-lieu/dong-bang-song-cuu-long/phu-luc-0001';

describe.skipIf(!chromiumPath)('the reader’s search in a real browser', () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let base: string;
  let cataloguerPassword: string;

  beforeAll(async () => {
    env = await testEnv('sqlite', { clock: new TestClock('2026-11-24T03:00:00.000Z') });
    const c = env.container;
    const accounts = await firstStart({ store: c.store, org: c.services.org, staff: c.services.staff, catalog: c.services.catalog }, { demo: true });
    cataloguerPassword = accounts.find((a) => a.username === 'bienmuc')!.password;
    // A record with a very long title (and a long unbroken word) to see how results wrap.
    const tvkg = await c.services.org.getByCode('TVKG');
    const sys = systemActor('test');
    const { record } = await c.services.catalog.create(sys, {
      unitId: tvkg.id,
      allowDuplicate: true,
      marc: {
        leader: '00000nam a2200000 i 4500',
        fields: [
          { tag: '008', value: '250101s2024    vm            000 0 vie d' },
          { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: 'Nguyễn Thị Phương Thảo' }] },
          { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: LONG_TITLE }] },
          { tag: '264', ind1: ' ', ind2: '1', subfields: [{ code: 'a', value: 'Cần Thơ' }, { code: 'b', value: 'Nxb. Đại học Cần Thơ' }, { code: 'c', value: '2024' }] },
          { tag: '650', ind1: ' ', ind2: '7', subfields: [{ code: 'a', value: 'Thư viện công cộng' }, { code: 'z', value: 'Đồng bằng sông Cửu Long' }] },
        ],
      },
    });
    await c.services.catalog.addItem(sys, record.id, { barcode: 'LONG0001', ownerUnitCode: 'TVKG', unitId: tvkg.id });
    app = await buildApp({ services: c.services, store: c.store, clock: env.clock, sessionSecret: 'browser-test-secret-0123456789abcdefghij', baseUrl: 'http://127.0.0.1' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await env?.dispose();
  });


  const titles = (page: Page) => page.locator('ol.results .result-title').allTextContents();

  /** Types into the search box as a person would, and waits for the suggestions for the whole text. */
  async function typeAndWait(page: Page, text: string): Promise<void> {
    const box = page.locator('#search-q');
    await box.pressSequentially(text, { delay: 40 });
    const full = await box.inputValue();
    await page.waitForFunction(
      (want) => {
        const input = document.querySelector('#search-q') as HTMLInputElement;
        const list = document.querySelector('#search-suggest-list') as HTMLElement;
        return input.value === want && input.dataset.suggestedFor === want && !list.hidden;
      },
      full,
      { timeout: 10_000 },
    );
  }

  it('searches with and without tones, filters with a facet, and opens a record', async () => {
    const page = await browser.newPage({ locale: 'vi-VN', viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));

    // The header's search box on the home page leads to the search.
    await page.goto(`${base}/`);
    await page.getByRole('searchbox', { name: 'Tìm trong mục lục liên hợp' }).fill('de men phieu luu ky');
    await page.getByRole('searchbox', { name: 'Tìm trong mục lục liên hợp' }).press('Enter');
    await page.waitForURL(/\/search\?q=de\+men/);
    expect((await titles(page))[0]).toBe('Dế Mèn phiêu lưu ký');
    expect(await page.locator('ol.results .result-title mark').allTextContents()).toEqual(['Dế', 'Mèn', 'phiêu', 'lưu', 'ký']);

    // The whole catalogue, browsed without a query.
    await page.goto(`${base}/search`);
    expect(await page.locator('#results-heading').textContent()).toMatch(/^Toàn bộ mục lục: \d+ tài liệu/);
    await shoot(page, 'search-all');
    await fitsPhone(page);

    // Typed without tones, then with them.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('#search-q').fill('truyen kieu');
    await page.locator('#search-q').press('Enter');
    await page.waitForURL(/q=truyen\+kieu/);
    expect((await titles(page))[0]).toBe('Truyện Kiều');
    await page.locator('#search-q').fill('Đất rừng phương Nam');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await page.waitForURL(/q=%C4%90/);
    expect((await titles(page))[0]).toBe('Đất rừng phương Nam');
    expect(await page.locator('ol.results li.result').first().locator('.avail').textContent()).toMatch(/^Có sẵn tại \d+ thư viện$|^Hiện không còn bản nào trên giá$/);

    // A broad search, then a facet: ticking a language applies it at once (the script submits the form).
    await page.goto(`${base}/search?q=viet+nam`);
    const before = await page.locator('ol.results li.result').count();
    expect(before).toBeGreaterThan(2);
    await shoot(page, 'search-results');
    await fitsPhone(page);
    // Wide again, the filters open beside the results (the script follows the screen's width).
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForFunction(() => document.querySelector('details.facets-box')!.hasAttribute('open'));
    await page.locator('fieldset.facet', { hasText: 'Ngôn ngữ' }).getByLabel(/Tiếng Pháp/).check();
    await page.waitForURL(/language=fre/);
    expect(await titles(page)).toEqual(['Le Vietnam: histoire et civilisation']);
    expect(await page.locator('ul.chips').textContent()).toContain('Tiếng Pháp');
    // A second language of the same facet adds to the first (OR).
    await page.locator('fieldset.facet', { hasText: 'Ngôn ngữ' }).getByLabel(/Tiếng Việt/).check();
    await page.waitForURL(/language=vie/);
    expect(await page.locator('ol.results li.result').count()).toBe(before);
    await shoot(page, 'search-facet');
    await fitsPhone(page);

    // On a phone the filters fold above the results; opened, they fit.
    await page.waitForFunction(() => !document.querySelector('details.facets-box')!.hasAttribute('open'));
    await page.locator('details.facets-box > summary').click();
    expect(await page.locator('details.facets-box').getAttribute('open')).not.toBeNull();
    await shoot(page, 'search-facets-open');
    await fitsPhone(page);

    // The library tree and the "on the shelf now" filter.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/search?q=van+hoc`);
    expect(await page.locator('.facet-tree').textContent()).toContain('Thư viện tỉnh');
    // The tree drills down: a library's members are listed once it is chosen, by its link.
    await page.goto(`${base}/search`);
    const boxes = page.locator('.facet-tree input[name="libraryFilter"]');
    const shown = await boxes.count();
    const drill = page.locator('a.facet-drill').first();
    expect(await drill.textContent()).toMatch(/^Các đơn vị trực thuộc \(\d+\)$/);
    await drill.click();
    await page.waitForURL(/libraryFilter=/);
    expect(await page.locator('.facet-tree input[name="libraryFilter"]:checked').count()).toBe(1);
    expect(await boxes.count()).toBeGreaterThan(shown);
    await shoot(page, 'search-library-drilled');
    await page.goto(`${base}/search?q=van+hoc`);
    await page.getByRole('radio', { name: 'Có trên giá ngay bây giờ' }).click();
    await page.waitForURL(/available=anywhere/);
    expect(await page.locator('ol.results .avail').allTextContents()).not.toContain('Hiện không còn bản nào trên giá');

    // A long title wraps instead of widening the page.
    await page.goto(`${base}/search?q=${encodeURIComponent('thư viện công cộng đồng bằng')}`);
    expect((await titles(page))[0]).toBe(LONG_TITLE);
    await shoot(page, 'search-long-title');
    await fitsPhone(page);

    // A misspelling: nothing found, and a suggestion.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/search?q=${encodeURIComponent('"tat den')}`);
    expect(await page.locator('.search-notes').textContent()).toContain('Thiếu dấu ngoặc kép đóng');
    await page.goto(`${base}/search?q=nhat+ky+trong+tuu`);
    expect(await page.locator('.no-results').textContent()).toContain('Không tìm thấy tài liệu nào.');
    await shoot(page, 'search-none');
    await fitsPhone(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('.did-you-mean a').click();
    await page.waitForURL(/q=nh/);
    expect((await titles(page))[0]).toBe('Nhật ký trong tù');

    // The record page: holdings by library, with what is on the shelf.
    await page.locator('ol.results .result-title a').first().click();
    await page.waitForURL(/\/record\/\d+$/);
    expect(await page.locator('h1').textContent()).toContain('Nhật ký trong tù');
    expect(await page.locator('#holdings-heading').textContent()).toBe('Nơi có tài liệu');
    expect(await page.locator('.holding-group').count()).toBeGreaterThan(1);
    await shoot(page, 'search-record');
    await fitsPhone(page);

    await page.goto(`${base}/search/help`);
    expect(await page.locator('h1').textContent()).toBe('Cách tìm tài liệu');
    await shoot(page, 'search-help');
    await fitsPhone(page);

    expect(errors).toEqual([]);
  }, 180_000);

  it('suggests as the reader types, and the keyboard chooses a suggestion', async () => {
    const page = await browser.newPage({ locale: 'vi-VN', viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/search`);
    const box = page.locator('#search-q');
    const list = page.locator('#search-suggest-list');
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    await typeAndWait(page, 'nguyen nh');
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    const options = await list.locator('[role="option"] .heading').allTextContents();
    expect(options).toContain('Nguyễn Nhật Ánh');
    expect(await page.locator('[data-suggest-status]').textContent()).toMatch(new RegExp(`^${options.length} gợi ý`, 'u'));
    await shoot(page, 'search-suggest');
    // In English the count chooses its noun: "1 suggestion", "3 suggestions".
    const enPage = await browser.newPage({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    await enPage.goto(`${base}/search`);
    const counts: number[] = [];
    for (const typed of ['nguyen', 'Tắt đ']) {
      await enPage.locator('#search-q').fill('');
      await typeAndWait(enPage, typed);
      const shown = await enPage.locator('#search-suggest-list [role="option"]').count();
      counts.push(shown);
      expect(await enPage.locator('[data-suggest-status]').textContent()).toBe(`${shown} ${shown === 1 ? 'suggestion' : 'suggestions'}; use the arrow keys to choose.`);
    }
    expect(counts[0]).toBeGreaterThan(1);
    expect(counts[1]).toBe(1);
    await enPage.close();
    await page.setViewportSize({ width: 1280, height: 900 });

    // Down arrow to the author's name: it is the active descendant, and Enter searches for it.
    const index = options.indexOf('Nguyễn Nhật Ánh');
    for (let i = 0; i <= index; i++) await box.press('ArrowDown');
    const activeId = await box.getAttribute('aria-activedescendant');
    expect(activeId).toBe(`search-suggest-${index}`);
    expect(await page.locator(`#${activeId}`).getAttribute('aria-selected')).toBe('true');
    await box.press('Enter');
    await page.waitForURL(/\/search\?q=author/);
    expect(await box.inputValue()).toBe('author:"Nguyễn Nhật Ánh"');
    expect(await titles(page)).toEqual(['Tôi thấy hoa vàng trên cỏ xanh']);

    // Typed with tones, a title; Escape closes the list and keeps the text.
    await box.fill('');
    await typeAndWait(page, 'Tắt đ');
    expect(await list.locator('[role="option"] .heading').first().textContent()).toBe('Tắt đèn');
    await box.press('Escape');
    expect(await list.isHidden()).toBe(true);
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    expect(await box.inputValue()).toBe('Tắt đ');

    // A click chooses too.
    await typeAndWait(page, 'è');
    await list.locator('[role="option"]').first().click();
    await page.waitForURL(/q=T%E1%BA%AFt/);
    expect((await titles(page))[0]).toBe('Tắt đèn');
    expect(errors).toEqual([]);
  }, 120_000);

  it('searches the catalogue from the staff cataloguing page', async () => {
    const page = await browser.newPage({ locale: 'vi-VN', viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/staff/catalogue`);
    await page.getByLabel('Tên đăng nhập').fill('bienmuc');
    await page.getByLabel('Mật khẩu').fill(cataloguerPassword);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(`${base}/staff/catalogue`);
    await page.getByLabel('Tìm trong mục lục', { exact: true }).fill('van hoc thieu nhi');
    await page.getByLabel('Tìm trong mục lục', { exact: true }).press('Enter');
    await page.waitForURL(/\/staff\/catalogue\?q=/);
    expect(await page.locator('#search-heading').textContent()).toMatch(/Kết quả tìm “van hoc thieu nhi”: \d+ biểu ghi/);
    expect(await page.locator('table.search-hits tbody tr').count()).toBeGreaterThan(2);
    expect(await page.locator('table.records').count()).toBe(0);
    await shoot(page, 'search-staff');
    await fitsPhone(page);
    await page.locator('table.search-hits tbody a').first().click();
    await page.waitForURL(/\/staff\/catalogue\/records\/\d+$/);
  }, 120_000);
});
