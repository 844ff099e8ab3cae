/**
 * Search results and the record page in a real browser (Debian's Chromium, playwright-core)
 * against the demo network: generated covers and availability in results, a search scoped to a
 * library carrying that library to the record page's holdings, citations (and the copy button),
 * exports, a thesis's Scholar tags (the demo's digitised master's thesis), and the record page
 * printed. Screenshots `record-*` at 390 and
 * 1280 px, and `record-print` as the printer sees it, under test-output/screenshots.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { OUT, chromiumPath, expectAccessible, launchBrowser, shoot, fitsPhone } from './harness.js';
import { buildApp, type App } from '../../src/http/app.js';
import { firstStart } from '../../src/app/setup.service.js';
import { writeTextPage } from '../../src/adapters/image/text-page.js';
import { TestClock, testEnv, type TestEnv } from '../factories.js';
import { processQueued, scriptedOcr } from '../digital.js';

describe.skipIf(!chromiumPath)('results and record pages in a real browser', () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    env = await testEnv('sqlite', { clock: new TestClock('2026-11-24T03:00:00.000Z'), container: { ocr: async () => scriptedOcr('Địa chí Kiên Giang') } });
    const c = env.container;
    const s = c.services;
    // The demo network with its digitised documents, their pages made and read.
    await firstStart({ store: c.store, org: s.org, staff: s.staff, catalog: s.catalog, digital: { service: s.digital, writePage: writeTextPage } }, { demo: true });
    await processQueued(c);
    app = await buildApp({ services: c.services, store: c.store, clock: env.clock, sessionSecret: 'browser-test-secret-0123456789abcdefghij', baseUrl: 'http://127.0.0.1' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await env?.dispose();
  });


  function watch(page: Page): string[] {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    return errors;
  }

  it('shows covers and availability in results, and the library searched in first on the record', async () => {
    const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = await context.newPage();
    const errors = watch(page);

    await page.goto(`${base}/search?q=van+hoc`);
    const first = page.locator('ol.results li.result').first();
    await expect(first.locator('.result-cover').count()).resolves.toBe(1);
    expect(await page.locator('ol.results .result-avail .avail').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^Có sẵn tại \d+ thư viện$/)]));
    await shoot(page, 'record-results');
    await fitsPhone(page);
    await expectAccessible(page, 'results with covers');

    // A digitised document's first page is its cover.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/search?q=${encodeURIComponent('địa chí')}`);
    const cover = page.locator('ol.results img.result-cover-img').first();
    await cover.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => {
      const img = document.querySelector('ol.results img.result-cover-img') as HTMLImageElement | null;
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    await shoot(page, 'record-results-digital');

    // A search scoped to Phú Quốc's library: the record lists Phú Quốc's copies first.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/search?q=truyen+kieu&library=PQ`);
    await page.locator('ol.results .result-title a', { hasText: 'Truyện Kiều' }).first().click();
    await page.waitForURL(/\/record\/\d+\?from=PQ$/);
    const groups = page.locator('.holding-group h3');
    expect(await groups.first().textContent()).toContain('Thư viện bạn đang tìm');
    expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1\/record\/\d+$/);
    const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!) as { '@type': string; offers: unknown[] };
    expect(ld['@type']).toBe('Book');
    expect(ld.offers.length).toBeGreaterThan(1);

    // Citations: APA is open; the copy button puts the citation on the clipboard.
    const apa = page.locator('#cite-apa');
    expect(await apa.textContent()).toBe('Nguyễn Du. (2015). Truyện Kiều. Nxb. Văn học.');
    expect(await apa.locator('i').textContent()).toBe('Truyện Kiều');
    await page.locator('#cite-apa + button.cite-copy').click();
    await page.waitForFunction(() => document.querySelector('#cite-apa + button.cite-copy')?.textContent === 'Đã sao chép');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('Nguyễn Du. (2015). Truyện Kiều. Nxb. Văn học.');
    await page.locator('details.cite-style summary', { hasText: 'Chicago' }).click();
    expect(await page.locator('#cite-chicago').isVisible()).toBe(true);

    // An export downloads with its file name.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.export-links a', { hasText: 'RIS' }).click()]);
    expect(download.suggestedFilename()).toBe('nguyen2015truyen.ris');

    await shoot(page, 'record-page');
    await fitsPhone(page);
    await expectAccessible(page, 'record page');

    // Printed: no header, forms or sharing; the page's address and the libraries' addresses shown.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.locator('.record-share').isVisible()).toBe(false);
    expect(await page.locator('.print-only').isVisible()).toBe(true);
    const after = await page.evaluate(() => getComputedStyle(document.querySelector('.holding-group h3 a.print-url')!, '::after').content);
    expect(after).toMatch(/^" <http:\/\/127\.0\.0\.1\/l\/[^>]+>"$/);
    expect(await page.locator('#cite-mla').isVisible()).toBe(true);
    await page.screenshot({ path: join(OUT, 'record-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    expect(errors).toEqual([]);
    await context.close();
  });

  it('works without JavaScript on a phone', async () => {
    const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/search?q=truyen+kieu`);
    expect(await page.locator('ol.results .result-cover').count()).toBeGreaterThan(0);
    await fitsPhone(page);
    await page.locator('ol.results .result-title a').first().click();
    await page.waitForURL(/\/record\/\d+$/);
    // The first style is open; the others open with a tap on their summary; no copy button without the script.
    expect(await page.locator('#cite-apa').isVisible()).toBe(true);
    await page.locator('details.cite-style summary', { hasText: 'ISO 690' }).click();
    expect(await page.locator('#cite-iso690').isVisible()).toBe(true);
    expect(await page.locator('button.cite-copy').count()).toBe(0);
    expect(await page.locator('#share-url').inputValue()).toMatch(/^http:\/\/127\.0\.0\.1\/record\/\d+$/);
    await fitsPhone(page);
    await context.close();
  });

  it('gives the demo thesis Scholar tags and the Thesis type', async () => {
    const page = await browser.newPage({ locale: 'vi-VN', viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/search?q=${encodeURIComponent('Văn hoá biển đảo')}`);
    await page.locator('ol.results .result-title a').first().click();
    await page.waitForURL(/\/record\/\d+/);
    expect(await page.locator('meta[name="citation_title"]').getAttribute('content')).toBe('Văn hoá biển đảo của cư dân ven biển Kiên Giang');
    expect(await page.locator('meta[name="citation_author"]').first().getAttribute('content')).toBe('Trần Thị Ngọc Lan');
    const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!) as { '@type': string };
    expect(ld['@type']).toBe('Thesis');
    await shoot(page, 'record-thesis');
    await fitsPhone(page);
    await page.close();
  });
});
